/*
 * midi_alsa.c — MIDI out and in through the ALSA sequencer.
 *
 * One sequencer client of our own ("ostinato") with output and input ports
 * (one per device asked for, as on JACK, so each is subscribed to its own
 * device and a vanished device can be subscribed again). The control thread
 * (the live worker, over FFI) pushes the same 88-byte records as for JACK
 * (midi_record.h) into a lock-free SPSC ring. A thread of this client's own
 * (never the audio callback) moves them into a pool, and hands each to the
 * kernel `MIDI_ALSA_AHEAD_S` before its time, scheduled on an ALSA queue at
 * its real-time stamp: the kernel's timer plays it then.
 *
 * Engine frames to time: the control thread gives the map of the live
 * worker's delay-locked loop (server/targets/wall-clock.ts: frame to
 * CLOCK_REALTIME, the one the OSC time tags use), plus --midi-latency, with
 * ost_alsa_midi_map. The thread reads the queue's clock and CLOCK_REALTIME
 * together each round and schedules at queue time now + (event - now).
 *
 * No hanging notes: a CUT (a slot stops, a hush) moves the slot's pending
 * note-offs to the cut frame, never before what was already handed to the
 * kernel (a note-on already there keeps its note-off after it), and drops
 * the rest. On close, what is still pending is written at once, unscheduled:
 * closing the client drops its queue.
 *
 * MIDI in: the thread reads the sequencer's events, translates each back to
 * bytes (midi_alsa_event.c: the same seam, reversed) and keeps short
 * messages in the 16-byte records of ost_midi_read, SysEx whole in a byte
 * ring (ost_alsa_midi_read_sysex).
 *
 * No /dev/snd/seq (as on this project's machines): the open fails with the
 * reason in words, and the session says it once.
 */
#include <alsa/asoundlib.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomics.h"
#include "midi_alsa_event.h"
#include "midi_alsa_pool.h"
#include "midi_record.h"
#include "ostinato.h"

/* Seconds before its time a message goes to the kernel's queue: far enough
   for a thread woken late by a busy machine, near enough that a stop still
   reaches most of what is pending (note-offs are never lost either way). */
#define MIDI_ALSA_AHEAD_S 0.040
/* How long the thread sleeps between rounds when nothing arrives, ms. */
#define MIDI_ALSA_ROUND_MS 2
#define NAME_MAX_BYTES 128

struct ost_alsa_midi {
    snd_seq_t *seq;
    int client;
    int queue;
    char client_name[64];
    int ports[MIDI_PORTS];
    char port_names[MIDI_PORTS][NAME_MAX_BYTES];
    ost_atomic_u32 port_count; /* release after a port is made; the thread acquires */
    int in_ports[MIDI_PORTS];
    char in_names[MIDI_PORTS][NAME_MAX_BYTES];
    ost_atomic_u32 in_count;
    pthread_t thread;
    ost_atomic_u32 running;
    /* the frame -> real-time map: a seqlock (control writes, the thread reads) */
    ost_atomic_u32 map_seq;
    ost_atomic_u64 map_frame, map_time, map_spf; /* doubles as bits */
    ost_atomic_u32 mapped;
    /* ring: written by the control thread, read by the thread */
    midi_record ring[MIDI_RING];
    ost_atomic_u64 head;
    ost_atomic_u64 tail;
    /* owned by the thread */
    alsa_pool pool;
    /* received: written by the thread, read by the control thread */
    midi_in_record in_ring[MIDI_IN_RING];
    ost_atomic_u64 in_head;
    ost_atomic_u64 in_tail;
    ost_atomic_u64 in_dropped;
    midi_sysex_ring sysex;
    uint8_t sx_buf[8192]; /* a SysEx being put together from its pieces (the thread's) */
    uint32_t sx_len;
    int sx_port;
    /* counters (the thread writes, control reads) */
    ost_atomic_u64 sent, late, dropped;
};

