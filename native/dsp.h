/*
 * dsp.h — the vector type the voice code computes with: one lane per voice.
 * GCC vector extensions; with -march=native they become AVX/AVX-512 (or SSE,
 * or plain scalar code on other targets) without intrinsics.
 */
#ifndef OST_DSP_H
#define OST_DSP_H

#include <stdint.h>

/** Voices computed side by side in one group. */
#define OST_LANES 8

typedef float ost_vf __attribute__((vector_size(OST_LANES * sizeof(float))));
typedef int32_t ost_vi __attribute__((vector_size(OST_LANES * sizeof(int32_t))));
typedef uint32_t ost_vu __attribute__((vector_size(OST_LANES * sizeof(uint32_t))));

#define OST_INLINE static inline __attribute__((always_inline))

/* Pure arithmetic on values: Thread: any, everywhere in this file. */

/** Every lane = x. Thread: any. */
OST_INLINE ost_vf ost_vf_set(float x) { return (ost_vf){0} + x; }
/** Lanes of a where mask is set, else b (mask lanes are 0 or -1). Thread: any. */
OST_INLINE ost_vf ost_vf_select(ost_vi mask, ost_vf a, ost_vf b) {
    return (ost_vf)(((ost_vi)a & mask) | ((ost_vi)b & ~mask));
}
/** a where mask is set, else 0. Thread: any. */
OST_INLINE ost_vf ost_vf_and(ost_vi mask, ost_vf a) { return (ost_vf)((ost_vi)a & mask); }
/** |x| per lane. Thread: any. */
OST_INLINE ost_vf ost_vf_abs(ost_vf x) { return (ost_vf)((ost_vi)x & 0x7fffffff); }
/** Larger of a and b per lane. Thread: any. */
OST_INLINE ost_vf ost_vf_max(ost_vf a, ost_vf b) { return ost_vf_select(a > b, a, b); }
/** Smaller of a and b per lane. Thread: any. */
OST_INLINE ost_vf ost_vf_min(ost_vf a, ost_vf b) { return ost_vf_select(a < b, a, b); }
/** x clamped to [lo, hi] per lane (NaN becomes lo). Thread: any. */
OST_INLINE ost_vf ost_vf_clamp(ost_vf x, ost_vf lo, ost_vf hi) {
    return ost_vf_select(x > lo, ost_vf_select(x < hi, x, hi), lo);
}
/** tanh by a rational approximation, exact at 0 and +-3, flat (+-1) beyond;
 *  error below 0.025: a soft clipper, not a math library. Thread: any. */
OST_INLINE ost_vf ost_vf_tanh(ost_vf x) {
    x = ost_vf_clamp(x, ost_vf_set(-3.0f), ost_vf_set(3.0f));
    ost_vf x2 = x * x;
    return x * (27.0f + x2) / (27.0f + 9.0f * x2);
}
/** tan(x) for x in [0, 1.5] by a Pade approximant (relative error below
 *  2e-8 there, so float-exact): filter pre-warping at control rate without
 *  a libm call per lane. Thread: any. */
OST_INLINE ost_vf ost_vf_tan(ost_vf x) {
    ost_vf x2 = x * x;
    ost_vf num = x * (135135.0f + x2 * (-17325.0f + x2 * (378.0f - x2)));
    ost_vf den = 135135.0f + x2 * (-62370.0f + x2 * (3150.0f - 28.0f * x2));
    return num / den;
}
/** Sum of the lanes. Thread: any. */
OST_INLINE float ost_vf_sum(ost_vf x) {
    float s = 0.0f;
    for (int i = 0; i < OST_LANES; i++) s += x[i];
    return s;
}

#endif
