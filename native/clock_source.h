/*
 * clock_source.h — the engine's slot for an outside clock (Ableton Link).
 *
 * The control thread installs or removes a source; the audio thread captures
 * it at the start of each block. Removal waits for a capture in flight, so
 * the source's owner may free it as soon as removal returns (the same
 * Dekker-style handshake as the PortAudio backend's detach).
 */
#ifndef OST_CLOCK_SOURCE_H
#define OST_CLOCK_SOURCE_H

#include "atomics.h"
#include "ostinato.h"

typedef struct ost_clock_slot {
    _Atomic(const ost_clock_source *) source;
    ost_atomic_u32 in_use;     /**< 1 while the audio thread may call the source */
    uint64_t captures;         /**< audio thread only */
    uint64_t frame;            /**< audio thread only: frame of the last capture */
    ost_clock_capture last;    /**< audio thread only */
} ost_clock_slot;

/** Thread: control (before the audio thread runs). */
void ost_clock_slot_init(ost_clock_slot *slot);
/** Installs `source` (NULL: none); returns once the old one is unused. Thread: control. */
void ost_clock_slot_set(ost_clock_slot *slot, const ost_clock_source *source);
/** Captures the source, if any, for the block starting at `frame`. Thread: audio. */
void ost_clock_slot_capture_rt(ost_clock_slot *slot, uint64_t frame);

#endif