static uint64_t bits(double x) {
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static double unbits(uint64_t b) {
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

static double realtime_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* libasound prints its own failures to stderr; the reason is ours to say once. */
static void quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file, (void)line, (void)function, (void)err, (void)fmt;
}

/* Opens the sequencer with libasound quiet (the handler is process-wide: set back after). */
static int open_seq(snd_seq_t **seq, int mode) {
    snd_lib_error_set_handler(quiet);
    int r = snd_seq_open(seq, "default", SND_SEQ_OPEN_DUPLEX, mode);
    snd_lib_error_set_handler(NULL);
    return r;
}

static void say_why(char *why, uint32_t size, int err) {
    if (why && size) snprintf(why, size, "the ALSA sequencer cannot open (/dev/snd/seq: %s)", snd_strerror(err));
}

/* --- the thread ------------------------------------------------------- */

static int map_read(ost_alsa_midi *m, double *frame, double *time, double *spf) {
    for (int tries = 0; tries < 8; tries++) {
        uint32_t s0 = OST_LOAD(&m->map_seq, OST_ACQUIRE);
        if (s0 & 1) continue;
        *frame = unbits(OST_LOAD(&m->map_frame, OST_RELAXED));
        *time = unbits(OST_LOAD(&m->map_time, OST_RELAXED));
        *spf = unbits(OST_LOAD(&m->map_spf, OST_RELAXED));
        atomic_thread_fence(memory_order_acquire);
        if (OST_LOAD(&m->map_seq, OST_RELAXED) == s0) return OST_LOAD(&m->mapped, OST_ACQUIRE) != 0;
    }
    return 0;
}

static void drain_ring(ost_alsa_midi *m) {
    uint64_t tail = OST_LOAD(&m->tail, OST_RELAXED);
    uint64_t head = OST_LOAD(&m->head, OST_ACQUIRE); /* the records before head are written */
    while (tail != head) {
        if (!alsa_pool_add(&m->pool, &m->ring[tail & (MIDI_RING - 1)])) break; /* pool full: the rest waits in the ring */
        tail++;
    }
    OST_STORE(&m->tail, tail, OST_RELEASE); /* the slots before tail may be reused */
}

/* Writes one record to the kernel: scheduled at queue time `at` (seconds), or at once when at < 0. */
static int output(ost_alsa_midi *m, const midi_record *r, double at) {
    uint32_t nports = OST_LOAD(&m->port_count, OST_ACQUIRE);
    if (r->port >= nports) return -1;
    snd_seq_event_t ev;
    if (ost_alsa_encode(r->data, r->len, &ev) != 1) return -1;
    snd_seq_ev_set_source(&ev, m->ports[r->port]);
    snd_seq_ev_set_subs(&ev);
    if (at < 0) {
        snd_seq_ev_set_direct(&ev);
    } else {
        snd_seq_real_time_t rt;
        rt.tv_sec = (unsigned int)at;
        rt.tv_nsec = (unsigned int)((at - (double)rt.tv_sec) * 1e9);
        if (rt.tv_nsec >= 1000000000u) rt.tv_nsec = 999999999u;
        snd_seq_ev_schedule_real(&ev, m->queue, 0, &rt);
    }
    return snd_seq_event_output(m->seq, &ev) >= 0 ? 0 : -1;
}

/* Hands the records due within the window to the kernel, in the pool's order. */
static void hand_over(ost_alsa_midi *m) {
    double f0, t0, spf;
    if (m->pool.count == 0 || !map_read(m, &f0, &t0, &spf)) return;
    snd_seq_queue_status_t *status;
    snd_seq_queue_status_alloca(&status);
    if (snd_seq_get_queue_status(m->seq, m->queue, status) < 0) return;
    const snd_seq_real_time_t *q = snd_seq_queue_status_get_real_time(status);
    double queue_now = (double)q->tv_sec + (double)q->tv_nsec * 1e-9;
    double now = realtime_now();
    uint32_t ndue = alsa_pool_due(&m->pool, f0, t0, spf, now + MIDI_ALSA_AHEAD_S);
    if (ndue == 0) return;
    uint64_t sent = 0, late = 0, dropped = 0;
    for (uint32_t i = 0; i < ndue; i++) {
        const midi_record *r = &m->pool.pool[m->pool.due[i]];
        /* The queue's clock and CLOCK_REALTIME read together: the event's time on the queue. */
        double at = queue_now + (t0 + (r->frame - f0) * spf - now);
        if (at < queue_now) {
            late++;
            at = queue_now;
        }
        if (output(m, r, at) == 0) sent++;
        else dropped++;
    }
    alsa_pool_handed(&m->pool, ndue);
    snd_seq_drain_output(m->seq);
    if (sent) OST_STORE(&m->sent, OST_LOAD(&m->sent, OST_RELAXED) + sent, OST_RELAXED);
    if (late) OST_STORE(&m->late, OST_LOAD(&m->late, OST_RELAXED) + late, OST_RELAXED);
    if (dropped) OST_STORE(&m->dropped, OST_LOAD(&m->dropped, OST_RELAXED) + dropped, OST_RELAXED);
}

static int input_index(ost_alsa_midi *m, int port) {
    uint32_t n = OST_LOAD(&m->in_count, OST_ACQUIRE);
    for (uint32_t i = 0; i < n; i++)
        if (m->in_ports[i] == port) return (int)i;
    return -1;
}

/* One received event: SysEx to its ring, the rest as short messages (an NRPN event is four CCs). */
static void receive_event(ost_alsa_midi *m, const snd_seq_event_t *ev) {
    int index = input_index(m, ev->dest.port);
    if (index < 0) return;
    if (ev->type == SND_SEQ_EVENT_SYSEX) {
        /* A long SysEx from a kernel MIDI port comes in pieces (F0 ..., ..., ... F7): put together here. */
        const uint8_t *b = ev->data.ext.ptr;
        uint32_t len = ev->data.ext.len;
        if (!b || len == 0) return;
        if (b[0] == 0xf0) {
            m->sx_len = 0;
            m->sx_port = index;
        } else if (m->sx_len == 0 || m->sx_port != index) {
            return; /* a piece of a message whose start we did not see */
        }
        if (m->sx_len + len > sizeof m->sx_buf) {
            OST_STORE(&m->sysex.dropped, OST_LOAD(&m->sysex.dropped, OST_RELAXED) + 1, OST_RELAXED);
            m->sx_len = 0;
            return;
        }
        memcpy(m->sx_buf + m->sx_len, b, len);
        m->sx_len += len;
        if (b[len - 1] == 0xf7) {
            midi_sysex_put(&m->sysex, (uint8_t)index, m->sx_buf, m->sx_len);
            m->sx_len = 0;
        }
        return;
    }
    uint8_t bytes[16];
    int32_t n = ost_alsa_decode(ev, bytes, sizeof bytes);
    uint64_t head = OST_LOAD(&m->in_head, OST_RELAXED);
    uint64_t tail = OST_LOAD(&m->in_tail, OST_ACQUIRE); /* slots before tail are free */
    for (int32_t at = 0; at < n;) {
        uint32_t len = bytes[at] >= 0xf8 || bytes[at] == 0xf6 ? 1 : (bytes[at] & 0xe0) == 0xc0 || bytes[at] == 0xf1 || bytes[at] == 0xf3 ? 2 : 3;
        if ((int32_t)(at + len) > n) break;
        if (head - tail >= MIDI_IN_RING) {
            OST_STORE(&m->in_dropped, OST_LOAD(&m->in_dropped, OST_RELAXED) + 1, OST_RELAXED);
        } else {
            midi_in_record *r = &m->in_ring[head & (MIDI_IN_RING - 1)];
            memset(r, 0, sizeof *r);
            r->port = (uint8_t)index;
            r->len = (uint8_t)len;
            memcpy(r->data, bytes + at, len);
            head++;
        }
        at += (int32_t)len;
    }
    OST_STORE(&m->in_head, head, OST_RELEASE); /* the records before head are written */
}

static void receive(ost_alsa_midi *m) {
    snd_seq_event_t *ev = NULL;
    while (snd_seq_event_input(m->seq, &ev) >= 0 && ev) {
        receive_event(m, ev);
        ev = NULL;
    }
}

static void *run(void *arg) {
    ost_alsa_midi *m = arg;
    struct pollfd fds[4];
    int nfds = snd_seq_poll_descriptors(m->seq, fds, 4, POLLIN);
    if (nfds < 0) nfds = 0;
    while (OST_LOAD(&m->running, OST_ACQUIRE)) {
        if (poll(fds, (nfds_t)nfds, MIDI_ALSA_ROUND_MS) > 0) receive(m);
        drain_ring(m);
        hand_over(m);
    }
    /* Closing: what is still pending goes now (the queue dies with the client); note-offs first. */
    drain_ring(m);
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < m->pool.count; i++)
            if (midi_is_note_off(&m->pool.pool[i]) == (pass == 0)) output(m, &m->pool.pool[i], -1);
    m->pool.count = 0;
    snd_seq_drain_output(m->seq);
    return NULL;
}

