/*
 * voice.h — the voice pool.
 *
 * Voices are computed OST_LANES at a time: a group holds up to OST_LANES
 * voices of one *kind* (source x orbit x which features are on) in the
 * lanes of vector registers, struct-of-arrays. A group's render function is
 * chosen once, when its first voice starts (SuperCollider's SETCALC idea):
 *
 *  - plain kinds (an oscillator or noise, any of the three 12 dB filters,
 *    no modulation, no effect, no send) use the fused loops of
 *    render_table, specialised at compile time for every source x filter
 *    combination, so a sawtooth without a highpass never branches on the
 *    highpass per sample;
 *  - every other kind runs the stage chain (chain.h): a source stage, the
 *    amplitude envelope, then only the stages its kind switched on (each a
 *    branch-free loop over a span), then the output stage into its orbit's
 *    buses. The stages are chosen once, when the group is made.
 *
 * There are more groups than voices (max_voices plus a reserve for voices
 * fading out), so a new voice always finds a group: one of its kind with a
 * free lane, or an empty one. When max_voices are sounding, the oldest voice
 * is stolen: it fades out over a few milliseconds (counted) instead of
 * stopping dead. A voice in a cut group fades out the same way when a newer
 * voice of the group starts. Every such fade is a raised cosine.
 *
 * A chain voice whose filters come after its envelope (every chain kind
 * with a filter or a vowel) outlives its envelope: silent, it keeps its
 * lane until what its filters still ring has decayed below -100 dB (at
 * most OST_TAIL_MAX_S), so a resonant filter is never cut off mid-ring.
 * Such a tail counts as a fading voice.
 *
 * Owned by the audio thread: every function here is Thread: audio, except
 * init/free (Thread: control).
 */
#ifndef OST_VOICE_H
#define OST_VOICE_H

#include "bus.h"
#include "dsp.h"
#include "env.h"
#include "ostinato.h"
#include "pending.h"
#include "sample.h"
#include "stream.h"
#include "wavetable.h"

/* Kind bits. The low three are the plain path's filter combination. */
enum {
    OST_FILTER_LP = 1,
    OST_FILTER_HP = 2,
    OST_FILTER_BP = 4,
    OST_FILTER_COMBOS = 8,
    OST_KIND_CHAIN = 1u << 3,   /**< the stage chain (anything beyond the plain loops) */
    OST_KIND_LADDER = 1u << 4,  /**< lowpass is the 24 dB ladder */
    OST_KIND_LP24 = 1u << 5,    /**< lowpass is two 12 dB stages */
    OST_KIND_LPENV = 1u << 6,   /**< lowpass cutoff follows its envelope */
    OST_KIND_PITCH = 1u << 7,   /**< pitch moves: vibrato, pitch envelope, accelerate, FM */
    OST_KIND_VOWEL = 1u << 8,
    OST_KIND_COARSE = 1u << 9,
    OST_KIND_CRUSH = 1u << 10,
    OST_KIND_SHAPE = 1u << 11,
    OST_KIND_DISTORT = 1u << 12,
    OST_KIND_SENDS = 1u << 13,  /**< delay, reverb and chorus sends */
    OST_KIND_PHASER = 1u << 14, /**< plays through its orbit's phaser */
    OST_KIND_STEREO = 1u << 15, /**< two-channel source (stereo sample, supersaw) */
    OST_KIND_STREAM = 1u << 16, /**< a sample streamed from disk */
    OST_KIND_FM = 1u << 17,
    OST_KIND_FLFO = 1u << 18,    /**< a filter's cutoff follows its LFO */
    OST_KIND_TREMOLO = 1u << 19,
    OST_KIND_TRANSIENT = 1u << 20,
    OST_KIND_WAVETABLE = 1u << 21, /**< a sample from a wt_ bank, played as a band-limited wavetable */
    OST_KIND_FLAG_BITS = 22,
    OST_KIND_ORBIT_SHIFT = 22,  /**< 5 bits of orbit */
    OST_KIND_SOUND_SHIFT = 27,  /**< then the sound */
    OST_PLAIN_KINDS = OST_SOUND_SUPERSAW * OST_FILTER_COMBOS, /**< oscillators and noise x filters */
};

/** The kind's sound of a sine, sawtooth, square or triangle with partials:
 *  the additive oscillator (chain.c). Not a sound of the table: only kinds use it. */
#define OST_SOUND_ADDITIVE OST_SOUND_COUNT

/** Longest filter tail kept after a chain voice's envelope ended, seconds. */
#define OST_TAIL_MAX_S 2.0f

/** The level of a voice of `sound` at gain 1 (OST_SYNTH_LEVEL for the
 *  synthesised sounds, 1 for drums and samples). Applied at the voice's
 *  output, so the shapers' and filters' drive does not change. Thread: any. */
static inline float ost_voice_level(uint32_t sound) {
    return sound <= OST_SOUND_PULSE || sound == OST_SOUND_USER ? OST_SYNTH_LEVEL : 1.0f;
}

/** Frames between control-rate updates (modulated pitch and cutoff). */
#define OST_CTL_FRAMES 16

