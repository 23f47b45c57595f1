/*
 * pending.h — events drained from the ring, waiting for their frame.
 *
 * Owned by the audio thread alone. A binary min-heap ordered by
 * (start_frame, push sequence), so batches pushed out of order (several
 * slots, each looking ahead) play in frame order, and events on the same
 * frame keep the order they were pushed in. Records live in a pool of fixed
 * capacity allocated at open; the heap holds small keys into it, so sifting
 * moves 24 bytes, not whole records. Nothing here allocates after init.
 */
#ifndef OST_PENDING_H
#define OST_PENDING_H

#include "ostinato.h"

/** A NOTE as the audio thread holds it: the record's header and its
 *  parameters together with those of its extension (OST_EVENT_EXT), so
 *  params[i] is parameter i for every i < OST_PARAM_SPACE. The other kinds
 *  are held the same way (their second half unused). */
typedef struct ost_note {
    uint64_t start_frame;
    uint32_t dur_frames;
    uint32_t kind;
    uint32_t slot;
    uint32_t reserved;
    float params[OST_PARAM_SPACE];
} ost_note;

typedef struct ost_pending_key {
    uint64_t start_frame;
    uint64_t seq;   /**< push order, assigned when drained */
    uint32_t index; /**< record in the pool */
} ost_pending_key;

typedef struct ost_pending {
    ost_note *records;    /**< capacity records */
    uint32_t *free_list;  /**< stack of free record indices */
    uint32_t free_count;
    ost_pending_key *heap;
    uint32_t count;
    uint32_t capacity;
    uint64_t next_seq;
    float ext_defaults[OST_EVENT_PARAM_CAPACITY]; /**< a note's second half when it has no extension */
} ost_pending;

/** Thread: control. */
ost_result ost_pending_init(ost_pending *pending, uint32_t capacity);
/** Thread: control. */
void ost_pending_free(ost_pending *pending);

/** True when another record fits. Thread: audio. */
static inline int ost_pending_has_room(const ost_pending *p) { return p->free_count > 0; }
/** Copies one record in, with its extension `ext` (a NOTE's; NULL: the
 *  defaults), (the caller checked has_room); returns the copy, which the
 *  caller may amend (valid until it is popped or cleared). Thread: audio. */
ost_note *ost_pending_insert(ost_pending *pending, const ost_event *event, const ost_event *ext);
/** The earliest record, or NULL when empty. Thread: audio. */
const ost_note *ost_pending_top(const ost_pending *pending);
/** Removes the earliest record (its pointer stays valid until the next
 *  insert). Thread: audio. */
void ost_pending_pop(ost_pending *pending);
/** Drops every record of `slot` (or all, OST_SLOT_ALL) starting at or after
 *  `from_frame`; returns how many. `dropped` (may be NULL) sees each record
 *  as it goes. O(n). Thread: audio. */
uint32_t ost_pending_clear(ost_pending *pending, uint32_t slot, uint64_t from_frame,
                           void (*dropped)(void *ctx, const ost_note *event), void *ctx);

#endif
