/*
 * mixer.c — the render path, run by the audio thread.
 *
 * The real-time contract, for everything reachable from ost_mixer_render:
 *   - no locks, no waiting, no sleeping: nothing here can block
 *   - no allocation or freeing: every buffer was made by ost_mixer_init
 *   - no I/O and no logging: counters go to telemetry, never to a stream
 *   - no calls into JavaScript or any other caller-supplied code
 *   - O(1) or bounded work per event and per voice: no unbounded loops
 *   - every requested frame is written, whatever happens (silence at worst)
 * Control threads talk to it only through the event ring (SPSC, atomics)
 * and read it only through the telemetry seqlock.
 */
#include "mixer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

ost_result ost_mixer_init(ost_mixer *m, const ost_config *c) {
    memset(m, 0, sizeof *m);
    m->rate = (float)c->sample_rate;
    m->channels = (uint32_t)c->channels;
    ost_result r;
    if ((r = ost_ring_init(&m->ring, (uint32_t)c->ring_capacity)) != OST_OK) goto fail;
    if ((r = ost_pending_init(&m->pending, (uint32_t)c->queue_capacity)) != OST_OK) goto fail;
    if ((r = ost_voices_init(&m->voices, (uint32_t)c->max_voices, m->rate, (uint64_t)c->seed)) != OST_OK) goto fail;
    m->acc_l = aligned_alloc(64, OST_MIX_BLOCK * sizeof(ost_vf));
    m->acc_r = aligned_alloc(64, OST_MIX_BLOCK * sizeof(ost_vf));
    m->mix_l = aligned_alloc(64, OST_MIX_BLOCK * sizeof(float));
    m->mix_r = aligned_alloc(64, OST_MIX_BLOCK * sizeof(float));
    m->scope = aligned_alloc(64, sizeof(ost_scope));
    if (!m->acc_l || !m->acc_r || !m->mix_l || !m->mix_r || !m->scope) {
        r = OST_OUT_OF_MEMORY;
        goto fail;
    }
    ost_limiter_init(&m->limiter, m->rate);
    m->peak_decay_per_frame = log(0.1) / (0.3 * m->rate); /* -20 dB in 300 ms */
    ost_telemetry_init(&m->telemetry);
    ost_scope_init(m->scope);
    OST_INIT(&m->backend_kind, 0);
    OST_INIT(&m->device_lost, 0);
    OST_INIT(&m->running, 0);
    return OST_OK;
fail:
    ost_mixer_free(m);
    return r;
}

void ost_mixer_free(ost_mixer *m) {
    ost_ring_free(&m->ring);
    ost_pending_free(&m->pending);
    ost_voices_free(&m->voices);
    free(m->acc_l);
    free(m->acc_r);
    free(m->mix_l);
    free(m->mix_r);
    free(m->scope);
    m->scope = NULL;
    m->acc_l = m->acc_r = NULL;
    m->mix_l = m->mix_r = NULL;
}

static uint64_t monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no system call, no lock */
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Moves what the producer pushed into the pending queue, in push order.
   CLEAR acts here, at once, on what was pushed before it. */
static void drain_ring(ost_mixer *m) {
    uint32_t n = ost_ring_readable(&m->ring);
    uint32_t taken = 0;
    for (; taken < n; taken++) {
        const ost_event *e = ost_ring_peek(&m->ring);
        if (e->kind == OST_EVENT_CLEAR) {
            m->cleared += ost_pending_clear(&m->pending, e->slot, e->start_frame);
        } else if (ost_pending_has_room(&m->pending)) {
            ost_pending_insert(&m->pending, e);
        } else {
            break; /* the rest waits in the ring until there is room */
        }
        ost_ring_advance(&m->ring, 1);
    }
    (void)taken;
}

static void apply_event(ost_mixer *m, const ost_event *e, int late) {
    switch (e->kind) {
    case OST_EVENT_NOTE:
        if (late) m->late++;
        if (ost_voices_start(&m->voices, e)) m->played++;
        else m->unknown++;
        break;
    case OST_EVENT_RELEASE: {
        uint32_t fade = e->dur_frames ? e->dur_frames : (uint32_t)(0.005f * m->rate);
        ost_voices_release(&m->voices, e->slot, fade);
        break;
    }
    default: /* pushes are validated; nothing else reaches the queue */
        break;
    }
}

/* Writes the stereo mix into the caller's interleaved buffer. */
static void write_out(ost_mixer *m, float *out, uint32_t n) {
    const float *l = m->mix_l, *r = m->mix_r;
    uint32_t ch = m->channels;
    double bp[OST_MAX_CHANNELS] = {0};
    if (ch == 1) {
        for (uint32_t i = 0; i < n; i++) {
            float x = (l[i] + r[i]) * 0.70710678f;
            out[i] = x;
            bp[0] = fmax(bp[0], fabsf(x));
        }
    } else {
        for (uint32_t i = 0; i < n; i++) {
            float *f = out + (size_t)i * ch;
            f[0] = l[i];
            f[1] = r[i];
            for (uint32_t c = 2; c < ch; c++) f[c] = 0.0f;
            bp[0] = fmax(bp[0], fabsf(l[i]));
            bp[1] = fmax(bp[1], fabsf(r[i]));
        }
    }
    double decay = exp(m->peak_decay_per_frame * n);
    for (uint32_t c = 0; c < ch && c < OST_MAX_CHANNELS; c++) m->peak[c] = fmax(bp[c], m->peak[c] * decay);
}

