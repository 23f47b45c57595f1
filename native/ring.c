/* ring.c — see ring.h for the single-producer / single-consumer contract. */
#include "ring.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const float param_def[OST_PARAM_COUNT] = {
#define OST_X(id, name, def, lo, hi, doc) def,
    OST_PARAM_TABLE(OST_X)
#undef OST_X
};
static const float param_min[OST_PARAM_COUNT] = {
#define OST_X(id, name, def, lo, hi, doc) lo,
    OST_PARAM_TABLE(OST_X)
#undef OST_X
};
static const float param_max[OST_PARAM_COUNT] = {
#define OST_X(id, name, def, lo, hi, doc) hi,
    OST_PARAM_TABLE(OST_X)
#undef OST_X
};

static inline float clamp_param(uint32_t i, float v) {
    if (isnan(v)) return param_def[i];
    if (v < param_min[i]) return param_min[i]; /* -Inf lands here */
    if (v > param_max[i]) return param_max[i]; /* +Inf and 1e30 land here */
    return v;
}

void ost_event_sanitize(ost_event *event) {
    const uint32_t cap = OST_EVENT_PARAM_CAPACITY;
    if (event->kind == OST_EVENT_EXT) {
        /* the second page: parameters cap.., nothing, then the partial lists */
        for (uint32_t i = 0; i < cap; i++) {
            uint32_t index = cap + i;
            float v = event->params[i];
            if (index < OST_PARAM_COUNT) v = clamp_param(index, v);
            else if (index >= OST_PARAM_PARTIAL_PHASES) v = isfinite(v) ? v - floorf(v) : 0.0f; /* cycles, wrapped */
            else if (index >= OST_PARAM_PARTIAL_AMPS) v = isfinite(v) ? fminf(4.0f, fmaxf(-4.0f, v)) : 0.0f;
            else v = 0.0f;
            event->params[i] = v;
        }
    } else {
        for (uint32_t i = 0; i < cap; i++) event->params[i] = i < OST_PARAM_COUNT ? clamp_param(i, event->params[i]) : 0.0f;
    }
    event->reserved = 0;
}

void ost_note_ext_defaults(float *ext) {
    for (uint32_t i = 0; i < OST_EVENT_PARAM_CAPACITY; i++) {
        uint32_t index = OST_EVENT_PARAM_CAPACITY + i;
        ext[i] = index < OST_PARAM_COUNT ? param_def[index] : 0.0f;
    }
}

ost_result ost_ring_init(ost_ring *ring, uint32_t capacity) {
    if (!ring || capacity < 2 || (capacity & (capacity - 1)) != 0) return OST_INVALID_ARGS;
    memset(ring, 0, sizeof *ring);
    ring->slots = aligned_alloc(64, (size_t)capacity * sizeof(ost_event));
    if (!ring->slots) return OST_OUT_OF_MEMORY;
    memset(ring->slots, 0, (size_t)capacity * sizeof(ost_event));
    ring->mask = capacity - 1;
    OST_INIT(&ring->write_pos, 0);
    OST_INIT(&ring->read_pos, 0);
    return OST_OK;
}

void ost_ring_free(ost_ring *ring) {
    if (!ring) return;
    free(ring->slots);
    ring->slots = NULL;
}

uint32_t ost_ring_push(ost_ring *ring, const ost_event *events, uint32_t count) {
    /* Our own position: only this thread writes it, so relaxed is enough. */
    uint64_t w = OST_LOAD(&ring->write_pos, OST_RELAXED);
    /* Acquire: the consumer's reads of the slots it released happen before
       we overwrite them (read-before-write reuse of a slot). */
    uint64_t r = OST_LOAD(&ring->read_pos, OST_ACQUIRE);
    uint64_t space = (ring->mask + 1) - (w - r);
    uint32_t n = count < space ? count : (uint32_t)space;
    if (n < count && n > 0 && events[n].kind == OST_EVENT_EXT) n--; /* a NOTE goes with its extension, or waits */
    for (uint32_t i = 0; i < n; i++) {
        ost_event *slot = &ring->slots[(w + i) & ring->mask];
        *slot = events[i];
        ost_event_sanitize(slot);
    }
    /* Release: the record contents written above become visible to the
       consumer before it can see the new write position (write after write). */
    OST_STORE(&ring->write_pos, w + n, OST_RELEASE);
    return n;
}

const ost_event *ost_ring_peek_at(ost_ring *ring, uint32_t i) {
    uint64_t r = OST_LOAD(&ring->read_pos, OST_RELAXED);
    return &ring->slots[(r + i) & ring->mask];
}

uint32_t ost_ring_readable(ost_ring *ring) {
    /* Acquire: pairs with the producer's release, so the records up to
       write_pos are fully written when we read them. */
    uint64_t w = OST_LOAD(&ring->write_pos, OST_ACQUIRE);
    /* Our own position: relaxed. */
    uint64_t r = OST_LOAD(&ring->read_pos, OST_RELAXED);
    return (uint32_t)(w - r);
}

const ost_event *ost_ring_peek(ost_ring *ring) {
    uint64_t r = OST_LOAD(&ring->read_pos, OST_RELAXED); /* our own position */
    return &ring->slots[r & ring->mask];
}

void ost_ring_advance(ost_ring *ring, uint32_t count) {
    uint64_t r = OST_LOAD(&ring->read_pos, OST_RELAXED); /* our own position */
    /* Release: our reads of the slots finish before the producer may reuse
       them (pairs with the producer's acquire load of read_pos). */
    OST_STORE(&ring->read_pos, r + count, OST_RELEASE);
}

uint32_t ost_ring_fill(const ost_ring *ring) {
    /* Load read first: it only grows, so reading it before write can only
       make the difference larger than true by what was read meanwhile,
       never negative. Relaxed: a statistic, nothing is read through it. */
    uint64_t r = OST_LOAD(&ring->read_pos, OST_RELAXED);
    uint64_t w = OST_LOAD(&ring->write_pos, OST_RELAXED);
    uint64_t fill = w - r;
    return (uint32_t)(fill > ring->mask + 1 ? ring->mask + 1 : fill);
}
