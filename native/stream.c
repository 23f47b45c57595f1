/*
 * stream.c — the stream reader thread and the audio thread's side of the
 * stream slots (see stream.h).
 */
#include "stream.h"

#include <math.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sample.h"

/* Frames the reader reads at a time. */
#define CHUNK 16384

static void sleep_ns(long ns) {
    struct timespec ts = {0, ns};
    nanosleep(&ts, NULL);
}

/* Opens the file of a claimed stream and positions it. */
static void open_stream(ost_stream *st) {
    SF_INFO info;
    memset(&info, 0, sizeof info);
    st->file = sf_open(st->sample->path, SFM_READ, &info);
    st->next = st->start;
    /* Release: a voice that sees eof sees the (empty) ring as it is. */
    if (!st->file) OST_STORE(&st->eof, 1, OST_RELEASE);
}

/* Reads up to `want` frames at the stream's position into the ring, in the
   direction of play. Returns how many were written. */
static uint32_t fill(ost_stream *st, float *tmp, uint32_t channels, uint32_t want) {
    SNDFILE *f = st->file;
    uint64_t w = OST_LOAD(&st->written, OST_RELAXED); /* only we write it */
    uint32_t done = 0;
    while (done < want) {
        int64_t from, count;
        if (st->dir > 0) {
            int64_t end = st->loop ? st->loop_end : st->stop;
            if (st->next >= end) {
                if (!st->loop || st->loop_end <= st->loop_begin) {
                    OST_STORE(&st->eof, 1, OST_RELEASE);
                    break;
                }
                st->next = st->loop_begin;
                continue;
            }
            from = st->next;
            count = end - from;
        } else {
            if (st->next <= st->stop) {
                OST_STORE(&st->eof, 1, OST_RELEASE);
                break;
            }
            count = st->next - st->stop;
            if (count > want - done) count = want - done;
            from = st->next - count + 1;
        }
        if (count > want - done) count = want - done;
        if (count > CHUNK) count = CHUNK;
        if (sf_seek(f, from, SEEK_SET) < 0) {
            OST_STORE(&st->eof, 1, OST_RELEASE);
            break;
        }
        sf_count_t got = sf_readf_float(f, tmp, count);
        if (got <= 0) {
            OST_STORE(&st->eof, 1, OST_RELEASE); /* the file ended early, or broke */
            break;
        }
        for (sf_count_t i = 0; i < got; i++) {
            sf_count_t k = st->dir > 0 ? i : got - 1 - i; /* backwards: newest first */
            float *dst = st->ring + ((w + done + (uint64_t)i) % OST_STREAM_RING_FRAMES) * 2;
            float l = tmp[(size_t)k * channels], r = channels > 1 ? tmp[(size_t)k * channels + 1] : l;
            dst[0] = fabsf(l) <= 3.0e38f ? l : 0.0f;
            dst[1] = fabsf(r) <= 3.0e38f ? r : 0.0f;
        }
        done += (uint32_t)got;
        st->next += st->dir > 0 ? got : -got;
        if (got < count && st->dir < 0) { /* a short read backwards: give up there */
            OST_STORE(&st->eof, 1, OST_RELEASE);
            break;
        }
    }
    /* Release: the frames are in the ring before the audio thread sees them. */
    if (done) OST_STORE(&st->written, w + done, OST_RELEASE);
    return done;
}

static void *reader_main(void *arg) {
    ost_streams *s = arg;
    float *tmp = malloc((size_t)CHUNK * 8 * sizeof(float)); /* up to 8 channels per file frame */
    /* Acquire: pairs with the release store in ost_streams_free. */
    while (!OST_LOAD(&s->quit, OST_ACQUIRE)) {
        int busy = 0, used = 0;
        for (uint32_t i = 0; i < s->count; i++) {
            ost_stream *st = &s->streams[i];
            /* Acquire: the audio thread's request (or its release) is visible. */
            uint32_t state = OST_LOAD(&st->state, OST_ACQUIRE);
            if (state == OST_STREAM_CLAIMED) {
                open_stream(st);
                /* CLAIMED -> ACTIVE unless the audio thread released it
                   meanwhile (then it is RELEASED, and closed below). */
                uint32_t expected = OST_STREAM_CLAIMED;
                if (atomic_compare_exchange_strong_explicit(&st->state.v, &expected, OST_STREAM_ACTIVE,
                                                            memory_order_acq_rel, memory_order_acquire))
                    state = OST_STREAM_ACTIVE;
                else
                    state = expected;
            }
            if (state == OST_STREAM_ACTIVE) {
                used = 1;
                if (!st->file || OST_LOAD(&st->eof, OST_RELAXED) || !tmp) continue;
                /* Acquire: the audio thread is done with the frames it consumed. */
                uint64_t room = OST_STREAM_RING_FRAMES -
                                (OST_LOAD(&st->written, OST_RELAXED) - OST_LOAD(&st->consumed, OST_ACQUIRE));
                if (room >= CHUNK / 4) {
                    SF_INFO info;
                    memset(&info, 0, sizeof info);
                    sf_command(st->file, SFC_GET_CURRENT_SF_INFO, &info, sizeof info);
                    uint32_t ch = info.channels > 0 && info.channels <= 8 ? (uint32_t)info.channels : 1;
                    if (fill(st, tmp, ch, room > CHUNK ? CHUNK : (uint32_t)room)) busy = 1;
                }
            } else if (state == OST_STREAM_RELEASED) {
                if (st->file) sf_close(st->file);
                st->file = NULL;
                /* Release: we are done with the slot before the audio thread reuses it. */
                OST_STORE(&st->state, OST_STREAM_FREE, OST_RELEASE);
            }
        }
        if (!busy) sleep_ns(used ? 1000000L : 10000000L); /* 1 ms while streaming, else 10 ms */
    }
    for (uint32_t i = 0; i < s->count; i++)
        if (s->streams[i].file) {
            sf_close(s->streams[i].file);
            s->streams[i].file = NULL;
        }
    free(tmp);
    return NULL;
}

