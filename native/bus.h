/*
 * bus.h — orbits: the effect buses voices play into, and what happens to
 * them before they reach the output.
 *
 * Each orbit has, per render step, accumulators that voices add into, one
 * vector per frame with a lane per voice (summed across lanes once, at the
 * end of the step): dry left/right, delay send, reverb send, phaser
 * input and chorus send, stereo each. An accumulator is zeroed the first time a group asks
 * for it in a step, so orbits and sends nobody uses cost nothing.
 *
 * After the voices: per orbit, the phaser (fed by the voices that asked for
 * it), the chorus (fed by the voices' chorus sends), the delay and the reverb add their outputs to the dry sum; the
 * compressor (when an event set one) acts on that, then the ducking that
 * other orbits' events ask for (duck.h); the orbit goes to its
 * output pair (0 = the master; see ost_engine_route_orbit). Effects whose
 * input is silent sleep once their tails have died away.
 *
 * Effect settings are the orbit's, taken from the latest event that uses
 * the effect (SuperDirt's "global effects"): an event with a delay send
 * sets the orbit's delay time and feedback, one with a reverb send its
 * size and decay, and so on. Send levels and dry level are per voice.
 *
 * Thread: audio, except init/free (control) and the routing table, which
 * any thread may write (relaxed atomics: each entry is independent).
 */
#ifndef OST_BUS_H
#define OST_BUS_H

#include "atomics.h"
#include "chorus.h"
#include "compressor.h"
#include "delay.h"
#include "dsp.h"
#include "duck.h"
#include "ostinato.h"
#include "phaser.h"
#include "reverb.h"

/** Frames rendered per inner step; longer requests are split. */
#define OST_MIX_BLOCK 256
/** Output pairs: channels 0-1 (the master), 2-3, 4-5, 6-7. */
#define OST_MAX_PAIRS (OST_MAX_CHANNELS / 2)
/** Longest delay time, seconds. */
#define OST_DELAY_MAX_S 4.0f

enum {
    OST_BUS_DRY_L, OST_BUS_DRY_R,
    OST_BUS_DELAY_L, OST_BUS_DELAY_R,
    OST_BUS_REVERB_L, OST_BUS_REVERB_R,
    OST_BUS_PHASER_L, OST_BUS_PHASER_R,
    OST_BUS_CHORUS_L, OST_BUS_CHORUS_R,
    OST_BUS_COUNT
};

typedef struct ost_orbit {
    ost_vf *acc[OST_BUS_COUNT]; /**< per-lane accumulators, OST_MIX_BLOCK vectors each */
    float *sum[OST_BUS_COUNT];  /**< the same summed across lanes, OST_MIX_BLOCK floats */
    uint32_t live;              /**< bit per accumulator zeroed (in use) this step */
    ost_delay delay;
    ost_reverb reverb;
    ost_phaser phaser;
    ost_chorus chorus;
    ost_compressor compressor;
    ost_duck duck;              /**< side-chain ducking by other orbits' events (last, after the compressor) */
    uint32_t fx_fade_left;      /**< frames left of a fade of the effect tails (0: none) */
    uint32_t fx_fade_total;
    int fx_clear;               /**< faded out: clear the delay and reverb at the next step */
} ost_orbit;

typedef struct ost_buses {
    ost_orbit *orbits;
    uint32_t count;
    uint32_t step_frames;       /**< frames of the current step */
    uint32_t pairs;             /**< output pairs the engine has (1 for mono and stereo) */
    ost_atomic_u32 route[32];   /**< output pair of each orbit */
    float rate;
    float *wet_l, *wet_r;       /**< OST_MIX_BLOCK frames: an orbit's effect outputs while they fade */
} ost_buses;

/** Allocates `count` orbits (and touches their memory). Thread: control. */
ost_result ost_buses_init(ost_buses *b, uint32_t count, float rate, uint32_t channels);
/** Thread: control. */
void ost_buses_free(ost_buses *b);

/** Starts a step of `frames` frames: every accumulator is stale. */
void ost_buses_begin(ost_buses *b, uint32_t frames);
/** The accumulator `bus` of orbit `orbit` for this step, zeroed on first
 *  use. Thread: audio. */
static inline ost_vf *ost_buses_acquire(ost_buses *b, uint32_t orbit, uint32_t bus) {
    ost_orbit *o = &b->orbits[orbit];
    if (!(o->live >> bus & 1u)) {
        ost_vf *a = o->acc[bus];
        for (uint32_t i = 0; i < b->step_frames; i++) a[i] = (ost_vf){0};
        o->live |= 1u << bus;
    }
    return o->acc[bus];
}
/** Takes an event's effect settings into its orbit (the effects it sends
 *  to). Thread: audio. */
void ost_buses_configure(ost_buses *b, const float *params);
/** An event at frame `at` of this step ducks the orbits of params[DUCKORBITS]
 *  (a bit mask) by its duckdepth, duckonset and duckattack. Thread: audio. */
void ost_buses_duck(ost_buses *b, const float *params, uint32_t at);
/** Fades every orbit's effect tails (delay, reverb) out over `frames`
 *  frames, then clears them; an orbit whose effects sleep is left alone.
 *  The clearing is one orbit per step at most, so the work per step stays
 *  bounded (a cleared orbit is silent until then). Thread: audio. */
void ost_buses_fade_fx(ost_buses *b, uint32_t frames);
/** Sums the accumulators, runs every orbit's effects and adds each orbit
 *  into its output pair: pair_l[p] / pair_r[p] (zeroed here first), for
 *  `frames` frames. Thread: audio. */
void ost_buses_finish(ost_buses *b, uint32_t frames, float *const *pair_l, float *const *pair_r);

#endif
