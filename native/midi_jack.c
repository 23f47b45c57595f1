/*
 * midi_jack.c — MIDI out through JACK MIDI, stamped by engine frame.
 *
 * A JACK client of our own ("ostinato-midi") with MIDI output ports. The
 * control thread (the live worker, over FFI) pushes fixed-size records
 * (engine frame, slot tag, port, bytes) into a lock-free SPSC ring; the JACK
 * process callback moves them into a pending pool it alone owns and writes
 * each in the cycle that holds its frame, at its offset inside the period:
 * JACK MIDI is sample-accurate.
 *
 * REAL-TIME CONTRACT of process(): no locks, no allocation, no I/O, no
 * logging, no JavaScript. It touches only the ring (acquire/release
 * atomics), its own pool, and JACK's real-time-safe port buffer calls
 * (jack_port_get_buffer, jack_midi_clear_buffer, jack_midi_event_write,
 * jack_last_frame_time).
 *
 * MIDI in: input ports of the same client. process() copies each message
 * received (up to 3 bytes) with its frame into a second SPSC ring, the
 * other way round, that the control thread drains (ost_midi_read): CC
 * values and held keys for patterns (server/targets/midi-in.ts). SysEx
 * goes whole into a byte ring of its own (ost_midi_read_sysex).
 *
 * Engine frames to JACK frames: jack = engine + offset. ost_midi_sync, on
 * the control thread, measures the offset from the engine's last block
 * (frames rendered, CLOCK_MONOTONIC stamp) through jack_time_to_frames, and
 * snaps it to the JACK period grid: when the engine itself plays on the JACK
 * server (a JACK device: backend_jack.c, one engine block per period), engine
 * frame F is rendered at position F - (frames before the block) of the
 * cycle, so the offset is a constant on that grid and the MIDI lands on the
 * exact frame of the audio. On another clock (the null backend) the offset
 * follows the drift in whole periods, with hysteresis.
 */
#include <errno.h>
#include <jack/jack.h>
#include <jack/midiport.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomics.h"
#include "midi_clock.h"
#include "midi_record.h"
#include "ostinato.h"

struct ost_midi {
    jack_client_t *client;
    jack_port_t *ports[MIDI_PORTS];
    ost_atomic_u32 port_count; /* release after a port is registered; the callback acquires */
    jack_port_t *in_ports[MIDI_PORTS];
    ost_atomic_u32 in_count; /* as port_count, for the inputs */
    /* received: written by process(), read by the control thread */
    midi_in_record in_ring[MIDI_IN_RING];
    ost_atomic_u64 in_head;
    ost_atomic_u64 in_tail;
    ost_atomic_u64 in_dropped;
    midi_sysex_ring sysex; /* received SysEx, whole: process() writes, control reads */
    /* MIDI clock ports on this client (ost_midi_clock_on): set once, released; the callback acquires */
    _Atomic(ost_midi_clock *) clock;
    /* ring: written by the control thread, read by process() */
    midi_record ring[MIDI_RING];
    ost_atomic_u64 head; /* next write (producer) */
    ost_atomic_u64 tail; /* next read (consumer) */
    /* owned by process() */
    midi_record pool[MIDI_POOL];
    uint32_t pool_count;
    uint32_t seq;
    uint32_t due[MIDI_POOL];
    uint64_t last_cycle; /* extended 64-bit frame of the last cycle start */
    uint32_t last_cycle_raw;
    /* shared: offset from engine to JACK frames (control writes, process reads) */
    ost_atomic_u64 offset_bits; /* int64 as u64; valid when synced */
    ost_atomic_u32 synced;
    ost_atomic_u64 cycle_start; /* process writes, control reads (the period grid) */
    ost_atomic_u32 period;
    /* counters (process writes, control reads) */
    ost_atomic_u64 sent;
    ost_atomic_u64 late;
    ost_atomic_u64 dropped;
};

/* 32-bit JACK frame times extended to 64 bits (they wrap after about a day at 48 kHz). */
static uint64_t extend_frames(uint64_t last, uint32_t raw) {
    uint64_t hi = last & ~(uint64_t)0xffffffffu;
    uint64_t candidate = hi | raw;
    if (candidate + 0x80000000u < last) candidate += (uint64_t)1 << 32;
    return candidate;
}

