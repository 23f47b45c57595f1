/*
 * scope.h — a tap of the most recent master output, mono, for display (the
 * editor's oscilloscope).
 *
 * One writer, the audio thread, appends every rendered frame (the mean of
 * the output channels, after the limiter) into a ring of OST_SCOPE_CAPACITY
 * floats and then publishes its write position; any number of readers copy
 * the latest frames out. The position works as a seqlock on the ring: a
 * reader notes it, copies, and checks it again; if the writer may have
 * overwritten what was copied meanwhile, it copies again. The writer never
 * waits and never allocates; a reader never blocks the writer.
 */
#ifndef OST_SCOPE_H
#define OST_SCOPE_H

#include "atomics.h"

/** Frames the ring holds (a power of two). */
#define OST_SCOPE_CAPACITY 16384u
/** The most a reader may ask for; the rest of the ring is the margin that
 *  lets a reader copy while the writer keeps writing. */
#define OST_SCOPE_MAX_READ 4096u

typedef struct ost_scope {
    /** Samples, stored and loaded with relaxed atomics (no data race on them). */
    _Atomic float ring[OST_SCOPE_CAPACITY];
    /** Frames written since open; the ring index is pos % capacity. */
    ost_atomic_u64 written;
    char pad_[64 - sizeof(ost_atomic_u64)];
} ost_scope;

/** Thread: control (before any writer runs). */
void ost_scope_init(ost_scope *scope);

/** Appends `frames` frames of interleaved output (`channels` per frame, mono
 *  mix taken). Called at most OST_MIX_BLOCK frames at a time, so that a
 *  reader's margin holds. Thread: audio (the single writer). */
void ost_scope_write(ost_scope *scope, const float *out, uint32_t frames, uint32_t channels);

/** Copies the most recent `frames` (at most OST_SCOPE_MAX_READ) mono
 *  frames, oldest first, into out; frames not rendered yet are 0.
 *  Returns the number copied (frames, clamped). Thread: any. */
uint32_t ost_scope_read(const ost_scope *scope, float *out, uint32_t frames);

#endif
