/*
 * engine.c — the public engine API: open/close, start/stop, backend
 * switching, the device-loss watcher, push, offline render, telemetry.
 *
 * Control operations (and the watcher thread) serialise on engine->control;
 * the audio thread never takes it. The producer's push touches only the
 * ring. Lock order: control, then PortAudio's lock inside the backend.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "mixer.h"

struct ost_engine {
    ost_config config;
    ost_mixer mixer;
    ost_backend backend;
    pthread_mutex_t control;
    pthread_mutex_t producers; /**< serialises pushes from several threads; never taken by the audio thread */
    uint32_t writer;           /**< whose ost_engine_push_as is taken (0: anyone's); guarded by producers */
    pthread_cond_t wake;      /**< wakes the watcher early (close) */
    int running;
    pthread_t watcher;
    int watcher_started;
    int watcher_quit;         /**< guarded by control */
    /* A device lost while playing, to go back to once it answers again
       (guarded by control; cleared when a backend is chosen): a JACK server
       that died, or a PortAudio device (ALSA) that vanished. */
    int returning;
    const ost_backend_ops *return_ops; /**< the lost device's backend */
    int return_probes;        /**< PortAudio: consecutive tries that found the device there */
    double return_latency_s;
    int32_t return_index;     /**< PortAudio's index of the device, for display */
    char return_name[sizeof ((ost_backend *)0)->device_name];
    uint64_t next_try_ns;
};

static const ost_backend_ops *ops_for(uint32_t kind) {
    switch (kind) {
    case OST_BACKEND_OFFLINE: return &ost_backend_offline_ops;
    case OST_BACKEND_NULL: return &ost_backend_null_ops;
    case OST_BACKEND_PORTAUDIO: return &ost_backend_portaudio_ops;
    default: return NULL;
    }
}

/* ------------------------------------------------------------- validation */

static int whole(double x) { return x == floor(x); }

static ost_result check_config(const ost_config *c) {
    const double *v = (const double *)c;
    for (uint32_t i = 0; i < ost_config_count(); i++) {
        double range[3];
        ost_config_range(i, range);
        if (!(v[i] >= range[1] && v[i] <= range[2])) return OST_INVALID_ARGS; /* NaN fails too */
    }
    if (!whole(c->backend) || !whole(c->sample_rate) || !whole(c->channels) || !whole(c->block_frames) ||
        !whole(c->max_voices) || !whole(c->ring_capacity) || !whole(c->queue_capacity) || !whole(c->device_index) ||
        !whole(c->seed) || !whole(c->orbits) || !whole(c->max_samples) || !whole(c->max_streams))
        return OST_INVALID_ARGS;
    uint32_t ring = (uint32_t)c->ring_capacity;
    if (ring & (ring - 1)) return OST_INVALID_ARGS;
    return OST_OK;
}

static ost_backend_params backend_params(const ost_engine *e, int32_t index, const char *name, double latency_s) {
    return (ost_backend_params){
        .sample_rate = (uint32_t)e->config.sample_rate,
        .channels = (uint32_t)e->config.channels,
        .block_frames = (uint32_t)e->config.block_frames,
        .device_index = index,
        .device_name = name,
        .latency_s = latency_s,
    };
}

/* ---------------------------------------------------------------- switch */

/* With control held: replaces the backend by `next`, opened and not
   started, keeping the mixer (clock, queue, voices). The old one has
   stopped calling the mixer before the new one starts, so there is one
   audio thread at a time; a failure to start keeps the old one. */
static ost_result swap_in(ost_engine *e, ost_backend next) {
    ost_result r;
    if (e->running) e->backend.ops->stop(&e->backend);
    ost_mixer_note_start(&e->mixer); /* no audio thread renders until next starts */
    if (e->running && (r = next.ops->start(&next)) != OST_OK) {
        next.ops->close(&next);
        /* Best effort to keep the music going where it was. */
        if (e->backend.ops->start(&e->backend) != OST_OK) {
            e->running = 0;
            OST_STORE(&e->mixer.running, 0, OST_RELAXED);
        }
        return r;
    }
    e->backend.ops->close(&e->backend);
    e->backend = next;
    /* Relaxed: a flag for telemetry readers; nothing is published through it. */
    OST_STORE(&e->mixer.backend_kind, next.ops->kind, OST_RELAXED);
    return OST_OK;
}

/* With control held: replaces the backend by a new one of `kind`. The new
   one is opened before the old one stops, so a failure changes nothing. */
