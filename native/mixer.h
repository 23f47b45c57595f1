/*
 * mixer.h — the engine's render state: event ring (consumer side), pending
 * queue, voices, master limiter, clock and telemetry. ost_mixer_render is
 * the one render function: the PortAudio callback, the null backend's
 * thread and offline rendering all call it.
 */
#ifndef OST_MIXER_H
#define OST_MIXER_H

#include "dsp.h"
#include "limiter.h"
#include "pending.h"
#include "ring.h"
#include "scope.h"
#include "telemetry.h"
#include "voice.h"

/** Frames rendered per inner step; longer requests are split. */
#define OST_MIX_BLOCK 256

typedef struct ost_mixer {
    ost_ring ring;
    ost_pending pending;
    ost_voices voices;
    ost_limiter limiter;
    ost_vf *acc_l, *acc_r;      /**< per-lane accumulators, OST_MIX_BLOCK frames */
    float *mix_l, *mix_r;       /**< the stereo mix, OST_MIX_BLOCK frames */
    uint64_t clock;             /**< frames rendered: the engine clock */
    float rate;
    uint32_t channels;
    /* counters owned by the audio thread, published in telemetry */
    uint64_t blocks, late, played, unknown, cleared, xruns;
    double cpu_load;
    double peak[OST_MAX_CHANNELS];
    double peak_decay_per_frame; /**< ln of the meter's per-frame decay */
    ost_telemetry_box telemetry;
    ost_scope *scope;           /**< the recent output, for display */
    /* written by control threads, read by telemetry readers */
    ost_atomic_u32 backend_kind, device_lost, running;
} ost_mixer;

/** Allocates everything the mixer will use. Thread: control. */
ost_result ost_mixer_init(ost_mixer *m, const ost_config *config);
/** Thread: control, with no audio thread running. */
void ost_mixer_free(ost_mixer *m);

/** Renders `frames` interleaved frames into out and advances the clock.
 *  Thread: audio (real-time safe). */
void ost_mixer_render(ost_mixer *m, float *out, uint32_t frames);
/** Counts an output underflow reported by a backend. Thread: audio. */
static inline void ost_mixer_note_xrun(ost_mixer *m) { m->xruns++; }

/** A telemetry snapshot, with the control-side fields and now_frame filled
 *  in. Thread: any. */
void ost_mixer_telemetry(const ost_mixer *m, ost_telemetry *out);

#endif
