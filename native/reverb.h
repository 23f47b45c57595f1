/*
 * reverb.h — an orbit's algorithmic reverb: a 16-line feedback delay
 * network.
 *
 * Smooth rather than metallic, by construction:
 *  - the input is smeared by four short allpass diffusers per channel, so
 *    the tail starts dense instead of as a few discrete echoes;
 *  - 16 delay lines of mutually prime lengths are mixed through a
 *    normalised 16x16 Hadamard matrix (a lossless mix in which every line
 *    feeds every other), so the echo density grows as fast as it can;
 *  - every line's length is slowly modulated (a fraction of a millisecond,
 *    at unrelated rates), which keeps resonant modes from building up into
 *    the ringing of a bank of combs;
 *  - each line loses energy through its gain (set from the decay time) and
 *    a one-pole lowpass (damping), so high frequencies die first, as in a
 *    room.
 * Settings: size (line lengths, and the decay time unless fade is set),
 * fade (RT60 in seconds), lp (brightness of the input) and dim (damping in
 * the loop). The output is the reverb only (wet); it sleeps, costing
 * nothing, once its input has been silent for longer than its tail.
 */
#ifndef OST_REVERB_H
#define OST_REVERB_H

#include <stdint.h>

#include "ostinato.h"

#define OST_REVERB_LINES 16
#define OST_REVERB_DIFFUSERS 4

typedef struct ost_reverb {
    float *lines[OST_REVERB_LINES];
    uint32_t line_size;                      /**< frames each line holds */
    float len[OST_REVERB_LINES];             /**< current lengths, frames (gliding to target) */
    float target[OST_REVERB_LINES];
    float gain[OST_REVERB_LINES];            /**< per-pass gain for the decay time */
    float damp_state[OST_REVERB_LINES];
    float lfo_phase[OST_REVERB_LINES], lfo_inc[OST_REVERB_LINES];
    float *diff[2][OST_REVERB_DIFFUSERS];    /**< input diffusers (allpass), per channel */
    uint32_t diff_len[2][OST_REVERB_DIFFUSERS];
    uint32_t diff_pos[2][OST_REVERB_DIFFUSERS];
    uint32_t write;
    float in_lp_l, in_lp_r, in_lp_coef;      /**< input lowpass (roomlp) */
    float damp_coef;                         /**< loop lowpass (roomdim) */
    float mod_depth;                         /**< frames */
    float rt60, rate, size;
    uint64_t idle;
    int sleeping;
} ost_reverb;

/** Empties the lines and diffusers and puts the reverb to sleep (its tail is
 *  gone at once). Bounded: one pass over its memory. Thread: audio. */
void ost_reverb_clear(ost_reverb *r);
/** Allocates (and touches) everything for the largest size. Thread: control. */
ost_result ost_reverb_init(ost_reverb *r, float rate);
/** Thread: control. */
void ost_reverb_free(ost_reverb *r);
/** size 0..10, fade = RT60 seconds (0: the decay time is the size, at
 *  least 0.1 s), lp and dim in Hz. Thread: audio. */
void ost_reverb_set(ost_reverb *r, float size, float fade, float lp_hz, float dim_hz);
/** Adds `frames` frames of reverb of in_l/in_r into out_l/out_r. Thread: audio. */
void ost_reverb_process(ost_reverb *r, const float *in_l, const float *in_r, float *out_l, float *out_r,
                        uint32_t frames, int silent);

#endif
