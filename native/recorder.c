/* recorder.c — see recorder.h. */
#include "recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wavfile.h"

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

ost_result ost_recorder_init(ost_recorder *r, float rate, uint32_t channels, double buffer_s) {
    memset(r, 0, sizeof *r);
    r->rate = rate;
    r->channels = channels;
    r->capacity = (uint64_t)(buffer_s * rate) + 1;
    r->ring = calloc((size_t)r->capacity * channels, sizeof(float));
    if (!r->ring) return OST_OUT_OF_MEMORY;
    memset(r->ring, 0, (size_t)r->capacity * channels * sizeof(float)); /* no page faults on the audio thread */
    OST_INIT(&r->state, OST_REC_IDLE);
    OST_INIT(&r->written, 0);
    OST_INIT(&r->read, 0);
    OST_INIT(&r->start_frame, 0);
    OST_INIT(&r->frames, 0);
    OST_INIT(&r->dropped, 0);
    OST_INIT(&r->lost, 0);
    OST_INIT(&r->error, 0);
    r->fd = -1;
    pthread_mutex_init(&r->lock, NULL);
    return OST_OK;
}

/* The header for the frames written so far, in place: a take cut short by a
   crash is still a valid file of what was written. */
static void update_header(ost_recorder *r) {
    uint8_t header[OST_WAV_HEADER_BYTES];
    ost_wav_float_header(header, r->channels, (uint32_t)r->rate, r->file_frames);
    if (pwrite(r->fd, header, sizeof header, 0) != (ssize_t)sizeof header) r->write_error = r->write_error ? r->write_error : errno;
}

/* Appends frames; on a short write (a full disk) records the error and counts
   the frames that did not make it (what was written stays a valid file). */
static void append(ost_recorder *r, const float *frames, uint64_t n) {
    const size_t bytes = (size_t)n * r->channels * sizeof(float);
    const size_t frame_bytes = (size_t)r->channels * sizeof(float);
    const off_t at = (off_t)(OST_WAV_HEADER_BYTES + r->file_frames * frame_bytes);
    size_t done = 0;
    while (!r->write_error && done < bytes) {
        ssize_t w = pwrite(r->fd, (const char *)frames + done, bytes - done, at + (off_t)done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            r->write_error = w < 0 ? errno : ENOSPC;
            break;
        }
        done += (size_t)w;
    }
    const uint64_t whole = done / frame_bytes;
    if (done % frame_bytes && ftruncate(r->fd, at + (off_t)(whole * frame_bytes)) != 0) {
        /* a torn frame stays; the header's size still ends before it */
    }
    r->file_frames += whole;
    /* Relaxed: a counter for telemetry, read by the audio thread's snapshot. */
    if (whole < n) OST_STORE(&r->lost, OST_LOAD(&r->lost, OST_RELAXED) + (n - whole), OST_RELAXED);
}

/* Writes what the ring holds; returns the frames taken from it. */
static uint64_t drain(ost_recorder *r) {
    /* Acquire: the audio thread's frames are in the ring. */
    uint64_t w = OST_LOAD(&r->written, OST_ACQUIRE), rd = OST_LOAD(&r->read, OST_RELAXED);
    uint64_t total = w - rd;
    while (rd < w) {
        uint64_t at = rd % r->capacity;
        uint64_t n = w - rd;
        if (n > r->capacity - at) n = r->capacity - at; /* up to the ring's end */
        append(r, r->ring + at * r->channels, n);
        rd += n;
        /* Release: done with those frames before the audio thread reuses them. */
        OST_STORE(&r->read, rd, OST_RELEASE);
    }
    if (total) update_header(r);
    /* Relaxed: read by telemetry only. */
    if (r->write_error) OST_STORE(&r->error, (uint64_t)r->write_error, OST_RELAXED);
    return total;
}

static void *writer_main(void *arg) {
    ost_recorder *r = arg;
    for (;;) {
        /* Acquire: a STOPPED seen here means every frame is in `written`. */
        uint32_t state = OST_LOAD(&r->state, OST_ACQUIRE);
        drain(r);
        if (state == OST_REC_STOPPED) break;
        sleep_ms(5);
    }
    drain(r);
    update_header(r);
    if (close(r->fd) != 0 && !r->write_error) r->write_error = errno;
    r->fd = -1;
    return NULL;
}

ost_result ost_recorder_start(ost_recorder *r, const char *path) {
    if (!path || !path[0]) return OST_INVALID_ARGS;
    pthread_mutex_lock(&r->lock);
    if (OST_LOAD(&r->state, OST_ACQUIRE) != OST_REC_IDLE) {
        pthread_mutex_unlock(&r->lock);
        return OST_WRONG_STATE;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        pthread_mutex_unlock(&r->lock);
        return OST_FILE_ERROR;
    }
    r->fd = fd;
    r->file_frames = 0;
    r->write_error = 0;
    update_header(r);
    if (r->write_error) {
        close(fd);
        r->fd = -1;
        pthread_mutex_unlock(&r->lock);
        return OST_FILE_ERROR;
    }
    /* no audio thread touches these while IDLE */
    OST_STORE(&r->written, 0, OST_RELAXED);
    OST_STORE(&r->read, 0, OST_RELAXED);
    OST_STORE(&r->frames, 0, OST_RELAXED);
    OST_STORE(&r->dropped, 0, OST_RELAXED);
    OST_STORE(&r->lost, 0, OST_RELAXED);
    OST_STORE(&r->error, 0, OST_RELAXED);
    if (pthread_create(&r->writer, NULL, writer_main, r) != 0) {
        close(fd);
        r->fd = -1;
        pthread_mutex_unlock(&r->lock);
        return OST_THREAD_ERROR;
    }
    r->writer_started = 1;
    /* Release: the reset positions are visible before the audio thread arms. */
    OST_STORE(&r->state, OST_REC_ARMED, OST_RELEASE);
    pthread_mutex_unlock(&r->lock);
    return OST_OK;
}

