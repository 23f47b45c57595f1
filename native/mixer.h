/*
 * mixer.h — the engine's render state: event ring (consumer side), pending
 * queue, voices, orbits, the output pairs' limiters, the clock, the output
 * taps (scope, recorder) and telemetry. ost_mixer_render is the one render
 * function: the PortAudio callback, the null backend's thread and offline
 * rendering all call it.
 */
#ifndef OST_MIXER_H
#define OST_MIXER_H

#include "bus.h"
#include "clock_source.h"
#include "dsp.h"
#include "limiter.h"
#include "pending.h"
#include "recorder.h"
#include "ring.h"
#include "sample.h"
#include "scope.h"
#include "stream.h"
#include "telemetry.h"
#include "voice.h"

typedef struct ost_mixer {
    ost_ring ring;
    ost_pending pending;
    ost_voices voices;
    ost_buses buses;
    ost_limiter limiter[OST_MAX_PAIRS]; /**< one per output pair */
    float *pair_l[OST_MAX_PAIRS], *pair_r[OST_MAX_PAIRS]; /**< OST_MIX_BLOCK frames each */
    uint64_t clock;             /**< output frames rendered: the engine clock */
    uint64_t voice_clock;       /**< frames the voices have rendered: clock + latency once primed */
    uint32_t latency;           /**< the limiters' lookahead, frames */
    int primed;
    float rate;
    uint32_t channels, pairs;
    ost_samples samples;
    ost_streams streams;
    ost_recorder recorder;
    /* counters owned by the audio thread, published in telemetry */
    uint64_t blocks, late, played, unknown, cleared;
    /* Real-time health, split by who owns it. The engine owns its render
       time (CPU time of the callback's own thread, so a host that takes the
       CPU away does not count against it); the host owns its scheduling of
       the callbacks (missed periods, gaps). */
    uint64_t overruns, render_cpu_ns, render_max_ns, render_wall_max_ns, render_hist[OST_RENDER_HIST_BUCKETS];
    uint64_t host_xruns, gap_max_ns, last_start_ns; /**< last_start_ns 0: no callback yet since start */
    uint64_t burn_ns;           /**< test hook (config test_burn_us): CPU time burnt per callback */
    double cpu_load;
    double peak[OST_MAX_CHANNELS];
    double peak_max[OST_MAX_CHANNELS]; /**< the loudest |sample| since open, no decay */
    double peak_decay_per_frame; /**< ln of the meter's per-frame decay */
    float limiter_gain;          /**< lowest master gain in the last render call */
    ost_telemetry_box telemetry;
    ost_clock_slot clock_source; /**< an outside clock (Link), captured each block */
    ost_scope *scope;           /**< the recent output, for display */
    /* written by control threads, read by telemetry readers */
    ost_atomic_u32 backend_kind, device_lost, running;
    ost_atomic_u64 device_losses, device_returns; /**< written by the engine's watcher */
} ost_mixer;

/** Allocates everything the mixer will use and starts its helper threads
 *  (sample loader, stream reader). Thread: control. */
ost_result ost_mixer_init(ost_mixer *m, const ost_config *config);
/** Thread: control, with no audio thread running. */
void ost_mixer_free(ost_mixer *m);

/** Renders `frames` interleaved frames into out and advances the clock.
 *  Thread: audio (real-time safe). */
void ost_mixer_render(ost_mixer *m, float *out, uint32_t frames);
/** Takes in what the producer pushed (the start of every render does it;
 *  the offline renderer calls it first to learn which streams to wait for).
 *  Thread: audio. */
void ost_mixer_take_events(ost_mixer *m);
/** Counts a period the host missed (an underflow the device reported, a
 *  late wake-up). Thread: audio. */
static inline void ost_mixer_note_xrun(ost_mixer *m) { m->host_xruns++; }
/** Forgets the last callback's start, so the gap across a stop, start or
 *  backend switch is not counted. Thread: control, with no audio thread
 *  rendering (before a backend starts). */
static inline void ost_mixer_note_start(ost_mixer *m) { m->last_start_ns = 0; }

/** A telemetry snapshot, with the control-side fields and now_frame filled
 *  in. Thread: any. */
void ost_mixer_telemetry(const ost_mixer *m, ost_telemetry *out);

#endif
