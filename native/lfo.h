/*
 * lfo.h — the low-frequency waves of the filter LFOs and the tremolo.
 *
 * A wave is bipolar (-1..1) and starts at its bottom: sine (a cosine from
 * -1), triangle, square (low, then high), saw (rising) and ramp (falling),
 * shapes 0-4 (ostinato.h). Skew moves the top of the wave within the period:
 * the phase runs through the first half of the wave in `skew` of the period
 * and through the second half in the rest (0.5 = unskewed).
 *
 * The vector form blends the five shapes by per-lane weights (one of them 1),
 * so lanes with different shapes share a branch-free loop.
 *
 * Pure arithmetic. Thread: any.
 */
#ifndef OST_LFO_H
#define OST_LFO_H

#include <math.h>

#include "dsp.h"
#include "osc.h"

#define OST_LFO_SHAPES 5

/** Per-lane shape weights of a vector wave. */
typedef struct ost_lfo_shape {
    ost_vf w[OST_LFO_SHAPES];
    ost_vf skew, inv_a, inv_b; /**< skew and the slopes of the two halves (1/(2 skew), 1/(2 (1 - skew))) */
} ost_lfo_shape;

/** A skew within [0.01, 0.99] (NaN: 0.5), so both halves have a slope. */
static inline float ost_lfo_skew(float skew) {
    if (!(skew == skew)) return 0.5f;
    return skew < 0.01f ? 0.01f : (skew > 0.99f ? 0.99f : skew);
}

/** The shape index in 0..4 (anything else is rounded and clamped; NaN is 0). */
static inline int ost_lfo_shape_index(float shape) {
    if (!(shape >= 0.0f)) return 0;
    int s = (int)(shape + 0.5f);
    return s > OST_LFO_SHAPES - 1 ? OST_LFO_SHAPES - 1 : s;
}

/** Sets lane l of a vector shape. */
static inline void ost_lfo_shape_set(ost_lfo_shape *s, int l, float shape, float skew) {
    int k = ost_lfo_shape_index(shape);
    for (int i = 0; i < OST_LFO_SHAPES; i++) s->w[i][l] = i == k ? 1.0f : 0.0f;
    float a = ost_lfo_skew(skew);
    s->skew[l] = a;
    s->inv_a[l] = 0.5f / a;
    s->inv_b[l] = 0.5f / (1.0f - a);
}

/** One value of the wave at phase p in [0, 1) (scalar, for control rate). */
static inline float ost_lfo_value(float p, int shape, float skew) {
    float a = ost_lfo_skew(skew);
    float q = p < a ? 0.5f * p / a : 0.5f + 0.5f * (p - a) / (1.0f - a);
    switch (shape) {
    case 1: return 1.0f - 4.0f * fabsf(q - 0.5f);
    case 2: return q < 0.5f ? -1.0f : 1.0f;
    case 3: return 2.0f * q - 1.0f;
    case 4: return 1.0f - 2.0f * q;
    default: return -cosf(6.28318530718f * q);
    }
}

/** The wave at phases p in [0, 1), per lane. */
OST_INLINE ost_vf ost_lfo_wave(const ost_lfo_shape *s, ost_vf p) {
    ost_vf q = ost_vf_select(p < s->skew, p * s->inv_a, 0.5f + (p - s->skew) * s->inv_b);
    ost_vf c = q + 0.75f; /* -cos(2 pi q) = sin(2 pi (q + 0.75)) */
    c -= ost_vf_and(c >= 1.0f, ost_vf_set(1.0f));
    ost_vf sine = ost_osc_sine(c);
    ost_vf tri = 1.0f - 4.0f * ost_vf_abs(q - 0.5f);
    ost_vf square = ost_vf_select(q < 0.5f, ost_vf_set(-1.0f), ost_vf_set(1.0f));
    ost_vf saw = 2.0f * q - 1.0f;
    return s->w[0] * sine + s->w[1] * tri + s->w[2] * square + s->w[3] * saw - s->w[4] * saw;
}

/** The LFO's rate in cycles per frame: sync x cps when sync is set, else hz. */
static inline float ost_lfo_increment(float hz, float sync, float cps, float rate) {
    float f = sync > 0.0f ? sync * cps : hz;
    if (!(f > 0.0f)) return 0.0f;
    f /= rate;
    return f > 0.25f ? 0.25f : f;
}

#endif
