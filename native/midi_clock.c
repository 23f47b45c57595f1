/*
 * midi_clock.c — MIDI clock out and in through JACK MIDI (see midi_clock.h).
 * midi_process runs on JACK's real-time thread: atomics, arithmetic and
 * JACK's MIDI buffer calls only.
 */
#include "midi_clock.h"

#include <jack/jack.h>
#include <jack/midiport.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atomics.h"

#define PLAN_WORDS 5
#define STATS_WORDS 10

/* A seqlock of a few doubles: one writer; readers retry or give up. */
typedef struct seq_doubles {
    ost_atomic_u64 seq;
    ost_atomic_u64 words[10];
} seq_doubles;

static void seq_write(seq_doubles *b, const double *v, int n) {
    uint64_t s = OST_LOAD(&b->seq, OST_RELAXED);
    OST_STORE(&b->seq, s + 1, OST_RELAXED);
    atomic_thread_fence(memory_order_release); /* the odd sequence before the words */
    for (int i = 0; i < n; i++) {
        uint64_t w;
        memcpy(&w, &v[i], sizeof w);
        OST_STORE(&b->words[i], w, OST_RELAXED);
    }
    OST_STORE(&b->seq, s + 2, OST_RELEASE); /* the words before the even sequence */
}

/* One attempt: 1 with a whole snapshot in v, 0 when a write was under way. */
static int seq_try_read(const seq_doubles *b, double *v, int n, uint64_t *seq_out) {
    uint64_t s0 = OST_LOAD(&b->seq, OST_ACQUIRE);
    if (s0 & 1) return 0;
    for (int i = 0; i < n; i++) {
        uint64_t w = OST_LOAD(&b->words[i], OST_RELAXED);
        memcpy(&v[i], &w, sizeof w);
    }
    atomic_thread_fence(memory_order_acquire); /* the words before the second sequence read */
    if (OST_LOAD(&b->seq, OST_RELAXED) != s0) return 0;
    if (seq_out) *seq_out = s0;
    return 1;
}

struct ost_midi_clock {
    jack_client_t *client;
    int owns_client; /**< 0: ports on the MIDI client (midi_jack.c), which runs and frees it */
    jack_port_t *out, *in;
    seq_doubles plan;  /**< control -> audio: start_frame, frames_per_pulse, transport, song_position, (unused) */
    seq_doubles stats; /**< audio -> control */
    /* audio thread only */
    uint64_t plan_seq;
    double next_pulse, period;
    int pulsing, pending; /**< pending: the transport message due at next_pulse */
    uint32_t song_position;
    double sent, last_sent, late;
    double received, last_received, in_period;
    int in_running;
    /* the input's song position, in pulses: set by Song Position (x 6) and Start (0), one more per pulse */
    double in_position, pulse_position, starts;
    int gap; /**< a Start or Continue came: the interval before the next pulse is not a tempo */
};

static void write_bytes(void *buffer, jack_nframes_t offset, const unsigned char *bytes, size_t n) {
    jack_midi_data_t *d = jack_midi_event_reserve(buffer, offset, n);
    if (d) memcpy(d, bytes, n); /* a full buffer drops the message: nothing to wait for here */
}

/* Takes in a new plan, if the control thread published one. */
static void adopt_plan(ost_midi_clock *c) {
    double p[PLAN_WORDS];
    uint64_t seq;
    if (!seq_try_read(&c->plan, p, PLAN_WORDS, &seq) || seq == c->plan_seq) return;
    c->plan_seq = seq;
    c->next_pulse = p[0];
    c->period = p[1];
    c->pending = (int)p[2];
    c->song_position = (uint32_t)p[3];
    c->pulsing = c->pending != 3 && c->period > 0;
    if (c->pending == 0 && !c->pulsing) c->pending = -1;
}

static void send_out(ost_midi_clock *c, jack_nframes_t nframes, jack_nframes_t frame0) {
    void *buffer = jack_port_get_buffer(c->out, nframes);
    jack_midi_clear_buffer(buffer);
    double end = (double)frame0 + nframes;
    if (c->pending == 3 && c->next_pulse < end) {
        double at = c->next_pulse < frame0 ? frame0 : c->next_pulse;
        write_bytes(buffer, (jack_nframes_t)(at - frame0), (const unsigned char[]){0xFC}, 1);
        c->pending = 0;
        return;
    }
    for (int guard = 0; c->pulsing && c->next_pulse < end && guard < 4096; guard++) {
        double at = c->next_pulse;
        if (at < frame0) { /* a plan that starts in the past, or a missed cycle: late, at the cycle's start */
            c->late++;
            at = frame0;
        }
        jack_nframes_t offset = (jack_nframes_t)floor(at - frame0);
        if (c->pending == 1 || c->pending == 2) {
            unsigned char spp[3] = {0xF2, (unsigned char)(c->song_position & 0x7F), (unsigned char)((c->song_position >> 7) & 0x7F)};
            write_bytes(buffer, offset, spp, 3);
            write_bytes(buffer, offset, (const unsigned char[]){c->pending == 1 ? 0xFA : 0xFB}, 1);
            c->pending = 0;
        }
        write_bytes(buffer, offset, (const unsigned char[]){0xF8}, 1);
        c->sent++;
        c->last_sent = (double)frame0 + offset;
        c->next_pulse += c->period;
    }
}

