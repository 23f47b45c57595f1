/*
 * limiter.h — the master guard of an output pair. Every sample leaving it
 * is finite, and its true peak (between the samples too, as a converter
 * reconstructs it) stays at the threshold, -1 dBTP: a non-finite sample
 * becomes 0, and a stereo-linked lookahead peak limiter holds the level
 * there without letting a peak through.
 *
 * How: the true peak of each incoming frame is estimated by 4x polyphase
 * interpolation (a Blackman-windowed sinc of 48 taps per phase: a shorter
 * one, as ITU-R BS.1770's 12, misses up to 1.6 dB of white noise's peaks,
 * which reach to Nyquist; this one 0.15 dB (0.35 measured on noise limited
 * 10 dB), and the threshold it is held
 * to is that much under -1 dB): the frame's own value and the three points
 * on either side of it; the estimate for a frame is ready OST_TP_DELAY
 * frames after it came in. The audio
 * is delayed by L frames (the lookahead). For every frame the gain it would
 * need (threshold / true peak, or 1) goes into a sliding minimum over the
 * last W = L - TP_DELAY + 1 estimates; that minimum releases smoothly
 * (exponential, 80 ms) but never rises above itself; the gain applied is
 * the moving average of the last W of those values. Every value in that
 * average already looks at the frame leaving the delay line, so the gain
 * applied to it is at most the gain it needs: no overshoot, and the gain
 * moves down over W frames instead of jumping (no click, no instant-attack
 * distortion). Material below the threshold passes bit-exact (delayed).
 * A lookahead shorter than OST_TP_DELAY frames watches sample peaks instead.
 * Frames whose window holds no sample loud enough for an interpolated
 * point to reach the threshold skip the interpolation (3 x 48 taps).
 *
 * The mixer renders voices L frames ahead of the output clock, so the
 * delay does not move any event: a voice that starts at frame f is heard
 * at output frame f.
 */
#ifndef OST_LIMITER_H
#define OST_LIMITER_H

#include <stdint.h>

#include "ostinato.h"

/** Taps per phase of the true-peak interpolator, and the frames its estimate lags. */
#define OST_TP_TAPS 48
#define OST_TP_DELAY (OST_TP_TAPS / 2)

typedef struct ost_limiter {
    uint32_t lookahead;   /**< L, frames */
    uint32_t dsize;       /**< L + 1: the delay line */
    uint32_t size;        /**< W: the window of the minimum and the average */
    uint32_t lag;         /**< frames the peak estimate lags (OST_TP_DELAY, or 0: sample peaks) */
    float *delay_l, *delay_r; /**< rings of `dsize` */
    float *need, *smooth; /**< rings of `size` */
    uint64_t *deque;      /**< frames of a monotonic queue (ring of `size`) for the sliding minimum */
    uint32_t dq_head, dq_count;
    uint32_t pos;         /**< window ring position of the next frame */
    uint32_t dpos;        /**< delay ring position of the next frame */
    float hist_l[2 * OST_TP_TAPS], hist_r[2 * OST_TP_TAPS]; /**< recent input, twice (a window without wrapping) */
    uint32_t hpos;
    float between;        /**< the true peak between the previous two frames of the estimate */
    float taps[3][OST_TP_TAPS]; /**< the interpolator's phases 1/4, 2/4, 3/4 */
    float tap_gain;       /**< the most any phase can make of a window of samples within +-1 */
    uint32_t loud_left;   /**< estimates until the last sample loud enough to matter has left the window */
    uint64_t frame;       /**< frames seen (for the deque's indices) */
    double sum;           /**< sum of `smooth` over the window */
    float env;            /**< the released gain */
    float release;        /**< per-frame release coefficient */
    float threshold;      /**< -1 dBTP, less the estimate's error */
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
