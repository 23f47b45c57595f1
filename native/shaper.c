/*
 * shaper.c — `crush`, `shape` and `distort` (every `distorttype`), 8x
 * oversampled through IIR half-bands, most of them also
 * antiderivative-antialiased (see shaper.h for the design and its figures).
 */
#include "shaper.h"

#include <math.h>
#include <string.h>

#include "shaper_curves.h"

/* Each half-band's two allpass chains (coefficients of (a + z^-1) / (1 +
   a z^-1) at the lower rate), from the elliptic designs in shaper.h. */
static const float A0[4] = {3.3397341682e-02f, 2.6058192333e-01f, 5.7734894455e-01f, 9.0840273240e-01f};
static const float A1[3] = {1.2629236297e-01f, 4.1588457223e-01f, 7.3970635201e-01f};
static const float B0[2] = {6.3787540138e-02f, 6.6854802719e-01f};
static const float B1[1] = {2.6678010503e-01f};
static const float C0[1] = {1.1030098892e-01f};
static const float C1[1] = {5.3677171278e-01f};

/* Frames per pass: the oversampled buffers live on the stack (12 KB). */
#define CHUNK 16
#define HI (OST_OS_FACTOR * CHUNK)

/* ------------------------------------------------------------ the curves */

/** ln(w) for w > 0 (normal): exponent and mantissa in [sqrt 1/2, sqrt 2),
 *  2 atanh((m - 1) / (m + 1)) to s^9: relative error below 1e-8, exact
 *  relative accuracy near w = 1 (which q() below relies on). */
OST_INLINE ost_vf vf_log(ost_vf w) {
    ost_vi bits = (ost_vi)w;
    ost_vi e = ((bits >> 23) & 0xff) - 127;
    ost_vf m = (ost_vf)((bits & 0x007fffff) | 0x3f800000);
    ost_vi big = m > 1.41421356f;
    m = ost_vf_select(big, m * 0.5f, m);
    e -= big; /* big is -1 where set */
    ost_vf s = (m - 1.0f) * sc_rcp(m + 1.0f), s2 = s * s;
    ost_vf lnm = 2.0f * s * (1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9)))));
    return lnm + __builtin_convertvector(e, ost_vf) * 0.693147181f;
}

/* q(u) = (1 - ln(1 + u) / u) / u for u > -1, q(0) = 1/2 (q_from below):
   what shape's and soft's antiderivatives reduce to. */

/* shape's curve f(x) = (1 + k) x / (1 + k |x|). Its antiderivative is
   F(x) = (1 + k) / k (|x| - ln(1 + k |x|) / k) = (1 + k) x^2 q(k |x|),
   the second form without the cancellations of the first for small k|x|. */

/* The mean of f over [x0, x1] (shape's ADAA, shape_run below). Where x0 and x1 lie on one side of 0
 *  (a = |x0|, b = |x1|), F(x1) - F(x0) works out to
 *  (1 + k) (b - a) / (1 + k a) [a + q(u) (b - a) / (1 + k a)], u = k (b - a) / (1 + k a),
 *  so the mean is that bracket with the step divided out exactly: no
 *  ill-conditioned quotient, and at x1 = x0 it is f(x0). Across 0, the step
 *  is at least |x0| + |x1| and the quotient of F's is well-conditioned. */
/** q(u) from its series (|u| < 1/4, to u^11: error below 5e-9) or from
 *  l = ln(1 + u) given: (u - l) / u^2. */
OST_INLINE ost_vf q_from(ost_vf u, ost_vf l) {
    ost_vf series = 0.5f + u * (-1.0f / 3 + u * (0.25f + u * (-0.2f + u * (1.0f / 6 + u * (-1.0f / 7 + u * (0.125f +
                    u * (-1.0f / 9 + u * (0.1f + u * (-1.0f / 11 + u * (1.0f / 12 + u * (-1.0f / 13)))))))))));
    ost_vi small = ost_vf_abs(u) < 0.25f;
    ost_vf uu = ost_vf_select(small, ost_vf_set(1.0f), u);
    return ost_vf_select(small, series, (uu - l) * sc_rcp(uu * uu));
}