static void take_in(ost_midi_clock *c, jack_nframes_t nframes, jack_nframes_t frame0) {
    void *buffer = jack_port_get_buffer(c->in, nframes);
    uint32_t n = jack_midi_get_event_count(buffer);
    for (uint32_t i = 0; i < n; i++) {
        jack_midi_event_t ev;
        if (jack_midi_event_get(&ev, buffer, i) != 0 || ev.size < 1) continue;
        double at = (double)frame0 + ev.time;
        switch (ev.buffer[0]) {
        case 0xF8:
            if (c->received > 0 && !c->gap) {
                double interval = at - c->last_received;
                /* one-pole smoothing of the pulse period: a tempo change settles within a beat or so */
                c->in_period = c->in_period > 0 ? c->in_period + 0.15 * (interval - c->in_period) : interval;
            }
            c->received++;
            c->last_received = at;
            c->gap = 0;
            if (c->in_running) c->pulse_position = c->in_position++;
            break;
        case 0xF2:
            if (ev.size >= 3) c->in_position = 6.0 * (double)(ev.buffer[1] | (ev.buffer[2] << 7));
            break;
        case 0xFA:
            c->in_position = 0;
            c->in_running = 1;
            c->starts++;
            c->gap = 1;
            break;
        case 0xFB:
            c->in_running = 1;
            c->starts++;
            c->gap = 1;
            break;
        case 0xFC: c->in_running = 0; break;
        default: break;
        }
    }
}

void ost_midi_clock_run(ost_midi_clock *c, jack_nframes_t nframes) {
    jack_nframes_t frame0 = jack_last_frame_time(c->client);
    adopt_plan(c);
    send_out(c, nframes, frame0);
    take_in(c, nframes, frame0);
    double s[STATS_WORDS] = {c->sent, c->last_sent, c->received, c->last_received, c->in_period, c->in_running, c->late,
                             c->pulse_position, c->starts, 0};
    seq_write(&c->stats, s, STATS_WORDS);
}

static int midi_process(jack_nframes_t nframes, void *arg) {
    ost_midi_clock_run(arg, nframes);
    return 0;
}

ost_midi_clock *ost_midi_clock_on_client(jack_client_t *client) {
    ost_midi_clock *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->client = client;
    c->out = jack_port_register(client, "clock_out", JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
    c->in = jack_port_register(client, "clock_in", JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
    if (!c->out || !c->in) {
        if (c->out) jack_port_unregister(client, c->out);
        if (c->in) jack_port_unregister(client, c->in);
        free(c);
        return NULL;
    }
    return c;
}

ost_result ost_midi_clock_open(const char *name, ost_midi_clock **out) {
    if (!name || !name[0] || !out) return OST_INVALID_ARGS;
    *out = NULL;
    ost_midi_clock *c = calloc(1, sizeof *c);
    if (!c) return OST_OUT_OF_MEMORY;
    c->owns_client = 1;
    c->client = jack_client_open(name, JackNoStartServer, NULL);
    if (!c->client) {
        free(c);
        return OST_DEVICE_ERROR;
    }
    c->out = jack_port_register(c->client, "clock_out", JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
    c->in = jack_port_register(c->client, "clock_in", JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
    if (!c->out || !c->in || jack_set_process_callback(c->client, midi_process, c) != 0 || jack_activate(c->client) != 0) {
        jack_client_close(c->client);
        free(c);
        return OST_DEVICE_ERROR;
    }
    *out = c;
    return OST_OK;
}

void ost_midi_clock_close(ost_midi_clock *c) {
    if (!c || !c->owns_client) return; /* on the MIDI client: freed with it */
    jack_deactivate(c->client);
    jack_client_close(c->client);
    free(c);
}

ost_result ost_midi_clock_time(ost_midi_clock *c, double *out) {
    if (!c || !out) return OST_INVALID_ARGS;
    out[0] = (double)jack_frame_time(c->client);
    out[1] = (double)jack_get_sample_rate(c->client);
    return OST_OK;
}

ost_result ost_midi_clock_plan(ost_midi_clock *c, double start_frame, double frames_per_pulse, uint32_t transport,
                               uint32_t song_position) {
    if (!c || !isfinite(start_frame) || start_frame < 0 || transport > 3 || song_position > 16383) return OST_INVALID_ARGS;
    if (transport != 3 && !(frames_per_pulse >= 1 && frames_per_pulse <= 1e7)) return OST_INVALID_ARGS;
    double p[PLAN_WORDS] = {start_frame, frames_per_pulse, transport, song_position, 0};
    seq_write(&c->plan, p, PLAN_WORDS);
    return OST_OK;
}

ost_result ost_midi_clock_stats(ost_midi_clock *c, double *out) {
    if (!c || !out) return OST_INVALID_ARGS;
    for (int i = 0; i < 1000; i++)
        if (seq_try_read(&c->stats, out, STATS_WORDS, NULL)) return OST_OK;
    return OST_WRONG_STATE;
}

void ost_midi_clock_free(ost_midi_clock *c) { free(c); }
