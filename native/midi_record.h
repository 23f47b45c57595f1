/*
 * midi_record.h — the records the control thread and a MIDI client
 * (midi_jack.c, midi_alsa.c) exchange: out-going messages stamped by engine
 * frame, and received messages. Their layouts are shared with
 * server/engine/midi.ts.
 */
#ifndef OST_MIDI_RECORD_H
#define OST_MIDI_RECORD_H

#include <math.h>
#include <stdint.h>

#include "atomics.h"
#include "ostinato.h"

#define MIDI_RING 4096 /* records; a power of two */
#define MIDI_POOL 4096
#define MIDI_PORTS 16
#define MIDI_IN_RING 4096 /* received messages; a power of two */

enum { KIND_MESSAGE = 0, KIND_CUT = 1, KIND_WRITTEN = 2 /* in the pool only */ };

/* One record as the control thread writes it (OST_MIDI_RECORD_BYTES = 88). */
typedef struct midi_record {
    double frame;   /* engine frame */
    uint32_t tag;   /* slot tag (OST_SLOT_ALL for every slot, in a CUT) */
    uint8_t port;   /* output port index */
    uint8_t kind;   /* KIND_MESSAGE or KIND_CUT */
    uint16_t len;   /* bytes of data */
    uint8_t data[64];
    uint32_t seq;   /* set by the consumer: arrival order, to break ties */
    uint32_t pad;
} midi_record;

_Static_assert(sizeof(midi_record) == OST_MIDI_RECORD_BYTES, "record layout is shared with server/engine/midi.ts");

/* One received message as the control thread reads it (OST_MIDI_IN_BYTES = 16). */
typedef struct midi_in_record {
    double frame;   /* JACK frame it arrived at (ALSA: 0) */
    uint8_t port;   /* input port index */
    uint8_t len;    /* 1..3 */
    uint8_t data[3];
    uint8_t pad[3];
} midi_in_record;

_Static_assert(sizeof(midi_in_record) == OST_MIDI_IN_BYTES, "record layout is shared with server/engine/midi.ts");

/* The control thread's side of a client's out-going ring (single producer):
   copies as many of `records` as there is room for, sanitised (a length past
   the data, a frame that is not finite), then publishes them to the
   consumer (the JACK callback, the ALSA thread). Returns how many it took. */
static inline uint32_t midi_ring_push(midi_record *ring, ost_atomic_u64 *head_at, ost_atomic_u64 *tail_at,
                                      const void *records, uint32_t count) {
    uint64_t head = OST_LOAD(head_at, OST_RELAXED);
    uint64_t tail = OST_LOAD(tail_at, OST_ACQUIRE); /* slots before tail are free again */
    uint32_t room = (uint32_t)(MIDI_RING - (head - tail));
    uint32_t n = count < room ? count : room;
    const midi_record *in = records;
    for (uint32_t i = 0; i < n; i++) {
        midi_record r = in[i];
        if (r.len > sizeof r.data) r.len = sizeof r.data;
        if (!isfinite(r.frame)) r.frame = 0;
        ring[(head + i) & (MIDI_RING - 1)] = r;
    }
    OST_STORE(head_at, head + n, OST_RELEASE); /* the records are written before the consumer sees them */
    return n;
}

/* The control thread's side of a client's received ring (single consumer):
   copies up to `max` records into `out`, then frees their slots for the
   producer (the JACK callback, the ALSA thread). Returns how many. */
static inline uint32_t midi_in_ring_read(const midi_in_record *ring, ost_atomic_u64 *head_at, ost_atomic_u64 *tail_at,
                                         void *out, uint32_t max) {
    uint64_t tail = OST_LOAD(tail_at, OST_RELAXED);
    uint64_t head = OST_LOAD(head_at, OST_ACQUIRE); /* the records before head are written */
    uint32_t n = 0;
    midi_in_record *records = out;
    while (tail != head && n < max) records[n++] = ring[tail++ & (MIDI_IN_RING - 1)];
    OST_STORE(tail_at, tail, OST_RELEASE); /* the slots before tail may be reused */
    return n;
}

