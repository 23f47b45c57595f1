/*
 * mixer.c — the render path, run by the audio thread.
 *
 * The real-time contract, for everything reachable from ost_mixer_render:
 *   - no locks, no waiting, no sleeping: nothing here can block
 *   - no allocation or freeing: every buffer was made by ost_mixer_init
 *   - no I/O and no logging: counters go to telemetry, never to a stream
 *   - no calls into JavaScript or any other caller-supplied code, but one:
 *     an installed clock source's capture (clock_source.c), which must be
 *     real-time safe (Link's captureAudioSessionState is)
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

#include "chain.h"

ost_result ost_mixer_init(ost_mixer *m, const ost_config *c) {
    memset(m, 0, sizeof *m);
    m->rate = (float)c->sample_rate;
    m->channels = (uint32_t)c->channels;
    m->pairs = m->channels >= 2 ? m->channels / 2 : 1;
    m->latency = (uint32_t)lround(c->lookahead_ms * 1e-3 * c->sample_rate);
    m->limiter_gain = 1.0f;
    m->burn_ns = (uint64_t)(c->test_burn_us * 1000.0);
    ost_result r;
    if ((r = ost_ring_init(&m->ring, (uint32_t)c->ring_capacity)) != OST_OK) goto fail;
    if ((r = ost_pending_init(&m->pending, (uint32_t)c->queue_capacity)) != OST_OK) goto fail;
    if ((r = ost_buses_init(&m->buses, (uint32_t)c->orbits, m->rate, m->channels)) != OST_OK) goto fail;
    if ((r = ost_streams_init(&m->streams, (uint32_t)c->max_streams)) != OST_OK) goto fail;
    if ((r = ost_samples_init(&m->samples, (uint32_t)c->max_samples,
                              (uint64_t)(c->stream_threshold_mb * 1048576.0), &m->streams)) != OST_OK)
        goto fail;
    if ((r = ost_voices_init(&m->voices, (uint32_t)c->max_voices, m->rate, (uint64_t)c->seed, &m->buses, &m->samples,
                             &m->streams)) != OST_OK)
        goto fail;
    if ((r = ost_recorder_init(&m->recorder, m->rate, m->channels, c->record_buffer_s)) != OST_OK) goto fail;
    for (uint32_t p = 0; p < OST_MAX_PAIRS; p++) {
        m->pair_l[p] = aligned_alloc(64, OST_MIX_BLOCK * sizeof(float));
        m->pair_r[p] = aligned_alloc(64, OST_MIX_BLOCK * sizeof(float));
        if (!m->pair_l[p] || !m->pair_r[p]) {
            r = OST_OUT_OF_MEMORY;
            goto fail;
        }
        memset(m->pair_l[p], 0, OST_MIX_BLOCK * sizeof(float));
        memset(m->pair_r[p], 0, OST_MIX_BLOCK * sizeof(float));
        if ((r = ost_limiter_init(&m->limiter[p], m->rate, m->latency)) != OST_OK) goto fail;
    }
    m->scope = aligned_alloc(64, sizeof(ost_scope));
    if (!m->scope) {
        r = OST_OUT_OF_MEMORY;
        goto fail;
    }
    m->peak_decay_per_frame = log(0.1) / (0.3 * m->rate); /* -20 dB in 300 ms */
    ost_telemetry_init(&m->telemetry);
    ost_scope_init(m->scope);
    ost_clock_slot_init(&m->clock_source);
    OST_INIT(&m->backend_kind, 0);
    OST_INIT(&m->device_lost, 0);
    OST_INIT(&m->device_losses, 0);
    OST_INIT(&m->device_returns, 0);
    OST_INIT(&m->running, 0);
    return OST_OK;
fail:
    ost_mixer_free(m);
    return r;
}