/** shape over y[0..n) (ADAA, the mean above), with one logarithm and one
 *  reciprocal per sample: ln(1 + k|x|) and 1 / (1 + k|x|) are kept from
 *  one sample to the next, and on one side of 0 the step's
 *  ln(1 + k d) is their difference (d as in shape_mean; where k d is
 *  small, q's series is used instead, so the difference is never small). */
static void shape_run(ost_vf *y, uint32_t n, ost_vf k, ost_vf *x1, ost_vf *f1) {
    ost_vf a = *x1, fa = *f1, one = ost_vf_set(1.0f), k1 = 1.0f + k;
    ost_vf wa = 1.0f + k * ost_vf_abs(a), la = vf_log(wa), ra = 1.0f / wa;
    for (uint32_t i = 0; i < n; i++) {
        ost_vf b = y[i], ab = ost_vf_abs(b), aa = ost_vf_abs(a);
        ost_vf ub = k * ab, wb = 1.0f + ub, lb = vf_log(wb), rb = sc_rcp(wb);
        ost_vf fb = k1 * b * b * q_from(ub, lb);
        ost_vf d = (ab - aa) * ra;
        ost_vf same = k1 * ra * (aa + q_from(k * d, lb - la) * d);
        same = (ost_vf)(((ost_vi)same & 0x7fffffff) | ((ost_vi)(a + b) & (int32_t)0x80000000));
        ost_vi across = (a * b) < 0.0f;
        ost_vf step = ost_vf_select(across, b - a, one);
        y[i] = ost_vf_select(across, (fb - fa) * sc_rcp(step), same);
        a = b, fa = fb, la = lb, ra = rb;
    }
    *x1 = a, *f1 = fa;
}

/* soft's ADAA: the mean of tanh over [a, b]. Its antiderivative is
   F(y) = ln cosh y = |y| - ln 2 + ln(1 + e^-2|y|) (a series below |y| 1/2,
   where that sum cancels). On one side of 0, with lo the end nearer 0 and
   d = |b - a|, F(b) - F(a) over the step is exactly
   1 - 2 s L(z) E(-2d) (sign of the side), s = 1 / (1 + e^2lo),
   z = s (e^-2d - 1), L(z) = ln(1 + z) / z, E(u) = (e^u - 1) / u, each
   well-conditioned; and since 1 + z = (1 + e^-2hi) / (1 + e^-2lo), ln(1 + z)
   is the difference of the ends' ln(1 + e^-2|y|) (where z is small, L's
   series instead), e^-2d their quotient. So each sample costs one exp and
   one log: e = e^-2|y|, l = ln(1 + e) and s = e / (1 + e) are kept from one
   sample to the next. Across 0 the step is at least |a| + |b| and the
   difference of F's is well-conditioned. */
typedef struct tanh_end { ost_vf e, l, s; } tanh_end;

OST_INLINE tanh_end tanh_end_of(ost_vf y) {
    ost_vf e = sc_exp(-2.0f * ost_vf_abs(y));
    return (tanh_end){e, vf_log(1.0f + e), e * sc_rcp(1.0f + e)};
}

OST_INLINE ost_vf lncosh(ost_vf ay, ost_vf l) {
    ost_vf y2 = ay * ay;
    ost_vf series = y2 * (0.5f + y2 * (-1.0f / 12 + y2 * (1.0f / 45 + y2 * (-17.0f / 2520 + y2 * (31.0f / 14175)))));
    return ost_vf_select(ay < 0.5f, series, ay - 0.693147181f + l);
}