static ost_result switch_backend(ost_engine *e, uint32_t kind, const ost_backend_params *p) {
    ost_backend next = {ops_for(kind), NULL, -1, 0, "", 0, p->latency_s};
    ost_result r = next.ops->open(&next, &e->mixer, p);
    return r == OST_OK ? swap_in(e, next) : r;
}

/* With control held, on a dead device backend: falls back to the null
   backend so the clock keeps running, flags the loss in telemetry, and
   remembers the device to go back to: a JACK device whose server died, or
   a PortAudio stream's device (by name: an ALSA card unplugged opens again
   once it is back). Not a JACK device whose server hangs (its callbacks
   stalled without a shutdown): a new client's jack_client_open would wait
   on that server for as long as it hangs (measured: over 60 s on a
   SIGSTOPped jackd), and the watcher with it. */
static void fall_back(ost_engine *e) {
    const ost_backend_ops *ops = e->backend.ops;
    int back = ops == &ost_backend_jack_ops ? e->backend.server_gone : ops == &ost_backend_portaudio_ops;
    double latency_s = e->backend.latency_s;
    int32_t index = e->backend.device_index;
    char name[sizeof e->return_name];
    memcpy(name, e->backend.device_name, sizeof name);
    ost_backend_params p = backend_params(e, -1, NULL, 0);
    if (switch_backend(e, OST_BACKEND_NULL, &p) != OST_OK) return;
    /* Relaxed: flags and counts for telemetry readers. */
    OST_STORE(&e->mixer.device_lost, 1, OST_RELAXED);
    OST_STORE(&e->mixer.device_losses, OST_LOAD(&e->mixer.device_losses, OST_RELAXED) + 1, OST_RELAXED);
    e->returning = back;
    e->return_probes = 0;
    e->return_ops = ops;
    e->return_latency_s = latency_s;
    e->return_index = index;
    memcpy(e->return_name, name, sizeof name);
    e->next_try_ns = 0;
}

/* With control held, while a lost device is awaited on the null backend:
   every 250 ms, the device opened again (a new client on the JACK server,
   or a PortAudio stream on the device of that name); once one opens, the
   music moves back onto it. The open runs without the lock (a server that
   is down refuses in a few ms, one that is starting may take longer), and
   nothing changes unless the engine is still waiting for it after. */
static void try_return(ost_engine *e) {
    uint64_t now = ost_backend_now_ns();
    if (now < e->next_try_ns) return;
    e->next_try_ns = now + 250 * 1000000ull;
    char name[sizeof e->return_name];
    memcpy(name, e->return_name, sizeof name);
    ost_backend_params p = backend_params(e, -1, name, e->return_latency_s);
    ost_backend next = {e->return_ops, NULL, -1, 0, "", 0, e->return_latency_s};
    pthread_mutex_unlock(&e->control);
    /* A PortAudio device is opened only once it has been there for two tries
       in a row (250 ms): a device that is still coming up (a card being
       enumerated, a server starting) is where PortAudio's open is least safe
       (see ost_backend_alsa_answers). */
    int portaudio = next.ops == &ost_backend_portaudio_ops;
    int there = !portaudio || ost_backend_alsa_answers(name);
    pthread_mutex_lock(&e->control);
    e->return_probes = there ? e->return_probes + 1 : 0;
    int ready = there && (!portaudio || e->return_probes >= 2);
    pthread_mutex_unlock(&e->control);
    ost_result r = ready ? next.ops->open(&next, &e->mixer, &p) : OST_NO_DEVICE;
    pthread_mutex_lock(&e->control);
    if (r != OST_OK) return;
    if (!e->returning || !e->running || e->watcher_quit || e->backend.ops->kind != OST_BACKEND_NULL) {
        next.ops->close(&next); /* chosen otherwise meanwhile */
        return;
    }
    next.device_index = e->return_index;
    if (swap_in(e, next) != OST_OK) return; /* swap_in closed it; the next try is in 250 ms */
    e->returning = 0;
    /* Relaxed: flags and counts for telemetry readers. */
    OST_STORE(&e->mixer.device_lost, 0, OST_RELAXED);
    OST_STORE(&e->mixer.device_returns, OST_LOAD(&e->mixer.device_returns, OST_RELAXED) + 1, OST_RELAXED);
}

/* The watcher: while the engine runs on a device, checks every 50 ms that
   it is alive, and falls back to null when it has died; while a lost
   device is awaited, tries to go back to it. */
