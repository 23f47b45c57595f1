/*
 * filter.h — the state-variable filter (trapezoidal integration, "TPT" /
 * Cytomic form). With k = 1/Q its lowpass has exactly the response of the
 * RBJ cookbook lowpass (both are the bilinear transform of the same analog
 * prototype with the cutoff pre-warped), and unlike a direct-form biquad its
 * state stays well behaved when the coefficients are extreme.
 */
#ifndef OST_FILTER_H
#define OST_FILTER_H

#include "dsp.h"

/** Coefficients of one filter for one voice. */
typedef struct ost_svf_coefs {
    float a1, a2, a3, k;
} ost_svf_coefs;

/** Computes coefficients for cutoff fc (Hz, clamped to [10, 0.49 rate])
 *  and Q (linear, clamped to [0.1, 100]). Thread: any. */
ost_svf_coefs ost_svf_design(float fc, float q, float rate);

/** One sample through the filter; returns the band output v1 in *band and
 *  the low output v2 in *low; ic1/ic2 are the two integrator states.
 *  Thread: audio (the voice loop). */
OST_INLINE void ost_svf_tick(ost_vf x, ost_vf *ic1, ost_vf *ic2, ost_vf a1, ost_vf a2, ost_vf a3,
                             ost_vf *band, ost_vf *low) {
    ost_vf v3 = x - *ic2;
    ost_vf v1 = a1 * *ic1 + a2 * v3;
    ost_vf v2 = *ic2 + a2 * *ic1 + a3 * v3;
    *ic1 = 2.0f * v1 - *ic1;
    *ic2 = 2.0f * v2 - *ic2;
    *band = v1;
    *low = v2;
}

#endif
