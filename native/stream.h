/*
 * stream.h — long samples streamed from disk: a reader thread fills one
 * ring per playing voice; the audio thread only reads the rings.
 *
 * A stream is a fixed slot with a ring of frames (allocated at open, never
 * touched first by the audio thread: the reader writes every page before
 * the audio thread reads it). Its life, through an atomic state:
 *   FREE -> CLAIMED   the audio thread, when it takes in a NOTE event of a
 *                     streamed sample (as it drains the event ring, so the
 *                     reader has the event's whole lead time, typically the
 *                     scheduler's 150 ms, to fill the ring), writes the
 *                     request (file, start frame, direction, end, loop);
 *   CLAIMED -> ACTIVE the reader opens the file, seeks, starts filling;
 *   -> RELEASED       the audio thread lets go (voice over, event dropped);
 *   RELEASED -> FREE  the reader closes the file.
 * Only the audio thread moves a stream out of FREE and into RELEASED; only
 * the reader moves it into ACTIVE and back to FREE; each move is a release
 * store read with acquire by the other side. Within ACTIVE the ring is SPSC:
 * the reader advances `written`, the audio thread `consumed`.
 *
 * A voice that finds its ring empty (the disk was late) plays silence for
 * that frame and counts an underrun; it never waits.
 */
#ifndef OST_STREAM_H
#define OST_STREAM_H

#include <pthread.h>
#include <stdint.h>

#include "atomics.h"
#include "ostinato.h"

typedef struct ost_sample_data ost_sample_data;

enum { OST_STREAM_FREE = 0, OST_STREAM_CLAIMED, OST_STREAM_ACTIVE, OST_STREAM_RELEASED };

/** Frames each stream's ring holds (2.7 s at 48 kHz). */
#define OST_STREAM_RING_FRAMES (1u << 17)

typedef struct ost_stream {
    ost_atomic_u32 state;
    /* the request: written by the audio thread before CLAIMED */
    ost_sample_data *sample;
    int64_t start;          /**< first frame to deliver */
    int64_t stop;           /**< one past the last frame, in the direction of play */
    int32_t dir;            /**< +1 forwards, -1 backwards */
    int32_t loop;           /**< loop between loop_begin and loop_end (forwards only) */
    int64_t loop_begin, loop_end;
    /* the ring: 2 channels per frame (a mono file is written to both) */
    float *ring;
    ost_atomic_u64 written;  /**< frames written by the reader */
    ost_atomic_u64 consumed; /**< frames read by the audio thread */
    ost_atomic_u32 eof;      /**< no frame after `written` will come */
    /* the reader's own */
    void *file;             /**< SNDFILE* */
    int64_t next;           /**< next frame of the file to read (in the direction of play) */
} ost_stream;

struct ost_streams {
    ost_stream *streams;
    uint32_t count;
    pthread_t reader;
    int started;
    ost_atomic_u32 quit;
    /* audio-owned counters */
    uint32_t in_use;
};
typedef struct ost_streams ost_streams;

/** Allocates `count` streams (0: streaming off) and starts the reader.
 *  Thread: control. */
ost_result ost_streams_init(ost_streams *s, uint32_t count);
/** Stops the reader and frees the rings; no audio thread may run.
 *  Thread: control. */
void ost_streams_free(ost_streams *s);
/** 1 when streaming is available. Thread: any. */
int ost_streams_enabled(const ost_streams *s);

/** Claims a free stream for a voice of `sample` that plays from `start`
 *  (inclusive) towards `stop` (exclusive) in direction dir, looping
 *  forwards over [loop_begin, loop_end) when loop is set. Returns the
 *  stream's index, or -1 when none is free. Thread: audio. */
int32_t ost_streams_claim_rt(ost_streams *s, ost_sample_data *sample, int64_t start, int64_t stop, int32_t dir,
                             int32_t loop, int64_t loop_begin, int64_t loop_end);
/** Gives a claimed stream back. Thread: audio. */
void ost_streams_release_rt(ost_streams *s, int32_t index);
/** Frames ready to read, and whether none will follow them. Thread: audio. */
static inline uint64_t ost_stream_available_rt(ost_stream *st, int *eof) {
    /* Acquire: pairs with the reader's release; the frames are written. */
    uint64_t w = OST_LOAD(&st->written, OST_ACQUIRE);
    *eof = (int)OST_LOAD(&st->eof, OST_ACQUIRE);
    return w - OST_LOAD(&st->consumed, OST_RELAXED);
}

/** Offline rendering: waits until every claimed stream has a full ring or
 *  has reached its end, at most timeout_s. Thread: control (the offline
 *  renderer, which is its own audio thread and may wait). */
void ost_streams_wait_filled(ost_streams *s, double timeout_s);

#endif
