/*
 * chorus.h — an orbit's stereo chorus. Voices with `chorus` > 0 send that
 * share of their sound into it (their dry sound stays as it is); it adds
 * three copies per side, each delayed by about 12 ms and swept by a slow
 * sine (0.6-1.1 Hz, ±1.5 ms), so each copy is detuned by up to about
 * ±17 cents (2 pi x rate x sweep) and the sides, swept at other phases and
 * rates, decorrelate.
 * Sleeps (costs nothing) when nothing has been sent for longer than its
 * line; its lines are allocated and touched when the engine opens.
 */
#ifndef OST_CHORUS_H
#define OST_CHORUS_H

#include <stdint.h>

#include "ostinato.h"

#define OST_CHORUS_TAPS 3
/** Frames of each line (a power of two: above the longest delay at 192 kHz). */
#define OST_CHORUS_LINE 8192

typedef struct ost_chorus {
    float *line;          /**< OST_CHORUS_LINE frames of the mono input */
    uint32_t write;
    float phase[2][OST_CHORUS_TAPS], inc[2][OST_CHORUS_TAPS]; /**< the sweeps: cycles, cycles per frame */
    float base, depth;    /**< delay centre and sweep, frames */
    uint64_t idle;
    int sleeping;
} ost_chorus;

/** Thread: control. */
ost_result ost_chorus_init(ost_chorus *c, float rate);
/** Thread: control. */
void ost_chorus_free(ost_chorus *c);
/** Adds the chorus of in_l/in_r (n frames, n <= 4096) into out_l/out_r.
 *  `silent`: the input is all zero. Thread: audio. */
void ost_chorus_process(ost_chorus *c, const float *in_l, const float *in_r, float *out_l, float *out_r, uint32_t n,
                        int silent);

#endif
