/*
 * telemetry.h — a seqlock around one ost_telemetry snapshot.
 *
 * One writer (the audio thread, once per block) and any number of readers
 * (control threads, at meter rate). The writer never waits; a reader retries
 * while a write is in progress, so it never sees a torn snapshot. The
 * snapshot is copied as 64-bit words through relaxed atomics, with fences
 * around the sequence number: that is the C11-conforming seqlock (no data
 * race on the payload).
 */
#ifndef OST_TELEMETRY_H
#define OST_TELEMETRY_H

#include "atomics.h"
#include "ostinato.h"

#define OST_TELEMETRY_WORDS (sizeof(ost_telemetry) / sizeof(uint64_t))

typedef struct ost_telemetry_box {
    ost_atomic_u64 seq; /**< odd while a write is in progress */
    ost_atomic_u64 words[OST_TELEMETRY_WORDS];
} ost_telemetry_box;

/** Thread: control (before any writer runs). */
void ost_telemetry_init(ost_telemetry_box *box);
/** Publishes a snapshot. Thread: audio (the single writer). */
void ost_telemetry_publish(ost_telemetry_box *box, const ost_telemetry *snapshot);
/** Copies the latest complete snapshot. Thread: any. */
void ost_telemetry_read(const ost_telemetry_box *box, ost_telemetry *out);

#endif
