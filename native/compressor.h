/*
 * compressor.h — an orbit's stereo-linked feed-forward compressor (peak
 * detector, soft knee, attack/release smoothing of the gain reduction in
 * dB). It acts on the orbit's whole output once an event on the orbit has
 * set a threshold (the `compressor` parameter at or below 0 dB), with that
 * event's ratio, knee, attack and release.
 */
#ifndef OST_COMPRESSOR_H
#define OST_COMPRESSOR_H

#include <stdint.h>

typedef struct ost_compressor {
    float threshold_db, ratio, knee_db;
    float attack, release; /**< per-frame smoothing coefficients */
    float reduction_db;    /**< current gain reduction (<= 0) */
    float floor_lin;       /**< below this peak level there is no reduction at all */
    float rate;
    int on;
} ost_compressor;

/** Thread: control. */
void ost_compressor_init(ost_compressor *c, float rate);
/** Turns it on with these settings. Thread: audio. */
void ost_compressor_set(ost_compressor *c, float threshold_db, float ratio, float knee_db, float attack_s,
                        float release_s);
/** Compresses l/r in place (nothing when off). Thread: audio. */
void ost_compressor_process(ost_compressor *c, float *l, float *r, uint32_t frames);

#endif
