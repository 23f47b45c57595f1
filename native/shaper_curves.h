/*
 * shaper_curves.h — the distortion types' curves, per lane, for the
 * oversampler in shaper.c (see shaper.h for which ones are ADAA'd and why).
 *
 * y is the driven input (drive x sample). The curves:
 *   soft       tanh y
 *   hard       y clipped to [-1, 1]                        (ADAA)
 *   cubic      1.5 y - 0.5 y^3 inside [-1, 1], +-1 outside (ADAA)
 *   diode      t (1 + t) / 2, t = tanh y: conducts one way, passes the other half at a quarter
 *   asym       tanh(y + 1/2) - tanh(1/2): clips at +0.54 and -1.46
 *   fold       a triangle folder: y inside [-1, 1], reflected at +-1 (ADAA, in double)
 *   sinefold   sin y
 *   chebyshev  T5(tanh y) = 16 t^5 - 20 t^3 + 5 t
 *   scurve     y / sqrt(1 + y^2)                           (ADAA)
 * Every one is 0 at 0 and bounded, so silence stays silence and a large
 * drive cannot overflow.
 *
 * Pure arithmetic on values. Thread: any.
 */
#ifndef OST_SHAPER_CURVES_H
#define OST_SHAPER_CURVES_H

#include "dsp.h"

typedef double ost_vd __attribute__((vector_size(OST_LANES * sizeof(double))));
typedef int64_t ost_vl __attribute__((vector_size(OST_LANES * sizeof(int64_t))));

/** 1 / x. (The hardware's 12-bit estimate with a Newton step measured no
 *  faster here than the division: the ADAA loops are not bound by it.) */
OST_INLINE ost_vf sc_rcp(ost_vf x) { return 1.0f / x; }

/** e^x, relative error below 1e-7 for |x| < 87 (clamped there). */
OST_INLINE ost_vf sc_exp(ost_vf x) {
    x = ost_vf_clamp(x, ost_vf_set(-87.0f), ost_vf_set(87.0f));
    ost_vf t = x * 1.44269504f;
    ost_vf n = (t + 12582912.0f) - 12582912.0f; /* round to nearest */
    ost_vf f = t - n;
    ost_vf p = 1.0f + f * (0.693147181f + f * (0.240226507f + f * (0.0555041087f + f * (0.00961812911f +
               f * (0.00133335581f + f * (0.000154035304f + f * 1.52527338e-05f))))));
    ost_vi scale = (__builtin_convertvector(n, ost_vi) + 127) << 23;
    return p * (ost_vf)scale;
}

/** tanh y, absolute error below 1e-7, odd, exactly +-1 far out. */
OST_INLINE ost_vf sc_tanh(ost_vf y) {
    ost_vf a = ost_vf_min(ost_vf_abs(y), ost_vf_set(20.0f));
    ost_vf t = 1.0f - 2.0f / (sc_exp(a + a) + 1.0f);
    return (ost_vf)((ost_vi)t | ((ost_vi)y & (int32_t)0x80000000));
}

/** sin y for |y| < 1e5: a reduction by pi in two parts, odd Taylor to y^11. */
OST_INLINE ost_vf sc_sin(ost_vf y) {
    ost_vf q = (y * 0.318309886f + 12582912.0f) - 12582912.0f;
    ost_vf r = (y - q * 3.140625f) - q * 9.67653590e-04f;
    ost_vf r2 = r * r;
    ost_vf s = r * (1.0f + r2 * (-1.0f / 6 + r2 * (1.0f / 120 + r2 * (-1.0f / 5040 + r2 * (1.0f / 362880 + r2 * (-1.0f / 39916800))))));
    ost_vi odd = (__builtin_convertvector(q, ost_vi) & 1) << 31;
    return (ost_vf)((ost_vi)s ^ odd);
}

/** 1 / sqrt(s) for s >= 1 (a bit-level guess and three Newton steps). */
OST_INLINE ost_vf sc_rsqrt(ost_vf s) {
    ost_vf r = (ost_vf)((int32_t)0x5f3759df - ((ost_vi)s >> 1));
    for (int i = 0; i < 3; i++) r = r * (1.5f - 0.5f * s * r * r);
    return r;
}

