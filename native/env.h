/*
 * env.h — the linear ADSR envelope, and raised-cosine fades, as segments.
 * Within a segment the level follows a second-order recurrence,
 *     step += a * level + b;  level += step;
 * with a = b = 0 for the ADSR's linear segments (a constant step: exactly
 * the linear ramp) and a, b set for a half cosine from the level to 0 (a
 * fade with no corner at either end: what stealing, cutting, muting and
 * hushing use). The voice code splits its loop where a segment ends, so
 * the loop itself never branches on the envelope.
 */
#ifndef OST_ENV_H
#define OST_ENV_H

#include <stdint.h>

typedef enum ost_env_segment {
    OST_ENV_IDLE = 0,   /**< lane free */
    OST_ENV_ATTACK,     /**< 0 -> 1 */
    OST_ENV_DECAY,      /**< 1 -> sustain */
    OST_ENV_SUSTAIN,    /**< hold until note-off */
    OST_ENV_RELEASE,    /**< current level -> 0, then the voice ends */
    OST_ENV_TAIL,       /**< silent, while the voice's filters ring down */
} ost_env_segment;

/** Envelope times of one voice, in frames, and its sustain level. */
typedef struct ost_env_shape {
    uint32_t attack_frames, decay_frames, release_frames;
    float sustain;
} ost_env_shape;

/** Where the envelope goes next. */
typedef struct ost_env_step {
    uint8_t segment;     /**< ost_env_segment */
    uint32_t frames;     /**< length of the segment; UINT32_MAX = until note-off */
    float level;         /**< level at the segment's start */
    float step;          /**< added every sample */
    float a, b;          /**< the step's own change per sample: step += a * level + b (0, 0: linear) */
} ost_env_step;

/** Converts seconds to frames (rounded, saturating). Thread: any. */
uint32_t ost_env_frames(float seconds, float rate);

/** The segment after `segment` ends (attack -> decay -> sustain), skipping
 *  empty ones; IDLE when the voice is over (sustain 0 after the decay, or
 *  the end of the release). `level` is the level reached. Thread: any
 *  (pure; the audio thread calls it between loop spans). */
ost_env_step ost_env_next(const ost_env_shape *shape, ost_env_segment segment, float level);

/** The release from `level` over `frames` (IDLE when frames or level is 0).
 *  Thread: any (pure). */
ost_env_step ost_env_release(float level, uint32_t frames);

/** A fade from `level` to 0 over `frames` along a half cosine (a raised
 *  cosine: no corner at either end), as a RELEASE segment (IDLE when frames
 *  or level is 0). Thread: any (pure). */
ost_env_step ost_env_fade(float level, uint32_t frames);

#endif