/* --- control ---------------------------------------------------------- */

ost_result ost_alsa_midi_open(const char *client_name, ost_alsa_midi **out, char *why, uint32_t why_size) {
    if (!client_name || !out) return OST_INVALID_ARGS;
    *out = NULL;
    if (why && why_size) why[0] = 0;
    ost_alsa_midi *m = calloc(1, sizeof *m);
    if (!m) return OST_OUT_OF_MEMORY;
    int r = open_seq(&m->seq, SND_SEQ_NONBLOCK);
    if (r < 0) {
        say_why(why, why_size, r);
        free(m);
        return OST_NO_DEVICE;
    }
    snd_seq_set_client_name(m->seq, client_name);
    snprintf(m->client_name, sizeof m->client_name, "%s", client_name);
    m->client = snd_seq_client_id(m->seq);
    snd_seq_set_client_pool_output(m->seq, 2048);
    m->queue = snd_seq_alloc_named_queue(m->seq, client_name);
    if (m->queue < 0 || snd_seq_start_queue(m->seq, m->queue, NULL) < 0) {
        if (why && why_size) snprintf(why, why_size, "the ALSA sequencer gave no queue (%s)", snd_strerror(m->queue < 0 ? m->queue : -EIO));
        snd_seq_close(m->seq);
        free(m);
        return OST_DEVICE_ERROR;
    }
    snd_seq_drain_output(m->seq);
    alsa_pool_init(&m->pool);
    OST_STORE(&m->running, 1, OST_RELEASE);
    if (pthread_create(&m->thread, NULL, run, m) != 0) {
        snd_seq_close(m->seq);
        free(m);
        return OST_DEVICE_ERROR;
    }
    *out = m;
    return OST_OK;
}