/* A CUT: the slot's pending note-offs move to the cut frame (no note hangs);
   everything else of the slot from that frame on is dropped. */
static void apply_cut(ost_midi *m, const midi_record *cut) {
    for (uint32_t i = 0; i < m->pool_count;) {
        midi_record *r = &m->pool[i];
        int mine = cut->tag == OST_SLOT_ALL || r->tag == cut->tag;
        if (mine && r->frame >= cut->frame) {
            if (midi_is_note_off(r)) {
                r->frame = cut->frame;
            } else {
                m->pool[i] = m->pool[--m->pool_count];
                continue;
            }
        }
        i++;
    }
}

static void drain_ring(ost_midi *m) {
    uint64_t tail = OST_LOAD(&m->tail, OST_RELAXED);
    uint64_t head = OST_LOAD(&m->head, OST_ACQUIRE); /* the records before head are written */
    while (tail != head) {
        const midi_record *r = &m->ring[tail & (MIDI_RING - 1)];
        if (r->kind == KIND_CUT) {
            apply_cut(m, r);
        } else if (m->pool_count < MIDI_POOL) {
            m->pool[m->pool_count] = *r;
            m->pool[m->pool_count].seq = m->seq++;
            m->pool_count++;
        } else {
            break; /* pool full: the rest waits in the ring */
        }
        tail++;
    }
    OST_STORE(&m->tail, tail, OST_RELEASE); /* the slots before tail may be reused */
}

static int64_t jack_frame_of(const ost_midi *m, const midi_record *r, int64_t offset) {
    (void)m;
    return (int64_t)llround(r->frame) + offset;
}

/* Copies what the input ports received this cycle into the input ring. */
static void receive(ost_midi *m, jack_nframes_t nframes, uint64_t start) {
    uint32_t n = OST_LOAD(&m->in_count, OST_ACQUIRE);
    uint64_t head = OST_LOAD(&m->in_head, OST_RELAXED);
    uint64_t tail = OST_LOAD(&m->in_tail, OST_ACQUIRE); /* slots before tail are free */
    uint64_t dropped = 0;
    for (uint32_t p = 0; p < n; p++) {
        void *buffer = jack_port_get_buffer(m->in_ports[p], nframes);
        uint32_t count = jack_midi_get_event_count(buffer);
        for (uint32_t i = 0; i < count; i++) {
            jack_midi_event_t ev;
            if (jack_midi_event_get(&ev, buffer, i) != 0 || ev.size < 1) continue;
            if (ev.size > 3) {
                /* SysEx arrives whole in one JACK MIDI event; other long messages are skipped. */
                if (ev.buffer[0] == 0xf0) midi_sysex_put(&m->sysex, (uint8_t)p, ev.buffer, (uint32_t)ev.size);
                continue;
            }
            if (head - tail >= MIDI_IN_RING) {
                dropped++;
                continue;
            }
            midi_in_record *r = &m->in_ring[head & (MIDI_IN_RING - 1)];
            r->frame = (double)(start + ev.time);
            r->port = (uint8_t)p;
            r->len = (uint8_t)ev.size;
            for (size_t b = 0; b < 3; b++) r->data[b] = b < ev.size ? ev.buffer[b] : 0;
            head++;
        }
    }
    OST_STORE(&m->in_head, head, OST_RELEASE); /* the records before head are written */
    if (dropped) OST_STORE(&m->in_dropped, OST_LOAD(&m->in_dropped, OST_RELAXED) + dropped, OST_RELAXED);
}

