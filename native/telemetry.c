/* telemetry.c — the seqlock (see telemetry.h). */
#include "telemetry.h"

#include <string.h>

void ost_telemetry_init(ost_telemetry_box *box) {
    OST_INIT(&box->seq, 0);
    for (size_t i = 0; i < OST_TELEMETRY_WORDS; i++) OST_INIT(&box->words[i], 0);
}

void ost_telemetry_publish(ost_telemetry_box *box, const ost_telemetry *snapshot) {
    uint64_t words[OST_TELEMETRY_WORDS];
    memcpy(words, snapshot, sizeof words);
    uint64_t s = OST_LOAD(&box->seq, OST_RELAXED); /* only this thread writes seq */
    OST_STORE(&box->seq, s + 1, OST_RELAXED);
    /* Release fence: the odd sequence number is visible before any of the
       payload stores below (a reader that sees new payload sees odd seq). */
    atomic_thread_fence(memory_order_release);
    for (size_t i = 0; i < OST_TELEMETRY_WORDS; i++) OST_STORE(&box->words[i], words[i], OST_RELAXED);
    /* Release: the payload is complete before the even sequence number. */
    OST_STORE(&box->seq, s + 2, OST_RELEASE);
}

void ost_telemetry_read(const ost_telemetry_box *box, ost_telemetry *out) {
    uint64_t words[OST_TELEMETRY_WORDS];
    for (;;) {
        /* Acquire: pairs with the writer's final release store; the payload
           read below is at least as new as this sequence number. */
        uint64_t s1 = OST_LOAD(&box->seq, OST_ACQUIRE);
        if (s1 & 1u) continue; /* a write is in progress */
        for (size_t i = 0; i < OST_TELEMETRY_WORDS; i++) words[i] = OST_LOAD(&box->words[i], OST_RELAXED);
        /* Acquire fence: the payload loads complete before we re-read seq. */
        atomic_thread_fence(memory_order_acquire);
        uint64_t s2 = OST_LOAD(&box->seq, OST_RELAXED);
        if (s1 == s2) break;
    }
    memcpy(out, words, sizeof words);
}