static void *watcher_main(void *arg) {
    ost_engine *e = arg;
    pthread_mutex_lock(&e->control);
    while (!e->watcher_quit) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 50 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&e->wake, &e->control, &ts);
        if (e->watcher_quit) break;
        if (e->running && e->backend.ops->kind == OST_BACKEND_PORTAUDIO && !e->backend.ops->alive(&e->backend))
            fall_back(e);
        else if (e->running && e->returning && e->backend.ops->kind == OST_BACKEND_NULL)
            try_return(e);
    }
    pthread_mutex_unlock(&e->control);
    return NULL;
}

/* With control held. */
static ost_result ensure_watcher(ost_engine *e) {
    if (e->watcher_started) return OST_OK;
    e->watcher_quit = 0;
    if (pthread_create(&e->watcher, NULL, watcher_main, e) != 0) return OST_THREAD_ERROR;
    e->watcher_started = 1;
    return OST_OK;
}

/* ------------------------------------------------------------- lifecycle */

ost_result ost_engine_open(const ost_config *config, const char *device_name, ost_engine **out) {
    if (!config || !out) return OST_INVALID_ARGS;
    *out = NULL;
    ost_result r = check_config(config);
    if (r != OST_OK) return r;
    ost_engine *e = calloc(1, sizeof *e);
    if (!e) return OST_OUT_OF_MEMORY;
    e->config = *config;
    if ((r = ost_mixer_init(&e->mixer, config)) != OST_OK) {
        free(e);
        return r;
    }
    pthread_mutex_init(&e->control, NULL);
    pthread_mutex_init(&e->producers, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&e->wake, &attr);
    pthread_condattr_destroy(&attr);

    uint32_t kind = (uint32_t)config->backend;
    ost_backend_params p = backend_params(e, (int32_t)config->device_index, device_name, config->latency_s);
    e->backend = (ost_backend){ops_for(kind), NULL, -1, 0, "", 0, config->latency_s};
    if ((r = e->backend.ops->open(&e->backend, &e->mixer, &p)) == OST_OK && kind == OST_BACKEND_PORTAUDIO)
        if ((r = ensure_watcher(e)) != OST_OK) e->backend.ops->close(&e->backend);
    if (r != OST_OK) {
        pthread_cond_destroy(&e->wake);
        pthread_mutex_destroy(&e->producers);
        pthread_mutex_destroy(&e->control);
        ost_mixer_free(&e->mixer);
        free(e);
        return r;
    }
    OST_STORE(&e->mixer.backend_kind, kind, OST_RELAXED);
    *out = e;
    return OST_OK;
}

void ost_engine_close(ost_engine *e) {
    if (!e) return;
    pthread_mutex_lock(&e->control);
    e->watcher_quit = 1;
    pthread_cond_signal(&e->wake);
    pthread_mutex_unlock(&e->control);
    if (e->watcher_started) pthread_join(e->watcher, NULL);
    /* Teardown order: the backend stops calling the mixer before the mixer
       is freed. */
    e->backend.ops->stop(&e->backend);
    e->backend.ops->close(&e->backend);
    ost_mixer_free(&e->mixer);
    pthread_cond_destroy(&e->wake);
    pthread_mutex_destroy(&e->producers);
    pthread_mutex_destroy(&e->control);
    free(e);
}

ost_result ost_engine_start(ost_engine *e) {
    if (!e) return OST_INVALID_ARGS;
    pthread_mutex_lock(&e->control);
    if (!e->running) ost_mixer_note_start(&e->mixer); /* stopped: no audio thread renders */
    ost_result r = e->running ? OST_OK : e->backend.ops->start(&e->backend);
    if (r == OST_OK) {
        e->running = 1;
        OST_STORE(&e->mixer.running, 1, OST_RELAXED); /* a flag for readers */
    }
    pthread_mutex_unlock(&e->control);
    return r;
}

ost_result ost_engine_stop(ost_engine *e) {
    if (!e) return OST_INVALID_ARGS;
    pthread_mutex_lock(&e->control);
    ost_result r = e->running ? e->backend.ops->stop(&e->backend) : OST_OK;
    e->running = 0;
    OST_STORE(&e->mixer.running, 0, OST_RELAXED);
    pthread_mutex_unlock(&e->control);
    return r;
}

