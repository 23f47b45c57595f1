/*
 * backend_null.c — a native thread that renders at real-time pace with no
 * device, as libsoundio's dummy backend does: render a block, then sleep
 * until the block's absolute deadline on CLOCK_MONOTONIC, so the pace does
 * not drift with the time spent rendering. A deadline missed by more than a
 * block counts as an xrun and is caught up (the clock must keep real time);
 * one missed by more than 500 ms resynchronises instead of bursting. A
 * render longer than its block is followed by a pause as long, so an engine
 * that overruns never holds a core at real-time priority unbroken. The
 * thread asks for real-time scheduling (SCHED_FIFO, as JACK's clients get)
 * and carries on at normal priority when the system refuses.
 *
 * The thread is this backend's audio thread: between two sleeps it only
 * calls ost_mixer_render, under the contract at the top of mixer.c.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "backend.h"

typedef struct null_state {
    ost_mixer *mixer;
    float *buffer; /**< block_frames * channels, the output nobody hears */
    uint32_t block_frames, channels;
    uint64_t block_ns;
    pthread_t thread;
    int thread_started;
    ost_atomic_u32 quit;
} null_state;

static void sleep_until(uint64_t deadline_ns) {
    struct timespec ts = {(time_t)(deadline_ns / 1000000000ull), (long)(deadline_ns % 1000000000ull)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

static void *null_thread(void *arg) {
    null_state *s = arg;
    uint64_t deadline = ost_backend_now_ns();
    /* Acquire: pairs with the release store in null_stop. */
    while (!OST_LOAD(&s->quit, OST_ACQUIRE)) {
        uint64_t start = ost_backend_now_ns();
        ost_mixer_render(s->mixer, s->buffer, s->block_frames);
        deadline += s->block_ns;
        uint64_t now = ost_backend_now_ns();
        if (now > deadline + s->block_ns) {
            ost_mixer_note_xrun(s->mixer);
            if (now > deadline + 500000000ull) deadline = now;
        }
        /* A render slower than its block pauses as long as it took: it
           would otherwise hold a core at real-time priority with no pause,
           starving the rest of the machine (the server's own threads among
           them). Renders within their block catch up as before. */
        uint64_t took = now - start;
        sleep_until(took > s->block_ns && now + took > deadline ? now + took : deadline);
    }
    return NULL;
}

static ost_result null_open(ost_backend *b, ost_mixer *m, const ost_backend_params *p) {
    null_state *s = calloc(1, sizeof *s);
    if (!s) return OST_OUT_OF_MEMORY;
    s->buffer = calloc((size_t)p->block_frames * p->channels, sizeof(float));
    if (!s->buffer) {
        free(s);
        return OST_OUT_OF_MEMORY;
    }
    s->mixer = m;
    s->block_frames = p->block_frames;
    s->channels = p->channels;
    s->block_ns = (uint64_t)((double)p->block_frames * 1e9 / p->sample_rate + 0.5);
    OST_INIT(&s->quit, 0);
    b->state = s;
    b->device_index = -1;
    b->output_latency_s = 0;
    return OST_OK;
}

static ost_result null_start(ost_backend *b) {
    null_state *s = b->state;
    if (s->thread_started) return OST_OK;
    OST_STORE(&s->quit, 0, OST_RELAXED); /* the thread does not exist yet */
    if (pthread_create(&s->thread, NULL, null_thread, s) != 0) return OST_THREAD_ERROR;
    s->thread_started = 1;
    /* Best effort: a render thread that sleeps between blocks is a good
       citizen at real-time priority; without permission it runs as is. */
    struct sched_param param = {.sched_priority = 60};
    pthread_setschedparam(s->thread, SCHED_FIFO, &param);
    return OST_OK;
}

static ost_result null_stop(ost_backend *b) {
    null_state *s = b->state;
    if (!s->thread_started) return OST_OK;
    /* Release: pairs with the thread's acquire load; it stops after at most
       one more block. */
    OST_STORE(&s->quit, 1, OST_RELEASE);
    pthread_join(s->thread, NULL);
    s->thread_started = 0;
    return OST_OK;
}

static void null_close(ost_backend *b) {
    null_state *s = b->state;
    if (!s) return;
    null_stop(b);
    free(s->buffer);
    free(s);
    b->state = NULL;
}

static int null_alive(ost_backend *b) { (void)b; return 1; }

const ost_backend_ops ost_backend_null_ops = {
    OST_BACKEND_NULL, null_open, null_start, null_stop, null_close, null_alive,
};
