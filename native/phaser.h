/*
 * phaser.h — an orbit's stereo phaser: six first-order allpass stages per
 * channel swept by a sine LFO (the right channel a quarter cycle behind),
 * mixed with the input, so notches sweep through the spectrum. Only voices
 * with a phaser rate play into it (their dry sound goes through it instead
 * of straight to the orbit); rate, depth, centre and sweep come from the
 * latest such voice. Sleeps when nothing has been sent for a while.
 */
#ifndef OST_PHASER_H
#define OST_PHASER_H

#include <stdint.h>

#define OST_PHASER_STAGES 6

typedef struct ost_phaser {
    float x1[2][OST_PHASER_STAGES], y1[2][OST_PHASER_STAGES];
    float lfo, lfo_inc;   /**< phase, radians */
    float depth, center, sweep;
    float rate;
    uint64_t idle;
    int sleeping;
} ost_phaser;

/** Thread: control. */
void ost_phaser_init(ost_phaser *p, float rate);
/** rate_hz > 0, depth 0..1, centre and sweep in Hz. Thread: audio. */
void ost_phaser_set(ost_phaser *p, float rate_hz, float depth, float center_hz, float sweep_hz);
/** Adds the phased in_l/in_r into out_l/out_r. Thread: audio. */
void ost_phaser_process(ost_phaser *p, const float *in_l, const float *in_r, float *out_l, float *out_r,
                        uint32_t frames, int silent);

#endif