ost_result ost_engine_set_backend(ost_engine *e, uint32_t kind, int32_t device_index, const char *device_name,
                                  double latency_s) {
    if (!e || !ops_for(kind) || device_index < -1 || !(latency_s >= 0 && latency_s <= 4)) return OST_INVALID_ARGS;
    pthread_mutex_lock(&e->control);
    ost_backend_params p = backend_params(e, device_index, device_name, latency_s);
    ost_result r = switch_backend(e, kind, &p);
    if (r == OST_OK) e->returning = 0; /* the musician's choice wins over a device awaited */
    if (r == OST_OK && kind == OST_BACKEND_PORTAUDIO) {
        OST_STORE(&e->mixer.device_lost, 0, OST_RELAXED); /* a device was chosen again */
        r = ensure_watcher(e);
    }
    pthread_mutex_unlock(&e->control);
    return r;
}

/* ------------------------------------------------------------ data path */

static int32_t push_checked(ost_engine *e, int check, uint32_t writer, const ost_event *events, uint32_t count) {
    if (!e || (!events && count > 0) || count > INT32_MAX) return OST_INVALID_ARGS;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t k = events[i].kind;
        if (k != OST_EVENT_NOTE && k != OST_EVENT_RELEASE && k != OST_EVENT_CLEAR && k != OST_EVENT_FADE_FX &&
            k != OST_EVENT_EXT)
            return OST_BAD_EVENT;
        if (k == OST_EVENT_EXT && (i == 0 || events[i - 1].kind != OST_EVENT_NOTE)) return OST_BAD_EVENT; /* whose? */
    }
    /* The ring has one producer at a time: threads that push (the live
       worker, a main thread that hushes) take turns here. The consumer, the
       audio thread, never touches this lock. The writer is checked under
       it, so a push is either wholly before a change of writer or refused. */
    pthread_mutex_lock(&e->producers);
    int32_t taken = OST_NOT_WRITER;
    if (!check || e->writer == 0 || e->writer == writer) taken = (int32_t)ost_ring_push(&e->mixer.ring, events, count);
    pthread_mutex_unlock(&e->producers);
    return taken;
}

int32_t ost_engine_push(ost_engine *e, const ost_event *events, uint32_t count) {
    return push_checked(e, 0, 0, events, count);
}

int32_t ost_engine_push_as(ost_engine *e, uint32_t writer, const ost_event *events, uint32_t count) {
    return push_checked(e, 1, writer, events, count);
}

ost_result ost_engine_set_writer(ost_engine *e, uint32_t writer) {
    if (!e) return OST_INVALID_ARGS;
    pthread_mutex_lock(&e->producers);
    e->writer = writer;
    pthread_mutex_unlock(&e->producers);
    return OST_OK;
}

ost_result ost_engine_render(ost_engine *e, float *out, uint32_t frames) {
    if (!e || (!out && frames > 0)) return OST_INVALID_ARGS;
    pthread_mutex_lock(&e->control);
    ost_result r = OST_WRONG_BACKEND;
    if (e->backend.ops->kind == OST_BACKEND_OFFLINE) {
        /* Offline, this thread is the audio thread and may wait: take in
           the events, let the stream reader fill the rings of the streams
           they claimed, then render, so a render never starves a stream. */
        ost_mixer_take_events(&e->mixer);
        if (ost_streams_enabled(&e->mixer.streams)) ost_streams_wait_filled(&e->mixer.streams, 10.0);
        ost_mixer_render(&e->mixer, out, frames);
        r = OST_OK;
    }
    pthread_mutex_unlock(&e->control);
    return r;
}

ost_result ost_engine_telemetry(const ost_engine *e, void *out, uint32_t size) {
    if (!e || !out || size < sizeof(ost_telemetry)) return OST_INVALID_ARGS;
    ost_telemetry t;
    ost_mixer_telemetry(&e->mixer, &t);
    memcpy(out, &t, sizeof t);
    return OST_OK;
}

double ost_engine_now_frame(const ost_engine *e) {
    if (!e) return -1.0;
    ost_telemetry t;
    ost_mixer_telemetry(&e->mixer, &t);
    return t.now_frame[0].f;
}

