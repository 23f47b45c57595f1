/* pending.c — binary min-heap of (start_frame, seq) keys into a record pool. */
#include "pending.h"

#include <stddef.h>

#include "ring.h"

_Static_assert(offsetof(ost_note, params) == offsetof(ost_event, params), "a note's header is an event's");

#include <stdlib.h>
#include <string.h>

ost_result ost_pending_init(ost_pending *p, uint32_t capacity) {
    if (!p || capacity == 0) return OST_INVALID_ARGS;
    memset(p, 0, sizeof *p);
    p->records = calloc(capacity, sizeof *p->records);
    p->free_list = calloc(capacity, sizeof *p->free_list);
    p->heap = calloc(capacity, sizeof *p->heap);
    if (!p->records || !p->free_list || !p->heap) {
        ost_pending_free(p);
        return OST_OUT_OF_MEMORY;
    }
    p->capacity = capacity;
    ost_note_ext_defaults(p->ext_defaults);
    for (uint32_t i = 0; i < capacity; i++) p->free_list[i] = capacity - 1 - i;
    p->free_count = capacity;
    return OST_OK;
}

void ost_pending_free(ost_pending *p) {
    if (!p) return;
    free(p->records);
    free(p->free_list);
    free(p->heap);
    p->records = NULL;
    p->free_list = NULL;
    p->heap = NULL;
}

static inline int key_less(const ost_pending_key *a, const ost_pending_key *b) {
    return a->start_frame < b->start_frame || (a->start_frame == b->start_frame && a->seq < b->seq);
}

static void sift_up(ost_pending *p, uint32_t i) {
    ost_pending_key k = p->heap[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!key_less(&k, &p->heap[parent])) break;
        p->heap[i] = p->heap[parent];
        i = parent;
    }
    p->heap[i] = k;
}

static void sift_down(ost_pending *p, uint32_t i) {
    ost_pending_key k = p->heap[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= p->count) break;
        if (child + 1 < p->count && key_less(&p->heap[child + 1], &p->heap[child])) child++;
        if (!key_less(&p->heap[child], &k)) break;
        p->heap[i] = p->heap[child];
        i = child;
    }
    p->heap[i] = k;
}

ost_note *ost_pending_insert(ost_pending *p, const ost_event *event, const ost_event *ext) {
    uint32_t index = p->free_list[--p->free_count];
    ost_note *n = &p->records[index];
    n->start_frame = event->start_frame;
    n->dur_frames = event->dur_frames;
    n->kind = event->kind;
    n->slot = event->slot;
    n->reserved = event->reserved;
    memcpy(n->params, event->params, sizeof event->params);
    if (ext) memcpy(n->params + OST_EVENT_PARAM_CAPACITY, ext->params, sizeof ext->params);
    else memcpy(n->params + OST_EVENT_PARAM_CAPACITY, p->ext_defaults, sizeof p->ext_defaults);
    p->heap[p->count] = (ost_pending_key){event->start_frame, p->next_seq++, index};
    sift_up(p, p->count++);
    return &p->records[index];
}

const ost_note *ost_pending_top(const ost_pending *p) {
    return p->count ? &p->records[p->heap[0].index] : NULL;
}

void ost_pending_pop(ost_pending *p) {
    if (!p->count) return;
    p->free_list[p->free_count++] = p->heap[0].index;
    p->heap[0] = p->heap[--p->count];
    if (p->count) sift_down(p, 0);
}

uint32_t ost_pending_clear(ost_pending *p, uint32_t slot, uint64_t from_frame,
                           void (*on_drop)(void *ctx, const ost_note *event), void *ctx) {
    uint32_t kept = 0, dropped = 0;
    for (uint32_t i = 0; i < p->count; i++) {
        const ost_note *e = &p->records[p->heap[i].index];
        int match = (slot == OST_SLOT_ALL || e->slot == slot) && e->start_frame >= from_frame;
        if (match) {
            if (on_drop) on_drop(ctx, e);
            p->free_list[p->free_count++] = p->heap[i].index;
            dropped++;
        } else {
            p->heap[kept++] = p->heap[i];
        }
    }
    p->count = kept;
    /* Floyd's heap construction restores the order in O(n). */
    for (uint32_t i = kept / 2; i-- > 0;) sift_down(p, i);
    return dropped;
}