struct ost_voices;
struct ost_group;
/** Renders `frames` frames of a group into its orbit's buses, at frame
 *  `offset` of the current step. */
typedef void (*ost_group_render_fn)(struct ost_voices *pool, struct ost_group *g, uint32_t offset, uint32_t frames);

typedef struct ost_chain ost_chain; /* chain.h */

typedef struct ost_group {
    /* --- vector state, one lane per voice, used in the sample loop --- */
    ost_vf phase, dt;                  /**< oscillator: phase in [0, 1), cycles per sample */
    ost_vi wt_off;                     /**< the oscillator's wavetable: offset in the pool ... */
    ost_vf wt_len;                     /**< ... and length (wavetable.h) */
    ost_vf lp_ic1, lp_ic2, lp_a1, lp_a2, lp_a3;
    ost_vf hp_ic1, hp_ic2, hp_a1, hp_a2, hp_a3, hp_k;
    ost_vf bp_ic1, bp_ic2, bp_a1, bp_a2, bp_a3, bp_k;
    ost_vu noise;                      /**< xorshift state */
    ost_vf n0, n1, n2;                 /**< pink / brown filter states */
    ost_vf env, env_step;              /**< envelope level and per-sample step */
    ost_vf env_a, env_b;               /**< the step's change: step += a * env + b (see env.h) */
    ost_vf gain_l, gain_r;             /**< gain * velocity * dry * pan (plain path) */
    /* --- per-lane control, touched between loop spans --- */
    uint32_t seg_left[OST_LANES];      /**< frames left in the envelope segment */
    uint32_t off_left[OST_LANES];      /**< frames until note-off (UINT32_MAX: none) */
    uint32_t life_left[OST_LANES];     /**< frames until the source is over (UINT32_MAX: not known) */
    uint8_t segment[OST_LANES];        /**< ost_env_segment; IDLE = lane free */
    uint8_t fading[OST_LANES];         /**< stolen or cut: fading out, no longer counted as sounding */
    uint8_t finished[OST_LANES];       /**< the source ran out (a sample's end): free at the next boundary */
    ost_env_shape shape[OST_LANES];
    uint64_t serial[OST_LANES];        /**< start order, for stealing the oldest */
    uint32_t slot[OST_LANES];
    uint32_t cut[OST_LANES];           /**< cut group, 0 = none */
    uint32_t active;                   /**< bit per lane in use */
    uint32_t kind;                     /**< see the kind bits */
    uint32_t order;                    /**< an FX(...) chain's stage order (chain kinds; 0 = none) */
    uint32_t orbit;
    ost_group_render_fn render;
    ost_chain *chain;                  /**< the stage chain's state (chain kinds) */
} __attribute__((aligned(64))) ost_group;

typedef struct ost_voices {
    ost_group *groups;        /**< n_groups groups */
    ost_chain *chains;        /**< one per group */
    uint32_t n_groups;
    uint32_t *live;           /**< indices of groups with at least one voice */
    uint32_t n_live;
    uint32_t *spare;          /**< stack of empty groups */
    uint32_t n_spare;
    uint32_t max_voices;
    uint32_t max_fading;      /**< voices allowed to fade out at once beyond max_voices */
    uint32_t active_voices;   /**< lanes in use, fading ones included */
    uint32_t fading_voices;
    uint64_t next_serial;
    uint64_t seed;
    float rate;
    ost_buses *buses;         /**< where groups render to (the mixer's) */
    const ost_wavetables *wt; /**< the oscillators' tables (the process's) */
    ost_vf *scratch_l, *scratch_r; /**< the stage chain's working buffers, OST_MIX_BLOCK each */
    ost_streams *streams;     /**< the stream reader's slots (the engine's) */
    ost_samples *samples;     /**< the sample table (the engine's) */
    uint64_t step_frame;      /**< engine frame of the current step's first frame */
    /* counters, published through telemetry by the mixer */
    uint64_t stolen, reset, not_ready, stream_underruns, streams_unavailable;
} ost_voices;

/** Thread: control. */
ost_result ost_voices_init(ost_voices *pool, uint32_t max_voices, float rate, uint64_t seed, ost_buses *buses,
                           ost_samples *samples, ost_streams *streams);
/** Thread: control. */
void ost_voices_free(ost_voices *pool);

/** Starts a voice for a NOTE event now (at frame `offset` of the step).
 *  Returns 1 when a voice started, 0 when the sound is unknown, -1 when its
 *  sample is not ready (nothing starts either way). Thread: audio. */
int ost_voices_start(ost_voices *pool, const ost_note *event, uint32_t offset);
/** Releases the voices of `slot` (or all) over `fade_frames`, from their
 *  current level, unless they already end sooner. Thread: audio. */
void ost_voices_release(ost_voices *pool, uint32_t slot, uint32_t fade_frames);
/** Renders every live group for `frames` frames at frame `offset` of the
 *  step into the buses. Thread: audio. */
void ost_voices_render(ost_voices *pool, uint32_t offset, uint32_t frames);

#endif
