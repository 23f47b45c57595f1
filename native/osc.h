/*
 * osc.h — band-limited oscillators, one sample of OST_LANES voices at a time.
 *
 * Phase t is in [0, 1) cycles, dt = freq / rate (at most 0.45), inv_dt its
 * inverse. The phase advances before the sample is taken, so the first
 * sample of a voice is already one step in and never silent by construction.
 *
 * The voices' sawtooth, square, triangle, pulse and supersaw read
 * band-limited wavetables (wavetable.h: no alias above -96 dB, harmonics
 * flat to 20 kHz). What is here, a 4-point polynomial BLEP (the step
 * integrated through a cubic B-spline, see ost_osc_blep) and the matching
 * BLAMP, is for sources where a few partials folding far down do not
 * matter and the table's memory traffic would: the drums' metallic squares.
 *
 * Every function here is pure arithmetic on its arguments, called from the
 * voice loop. Thread: audio (any thread could: there is no state).
 */
#ifndef OST_OSC_H
#define OST_OSC_H

#include "dsp.h"

/** Advances the phase by dt and wraps it into [0, 1). */
OST_INLINE ost_vf ost_osc_advance(ost_vf t, ost_vf dt) {
    t += dt;
    return t - ost_vf_and(t >= 1.0f, ost_vf_set(1.0f));
}

/** Tail of the 4-point band-limited step: how far the step smoothed by a
 *  cubic B-spline kernel (support +-2 samples) still is from the ideal step,
 *  at y = |distance| in samples; 0 from y = 2 on.
 *    y in [0, 1]: (12 - 16y + 8y^3 - 3y^4) / 24      y in [1, 2]: (2 - y)^4 / 24 */
OST_INLINE ost_vf ost_osc_blep_tail(ost_vf y) {
    y = ost_vf_select(y < 2.0f, y, ost_vf_set(2.0f));
    ost_vf near = ((((-3.0f / 24.0f) * y + (8.0f / 24.0f)) * y) * y - (16.0f / 24.0f)) * y + (12.0f / 24.0f);
    ost_vf u = 2.0f - y, u2 = u * u;
    return ost_vf_select(y < 1.0f, near, u2 * u2 * (1.0f / 24.0f));
}

/** Band-limiting correction for a downward step of height 2 at phase 0 (the
 *  sawtooth's): subtract it; add it for an upward step. A 4-point BLEP:
 *  the kernel is a cubic B-spline, whose response falls as sinc^4, so the
 *  partials the naive wave would fold back are about 20 dB lower than with
 *  the 2-point polyBLEP (sinc^2). Needs at least 4 samples per cycle; the
 *  voice code caps dt at 0.45, where the two corrections overlap harmlessly. */
OST_INLINE ost_vf ost_osc_blep(ost_vf t, ost_vf dt, ost_vf inv_dt) {
    (void)dt;
    ost_vf after = ost_osc_blep_tail(t * inv_dt);            /* samples since the step */
    ost_vf before = ost_osc_blep_tail((1.0f - t) * inv_dt);  /* samples until the next one */
    return 2.0f * (before - after);
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

/** The 4-point BLAMP: what the same B-spline smoothing leaves of a slope
 *  change of 1 per sample, at y = |distance| in samples (the integral of
 *  ost_osc_blep_tail); 0 from y = 2 on.
 *    y in [0, 1]: (5.6 - 12y + 8y^2 - 2y^4 + 0.6y^5) / 24     y in [1, 2]: (2 - y)^5 / 120 */
OST_INLINE ost_vf ost_osc_blamp_tail(ost_vf y) {
    y = ost_vf_select(y < 2.0f, y, ost_vf_set(2.0f));
    ost_vf y2 = y * y;
    ost_vf near = (((0.6f / 24.0f) * y - (2.0f / 24.0f)) * y2 + (8.0f / 24.0f)) * y2 - (12.0f / 24.0f) * y + (5.6f / 24.0f);
    ost_vf u = 2.0f - y, u2 = u * u;
    return ost_vf_select(y < 1.0f, near, u2 * u2 * u * (1.0f / 120.0f));
}

/** Triangle starting at 0 and rising (a sine's phase): corners at t = 0.25
 *  (peak) and t = 0.75 (trough), smoothed with the 4-point BLAMP. */
OST_INLINE ost_vf ost_osc_triangle(ost_vf t, ost_vf dt, ost_vf inv_dt) {
    ost_vf u = t + 0.25f; /* u = 0: trough, u = 0.5: peak */
    u -= ost_vf_and(u >= 1.0f, ost_vf_set(1.0f));
    ost_vf naive = 1.0f - 4.0f * ost_vf_abs(u - 0.5f);
    ost_vf d0 = u - ost_vf_and(u > 0.5f, ost_vf_set(1.0f)); /* signed distance to the trough */
    ost_vf trough = ost_osc_blamp_tail(ost_vf_abs(d0 * inv_dt));
    ost_vf peak = ost_osc_blamp_tail(ost_vf_abs((u - 0.5f) * inv_dt));
    /* the slope changes by 8 per cycle = 8 dt per sample at each corner */
    return naive + (8.0f * dt) * (trough - peak);
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