static int process(jack_nframes_t nframes, void *arg) {
    ost_midi *m = arg;
    uint32_t nports = OST_LOAD(&m->port_count, OST_ACQUIRE);
    void *buffers[MIDI_PORTS];
    for (uint32_t p = 0; p < nports; p++) {
        buffers[p] = jack_port_get_buffer(m->ports[p], nframes);
        jack_midi_clear_buffer(buffers[p]);
    }
    uint32_t raw = jack_last_frame_time(m->client);
    uint64_t start = m->last_cycle ? extend_frames(m->last_cycle, raw) : raw;
    m->last_cycle = start;
    m->last_cycle_raw = raw;
    OST_STORE(&m->cycle_start, start, OST_RELAXED);
    OST_STORE(&m->period, nframes, OST_RELAXED);
    receive(m, nframes, start);
    ost_midi_clock *clock = atomic_load_explicit(&m->clock, memory_order_acquire);
    if (clock) ost_midi_clock_run(clock, nframes);
    drain_ring(m);
    if (!OST_LOAD(&m->synced, OST_ACQUIRE)) return 0;
    int64_t offset = (int64_t)OST_LOAD(&m->offset_bits, OST_RELAXED);
    int64_t end = (int64_t)start + nframes;
    uint32_t ndue = 0;
    for (uint32_t i = 0; i < m->pool_count; i++) {
        if (jack_frame_of(m, &m->pool[i], offset) < end) m->due[ndue++] = i;
    }
    /* In frame order; within a frame note-offs first, then arrival order. */
    for (uint32_t i = 1; i < ndue; i++) {
        uint32_t x = m->due[i];
        int64_t fx = jack_frame_of(m, &m->pool[x], offset);
        uint32_t j = i;
        while (j > 0) {
            const midi_record *y = &m->pool[m->due[j - 1]];
            int64_t fy = jack_frame_of(m, y, offset);
            if (midi_goes_before(y, fy, &m->pool[x], fx)) break;
            m->due[j] = m->due[j - 1];
            j--;
        }
        m->due[j] = x;
    }
    uint64_t sent = 0, late = 0, dropped = 0;
    for (uint32_t i = 0; i < ndue; i++) {
        const midi_record *r = &m->pool[m->due[i]];
        int64_t f = jack_frame_of(m, r, offset);
        jack_nframes_t at = 0;
        if (f < (int64_t)start) late++;
        else at = (jack_nframes_t)(f - (int64_t)start);
        if (r->port < nports && jack_midi_event_write(buffers[r->port], at, r->data, r->len) == 0) sent++;
        else dropped++;
    }
    /* Remove the written records: mark, then compact in one pass. */
    for (uint32_t i = 0; i < ndue; i++) m->pool[m->due[i]].kind = KIND_WRITTEN;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < m->pool_count; i++)
        if (m->pool[i].kind != KIND_WRITTEN) m->pool[kept++] = m->pool[i];
    m->pool_count = kept;
    if (sent) OST_STORE(&m->sent, OST_LOAD(&m->sent, OST_RELAXED) + sent, OST_RELAXED);
    if (late) OST_STORE(&m->late, OST_LOAD(&m->late, OST_RELAXED) + late, OST_RELAXED);
    if (dropped) OST_STORE(&m->dropped, OST_LOAD(&m->dropped, OST_RELAXED) + dropped, OST_RELAXED);
    return 0;
}

/* libjack prints to stderr when no server runs; "no JACK server" is ours to say. */
static void quiet(const char *message) { (void)message; }

ost_result ost_midi_open(const char *client_name, ost_midi **out) {
    if (!client_name || !out) return OST_INVALID_ARGS;
    *out = NULL;
    ost_midi *m = calloc(1, sizeof *m);
    if (!m) return OST_OUT_OF_MEMORY;
    jack_status_t status;
    jack_set_error_function(quiet);
    jack_set_info_function(quiet);
    m->client = jack_client_open(client_name, JackNoStartServer, &status);
    if (!m->client) {
        free(m);
        return OST_NO_DEVICE;
    }
    if (jack_set_process_callback(m->client, process, m) != 0 || jack_activate(m->client) != 0) {
        jack_client_close(m->client);
        free(m);
        return OST_DEVICE_ERROR;
    }
    *out = m;
    return OST_OK;
}

void ost_midi_close(ost_midi *m) {
    if (!m) return;
    jack_deactivate(m->client);
    jack_client_close(m->client);
    ost_midi_clock_free(atomic_load_explicit(&m->clock, memory_order_acquire));
    free(m);
}