void ost_mixer_free(ost_mixer *m) {
    ost_recorder_free(&m->recorder);
    ost_voices_free(&m->voices);
    /* the sample table before the streams: its loader may still look at them */
    if (m->samples.slots) ost_samples_free_all(&m->samples);
    ost_streams_free(&m->streams);
    ost_buses_free(&m->buses);
    ost_ring_free(&m->ring);
    ost_pending_free(&m->pending);
    for (uint32_t p = 0; p < OST_MAX_PAIRS; p++) {
        free(m->pair_l[p]);
        free(m->pair_r[p]);
        m->pair_l[p] = m->pair_r[p] = NULL;
        ost_limiter_free(&m->limiter[p]);
    }
    free(m->scope);
    m->scope = NULL;
}

static uint64_t monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no system call, no lock */
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* CPU time of the calling thread: what the render itself cost, whatever the
   host's scheduler did meanwhile. A system call on Linux, but one that never
   blocks; made twice per real-time callback. */
static uint64_t thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------- streams */

/* A NOTE of a streamed sample gets its stream as it is taken in, so the
   reader has the event's whole lead time to fill the ring. The stream
   holds the sample until it is released. */
static void claim_stream(ost_mixer *m, ost_note *e) {
    const float *v = e->params;
    if ((int)v[OST_PARAM_SOUND] != OST_SOUND_SAMPLE) return;
    ost_sample_data *d = ost_samples_get_rt(&m->samples, (int32_t)v[OST_PARAM_SAMPLE]);
    if (!d || !d->streamed) return;
    int64_t len = (int64_t)d->length;
    int64_t first = (int64_t)floorf(v[OST_PARAM_BEGIN] * (float)len);
    int64_t last = (int64_t)ceilf(v[OST_PARAM_END] * (float)len) - 1;
    if (first < 0) first = 0;
    if (last > len - 1) last = len - 1;
    int loop = v[OST_PARAM_LOOP] >= 0.5f;
    int64_t lb = (int64_t)floorf(v[OST_PARAM_LOOPBEGIN] * (float)len);
    int64_t le = (int64_t)ceilf(v[OST_PARAM_LOOPEND] * (float)len);
    if (le > len) le = len;
    if (le <= lb) loop = 0;
    int32_t dir = v[OST_PARAM_SPEED] < 0.0f ? -1 : 1;
    if (loop) dir = 1; /* streams loop forwards */
    int64_t start = dir > 0 ? first : last, stop = dir > 0 ? (loop ? len : last + 1) : first - 1;
    int32_t index = ost_streams_claim_rt(&m->streams, d, start, stop, dir, loop, lb, le);
    if (index < 0) return; /* counted when the voice finds none */
    ost_samples_hold_rt(d);
    e->reserved = (uint32_t)index + 1;
}

static void release_stream(ost_mixer *m, const ost_note *e) {
    if (!e->reserved) return;
    int32_t index = (int32_t)e->reserved - 1;
    ost_sample_data *d = m->streams.streams[index].sample;
    ost_streams_release_rt(&m->streams, index);
    ost_samples_drop_rt(&m->samples, d);
}

static void dropped(void *ctx, const ost_note *e) { release_stream(ctx, e); }

/* -------------------------------------------------------------- events */

/* Moves what the producer pushed into the pending queue, in push order.
   CLEAR acts here, at once, on what was pushed before it. A NOTE's
   extension comes right after it (one push publishes both) and joins it. */
void ost_mixer_take_events(ost_mixer *m) {
    uint32_t n = ost_ring_readable(&m->ring);
    for (uint32_t taken = 0; taken < n; taken++) {
        const ost_event *e = ost_ring_peek(&m->ring);
        uint32_t records = 1;
        if (e->kind == OST_EVENT_CLEAR) {
            m->cleared += ost_pending_clear(&m->pending, e->slot, e->start_frame, dropped, m);
        } else if (e->kind == OST_EVENT_EXT) {
            /* an extension whose note was not taken: cannot happen (pushes are checked); skipped */
        } else if (ost_pending_has_room(&m->pending)) {
            const ost_event *ext = NULL;
            if (e->kind == OST_EVENT_NOTE && taken + 1 < n && ost_ring_peek_at(&m->ring, 1)->kind == OST_EVENT_EXT) {
                ext = ost_ring_peek_at(&m->ring, 1);
                records = 2;
            }
            ost_note *copy = ost_pending_insert(&m->pending, e, ext);
            if (copy->kind == OST_EVENT_NOTE) claim_stream(m, copy);
        } else {
            break; /* the rest waits in the ring until there is room */
        }
        ost_ring_advance(&m->ring, records);
        taken += records - 1;
    }
}

