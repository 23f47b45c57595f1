/*
 * ring.h — the event ring: a lock-free single-producer / single-consumer
 * queue of fixed-size ost_event records.
 *
 * Precondition: one thread at a time writes (the producer: the JS thread
 * that calls ost_engine_push, one FFI call per batch; ost_engine_push
 * serialises producers with a lock of their own) and exactly one thread reads
 * (the consumer: the audio thread, which drains the ring at the start of
 * every block). Neither side blocks, locks or allocates; a full ring takes
 * what fits and says how many it took.
 *
 * The two positions count records since the ring was made (uint64, they
 * never wrap in practice); the slot of position p is p & mask.
 */
#ifndef OST_RING_H
#define OST_RING_H

#include "atomics.h"
#include "ostinato.h"

typedef struct ost_ring {
    ost_event *slots;           /**< capacity records, owned by the ring */
    uint64_t mask;              /**< capacity - 1; capacity is a power of two */
    ost_atomic_u64 write_pos;   /**< written only by the producer */
    char pad_[64];              /**< keep the two positions on separate cache lines */
    ost_atomic_u64 read_pos;    /**< written only by the consumer */
} ost_ring;

/** Allocates a ring of `capacity` records (a power of two >= 2).
 *  Thread: control. */
ost_result ost_ring_init(ost_ring *ring, uint32_t capacity);
/** Frees the slots. Thread: control, with no producer or consumer running. */
void ost_ring_free(ost_ring *ring);

/** Copies up to `count` records in; returns how many fit. Each copied
 *  record's parameters are sanitised (NaN -> default, clamped to range).
 *  Thread: producer. */
uint32_t ost_ring_push(ost_ring *ring, const ost_event *events, uint32_t count);

/** Records available to the consumer. Thread: consumer. */
uint32_t ost_ring_readable(ost_ring *ring);
/** The oldest unread record; valid until ost_ring_advance. Only call when
 *  ost_ring_readable() > 0. Thread: consumer. */
const ost_event *ost_ring_peek(ost_ring *ring);
/** The i-th oldest unread record (0 = ost_ring_peek); only for i <
 *  ost_ring_readable(). Thread: consumer. */
const ost_event *ost_ring_peek_at(ost_ring *ring, uint32_t i);
/** Releases the oldest `count` records back to the producer. Thread: consumer. */
void ost_ring_advance(ost_ring *ring, uint32_t count);

/** Records pushed but not yet read, as seen from any thread (a snapshot
 *  that may be one batch stale). Thread: any. */
uint32_t ost_ring_fill(const ost_ring *ring);

/** Clamps every parameter of one record to the table: NaN -> default,
 *  else [min, max]. Unused capacity is zeroed. Thread: any. */
void ost_event_sanitize(ost_event *event);
/** Writes the defaults of an extension record's params (parameters
 *  OST_EVENT_PARAM_CAPACITY.., no partials) into ext[OST_EVENT_PARAM_CAPACITY]. Thread: any. */
void ost_note_ext_defaults(float *ext);

#endif