ost_result ost_streams_init(ost_streams *s, uint32_t count) {
    memset(s, 0, sizeof *s);
    OST_INIT(&s->quit, 0);
    if (count == 0) return OST_OK;
    s->streams = calloc(count, sizeof *s->streams);
    if (!s->streams) return OST_OUT_OF_MEMORY;
    s->count = count;
    for (uint32_t i = 0; i < count; i++) {
        ost_stream *st = &s->streams[i];
        OST_INIT(&st->state, OST_STREAM_FREE);
        OST_INIT(&st->written, 0);
        OST_INIT(&st->consumed, 0);
        OST_INIT(&st->eof, 0);
        /* calloc: pages are mapped when the reader first writes them, never
           by the audio thread, which only reads what was written */
        st->ring = calloc((size_t)OST_STREAM_RING_FRAMES * 2, sizeof(float));
        if (!st->ring) {
            ost_streams_free(s);
            return OST_OUT_OF_MEMORY;
        }
    }
    if (pthread_create(&s->reader, NULL, reader_main, s) != 0) {
        ost_streams_free(s);
        return OST_THREAD_ERROR;
    }
    s->started = 1;
    return OST_OK;
}

void ost_streams_free(ost_streams *s) {
    if (s->started) {
        OST_STORE(&s->quit, 1, OST_RELEASE);
        pthread_join(s->reader, NULL);
        s->started = 0;
    }
    for (uint32_t i = 0; s->streams && i < s->count; i++) free(s->streams[i].ring);
    free(s->streams);
    s->streams = NULL;
    s->count = 0;
}

int ost_streams_enabled(const ost_streams *s) { return s && s->count > 0; }

int32_t ost_streams_claim_rt(ost_streams *s, ost_sample_data *sample, int64_t start, int64_t stop, int32_t dir,
                             int32_t loop, int64_t loop_begin, int64_t loop_end) {
    for (uint32_t i = 0; i < s->count; i++) {
        ost_stream *st = &s->streams[i];
        /* Acquire: the reader has closed the file of the last use. */
        if (OST_LOAD(&st->state, OST_ACQUIRE) != OST_STREAM_FREE) continue;
        st->sample = sample;
        st->start = start;
        st->stop = stop;
        st->dir = dir;
        st->loop = loop;
        st->loop_begin = loop_begin;
        st->loop_end = loop_end;
        /* The reader does not touch a FREE stream's positions: reset them
           here, so a voice reading before the reader has opened the file
           sees an empty ring. */
        OST_STORE(&st->written, 0, OST_RELAXED);
        OST_STORE(&st->consumed, 0, OST_RELAXED);
        OST_STORE(&st->eof, 0, OST_RELAXED);
        /* Release: the request is complete before the reader sees CLAIMED. */
        OST_STORE(&st->state, OST_STREAM_CLAIMED, OST_RELEASE);
        s->in_use++;
        return (int32_t)i;
    }
    return -1;
}

void ost_streams_release_rt(ost_streams *s, int32_t index) {
    if (index < 0 || (uint32_t)index >= s->count) return;
    ost_stream *st = &s->streams[index];
    /* From CLAIMED or ACTIVE: the reader's compare-exchange sees a release
       that comes while it opens the file. Release: our last read of the
       ring happens before the reader reuses it. */
    OST_STORE(&st->state, OST_STREAM_RELEASED, OST_RELEASE);
    s->in_use--;
}

void ost_streams_wait_filled(ost_streams *s, double timeout_s) {
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int waiting = 0;
        for (uint32_t i = 0; i < s->count; i++) {
            ost_stream *st = &s->streams[i];
            uint32_t state = OST_LOAD(&st->state, OST_ACQUIRE);
            if (state == OST_STREAM_CLAIMED) waiting = 1;
            else if (state == OST_STREAM_ACTIVE && !OST_LOAD(&st->eof, OST_ACQUIRE) &&
                     OST_LOAD(&st->written, OST_ACQUIRE) - OST_LOAD(&st->consumed, OST_RELAXED) <
                         OST_STREAM_RING_FRAMES - CHUNK / 4)
                waiting = 1;
        }
        if (!waiting) return;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) * 1e-9 > timeout_s) return;
        sleep_ns(200000L);
    }
}