static void apply_event(ost_mixer *m, const ost_note *e, int late, uint32_t offset) {
    switch (e->kind) {
    case OST_EVENT_NOTE: {
        if (late) m->late++;
        if ((int)e->params[OST_PARAM_SOUND] >= 0) ost_buses_configure(&m->buses, e->params);
        ost_buses_duck(&m->buses, e->params, offset);
        int r = ost_voices_start(&m->voices, e, offset);
        if (r > 0) m->played++;
        else if (r == 0) m->unknown++;
        if (r <= 0) release_stream(m, e); /* a voice that started owns its stream */
        break;
    }
    case OST_EVENT_RELEASE: {
        uint32_t fade = e->dur_frames ? e->dur_frames : (uint32_t)(0.005f * m->rate);
        ost_voices_release(&m->voices, e->slot, fade);
        break;
    }
    case OST_EVENT_FADE_FX:
        ost_buses_fade_fx(&m->buses, e->dur_frames ? e->dur_frames : (uint32_t)(0.01f * m->rate));
        break;
    default: /* pushes are validated; nothing else reaches the queue */
        break;
    }
}

/* Renders `n` (at most OST_MIX_BLOCK) frames of voices and orbits into the
   pairs' buffers, on the voices' clock (the output clock plus the
   lookahead). Events split the step at their own frames, so every voice
   starts (and every release happens) on its exact sample. */
static void voice_step(ost_mixer *m, uint32_t n) {
    uint64_t t0 = m->voice_clock, t1 = t0 + n;
    ost_mixer_take_events(m);
    ost_buses_begin(&m->buses, n);
    uint32_t cursor = 0;
    const ost_note *e;
    while ((e = ost_pending_top(&m->pending)) && e->start_frame < t1) {
        int late = e->start_frame < t0;
        uint32_t at = late ? 0 : (uint32_t)(e->start_frame - t0);
        if (at > cursor) {
            ost_voices_render(&m->voices, cursor, at - cursor);
            cursor = at;
        }
        ost_pending_pop(&m->pending); /* the record stays readable until the next insert */
        apply_event(m, e, late, cursor);
    }
    if (cursor < n) ost_voices_render(&m->voices, cursor, n - cursor);
    ost_buses_finish(&m->buses, n, m->pair_l, m->pair_r);
    m->voice_clock = t1;
}

/* Writes the pairs into the caller's interleaved buffer. */
static void write_out(ost_mixer *m, float *out, uint32_t n) {
    uint32_t ch = m->channels;
    double bp[OST_MAX_CHANNELS] = {0};
    if (ch == 1) {
        const float *l = m->pair_l[0], *r = m->pair_r[0];
        for (uint32_t i = 0; i < n; i++) {
            float x = (l[i] + r[i]) * 0.70710678f;
            out[i] = x;
            bp[0] = fmax(bp[0], fabsf(x));
        }
    } else {
        for (uint32_t i = 0; i < n; i++) {
            float *f = out + (size_t)i * ch;
            for (uint32_t c = 0; c < ch; c++) {
                uint32_t p = c / 2;
                float x = p < m->pairs ? ((c & 1) ? m->pair_r[p][i] : m->pair_l[p][i]) : 0.0f;
                f[c] = x;
                bp[c] = fmax(bp[c], fabsf(x));
            }
        }
    }
    double decay = exp(m->peak_decay_per_frame * n);
    for (uint32_t c = 0; c < ch && c < OST_MAX_CHANNELS; c++) m->peak[c] = fmax(bp[c], m->peak[c] * decay);
    for (uint32_t c = 0; c < ch && c < OST_MAX_CHANNELS; c++) m->peak_max[c] = fmax(bp[c], m->peak_max[c]);
}

