/*
 * delay.h — an orbit's stereo feedback delay. Its input is the sum of the
 * voices' delay sends; its output (the echoes only) joins the orbit. Each
 * echo is the one before times the feedback, exactly (nothing filters the
 * loop), so a repeat comes at the delay time and decays by the feedback.
 * A change of delay time glides over about 50 ms instead of jumping (a
 * jump would click). When its input has been silent for longer than its
 * tail lasts (to -100 dB), the delay clears itself and sleeps, costing
 * nothing until the next send.
 *
 * delayspeed: the line is read at `speed` frames per frame written, so a
 * repeat sounds at speed x the pitch of what went in (and, through the
 * feedback, each repeat speed x the one before), like a tape echo whose
 * playback head runs at another speed. Two read heads sweep a window of
 * OST_DELAY_WINDOW_S around the delay time, half a window apart, each
 * faded in and out by sin^2 (the two fades sum to 1), so the read never
 * jumps. Speed 1 is the plain delay, which costs what it did.
 */
#ifndef OST_DELAY_H
#define OST_DELAY_H

#include <stdint.h>

#include "ostinato.h"

/** The window the pitch-shifting read heads sweep (delayspeed != 1), seconds; the lines hold this much more. */
#define OST_DELAY_WINDOW_S 0.05f

typedef struct ost_delay {
    float *line_l, *line_r; /**< size frames each */
    uint32_t size;          /**< frames the lines hold (max time + interpolation room) */
    uint32_t write;         /**< index of the next write */
    float time;             /**< frames, as heard now (gliding) */
    float target;           /**< frames, as set */
    float feedback;
    float glide;            /**< per-frame coefficient of the time glide */
    float speed;            /**< playback speed of the read (1 = plain echo) */
    float head;             /**< the first read head's place in its window, 0..1 (the second is half a window on) */
    float rate;
    uint64_t idle;          /**< frames since the input was last non-silent */
    int sleeping;
} ost_delay;

/** Allocates (and touches) lines for up to max_s seconds. Thread: control. */
ost_result ost_delay_init(ost_delay *d, float rate, float max_s);
/** Thread: control. */
void ost_delay_free(ost_delay *d);
/** Sets time (seconds), feedback and playback speed (0.25..4); a sleeping
 *  delay takes the time at once, a running one glides to it. Thread: audio. */
void ost_delay_set(ost_delay *d, float time_s, float feedback, float speed);
/** Empties the lines and puts the delay to sleep (its tail is gone at once).
 *  Bounded: one pass over the lines. Thread: audio. */
void ost_delay_clear(ost_delay *d);
/** Adds `frames` frames of echoes of in_l/in_r into out_l/out_r.
 *  `silent` says the input is all zero (the caller knows: nothing sent).
 *  Thread: audio. */
void ost_delay_process(ost_delay *d, const float *in_l, const float *in_r, float *out_l, float *out_r,
                       uint32_t frames, int silent);

#endif