ost_result ost_midi_clock_on(ost_midi *m, ost_midi_clock **out) {
    if (!m || !out) return OST_INVALID_ARGS;
    ost_midi_clock *c = atomic_load_explicit(&m->clock, memory_order_acquire);
    if (!c) {
        c = ost_midi_clock_on_client(m->client);
        if (!c) return OST_DEVICE_ERROR;
        atomic_store_explicit(&m->clock, c, memory_order_release); /* its ports are set before the callback runs it */
    }
    *out = c;
    return OST_OK;
}

/* A port of ours with that short name (one a previous worker registered), or -1. */
static int32_t find_port(ost_midi *m, const char *name, int input) {
    uint32_t n = OST_LOAD(input ? &m->in_count : &m->port_count, OST_ACQUIRE);
    for (uint32_t i = 0; i < n; i++) {
        jack_port_t *p = input ? m->in_ports[i] : m->ports[i];
        if (strcmp(jack_port_short_name(p), name) == 0) return (int32_t)i;
    }
    return -1;
}

/* Registers a port of ours (an input or an output), or finds the one of that
   name a previous worker registered, and connects it with `other` if given. */
static int32_t add_port(ost_midi *m, const char *name, int input, const char *other) {
    if (!m || !name) return OST_INVALID_ARGS;
    int32_t index = find_port(m, name, input);
    if (index < 0) {
        ost_atomic_u32 *count = input ? &m->in_count : &m->port_count;
        uint32_t n = OST_LOAD(count, OST_RELAXED);
        if (n >= MIDI_PORTS) return OST_FULL;
        jack_port_t *port = jack_port_register(m->client, name, JACK_DEFAULT_MIDI_TYPE, input ? JackPortIsInput : JackPortIsOutput, 0);
        if (!port) return OST_DEVICE_ERROR;
        if (input) m->in_ports[n] = port;
        else m->ports[n] = port;
        OST_STORE(count, n + 1, OST_RELEASE); /* the port is set before the callback sees it */
        index = (int32_t)n;
    }
    if (other && other[0] && ost_midi_connect(m, index, input, other) < 0) return OST_NO_DEVICE;
    return index;
}

int32_t ost_midi_add_port(ost_midi *m, const char *name, const char *connect_to) { return add_port(m, name, 0, connect_to); }

int32_t ost_midi_add_input(ost_midi *m, const char *name, const char *connect_from) { return add_port(m, name, 1, connect_from); }

int32_t ost_midi_connect(ost_midi *m, int32_t index, int32_t input, const char *other) {
    if (!m || !other || index < 0) return OST_INVALID_ARGS;
    uint32_t n = OST_LOAD(input ? &m->in_count : &m->port_count, OST_ACQUIRE);
    if ((uint32_t)index >= n) return OST_INVALID_ARGS;
    jack_port_t *ours = input ? m->in_ports[index] : m->ports[index];
    if (jack_port_connected_to(ours, other)) return 1;
    int r = input ? jack_connect(m->client, other, jack_port_name(ours)) : jack_connect(m->client, jack_port_name(ours), other);
    if (r != 0 && r != EEXIST) return OST_NO_DEVICE;
    return 0;
}

uint32_t ost_midi_read(ost_midi *m, void *out, uint32_t max) {
    if (!m || !out) return 0;
    return midi_in_ring_read(m->in_ring, &m->in_head, &m->in_tail, out, max);
}

int32_t ost_midi_read_sysex(ost_midi *m, uint8_t *out, uint32_t cap) {
    if (!m || !out || cap < 2) return OST_INVALID_ARGS;
    return midi_sysex_get(&m->sysex, out + 1, cap - 1, out);
}

const char *ost_midi_input_name(const ost_midi *m, int32_t index) {
    if (!m || index < 0 || (uint32_t)index >= OST_LOAD(&m->in_count, OST_ACQUIRE)) return NULL;
    return jack_port_name(m->in_ports[index]);
}

