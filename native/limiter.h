/*
 * limiter.h — the master guard of an output pair. Every sample leaving it
 * is finite and within +-threshold (0.95, about -0.4 dBFS): a non-finite
 * sample becomes 0, and a stereo-linked lookahead peak limiter holds the
 * level below the threshold without ever letting a peak through.
 *
 * How: the audio is delayed by L frames (the lookahead). For every incoming
 * frame the gain it would need (threshold / peak, or 1) goes into a sliding
 * minimum over the last L+1 frames; that minimum releases smoothly
 * (exponential, 80 ms) but never rises above itself; the gain applied is
 * the moving average of the last L+1 of those values. Every value in that
 * average already looks at the frame leaving the delay line, so the gain
 * applied to it is at most the gain it needs: no overshoot, and the gain
 * moves down over L frames instead of jumping (no click, no instant-attack
 * distortion). Material below the threshold passes bit-exact (delayed).
 *
 * The mixer renders voices L frames ahead of the output clock, so the
 * delay does not move any event: a voice that starts at frame f is heard
 * at output frame f.
 */
#ifndef OST_LIMITER_H
#define OST_LIMITER_H

#include <stdint.h>

#include "ostinato.h"

typedef struct ost_limiter {
    uint32_t lookahead;   /**< L, frames */
    uint32_t size;        /**< L + 1: the window */
    float *delay_l, *delay_r, *need, *smooth; /**< rings of `size` */
    uint64_t *deque;      /**< frames of a monotonic queue (ring of `size`) for the sliding minimum */
    uint32_t dq_head, dq_count;
    uint32_t pos;         /**< ring position of the next frame */
    uint64_t frame;       /**< frames seen (for the deque's indices) */
    double sum;           /**< sum of `smooth` over the window */
    float env;            /**< the released gain */
    float release;        /**< per-frame release coefficient */
    float threshold;
    float min_gain;       /**< lowest gain applied since the last read */
} ost_limiter;

/** Allocates the lookahead buffers; lookahead_frames may be 0 (instant).
 *  Thread: control. */
ost_result ost_limiter_init(ost_limiter *limiter, float rate, uint32_t lookahead_frames);
/** Thread: control. */
void ost_limiter_free(ost_limiter *limiter);
/** Limits `frames` frames of l and r in place: what comes out is what went
 *  in L frames earlier, limited. Thread: audio. */
void ost_limiter_process(ost_limiter *limiter, float *l, float *r, uint32_t frames);
/** The lowest gain since the last call, and resets it. Thread: audio. */
float ost_limiter_take_min_gain(ost_limiter *limiter);

#endif