/* The clip family's mean over [a, b]: both ends clamped to [-1, 1] (a', b'),
   the integral is s_a (a' - a) + (b' - a') M(a', b') + s_b (b - b') over
   the same three pieces' lengths, M the inner polynomial's mean written
   with the step divided out, so no piece loses precision; M(a, a) is the
   curve itself, taken where the step is 0. */
OST_INLINE ost_vf sc_clip_mean(ost_vf a, ost_vf b, const int cubic) {
    ost_vf one = ost_vf_set(1.0f);
    ost_vf ac = ost_vf_clamp(a, -one, one), bc = ost_vf_clamp(b, -one, one);
    ost_vf sa = (ost_vf)(((ost_vi)a & (int32_t)0x80000000) | (ost_vi)one);
    ost_vf sb = (ost_vf)(((ost_vi)b & (int32_t)0x80000000) | (ost_vi)one);
    ost_vf m = cubic ? (ac + bc) * (0.75f - (ac * ac + bc * bc) * 0.125f) : (ac + bc) * 0.5f;
    ost_vf m0 = cubic ? ac * (1.5f - 0.5f * ac * ac) : ac;
    ost_vf la = ac - a, lm = bc - ac, lb = b - bc;
    ost_vf den = la + lm + lb;
    ost_vi zero = den == 0.0f;
    ost_vf mean = (sa * la + lm * m + sb * lb) / ost_vf_select(zero, one, den);
    return ost_vf_select(zero, m0, mean);
}

/* The triangle folder and its antiderivative over u = (y - 1) mod 4, in
   double (the antiderivative is bounded by 1/2, so a float difference over
   a small step would keep only a few bits). */
/* floor(t) for an ost_vd, |t| < 2^51 (a macro: a 64-byte vector is not
   passed by value without AVX-512): rounded by adding and subtracting
   1.5 * 2^52 (no conversion between double and int64, which AVX2 lacks),
   then one less where that went up. */
#define SC_MAGIC_D 6755399441055744.0
#define SC_FLOOR_D(t) ((((t) + SC_MAGIC_D) - SC_MAGIC_D) - \
                       (ost_vd)((ost_vl)((ost_vd){0} + 1.0) & (ost_vl)((((t) + SC_MAGIC_D) - SC_MAGIC_D) > (t))))

OST_INLINE ost_vf sc_fold_mean(ost_vf a, ost_vf b) {
    ost_vd ad = __builtin_convertvector(a, ost_vd), bd = __builtin_convertvector(b, ost_vd);
    ost_vd ua = ad - 1.0, ub = bd - 1.0;
    ua -= 4.0 * SC_FLOOR_D(ua * 0.25);
    ub -= 4.0 * SC_FLOOR_D(ub * 0.25);
    ost_vd ga_lo = ua - 0.5 * ua * ua, ga_hi = 0.5 * ua * ua - 3.0 * ua + 4.0;
    ost_vd gb_lo = ub - 0.5 * ub * ub, gb_hi = 0.5 * ub * ub - 3.0 * ub + 4.0;
    ost_vl la = ua <= 2.0, lb = ub <= 2.0;
    ost_vd ga = (ost_vd)(((ost_vl)ga_lo & la) | ((ost_vl)ga_hi & ~la));
    ost_vd gb = (ost_vd)(((ost_vl)gb_lo & lb) | ((ost_vl)gb_hi & ~lb));
    ost_vd d = bd - ad;
    ost_vl small = (d < 1e-7) & (d > -1e-7);
    /* where the step is tiny: the curve at the midpoint */
    ost_vd um = (ad + bd) * 0.5 - 1.0;
    um -= 4.0 * SC_FLOOR_D(um * 0.25);
    ost_vd tri = um - 2.0;
    tri = (ost_vd)((ost_vl)tri & 0x7fffffffffffffffLL) - 1.0;
    ost_vd one = (ost_vd){0} + 1.0;
    ost_vd mean = (gb - ga) / (ost_vd)(((ost_vl)d & ~small) | ((ost_vl)one & small));
    ost_vd out = (ost_vd)(((ost_vl)tri & small) | ((ost_vl)mean & ~small));
    return __builtin_convertvector(out, ost_vf);
}

#endif
