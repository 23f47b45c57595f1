/*
 * limiter.h — the master guard. Every output sample is finite and within
 * +-1: a non-finite sample becomes 0, and a stereo-linked peak limiter
 * (instant attack, 100 ms release, threshold 0.95) holds the level below
 * full scale. Below the threshold the signal passes bit-exact.
 */
#ifndef OST_LIMITER_H
#define OST_LIMITER_H

#include <stdint.h>

typedef struct ost_limiter {
    float gain;      /**< current gain, 1 when idle */
    float release;   /**< per-sample recovery coefficient */
    float threshold;
} ost_limiter;

/** Thread: control. */
void ost_limiter_init(ost_limiter *limiter, float rate);
/** Limits `frames` samples of l and r in place. Thread: audio. */
void ost_limiter_process(ost_limiter *limiter, float *l, float *r, uint32_t frames);

#endif