OST_INLINE ost_vf tanh_mean(ost_vf a, ost_vf b, tanh_end ea, tanh_end eb) {
    ost_vf aa = ost_vf_abs(a), ab = ost_vf_abs(b), one = ost_vf_set(1.0f);
    ost_vi a_lo = aa < ab;
    ost_vf e_lo = ost_vf_select(a_lo, ea.e, eb.e), e_hi = ost_vf_select(a_lo, eb.e, ea.e);
    ost_vf l_lo = ost_vf_select(a_lo, ea.l, eb.l), l_hi = ost_vf_select(a_lo, eb.l, ea.l);
    ost_vf s = ost_vf_select(a_lo, ea.s, eb.s);
    ost_vf u = -2.0f * ost_vf_abs(ab - aa);
    ost_vi u_small = u > -0.5f;
    ost_vf eser = 1.0f + u * (0.5f + u * (1.0f / 6 + u * (1.0f / 24 + u * (1.0f / 120 + u * (1.0f / 720 + u * (1.0f / 5040))))));
    ost_vf edir = (e_hi * sc_rcp(e_lo) - 1.0f) * sc_rcp(ost_vf_select(u_small, -one, u));
    ost_vf e = ost_vf_select(u_small, eser, edir);
    ost_vf z = s * u * e;
    ost_vi z_small = z > -0.25f;
    ost_vf zz = ost_vf_select(z_small, -one, z);
    ost_vf lq = ost_vf_select(z_small, 1.0f - z * q_from(z, z), (l_hi - l_lo) * sc_rcp(zz));
    ost_vf same = 1.0f - 2.0f * s * lq * e;
    same = (ost_vf)(((ost_vi)same & 0x7fffffff) | ((ost_vi)(a + b) & (int32_t)0x80000000));
    ost_vi across = (a * b) < 0.0f;
    ost_vf step = ost_vf_select(across, b - a, one);
    return ost_vf_select(across, (lncosh(ab, eb.l) - lncosh(aa, ea.l)) * sc_rcp(step), same);
}

/* ----------------------------------------------------------- the filters */

/** One sample through a chain of m first-order allpasses (states in s). */
OST_INLINE ost_vf chain(ost_vf *s, const float *a, const int m, ost_vf x) {
    for (int i = 0; i < m; i++) {
        ost_vf y = a[i] * (x - s[i + 1]) + s[i];
        s[i] = x;
        x = y;
    }
    s[m] = x;
    return x;
}

/** Interpolates n samples to 2n: the even outputs are chain 0's, the odd
 *  ones chain 1's. States in locals for the loop (out may alias nothing). */
OST_INLINE void up(ost_os_halfband *h, const float *a0, const int m0, const float *a1, const int m1,
                   const ost_vf *in, ost_vf *out, uint32_t n) {
    ost_vf p0[5], p1[4];
    memcpy(p0, h->p0, sizeof p0), memcpy(p1, h->p1, sizeof p1);
    for (uint32_t i = 0; i < n; i++) {
        ost_vf x = in[i];
        out[2 * i] = chain(p0, a0, m0, x);
        out[2 * i + 1] = chain(p1, a1, m1, x);
    }
    memcpy(h->p0, p0, sizeof p0), memcpy(h->p1, p1, sizeof p1);
}

/** Decimates 2n samples to n: half of chain 0 on the even ones plus half
 *  of chain 1 on the odd ones one step late. */
OST_INLINE void down(ost_os_halfband *h, const float *a0, const int m0, const float *a1, const int m1,
                     const ost_vf *in, ost_vf *out, uint32_t n) {
    ost_vf p0[5], p1[4], odd = h->odd;
    memcpy(p0, h->p0, sizeof p0), memcpy(p1, h->p1, sizeof p1);
    for (uint32_t i = 0; i < n; i++) {
        ost_vf y = chain(p0, a0, m0, in[2 * i]) + chain(p1, a1, m1, odd);
        odd = in[2 * i + 1];
        out[i] = 0.5f * y;
    }
    memcpy(h->p0, p0, sizeof p0), memcpy(h->p1, p1, sizeof p1);
    h->odd = odd;
}

/* ------------------------------------------------------------ distortion */

float ost_distort_drive(int type, float amount) {
    if (!(amount > 0.0f)) return 0.0f;
    if (type == OST_DISTORT_FOLD || type == OST_DISTORT_SINEFOLD) return 1.0f + fminf(amount, 100.0f);
    return expf(fminf(amount, 20.0f)); /* beyond e^20 every curve is a sign function */
}

int ost_distort_type_of(float value) {
    if (!(value > 0.0f)) return 0;
    int t = (int)(value + 0.5f);
    return t >= OST_DISTORT_TYPE_COUNT ? OST_DISTORT_TYPE_COUNT - 1 : t;
}