void ost_alsa_midi_close(ost_alsa_midi *m) {
    if (!m) return;
    OST_STORE(&m->running, 0, OST_RELEASE);
    pthread_join(m->thread, NULL);
    snd_seq_close(m->seq);
    free(m);
}

/* The address of the port named "client:port" (as ost_alsa_midi_list gives),
   or "20:0" / "client name:0" as aconnect takes them; 0 when found. */
static int find_address(snd_seq_t *seq, const char *name, snd_seq_addr_t *addr) {
    snd_seq_client_info_t *c;
    snd_seq_port_info_t *p;
    snd_seq_client_info_alloca(&c);
    snd_seq_port_info_alloca(&p);
    snd_seq_client_info_set_client(c, -1);
    char full[2 * NAME_MAX_BYTES];
    while (snd_seq_query_next_client(seq, c) >= 0) {
        snd_seq_port_info_set_client(p, snd_seq_client_info_get_client(c));
        snd_seq_port_info_set_port(p, -1);
        while (snd_seq_query_next_port(seq, p) >= 0) {
            snprintf(full, sizeof full, "%s:%s", snd_seq_client_info_get_name(c), snd_seq_port_info_get_name(p));
            if (strcmp(full, name) == 0) {
                *addr = *snd_seq_port_info_get_addr(p);
                return 0;
            }
        }
    }
    return snd_seq_parse_address(seq, addr, name) == 0 ? 0 : -1;
}

int32_t ost_alsa_midi_connect(ost_alsa_midi *m, int32_t index, int32_t input, const char *other) {
    if (!m || !other || index < 0) return OST_INVALID_ARGS;
    uint32_t n = OST_LOAD(input ? &m->in_count : &m->port_count, OST_ACQUIRE);
    if ((uint32_t)index >= n) return OST_INVALID_ARGS;
    snd_seq_addr_t addr, ours = {.client = (unsigned char)m->client, .port = (unsigned char)(input ? m->in_ports[index] : m->ports[index])};
    if (find_address(m->seq, other, &addr) != 0) return OST_NO_DEVICE;
    snd_seq_port_subscribe_t *sub;
    snd_seq_port_subscribe_alloca(&sub);
    snd_seq_port_subscribe_set_sender(sub, input ? &addr : &ours);
    snd_seq_port_subscribe_set_dest(sub, input ? &ours : &addr);
    if (snd_seq_get_port_subscription(m->seq, sub) == 0) return 1;
    int r = input ? snd_seq_connect_from(m->seq, ours.port, addr.client, addr.port) : snd_seq_connect_to(m->seq, ours.port, addr.client, addr.port);
    return r < 0 && r != -EBUSY ? OST_NO_DEVICE : 0;
}