ost_result ost_recorder_stop(ost_recorder *r, int rendering, double wait_s, double *out) {
    pthread_mutex_lock(&r->lock);
    uint32_t state = OST_LOAD(&r->state, OST_ACQUIRE);
    if (state == OST_REC_IDLE || !r->writer_started) {
        pthread_mutex_unlock(&r->lock);
        return OST_WRONG_STATE;
    }
    if (state == OST_REC_ARMED && !rendering) {
        /* never started: an empty recording */
        OST_STORE(&r->state, OST_REC_STOPPED, OST_RELEASE);
    } else {
        /* ARMED or RUNNING: the audio thread finishes its block and stops.
           Compare-exchange against the audio thread's ARMED -> RUNNING. */
        uint32_t expected = state;
        while (!atomic_compare_exchange_weak_explicit(&r->state.v, &expected, OST_REC_STOPPING, memory_order_acq_rel,
                                                      memory_order_acquire)) {
            if (expected == OST_REC_STOPPED || expected == OST_REC_STOPPING) break;
        }
        long waited = 0;
        while (rendering && OST_LOAD(&r->state, OST_ACQUIRE) != OST_REC_STOPPED && waited < (long)(wait_s * 1000)) {
            sleep_ms(1);
            waited++;
        }
        /* no audio thread renders (or it stalled): the stop is ours to make */
        OST_STORE(&r->state, OST_REC_STOPPED, OST_RELEASE);
    }
    pthread_join(r->writer, NULL);
    r->writer_started = 0;
    if (out) {
        out[0] = (double)OST_LOAD(&r->start_frame, OST_RELAXED);
        out[1] = (double)OST_LOAD(&r->frames, OST_RELAXED);
        out[2] = (double)OST_LOAD(&r->dropped, OST_RELAXED);
        out[3] = (double)OST_LOAD(&r->lost, OST_RELAXED);
        out[4] = (double)r->write_error;
    }
    ost_result result = r->write_error ? OST_FILE_ERROR : OST_OK;
    OST_STORE(&r->state, OST_REC_IDLE, OST_RELEASE);
    pthread_mutex_unlock(&r->lock);
    return result;
}

void ost_recorder_free(ost_recorder *r) {
    if (r->writer_started) ost_recorder_stop(r, 0, 0, NULL);
    if (r->ring) pthread_mutex_destroy(&r->lock);
    free(r->ring);
    r->ring = NULL;
}

void ost_recorder_write_rt(ost_recorder *r, const float *out, uint32_t n, uint64_t frame) {
    /* Acquire: a control thread's ARMED or STOPPING, with what it set. */
    uint32_t state = OST_LOAD(&r->state, OST_ACQUIRE);
    if (state == OST_REC_ARMED) {
        uint32_t expected = OST_REC_ARMED;
        /* Relaxed publish of the start frame: read after STOPPED (acquire). */
        OST_STORE(&r->start_frame, frame, OST_RELAXED);
        if (!atomic_compare_exchange_strong_explicit(&r->state.v, &expected, OST_REC_RUNNING, memory_order_acq_rel,
                                                     memory_order_acquire))
            state = expected; /* a stop came first */
        else
            state = OST_REC_RUNNING;
    }
    if (state == OST_REC_STOPPING) {
        /* Release: every frame we wrote is published before STOPPED. */
        OST_STORE(&r->state, OST_REC_STOPPED, OST_RELEASE);
        return;
    }
    if (state != OST_REC_RUNNING) return;
    uint64_t w = OST_LOAD(&r->written, OST_RELAXED); /* only this thread writes it */
    /* Acquire: the writer is done with the frames it took. */
    uint64_t rd = OST_LOAD(&r->read, OST_ACQUIRE);
    if (r->capacity - (w - rd) < n) {
        OST_STORE(&r->dropped, OST_LOAD(&r->dropped, OST_RELAXED) + n, OST_RELAXED);
        return;
    }
    uint32_t ch = r->channels;
    for (uint32_t i = 0; i < n; i++) {
        float *dst = r->ring + ((w + i) % r->capacity) * ch;
        for (uint32_t c = 0; c < ch; c++) dst[c] = out[(size_t)i * ch + c];
    }
    /* Release: the frames are in the ring before the writer sees them. */
    OST_STORE(&r->written, w + n, OST_RELEASE);
    OST_STORE(&r->frames, OST_LOAD(&r->frames, OST_RELAXED) + n, OST_RELAXED);
}