/** y[0..n) through type t's curve at drive g; prev is the input before
 *  y[0] (for the ADAA'd types). t is a constant once inlined: one
 *  branch-free loop per type. */
OST_INLINE void curve(ost_vf *y, uint32_t n, ost_vf g, ost_vf prev, const int t) {
    const ost_vf big = ost_vf_set(t == OST_DISTORT_SOFT ? 40.0f : 1e5f); /* tanh is 1 in float long before 40 */
    ost_vf a = ost_vf_clamp(prev * g, -big, big);
    tanh_end ea = tanh_end_of(a); /* soft's ADAA */
    ost_vf sa = ost_vf_set(1.0f) + a * a; /* scurve's */
    sa = sa * sc_rsqrt(sa);
    for (uint32_t i = 0; i < n; i++) {
        ost_vf b = ost_vf_clamp(y[i] * g, -big, big), v;
        switch (t) {
        case OST_DISTORT_SOFT: {
            tanh_end eb = tanh_end_of(b);
            v = tanh_mean(a, b, ea, eb);
            ea = eb;
            break;
        }
        case OST_DISTORT_HARD: v = sc_clip_mean(a, b, 0); break;
        case OST_DISTORT_CUBIC: v = sc_clip_mean(a, b, 1); break;
        case OST_DISTORT_DIODE: { ost_vf th = sc_tanh(b); v = 0.5f * th * (1.0f + th); break; }
        case OST_DISTORT_ASYM: v = sc_tanh(b + 0.5f) - 0.462117157f; break;
        case OST_DISTORT_FOLD: v = sc_fold_mean(a, b); break;
        case OST_DISTORT_SINEFOLD: v = sc_sin(b); break;
        case OST_DISTORT_CHEBYSHEV: { ost_vf th = sc_tanh(b), t2 = th * th; v = th * (5.0f + t2 * (-20.0f + 16.0f * t2)); break; }
        case OST_DISTORT_SCURVE: { /* ADAA: F = sqrt(1 + y^2), whose mean is (a + b) / (F(a) + F(b)) exactly */
            ost_vf qb = 1.0f + b * b, sb = qb * sc_rsqrt(qb);
            v = (a + b) / (sa + sb);
            sa = sb;
            break;
        }
        default: v = b; break;
        }
        a = b;
        y[i] = v;
    }
}

static void curve_of(ost_vf *y, uint32_t n, ost_vf g, ost_vf prev, int t) {
    switch (t) {
#define OST_X(id, name) case OST_DISTORT_##id: curve(y, n, g, prev, OST_DISTORT_##id); break;
        OST_DISTORT_TYPES(OST_X)
#undef OST_X
    default: break;
    }
}

/** The distortion over y[0..n): one pass per type some lane uses, each
 *  lane taking its own type's. */
static void distort(const ost_shaper_params *p, ost_vf *y, uint32_t n, ost_vf *xd1) {
    uint32_t types = p->types;
    ost_vf last = y[n - 1];
    if (types && !(types & (types - 1))) {
        curve_of(y, n, p->distort_g, *xd1, __builtin_ctz(types));
    } else if (types) {
        ost_vf in[HI], tmp[HI];
        memcpy(in, y, n * sizeof *y);
        for (int t = 0; t < OST_DISTORT_TYPE_COUNT; t++) {
            if (!(types >> t & 1u)) continue;
            memcpy(tmp, in, n * sizeof *y);
            curve_of(tmp, n, p->distort_g, *xd1, t);
            ost_vi mine = p->distort_t == (float)(t + 1);
            for (uint32_t i = 0; i < n; i++) y[i] = ost_vf_select(mine, tmp[i], y[i]);
        }
    }
    *xd1 = last;
}

/* ----------------------------------------------------------------- crush */

/** crush over y[0..n): round(x s) / s, as the mean of the staircase between
 *  two inputs. Its antiderivative is F(y) = r y - r^2 / 2, r = round(y), in
 *  double (F grows as y^2; with 16 bits of steps a float would keep none
 *  of a step's fraction). Where both ends round alike the mean is r. */