static int32_t add_port(ost_alsa_midi *m, const char *name, int input, const char *other) {
    if (!m || !name) return OST_INVALID_ARGS;
    ost_atomic_u32 *count = input ? &m->in_count : &m->port_count;
    uint32_t n = OST_LOAD(count, OST_RELAXED);
    int32_t index = -1;
    char full[NAME_MAX_BYTES];
    snprintf(full, sizeof full, "%s:%s", m->client_name, name);
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(input ? m->in_names[i] : m->port_names[i], full) == 0) index = (int32_t)i;
    if (index < 0) {
        if (n >= MIDI_PORTS) return OST_FULL;
        unsigned caps = input ? SND_SEQ_PORT_CAP_WRITE | SND_SEQ_PORT_CAP_SUBS_WRITE : SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ;
        int port = snd_seq_create_simple_port(m->seq, name, caps, SND_SEQ_PORT_TYPE_MIDI_GENERIC | SND_SEQ_PORT_TYPE_APPLICATION);
        if (port < 0) return OST_DEVICE_ERROR;
        if (input) {
            m->in_ports[n] = port;
            memcpy(m->in_names[n], full, sizeof full);
        } else {
            m->ports[n] = port;
            memcpy(m->port_names[n], full, sizeof full);
        }
        OST_STORE(count, n + 1, OST_RELEASE); /* the port is set before the thread sees it */
        index = (int32_t)n;
    }
    if (other && other[0] && ost_alsa_midi_connect(m, index, input, other) < 0) return OST_NO_DEVICE;
    return index;
}

int32_t ost_alsa_midi_add_port(ost_alsa_midi *m, const char *name, const char *connect_to) { return add_port(m, name, 0, connect_to); }

int32_t ost_alsa_midi_add_input(ost_alsa_midi *m, const char *name, const char *connect_from) { return add_port(m, name, 1, connect_from); }

const char *ost_alsa_midi_port_name(const ost_alsa_midi *m, int32_t index) {
    if (!m || index < 0 || (uint32_t)index >= OST_LOAD(&m->port_count, OST_ACQUIRE)) return NULL;
    return m->port_names[index];
}

const char *ost_alsa_midi_input_name(const ost_alsa_midi *m, int32_t index) {
    if (!m || index < 0 || (uint32_t)index >= OST_LOAD(&m->in_count, OST_ACQUIRE)) return NULL;
    return m->in_names[index];
}

uint32_t ost_alsa_midi_push(ost_alsa_midi *m, const void *records, uint32_t count) {
    if (!m || !records) return 0;
    return midi_ring_push(m->ring, &m->head, &m->tail, records, count);
}

ost_result ost_alsa_midi_map(ost_alsa_midi *m, double frame, double realtime, double seconds_per_frame) {
    if (!m || !isfinite(frame) || !isfinite(realtime) || !(seconds_per_frame > 0)) return OST_INVALID_ARGS;
    uint32_t s = OST_LOAD(&m->map_seq, OST_RELAXED);
    OST_STORE(&m->map_seq, s + 1, OST_RELAXED); /* odd: being written */
    atomic_thread_fence(memory_order_release);
    OST_STORE(&m->map_frame, bits(frame), OST_RELAXED);
    OST_STORE(&m->map_time, bits(realtime), OST_RELAXED);
    OST_STORE(&m->map_spf, bits(seconds_per_frame), OST_RELAXED);
    OST_STORE(&m->map_seq, s + 2, OST_RELEASE);
    OST_STORE(&m->mapped, 1, OST_RELEASE);
    return OST_OK;
}

