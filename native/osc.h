/*
 * osc.h — band-limited oscillators, one sample of OST_LANES voices at a time.
 *
 * Phase t is in [0, 1) cycles, dt = freq / rate (at most 0.45), inv_dt its
 * inverse. The phase advances before the sample is taken, so the first
 * sample of a voice is already one step in and never silent by construction.
 *
 * Discontinuities are smoothed with polyBLEP (two-sample polynomial band-
 * limited step) and the triangle's corners with polyBLAMP (its integral).
 * Residuals, with x = distance from the discontinuity in samples:
 *   step of height 1:  -(1-x)^2/2 after it (0 <= x < 1), (1+x)^2/2 before it
 *   slope change of 1 per sample: (1-|x|)^3/6 for |x| < 1
 */
#ifndef OST_OSC_H
#define OST_OSC_H

#include "dsp.h"

/** Advances the phase by dt and wraps it into [0, 1). */
OST_INLINE ost_vf ost_osc_advance(ost_vf t, ost_vf dt) {
    t += dt;
    return t - ost_vf_and(t >= 1.0f, ost_vf_set(1.0f));
}

/** polyBLEP residual of a downward step of height 2 at phase 0, as the
 *  sawtooth has (subtract it); add it for an upward step. */
OST_INLINE ost_vf ost_osc_blep(ost_vf t, ost_vf dt, ost_vf inv_dt) {
    ost_vf x1 = 1.0f - t * inv_dt;          /* just after the step */
    ost_vf x2 = 1.0f + (t - 1.0f) * inv_dt; /* just before the next one */
    ost_vf after = -(x1 * x1), before = x2 * x2;
    return ost_vf_select(t < dt, after, ost_vf_and(t > 1.0f - dt, before));
}

/** Sawtooth, -1 -> +1 over the cycle, dropping at phase 0 (as scsynth's and
 *  Csound's saws start). */
OST_INLINE ost_vf ost_osc_saw(ost_vf t, ost_vf dt, ost_vf inv_dt) {
    return (t + t - 1.0f) - ost_osc_blep(t, dt, inv_dt);
}

/** Square, +1 for the first half cycle, -1 for the second. */
OST_INLINE ost_vf ost_osc_square(ost_vf t, ost_vf dt, ost_vf inv_dt) {
    ost_vf naive = ost_vf_select(t < 0.5f, ost_vf_set(1.0f), ost_vf_set(-1.0f));
    ost_vf t2 = t + 0.5f;
    t2 -= ost_vf_and(t2 >= 1.0f, ost_vf_set(1.0f));
    return naive + ost_osc_blep(t, dt, inv_dt) - ost_osc_blep(t2, dt, inv_dt);
}

/** Triangle starting at 0 and rising (a sine's phase): corners at t = 0.25
 *  (peak) and t = 0.75 (trough), smoothed with polyBLAMP. */
OST_INLINE ost_vf ost_osc_triangle(ost_vf t, ost_vf dt, ost_vf inv_dt) {
    ost_vf u = t + 0.25f; /* u = 0: trough, u = 0.5: peak */
    u -= ost_vf_and(u >= 1.0f, ost_vf_set(1.0f));
    ost_vf naive = 1.0f - 4.0f * ost_vf_abs(u - 0.5f);
    ost_vf d0 = u - ost_vf_and(u > 0.5f, ost_vf_set(1.0f)); /* signed distance to the trough */
    ost_vf w0 = ost_vf_max(1.0f - ost_vf_abs(d0 * inv_dt), ost_vf_set(0.0f));
    ost_vf w1 = ost_vf_max(1.0f - ost_vf_abs((u - 0.5f) * inv_dt), ost_vf_set(0.0f));
    /* the slope changes by 8 per cycle = 8 dt per sample at each corner */
    return naive + (dt * (4.0f / 3.0f)) * (w0 * w0 * w0 - w1 * w1 * w1);
}

/** Sine, by an odd polynomial after folding the phase into a quarter
 *  cycle (error below 4e-6). */
OST_INLINE ost_vf ost_osc_sine(ost_vf t) {
    ost_vf x = t - 0.5f; /* sin(2 pi t) = -sin(2 pi x) */
    ost_vf half = ost_vf_select(x < 0.0f, ost_vf_set(-0.5f), ost_vf_set(0.5f));
    x = ost_vf_select(ost_vf_abs(x) > 0.25f, half - x, x);
    ost_vf z = x * 6.28318530718f, z2 = z * z;
    ost_vf p = ost_vf_set(1.0f / 362880.0f);
    p = p * z2 - 1.0f / 5040.0f;
    p = p * z2 + 1.0f / 120.0f;
    p = p * z2 - 1.0f / 6.0f;
    p = p * z2 + 1.0f;
    return -(z * p);
}

#endif