ost_result ost_engine_clock_pair(const ost_engine *e, double *out) {
    if (!e || !out) return OST_INVALID_ARGS;
    ost_telemetry t;
    ost_mixer_telemetry(&e->mixer, &t);
    /* The block's CLOCK_MONOTONIC stamp moved onto CLOCK_REALTIME with the
       two clocks' offset read now, bracketed by monotonic reads so a
       preemption between them does not skew it. */
    struct timespec m0, r, m1;
    clock_gettime(CLOCK_MONOTONIC, &m0);
    clock_gettime(CLOCK_REALTIME, &r);
    clock_gettime(CLOCK_MONOTONIC, &m1);
    double mono = ((double)m0.tv_sec + (double)m1.tv_sec) * 0.5 + ((double)m0.tv_nsec + (double)m1.tv_nsec) * 0.5e-9;
    double real = (double)r.tv_sec + (double)r.tv_nsec * 1e-9;
    out[0] = (double)t.frames[0].u;
    out[1] = (double)t.block_ns[0].u * 1e-9 + (real - mono);
    return t.block_ns[0].u ? OST_OK : OST_WRONG_STATE;
}

int32_t ost_engine_device_index(const ost_engine *e) {
    if (!e) return -1;
    /* Control data read without the lock: a snapshot for display. Reading
       it races only with a backend switch, which changes a plain int. */
    ost_engine *m = (ost_engine *)e;
    pthread_mutex_lock(&m->control);
    int32_t index = m->backend.ops->kind == OST_BACKEND_PORTAUDIO ? m->backend.device_index : -1;
    pthread_mutex_unlock(&m->control);
    return index;
}

int32_t ost_engine_scope(const ost_engine *e, float *out, uint32_t frames) {
    if (!e || !out || frames == 0 || frames > OST_SCOPE_MAX_READ) return OST_INVALID_ARGS;
    return (int32_t)ost_scope_read(e->mixer.scope, out, frames);
}

/* ------------------------------------------------------------- samples */

ost_result ost_engine_sample_load(ost_engine *e, const char *path, int32_t *out_id) {
    if (!e) return OST_INVALID_ARGS;
    return ost_samples_load(&e->mixer.samples, path, 0, out_id);
}

ost_result ost_engine_wavetable_load(ost_engine *e, const char *path, int32_t *out_id) {
    if (!e) return OST_INVALID_ARGS;
    return ost_samples_load(&e->mixer.samples, path, 1, out_id);
}

ost_result ost_engine_sample_info(ost_engine *e, int32_t id, double *out) {
    if (!e) return OST_INVALID_ARGS;
    return ost_samples_info(&e->mixer.samples, id, out);
}

ost_result ost_engine_sample_error(ost_engine *e, int32_t id, char *buf, uint32_t size) {
    if (!e) return OST_INVALID_ARGS;
    return ost_samples_error(&e->mixer.samples, id, buf, size);
}

ost_result ost_engine_samples_wait(ost_engine *e, double timeout_s) {
    if (!e || !(timeout_s >= 0)) return OST_INVALID_ARGS;
    return ost_samples_wait(&e->mixer.samples, timeout_s);
}

ost_result ost_engine_sample_free(ost_engine *e, int32_t id) {
    if (!e) return OST_INVALID_ARGS;
    return ost_samples_free(&e->mixer.samples, id);
}

/* ----------------------------------------------------------- recording */

ost_result ost_engine_record_start(ost_engine *e, const char *path) {
    if (!e || !path || !path[0]) return OST_INVALID_ARGS;
    return ost_recorder_start(&e->mixer.recorder, path);
}

ost_result ost_engine_record_stop(ost_engine *e, double *out) {
    if (!e) return OST_INVALID_ARGS;
    /* With the control lock: no offline render is in progress, and the
       backend cannot change while we wait for the audio thread's ack
       (which never needs this lock). */
    pthread_mutex_lock(&e->control);
    int rendering = e->running && e->backend.ops->kind != OST_BACKEND_OFFLINE;
    ost_result r = ost_recorder_stop(&e->mixer.recorder, rendering, 2.0, out);
    pthread_mutex_unlock(&e->control);
    return r;
}

/* -------------------------------------------------------------- orbits */

ost_result ost_engine_route_orbit(ost_engine *e, uint32_t orbit, uint32_t pair) {
    if (!e || orbit >= e->mixer.buses.count || pair >= e->mixer.buses.pairs) return OST_INVALID_ARGS;
    /* Relaxed: an independent entry the audio thread reads every step. */
    OST_STORE(&e->mixer.buses.route[orbit], pair, OST_RELAXED);
    return OST_OK;
}

ost_result ost_engine_set_clock_source(ost_engine *e, const ost_clock_source *source) {
    if (!e || (source && !source->capture)) return OST_INVALID_ARGS;
    ost_clock_slot_set(&e->mixer.clock_source, source);
    return OST_OK;
}

double ost_engine_output_latency(const ost_engine *e) { return e ? e->backend.output_latency_s : -1; }