/* The voices run `latency` frames ahead of the output, so that the
   limiters' lookahead delay moves nothing: the first time, they render
   that much first (what comes out of the limiters meanwhile is the
   silence they started with). */
static void prime(ost_mixer *m) {
    uint32_t left = m->latency;
    while (left) {
        uint32_t n = left < OST_MIX_BLOCK ? left : OST_MIX_BLOCK;
        voice_step(m, n);
        for (uint32_t p = 0; p < m->pairs; p++) ost_limiter_process(&m->limiter[p], m->pair_l[p], m->pair_r[p], n);
        left -= n;
    }
    m->primed = 1;
}

static void render_step(ost_mixer *m, float *out, uint32_t n) {
    if (!m->primed) prime(m);
    voice_step(m, n);
    for (uint32_t p = 0; p < m->pairs; p++) ost_limiter_process(&m->limiter[p], m->pair_l[p], m->pair_r[p], n);
    write_out(m, out, n);
    ost_scope_write(m->scope, out, n, m->channels);
    ost_recorder_write_rt(&m->recorder, out, n, m->clock);
    m->clock += n;
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
    t.engine_overruns[0].u = m->overruns;
    t.render_cpu_ns[0].u = m->render_cpu_ns;
    t.render_max_ns[0].u = m->render_max_ns;
    t.render_wall_max_ns[0].u = m->render_wall_max_ns;
    for (int b = 0; b < OST_RENDER_HIST_BUCKETS; b++) t.render_hist[b].u = m->render_hist[b];
    t.host_xruns[0].u = m->host_xruns;
    t.callback_gap_max_ns[0].u = m->gap_max_ns;
    t.late_events[0].u = m->late;
    t.stolen_voices[0].u = m->voices.stolen;
    t.events_played[0].u = m->played;
    t.unknown_sounds[0].u = m->unknown;
    t.cleared_events[0].u = m->cleared;
    t.reset_voices[0].u = m->voices.reset;
    t.active_voices[0].u = m->voices.active_voices;
    t.pending_events[0].u = m->pending.count;
    t.latency_frames[0].u = m->latency;
    t.limiter_gain[0].f = m->limiter_gain;
    t.samples_not_ready[0].u = m->voices.not_ready;
    t.stream_underruns[0].u = m->voices.stream_underruns;
    t.streams_unavailable[0].u = m->voices.streams_unavailable;
    t.streams_active[0].u = m->streams.in_use;
    /* Relaxed: the recorder's counters are the audio thread's own writes. */
    uint32_t rec = OST_LOAD(&m->recorder.state, OST_RELAXED);
    t.recording[0].u = rec == OST_REC_RUNNING;
    t.record_start_frame[0].u = OST_LOAD(&m->recorder.start_frame, OST_RELAXED);
    t.record_frames[0].u = OST_LOAD(&m->recorder.frames, OST_RELAXED);
    t.record_dropped[0].u = OST_LOAD(&m->recorder.dropped, OST_RELAXED);
    /* Relaxed: the writer thread's counters, for reading only. */
    t.record_lost[0].u = OST_LOAD(&m->recorder.lost, OST_RELAXED);
    t.record_error[0].u = OST_LOAD(&m->recorder.error, OST_RELAXED);
    for (int c = 0; c < OST_MAX_CHANNELS; c++) t.peak[c].f = m->peak[c];
    for (int c = 0; c < OST_MAX_CHANNELS; c++) t.peak_max[c].f = m->peak_max[c];
    t.clock_captures[0].u = m->clock_source.captures;
    t.clock_frame[0].u = m->clock_source.frame;
    t.clock_host_us[0].f = m->clock_source.last.host_us;
    t.clock_beat[0].f = m->clock_source.last.beat;
    t.clock_bpm[0].f = m->clock_source.last.bpm;
    t.clock_playing[0].f = m->clock_source.last.playing;
    ost_telemetry_publish(&m->telemetry, &t);
}