/* A note-off: 8n, or 9n with velocity 0. */
static inline int midi_is_note_off(const midi_record *r) {
    return r->len == 3 && ((r->data[0] & 0xf0) == 0x80 || ((r->data[0] & 0xf0) == 0x90 && r->data[2] == 0));
}

/* Whether `a` (at frame fa) goes out before `b` (at fb): by frame; within a
   frame note-offs first (a note ending where the next one of the same key
   starts must not cut the new one), then in arrival order. */
static inline int midi_goes_before(const midi_record *a, int64_t fa, const midi_record *b, int64_t fb) {
    if (fa != fb) return fa < fb;
    int oa = midi_is_note_off(a), ob = midi_is_note_off(b);
    if (oa != ob) return oa;
    return a->seq < b->seq;
}

/* Received SysEx messages, whole (F0..F7), in a byte ring of their own:
   a 4-byte head (input port, 0, length low, length high) then the bytes.
   One producer (the client's thread or callback), one consumer (control). */
#define MIDI_SYSEX_RING 16384 /* bytes; a power of two */

typedef struct midi_sysex_ring {
    uint8_t bytes[MIDI_SYSEX_RING];
    ost_atomic_u64 head;
    ost_atomic_u64 tail;
    ost_atomic_u64 dropped;
} midi_sysex_ring;

/* Producer: keeps one message, or counts it dropped when there is no room. No locks, no allocation. */
static inline void midi_sysex_put(midi_sysex_ring *r, uint8_t port, const uint8_t *data, uint32_t len) {
    uint64_t head = OST_LOAD(&r->head, OST_RELAXED);
    uint64_t tail = OST_LOAD(&r->tail, OST_ACQUIRE); /* the bytes before tail are free */
    if (len > 0xffff || head - tail + 4 + len > MIDI_SYSEX_RING) {
        OST_STORE(&r->dropped, OST_LOAD(&r->dropped, OST_RELAXED) + 1, OST_RELAXED);
        return;
    }
    const uint8_t h[4] = {port, 0, (uint8_t)(len & 0xff), (uint8_t)(len >> 8)};
    for (uint32_t i = 0; i < 4; i++) r->bytes[(head + i) & (MIDI_SYSEX_RING - 1)] = h[i];
    for (uint32_t i = 0; i < len; i++) r->bytes[(head + 4 + i) & (MIDI_SYSEX_RING - 1)] = data[i];
    OST_STORE(&r->head, head + 4 + len, OST_RELEASE); /* the bytes are written before the consumer sees them */
}

/* Consumer: the next message's bytes into out (its port at *port); returns
   its length, 0 when none waits, or -(length) when `cap` is too small (the
   message stays). */
static inline int32_t midi_sysex_get(midi_sysex_ring *r, uint8_t *out, uint32_t cap, uint8_t *port) {
    uint64_t tail = OST_LOAD(&r->tail, OST_RELAXED);
    uint64_t head = OST_LOAD(&r->head, OST_ACQUIRE); /* the bytes before head are written */
    if (tail == head) return 0;
    uint8_t h[4];
    for (uint32_t i = 0; i < 4; i++) h[i] = r->bytes[(tail + i) & (MIDI_SYSEX_RING - 1)];
    uint32_t len = (uint32_t)h[2] | ((uint32_t)h[3] << 8);
    if (len > cap) return -(int32_t)len;
    for (uint32_t i = 0; i < len; i++) out[i] = r->bytes[(tail + 4 + i) & (MIDI_SYSEX_RING - 1)];
    *port = h[0];
    OST_STORE(&r->tail, tail + 4 + len, OST_RELEASE); /* the bytes before tail may be reused */
    return (int32_t)len;
}

#endif
