/*
 * backend.h — what drives the render: a small table of functions per
 * backend, one file each (backend_offline.c, backend_null.c,
 * backend_portaudio.c, backend_jack.c). The engine owns the mixer; a backend only calls
 * ost_mixer_render from its audio thread, so the clock, the queue and the
 * voices outlive any backend and survive a switch from one to another.
 */
#ifndef OST_BACKEND_H
#define OST_BACKEND_H

#include <time.h>

#include "mixer.h"

typedef struct ost_backend_params {
    uint32_t sample_rate, channels, block_frames;
    int32_t device_index;    /**< PortAudio index, or -1 */
    const char *device_name; /**< exact name when device_index is -1; NULL/"" = default */
    double latency_s;        /**< 0 = the device's low default */
} ost_backend_params;

typedef struct ost_backend ost_backend;

typedef struct ost_backend_ops {
    uint32_t kind; /**< ost_backend_kind */
    /** Prepares the backend (not started). Thread: control. */
    ost_result (*open)(ost_backend *b, ost_mixer *m, const ost_backend_params *p);
    /** Thread: control. */
    ost_result (*start)(ost_backend *b);
    /** Returns once the audio thread has stopped calling the mixer. Thread: control. */
    ost_result (*stop)(ost_backend *b);
    /** Thread: control. */
    void (*close)(ost_backend *b);
    /** 0 when a started backend has died (device gone). Thread: control. */
    int (*alive)(ost_backend *b);
} ost_backend_ops;

struct ost_backend {
    const ost_backend_ops *ops;
    void *state;          /**< owned by the backend */
    int32_t device_index; /**< PortAudio index in use, or -1 */
    double output_latency_s; /**< how long after its render a block is heard (the device's figure; 0 without one) */
    char device_name[128];   /**< JACK: the client whose playback ports we feed ("" = the physical ones);
                                  PortAudio: the device's name, to find it again after a loss */
    int server_gone;         /**< JACK: alive() found the server shut us down (it died; a new one may start) */
    double latency_s;        /**< the latency asked for at open (0 = the device's low default), to reopen it alike */
};

/* ------------------------------------- shared by the device backends */

static inline uint64_t ost_backend_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/** Hands the mixer back from a device's callback without asking the device
 *  (whose stop can wait forever for a server that is gone): once `detached`
 *  is set the callback outputs silence and never touches the mixer. The
 *  callback stores 1 in `in_callback`, then loads `detached` (both seq-cst,
 *  against this store then load): at least one side sees the other's store,
 *  so the mixer never has two renderers. Thread: control. */
static inline void ost_backend_detach(ost_atomic_u32 *detached, ost_atomic_u32 *in_callback) {
    OST_STORE(detached, 1, OST_SEQ_CST);
    for (int i = 0; i < 2000 && OST_LOAD(in_callback, OST_SEQ_CST); i++) {
        struct timespec ms = {0, 1000000L};
        nanosleep(&ms, NULL); /* a callback in flight finishes within one block */
    }
}

/** 1 when a device started at started_ns has rendered no block for 20
 *  blocks or 0.5 s, whichever is longer: a device that vanished without
 *  saying so. Thread: control. */
static inline int ost_backend_stalled(ost_mixer *m, uint64_t started_ns, double block_s) {
    ost_telemetry t;
    ost_telemetry_read(&m->telemetry, &t);
    uint64_t last = t.block_ns[0].u > started_ns ? t.block_ns[0].u : started_ns;
    double limit_s = 20 * block_s > 0.5 ? 20 * block_s : 0.5;
    return (double)(ost_backend_now_ns() - last) * 1e-9 > limit_s;
}

extern const ost_backend_ops ost_backend_offline_ops;
extern const ost_backend_ops ost_backend_null_ops;
extern const ost_backend_ops ost_backend_portaudio_ops;
/** 1 when the ALSA PCM behind a PortAudio device's name opens now (a lost
 *  card plugged in again), asked before PortAudio is. Thread: control. */
int ost_backend_alsa_answers(const char *pa_name);
/** Not chosen by kind: PortAudio's open hands a device of its JACK host API
 *  over to it (its kind is OST_BACKEND_PORTAUDIO, "a device"). */
extern const ost_backend_ops ost_backend_jack_ops;

#endif