static void crush(const ost_shaper_params *p, ost_vf *y, uint32_t n, ost_vf *xc1) {
    const ost_vd magic = (ost_vd){0} + 6755399441055744.0; /* 1.5 * 2^52: adding and subtracting rounds */
    const ost_vd one = (ost_vd){0} + 1.0;
    const ost_vf lim = ost_vf_set(4e6f);
    ost_vd inv = __builtin_convertvector(p->crush_inv, ost_vd);
    ost_vd a = __builtin_convertvector(ost_vf_clamp(*xc1 * p->crush_s, -lim, lim), ost_vd);
    ost_vd ra = (a + magic) - magic, fa = ra * a - 0.5 * ra * ra;
    *xc1 = y[n - 1];
    for (uint32_t i = 0; i < n; i++) {
        ost_vd b = __builtin_convertvector(ost_vf_clamp(y[i] * p->crush_s, -lim, lim), ost_vd);
        ost_vd rb = (b + magic) - magic, fb = rb * b - 0.5 * rb * rb;
        ost_vl same = ra == rb;
        ost_vd mean = (fb - fa) / (ost_vd)(((ost_vl)(b - a) & ~same) | ((ost_vl)one & same));
        ost_vd out = (ost_vd)(((ost_vl)rb & same) | ((ost_vl)mean & ~same));
        y[i] = __builtin_convertvector(out * inv, ost_vf);
        a = b, ra = rb, fa = fb;
    }
}

/* ------------------------------------------------------------- the stage */

enum { CRUSH = OST_SHAPER_CRUSH, SHAPE = OST_SHAPER_SHAPE, DISTORT = OST_SHAPER_DISTORT };

OST_INLINE void run(ost_shaper_state *s, const ost_shaper_params *p, ost_vf *x, uint32_t n, const int what) {
    ost_vf b96[2 * CHUNK], b192[4 * CHUNK], y[HI];
    ost_vf k = p->shape_k, x1 = s->x1, f1 = s->f1;
    for (uint32_t done = 0; done < n; done += CHUNK) {
        uint32_t m = n - done < CHUNK ? n - done : CHUNK;
        up(&s->up[0], A0, 4, A1, 3, x + done, b96, m);
        up(&s->up[1], B0, 2, B1, 1, b96, b192, 2 * m);
        up(&s->up[2], C0, 1, C1, 1, b192, y, 4 * m);
        if (what & CRUSH) crush(p, y, 8 * m, &s->xc1);
        if (what & SHAPE) shape_run(y, 8 * m, k, &x1, &f1);
        if (what & DISTORT) distort(p, y, 8 * m, &s->xd1);
        down(&s->down[2], C0, 1, C1, 1, y, b192, 4 * m);
        down(&s->down[1], B0, 2, B1, 1, b192, b96, 2 * m);
        down(&s->down[0], A0, 4, A1, 3, b96, x + done, m);
    }
    s->x1 = x1, s->f1 = f1;
}

void ost_shaper_process(ost_shaper_state *s, const ost_shaper_params *p, ost_vf *x, uint32_t n, uint32_t what) {
    switch (what & OST_SHAPER_ALL) { /* each combination its own loop */
    case 1: run(s, p, x, n, 1); break;
    case 2: run(s, p, x, n, 2); break;
    case 3: run(s, p, x, n, 3); break;
    case 4: run(s, p, x, n, 4); break;
    case 5: run(s, p, x, n, 5); break;
    case 6: run(s, p, x, n, 6); break;
    case 7: run(s, p, x, n, 7); break;
    default: break;
    }
}

/* ---------------------------------------------------------------- checks */

float ost_shaper_level(const ost_shaper_state *s, int l) {
    const ost_vf *v = (const ost_vf *)s;
    float m = 0.0f;
    for (size_t i = 0; i < sizeof *s / sizeof(ost_vf) - 1; i++) m = fmaxf(m, fabsf(v[i][l])); /* all but f1 */
    return m;
}

ost_vi ost_shaper_finite(const ost_shaper_state *s) {
    const ost_vf *v = (const ost_vf *)s;
    ost_vf big = ost_vf_set(1e18f);
    ost_vi ok = (ost_vi){0} - 1;
    for (size_t i = 0; i < sizeof *s / sizeof(ost_vf); i++) ok &= ost_vf_abs(v[i]) < big;
    return ok;
}