uint32_t ost_alsa_midi_read(ost_alsa_midi *m, void *out, uint32_t max) {
    if (!m || !out) return 0;
    return midi_in_ring_read(m->in_ring, &m->in_head, &m->in_tail, out, max);
}

int32_t ost_alsa_midi_read_sysex(ost_alsa_midi *m, uint8_t *out, uint32_t cap) {
    if (!m || !out || cap < 2) return OST_INVALID_ARGS;
    return midi_sysex_get(&m->sysex, out + 1, cap - 1, out);
}

ost_result ost_alsa_midi_stats(const ost_alsa_midi *m, double *out) {
    if (!m || !out) return OST_INVALID_ARGS;
    out[0] = (double)OST_LOAD(&m->sent, OST_RELAXED);
    out[1] = (double)OST_LOAD(&m->late, OST_RELAXED);
    out[2] = (double)OST_LOAD(&m->dropped, OST_RELAXED);
    out[3] = 0;
    out[4] = 0;
    out[5] = 0;
    out[6] = OST_LOAD(&m->mapped, OST_ACQUIRE);
    out[7] = (double)(OST_LOAD(&m->in_dropped, OST_RELAXED) + OST_LOAD(&m->sysex.dropped, OST_RELAXED));
    return OST_OK;
}

int32_t ost_alsa_midi_list(char *out, uint32_t size, int32_t sources) {
    if (!out || size == 0) return OST_INVALID_ARGS;
    out[0] = 0;
    snd_seq_t *seq;
    int r = open_seq(&seq, 0);
    if (r < 0) {
        say_why(out, size, r);
        return OST_NO_DEVICE;
    }
    unsigned want = sources ? SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ : SND_SEQ_PORT_CAP_WRITE | SND_SEQ_PORT_CAP_SUBS_WRITE;
    snd_seq_client_info_t *c;
    snd_seq_port_info_t *p;
    snd_seq_client_info_alloca(&c);
    snd_seq_port_info_alloca(&p);
    snd_seq_client_info_set_client(c, -1);
    int32_t count = 0;
    size_t used = 0;
    char line[2 * NAME_MAX_BYTES + 2];
    while (snd_seq_query_next_client(seq, c) >= 0) {
        int client = snd_seq_client_info_get_client(c);
        if (client == SND_SEQ_CLIENT_SYSTEM) continue; /* timer and announce ports, no MIDI */
        snd_seq_port_info_set_client(p, client);
        snd_seq_port_info_set_port(p, -1);
        while (snd_seq_query_next_port(seq, p) >= 0) {
            unsigned caps = snd_seq_port_info_get_capability(p);
            if ((caps & want) != want || (caps & SND_SEQ_PORT_CAP_NO_EXPORT)) continue;
            int len = snprintf(line, sizeof line, "%s:%s\n", snd_seq_client_info_get_name(c), snd_seq_port_info_get_name(p));
            if (len <= 0 || used + (size_t)len + 1 > size) break;
            memcpy(out + used, line, (size_t)len + 1);
            used += (size_t)len;
            count++;
        }
    }
    snd_seq_close(seq);
    return count;
}

/* --- the pool, for tests --------------------------------------------- */

void *ost_alsa_midi_pool_new(void) {
    alsa_pool *p = calloc(1, sizeof *p);
    if (p) alsa_pool_init(p);
    return p;
}

void ost_alsa_midi_pool_free(void *pool) { free(pool); }

uint32_t ost_alsa_midi_pool_push(void *pool, const void *records, uint32_t count) {
    if (!pool || !records) return 0;
    const midi_record *in = records;
    uint32_t n = 0;
    while (n < count && alsa_pool_add(pool, &in[n])) n++;
    return n;
}

uint32_t ost_alsa_midi_pool_hand(void *pool, double frame, double realtime, double seconds_per_frame, double horizon, double *times, void *out, uint32_t max) {
    if (!pool || !times || !out) return 0;
    alsa_pool *p = pool;
    uint32_t n = alsa_pool_due(p, frame, realtime, seconds_per_frame, horizon);
    if (n > max) n = max;
    midi_record *records = out;
    for (uint32_t i = 0; i < n; i++) {
        records[i] = p->pool[p->due[i]];
        times[i] = realtime + (records[i].frame - frame) * seconds_per_frame;
    }
    alsa_pool_handed(p, n);
    return n;
}