/* One step of at most OST_MIX_BLOCK frames. Events split the step at their
   own frames, so every voice starts (and every release happens) on its
   exact sample. */
static void render_step(ost_mixer *m, float *out, uint32_t n) {
    uint64_t t0 = m->clock, t1 = t0 + n;
    drain_ring(m);
    memset(m->acc_l, 0, n * sizeof(ost_vf));
    memset(m->acc_r, 0, n * sizeof(ost_vf));
    uint32_t cursor = 0;
    const ost_event *e;
    while ((e = ost_pending_top(&m->pending)) && e->start_frame < t1) {
        int late = e->start_frame < t0;
        uint32_t at = late ? 0 : (uint32_t)(e->start_frame - t0);
        if (at > cursor) {
            ost_voices_render(&m->voices, m->acc_l + cursor, m->acc_r + cursor, at - cursor);
            cursor = at;
        }
        ost_pending_pop(&m->pending); /* the record stays readable until the next insert */
        apply_event(m, e, late);
    }
    if (cursor < n) ost_voices_render(&m->voices, m->acc_l + cursor, m->acc_r + cursor, n - cursor);
    for (uint32_t i = 0; i < n; i++) {
        m->mix_l[i] = ost_vf_sum(m->acc_l[i]);
        m->mix_r[i] = ost_vf_sum(m->acc_r[i]);
    }
    ost_limiter_process(&m->limiter, m->mix_l, m->mix_r, n);
    write_out(m, out, n);
    ost_scope_write(m->scope, out, n, m->channels);
    m->clock = t1;
}

static void publish(ost_mixer *m, uint64_t end_ns) {
    ost_telemetry t;
    memset(&t, 0, sizeof t);
    t.frames[0].u = m->clock;
    t.block_ns[0].u = end_ns;
    t.blocks[0].u = m->blocks;
    t.sample_rate[0].f = m->rate;
    t.channels[0].u = m->channels;
    t.cpu_load[0].f = m->cpu_load;
    t.xruns[0].u = m->xruns;
    t.late_events[0].u = m->late;
    t.stolen_voices[0].u = m->voices.stolen;
    t.events_played[0].u = m->played;
    t.unknown_sounds[0].u = m->unknown;
    t.cleared_events[0].u = m->cleared;
    t.reset_voices[0].u = m->voices.reset;
    t.active_voices[0].u = m->voices.active_voices;
    t.pending_events[0].u = m->pending.count;
    for (int c = 0; c < OST_MAX_CHANNELS; c++) t.peak[c].f = m->peak[c];
    ost_telemetry_publish(&m->telemetry, &t);
}

void ost_mixer_render(ost_mixer *m, float *out, uint32_t frames) {
    uint64_t start_ns = monotonic_ns();
#if defined(__SSE__)
    /* Flush denormals to zero while we render (decaying filters would
       otherwise crawl through them); the caller's mode is restored after. */
    unsigned int csr = _mm_getcsr();
    _mm_setcsr(csr | 0x8040);
#endif
    uint32_t done = 0;
    while (done < frames) {
        uint32_t n = frames - done < OST_MIX_BLOCK ? frames - done : OST_MIX_BLOCK;
        render_step(m, out + (size_t)done * m->channels, n);
        done += n;
    }
#if defined(__SSE__)
    _mm_setcsr(csr);
#endif
    uint64_t end_ns = monotonic_ns();
    if (frames > 0) {
        double budget_ns = frames * 1e9 / m->rate;
        double load = (double)(end_ns - start_ns) / budget_ns;
        m->cpu_load += 0.1 * (load - m->cpu_load); /* one-pole smoothing, as pa_cpuload */
    }
    m->blocks++;
    publish(m, end_ns);
}

void ost_mixer_telemetry(const ost_mixer *m, ost_telemetry *out) {
    ost_telemetry_read(&m->telemetry, out);
    out->sample_rate[0].f = m->rate;
    out->channels[0].u = m->channels;
    out->ring_fill[0].u = ost_ring_fill(&m->ring);
    out->ring_capacity[0].u = m->ring.mask + 1;
    /* Relaxed: independent flags; nothing is read through them. */
    uint32_t kind = OST_LOAD(&m->backend_kind, OST_RELAXED);
    out->backend[0].u = kind;
    out->device_lost[0].u = OST_LOAD(&m->device_lost, OST_RELAXED);
    out->running[0].u = OST_LOAD(&m->running, OST_RELAXED);
    double now = (double)out->frames[0].u;
    if (kind != OST_BACKEND_OFFLINE && out->running[0].u && out->block_ns[0].u) {
        double elapsed = (double)(monotonic_ns() - out->block_ns[0].u) * 1e-9 * m->rate;
        /* between two callbacks the clock moves at most about one block;
           cap the estimate so a stalled device does not run it away */
        double cap = 0.25 * m->rate;
        now += elapsed < 0 ? 0 : (elapsed > cap ? cap : elapsed);
    }
    out->now_frame[0].f = now;
}
