/*
 * voice.h — the voice pool.
 *
 * Voices are computed OST_LANES at a time: a group holds up to OST_LANES
 * voices of one *kind* (source x which filters are on) in the lanes of
 * vector registers, struct-of-arrays. A group's render function is chosen
 * once, when its first voice starts (SuperCollider's SETCALC idea), from a
 * table of functions specialised at compile time for every kind, so a
 * sawtooth without a highpass never branches on the highpass per sample.
 *
 * There are as many groups as the pool has voices, so a new voice always
 * finds a group: one of its kind with a free lane, or an empty one. When
 * max_voices are sounding, the oldest voice is stolen (and counted).
 *
 * Owned by the audio thread: every function here is Thread: audio, except
 * init/free (Thread: control).
 */
#ifndef OST_VOICE_H
#define OST_VOICE_H

#include "dsp.h"
#include "env.h"
#include "ostinato.h"

enum {
    OST_FILTER_LP = 1,
    OST_FILTER_HP = 2,
    OST_FILTER_BP = 4,
    OST_FILTER_COMBOS = 8,
    OST_KIND_COUNT = OST_SOUND_COUNT * OST_FILTER_COMBOS,
};

struct ost_voices;
struct ost_group;
/** Renders `frames` frames of a group, adding into the per-lane stereo
 *  accumulators acc_l/acc_r (one vector per frame). */
typedef void (*ost_group_render_fn)(struct ost_voices *pool, struct ost_group *g, ost_vf *acc_l, ost_vf *acc_r,
                                    uint32_t frames);

typedef struct ost_group {
    /* --- vector state, one lane per voice, used in the sample loop --- */
    ost_vf phase, dt, inv_dt;          /**< oscillator */
    ost_vf lp_ic1, lp_ic2, lp_a1, lp_a2, lp_a3;
    ost_vf hp_ic1, hp_ic2, hp_a1, hp_a2, hp_a3, hp_k;
    ost_vf bp_ic1, bp_ic2, bp_a1, bp_a2, bp_a3, bp_k;
    ost_vu noise;                      /**< xorshift state */
    ost_vf n0, n1, n2;                 /**< pink / brown filter states */
    ost_vf env, env_step;              /**< envelope level and per-sample step */
    ost_vf gain_l, gain_r;             /**< gain * velocity * pan */
    /* --- per-lane control, touched between loop spans --- */
    uint32_t seg_left[OST_LANES];      /**< frames left in the envelope segment */
    uint32_t off_left[OST_LANES];      /**< frames until note-off (UINT32_MAX: none) */
    uint8_t segment[OST_LANES];        /**< ost_env_segment; IDLE = lane free */
    ost_env_shape shape[OST_LANES];
    uint64_t serial[OST_LANES];        /**< start order, for stealing the oldest */
    uint32_t slot[OST_LANES];
    uint32_t active;                   /**< bit per lane in use */
    uint32_t kind;                     /**< sound * OST_FILTER_COMBOS + filter bits */
    ost_group_render_fn render;
} __attribute__((aligned(64))) ost_group;

typedef struct ost_voices {
    ost_group *groups;        /**< n_groups groups */
    uint32_t n_groups;
    uint32_t *live;           /**< indices of groups with at least one voice */
    uint32_t n_live;
    uint32_t *spare;          /**< stack of empty groups */
    uint32_t n_spare;
    uint32_t max_voices;
    uint32_t active_voices;
    uint64_t next_serial;
    uint64_t seed;
    float rate;
    /* counters, published through telemetry by the mixer */
    uint64_t stolen, reset;
} ost_voices;

/** Thread: control. */
ost_result ost_voices_init(ost_voices *pool, uint32_t max_voices, float rate, uint64_t seed);
/** Thread: control. */
void ost_voices_free(ost_voices *pool);

/** Starts a voice for a NOTE event now (at the mixer's cursor). Returns 0
 *  when the event's sound is unknown (nothing starts). Thread: audio. */
int ost_voices_start(ost_voices *pool, const ost_event *event);
/** Releases the voices of `slot` (or all) over `fade_frames`, from their
 *  current level, unless they already end sooner. Thread: audio. */
void ost_voices_release(ost_voices *pool, uint32_t slot, uint32_t fade_frames);
/** Renders every live group for `frames` frames into the accumulators.
 *  Thread: audio. */
void ost_voices_render(ost_voices *pool, ost_vf *acc_l, ost_vf *acc_r, uint32_t frames);

#endif
