/*
 * clock_source.c — installing and capturing an outside clock (see clock_source.h).
 * ost_clock_slot_capture_rt runs on the audio thread under mixer.c's contract:
 * two atomic stores, one load and the source's own real-time-safe call.
 */
#include "clock_source.h"

#include <time.h>

void ost_clock_slot_init(ost_clock_slot *slot) {
    atomic_init(&slot->source, NULL);
    OST_INIT(&slot->in_use, 0);
    slot->captures = 0;
    slot->frame = 0;
    slot->last = (ost_clock_capture){0, 0, 0, 0};
}

void ost_clock_slot_set(ost_clock_slot *slot, const ost_clock_source *source) {
    /* Seq-cst store then load, against the audio thread's store of in_use
       then load of source: if we read in_use 0, its next block sees the new
       source; if 1, we wait for the capture in flight to end. */
    atomic_store_explicit(&slot->source, source, memory_order_seq_cst);
    for (int i = 0; i < 2000 && OST_LOAD(&slot->in_use, OST_SEQ_CST); i++) {
        struct timespec ms = {0, 1000000L};
        nanosleep(&ms, NULL); /* a capture takes microseconds; a block at most a few ms */
    }
}

void ost_clock_slot_capture_rt(ost_clock_slot *slot, uint64_t frame) {
    OST_STORE(&slot->in_use, 1, OST_SEQ_CST);
    const ost_clock_source *s = atomic_load_explicit(&slot->source, memory_order_seq_cst);
    if (s && s->capture) {
        s->capture(s->context, &slot->last);
        slot->frame = frame;
        slot->captures++;
    }
    /* Release: the capture happens before a remover sees 0. */
    OST_STORE(&slot->in_use, 0, OST_RELEASE);
}