/* The test hook: burns CPU time, as a render too heavy for its block would. */
static void burn(uint64_t cpu_start, uint64_t ns) {
    while (thread_cpu_ns() - cpu_start < ns) {
    }
}

/* Where the render's CPU time falls, in shares of the block's duration. */
static const double render_hist_edges[OST_RENDER_HIST_BUCKETS - 1] = {1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2, 3.0 / 4, 1.0, 2.0};

double ost_render_hist_edge(uint32_t index) {
    return index < OST_RENDER_HIST_BUCKETS - 1 ? render_hist_edges[index] : 0;
}

static uint32_t hist_bucket(uint64_t cpu_ns, double budget_ns) {
    uint32_t b = 0;
    while (b < OST_RENDER_HIST_BUCKETS - 1 && (double)cpu_ns >= render_hist_edges[b] * budget_ns) b++;
    return b;
}

/* Real-time accounting of one callback (not offline, where there is no
   deadline): the engine's render time and the host's gap between callbacks. */
static void account(ost_mixer *m, uint32_t frames, uint64_t start_ns, uint64_t end_ns, uint64_t cpu_ns) {
    double budget_ns = frames * 1e9 / m->rate;
    if ((double)cpu_ns > budget_ns) m->overruns++;
    m->render_cpu_ns += cpu_ns;
    if (cpu_ns > m->render_max_ns) m->render_max_ns = cpu_ns;
    if (end_ns - start_ns > m->render_wall_max_ns) m->render_wall_max_ns = end_ns - start_ns;
    m->render_hist[hist_bucket(cpu_ns, budget_ns)]++;
    if (m->last_start_ns && start_ns - m->last_start_ns > m->gap_max_ns) m->gap_max_ns = start_ns - m->last_start_ns;
    m->last_start_ns = start_ns;
}

void ost_mixer_render(ost_mixer *m, float *out, uint32_t frames) {
    uint64_t start_ns = monotonic_ns();
    /* Relaxed: an independent flag, set before the backend started. */
    int realtime = OST_LOAD(&m->backend_kind, OST_RELAXED) != OST_BACKEND_OFFLINE;
    uint64_t cpu_start = realtime ? thread_cpu_ns() : 0;
    if (realtime && m->burn_ns) burn(cpu_start, m->burn_ns);
#if defined(__SSE__)
    /* Flush denormals to zero while we render (decaying filters would
       otherwise crawl through them); the caller's mode is restored after. */
    unsigned int csr = _mm_getcsr();
    _mm_setcsr(csr | 0x8040);
#endif
    ost_samples_poll_rt(&m->samples);
    ost_clock_slot_capture_rt(&m->clock_source, m->clock);
    uint32_t done = 0;
    while (done < frames) {
        uint32_t n = frames - done < OST_MIX_BLOCK ? frames - done : OST_MIX_BLOCK;
        render_step(m, out + (size_t)done * m->channels, n);
        done += n;
    }
    m->limiter_gain = ost_limiter_take_min_gain(&m->limiter[0]);
#if defined(__SSE__)
    _mm_setcsr(csr);
#endif
    uint64_t end_ns = monotonic_ns();
    if (frames > 0) {
        double budget_ns = frames * 1e9 / m->rate;
        double load = (double)(end_ns - start_ns) / budget_ns;
        m->cpu_load += 0.1 * (load - m->cpu_load); /* one-pole smoothing, as pa_cpuload */
        if (realtime) account(m, frames, start_ns, end_ns, thread_cpu_ns() - cpu_start);
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
    out->latency_frames[0].u = m->latency; /* fixed at open: known before the first block */
    /* Relaxed: independent flags; nothing is read through them. */
    uint32_t kind = OST_LOAD(&m->backend_kind, OST_RELAXED);
    out->backend[0].u = kind;
    out->device_lost[0].u = OST_LOAD(&m->device_lost, OST_RELAXED);
    out->device_losses[0].u = OST_LOAD(&m->device_losses, OST_RELAXED);
    out->device_returns[0].u = OST_LOAD(&m->device_returns, OST_RELAXED);
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