const char *ost_midi_port_name(const ost_midi *m, int32_t index) {
    if (!m || index < 0 || (uint32_t)index >= OST_LOAD(&m->port_count, OST_ACQUIRE)) return NULL;
    return jack_port_name(m->ports[index]);
}

uint32_t ost_midi_push(ost_midi *m, const void *records, uint32_t count) {
    if (!m || !records) return 0;
    return midi_ring_push(m->ring, &m->head, &m->tail, records, count);
}

ost_result ost_midi_sync(ost_midi *m, const ost_engine *e) {
    if (!m || !e) return OST_INVALID_ARGS;
    ost_telemetry t;
    ost_result r = ost_engine_telemetry(e, &t, sizeof t);
    if (r != OST_OK) return r;
    uint32_t period = OST_LOAD(&m->period, OST_RELAXED);
    uint64_t cycle = OST_LOAD(&m->cycle_start, OST_RELAXED);
    if (!t.block_ns[0].u || !period || !cycle) return OST_WRONG_STATE;
    /* JACK's frame at the moment the engine's last block finished rendering,
       minus the frames rendered then: the offset, less one period and the
       block's render time (well under half a period). */
    jack_nframes_t raw = jack_time_to_frames(m->client, (jack_time_t)(t.block_ns[0].u / 1000));
    int64_t at = (int64_t)extend_frames(cycle, raw);
    double estimate = (double)(at - (int64_t)t.frames[0].u) + period;
    /* Snap to the period grid of the JACK cycles. */
    int64_t residue = (int64_t)(cycle % period);
    int64_t snapped = residue + (int64_t)llround((estimate - (double)residue) / period) * period;
    if (OST_LOAD(&m->synced, OST_RELAXED)) {
        int64_t current = (int64_t)OST_LOAD(&m->offset_bits, OST_RELAXED);
        if (fabs(estimate - (double)current) < 0.75 * period) return OST_OK; /* hysteresis */
    }
    OST_STORE(&m->offset_bits, (uint64_t)snapped, OST_RELAXED);
    OST_STORE(&m->synced, 1, OST_RELEASE);
    return OST_OK;
}

ost_result ost_midi_stats(const ost_midi *m, double *out) {
    if (!m || !out) return OST_INVALID_ARGS;
    out[0] = (double)OST_LOAD(&m->sent, OST_RELAXED);
    out[1] = (double)OST_LOAD(&m->late, OST_RELAXED);
    out[2] = (double)OST_LOAD(&m->dropped, OST_RELAXED);
    out[3] = (double)(int64_t)OST_LOAD(&m->offset_bits, OST_RELAXED);
    out[4] = (double)OST_LOAD(&m->cycle_start, OST_RELAXED);
    out[5] = (double)OST_LOAD(&m->period, OST_RELAXED);
    out[6] = OST_LOAD(&m->synced, OST_ACQUIRE);
    out[7] = (double)(OST_LOAD(&m->in_dropped, OST_RELAXED) + OST_LOAD(&m->sysex.dropped, OST_RELAXED));
    return OST_OK;
}

int32_t ost_midi_list_ports(char *out, uint32_t size) { return ost_midi_list(out, size, 0); }

int32_t ost_midi_list(char *out, uint32_t size, int32_t sources) {
    if (!out || size == 0) return OST_INVALID_ARGS;
    out[0] = 0;
    jack_status_t status;
    jack_set_error_function(quiet);
    jack_set_info_function(quiet);
    jack_client_t *c = jack_client_open("ostinato-list", JackNoStartServer, &status);
    if (!c) return OST_NO_DEVICE;
    const char **names = jack_get_ports(c, NULL, JACK_DEFAULT_MIDI_TYPE, sources ? JackPortIsOutput : JackPortIsInput);
    int32_t count = 0;
    size_t used = 0;
    for (const char **p = names; p && *p; p++) {
        size_t len = strlen(*p);
        if (used + len + 2 > size) break;
        memcpy(out + used, *p, len);
        used += len;
        out[used++] = '\n';
        out[used] = 0;
        count++;
    }
    if (names) jack_free(names);
    jack_client_close(c);
    return count;
}
