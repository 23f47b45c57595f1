/*
 * sample.c — the sample table, the loader thread and the deferred free (see
 * sample.h). Decoding uses libsndfile: WAV, AIFF, FLAC, Ogg Vorbis, Opus and
 * MP3 (Debian's libsndfile 1.2 is built with mpg123 and LAME).
 */
#include "sample.h"

#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stream.h"
#include "wavetable.h"

/* ----------------------------------------------------------- pointer ring */

ost_result ost_ptr_ring_init(ost_ptr_ring *r, uint32_t capacity) {
    uint32_t cap = 1;
    while (cap < capacity) cap <<= 1;
    r->items = calloc(cap, sizeof(void *));
    if (!r->items) return OST_OUT_OF_MEMORY;
    r->mask = cap - 1;
    OST_INIT(&r->write_pos, 0);
    OST_INIT(&r->read_pos, 0);
    return OST_OK;
}

void ost_ptr_ring_free(ost_ptr_ring *r) {
    free(r->items);
    r->items = NULL;
}

int ost_ptr_ring_has_room(ost_ptr_ring *r) {
    /* Acquire: as in push. */
    return OST_LOAD(&r->write_pos, OST_RELAXED) - OST_LOAD(&r->read_pos, OST_ACQUIRE) <= r->mask;
}

int ost_ptr_ring_push(ost_ptr_ring *r, void *item) {
    uint64_t w = OST_LOAD(&r->write_pos, OST_RELAXED); /* only the producer writes it */
    /* Acquire: the consumer has finished reading the slot it released. */
    uint64_t rd = OST_LOAD(&r->read_pos, OST_ACQUIRE);
    if (w - rd > r->mask) return 0;
    r->items[w & r->mask] = item;
    /* Release: the item is written before the consumer sees the position. */
    OST_STORE(&r->write_pos, w + 1, OST_RELEASE);
    return 1;
}

void *ost_ptr_ring_pop(ost_ptr_ring *r) {
    uint64_t rd = OST_LOAD(&r->read_pos, OST_RELAXED); /* only the consumer writes it */
    /* Acquire: pairs with the producer's release; the item is complete. */
    if (OST_LOAD(&r->write_pos, OST_ACQUIRE) == rd) return NULL;
    void *item = r->items[rd & r->mask];
    /* Release: we are done with the slot before the producer reuses it. */
    OST_STORE(&r->read_pos, rd + 1, OST_RELEASE);
    return item;
}

/* ------------------------------------------------------------- decoding */

static void data_free(ost_sample_data *d) {
    if (!d) return;
    free(d->frames);
    free(d->path);
    ost_wt_bank_free(d->wt);
    free(d);
}

/* Strudel's convention: a sample whose bank (its folder) is named wt_... is
   a wavetable. */
static int in_wavetable_folder(const char *path) {
    const char *end = strrchr(path, '/');
    if (!end) return 0;
    const char *start = end;
    while (start > path && start[-1] != '/') start--;
    return end - start > 3 && strncmp(start, "wt_", 3) == 0;
}

static char *format_error(const char *path, const char *reason) {
    size_t n = strlen(path) + strlen(reason) + 3;
    char *e = malloc(n);
    if (e) snprintf(e, n, "%s: %s", path, reason);
    return e;
}

/* Decodes a whole file, or (above the threshold) checks it and leaves it to
   the stream reader. Returns the data, or NULL with *error set. */
static ost_sample_data *decode(const char *path, uint64_t threshold, int32_t id, char **error) {
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f) {
        *error = format_error(path, sf_strerror(NULL));
        return NULL;
    }
    if (info.channels < 1 || info.samplerate <= 0) {
        sf_close(f);
        *error = format_error(path, "no audio channels or no sample rate in the file");
        return NULL;
    }
    ost_sample_data *d = calloc(1, sizeof *d);
    if (!d) {
        sf_close(f);
        *error = format_error(path, "out of memory");
        return NULL;
    }
    d->id = id;
    d->channels = info.channels >= 2 ? 2 : 1;
    d->rate = (float)info.samplerate;
    d->path = strdup(path);
    uint32_t in_ch = (uint32_t)info.channels;
    int known_length = info.frames > 0 && info.frames < ((sf_count_t)1 << 40);
    uint64_t decoded_bytes = known_length ? (uint64_t)info.frames * d->channels * sizeof(float) : 0;
    const sf_count_t chunk = 16384;
    float *buf = malloc((size_t)chunk * in_ch * sizeof(float));
    if (!buf || !d->path) goto oom;

    if (known_length && decoded_bytes > threshold) {
        /* Streamed: check that the start decodes, keep the length. */
        sf_count_t got = sf_readf_float(f, buf, chunk < info.frames ? chunk : info.frames);
        if (got <= 0 || sf_error(f)) {
            *error = format_error(path, got <= 0 ? "the file has no readable audio" : sf_strerror(f));
            goto fail;
        }
        d->streamed = 1;
        d->length = (uint64_t)info.frames;
        free(buf);
        sf_close(f);
        return d;
    }

    uint64_t cap = known_length ? (uint64_t)info.frames : (uint64_t)chunk;
    d->frames = malloc((size_t)cap * d->channels * sizeof(float));
    if (!d->frames) goto oom;
    uint64_t have = 0;
    for (;;) {
        sf_count_t got = sf_readf_float(f, buf, chunk);
        if (got <= 0) break;
        if (have + (uint64_t)got > cap) {
            uint64_t grown = cap * 2 > have + (uint64_t)got ? cap * 2 : have + (uint64_t)got;
            float *more = realloc(d->frames, (size_t)grown * d->channels * sizeof(float));
            if (!more) goto oom;
            d->frames = more;
            cap = grown;
        }
        for (sf_count_t i = 0; i < got; i++)
            for (uint32_t c = 0; c < d->channels; c++) {
                float x = buf[(size_t)i * in_ch + c];
                /* a float file may hold NaN or infinities: they become silence */
                d->frames[(have + (uint64_t)i) * d->channels + c] = fabsf(x) <= 3.0e38f ? x : 0.0f;
            }
        have += (uint64_t)got;
    }
    if (sf_error(f) != SF_ERR_NO_ERROR) {
        *error = format_error(path, sf_strerror(f));
        goto fail;
    }
    if (have == 0) {
        *error = format_error(path, "the file has no audio frames");
        goto fail;
    }
    d->length = have;
    free(buf);
    sf_close(f);
    return d;
oom:
    *error = format_error(path, "out of memory");
fail:
    free(buf);
    sf_close(f);
    data_free(d);
    return NULL;
}

/* --------------------------------------------------------------- loader */

static void reclaim(ost_samples *s) {
    ost_sample_data *d;
    while ((d = ost_ptr_ring_pop(&s->handback))) {
        data_free(d);
        pthread_mutex_lock(&s->lock);
        s->freed++;
        pthread_mutex_unlock(&s->lock);
    }
}

static void *loader_main(void *arg) {
    ost_samples *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->quit && s->q_count == 0) {
            /* wake now and then to free what the audio thread handed back */
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_nsec += 20 * 1000000L;
            if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
            pthread_cond_timedwait(&s->wake, &s->lock, &ts);
            pthread_mutex_unlock(&s->lock);
            reclaim(s);
            pthread_mutex_lock(&s->lock);
        }
        if (s->quit) break;
        uint32_t id = s->queue[s->q_head];
        s->q_head = (s->q_head + 1) % s->capacity;
        s->q_count--;
        s->busy++;
        char *path = strdup(s->path[id]);
        int wavetable = s->wavetable[id];
        uint64_t threshold = s->stream_threshold_bytes;
        pthread_mutex_unlock(&s->lock);

        char *error = NULL;
        ost_sample_data *d = path ? decode(path, threshold, (int32_t)id, &error) : NULL;
        if (!path) error = strdup("out of memory");
        if (d && !d->streamed && (wavetable || in_wavetable_folder(path))) {
            d->wt = ost_wt_bank_build(d->frames, d->length, d->channels); /* NULL: it plays as a plain sample */
        }
        free(path);
        if (d && d->streamed && !ost_streams_enabled(s->streams)) {
            free(error);
            error = format_error(d->path, "too long to load whole, and streaming is off (max_streams 0)");
            data_free(d);
            d = NULL;
        }

        pthread_mutex_lock(&s->lock);
        s->busy--;
        if (s->state[id] == OST_SAMPLE_LOADING) {
            if (d && atomic_load_explicit(&s->slots[id], memory_order_relaxed)) {
                data_free(d); /* loaded twice (freed and asked again meanwhile): keep the first */
                s->state[id] = OST_SAMPLE_READY;
            } else if (d) {
                /* Release: the decoded frames are complete before the audio
                   thread can see the pointer. */
                atomic_store_explicit(&s->slots[id], d, memory_order_release);
                s->state[id] = OST_SAMPLE_READY;
            } else {
                s->state[id] = OST_SAMPLE_FAILED;
                s->error[id] = error;
                error = NULL;
            }
        } else {
            data_free(d); /* freed while loading */
        }
        free(error);
        pthread_cond_broadcast(&s->idle);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* ---------------------------------------------------------------- table */

ost_result ost_samples_init(ost_samples *s, uint32_t capacity, uint64_t threshold, ost_streams *streams) {
    memset(s, 0, sizeof *s);
    s->capacity = capacity;
    s->stream_threshold_bytes = threshold;
    s->streams = streams;
    s->slots = calloc(capacity, sizeof *s->slots);
    s->state = calloc(capacity, sizeof *s->state);
    s->path = calloc(capacity, sizeof *s->path);
    s->wavetable = calloc(capacity, sizeof *s->wavetable);
    s->error = calloc(capacity, sizeof *s->error);
    s->queue = calloc(capacity, sizeof *s->queue);
    s->unsent = calloc(capacity, sizeof *s->unsent);
    if (!s->slots || !s->state || !s->path || !s->wavetable || !s->error || !s->queue || !s->unsent ||
        ost_ptr_ring_init(&s->retire, capacity) != OST_OK || ost_ptr_ring_init(&s->handback, capacity) != OST_OK) {
        ost_samples_free_all(s);
        return OST_OUT_OF_MEMORY;
    }
    for (uint32_t i = 0; i < capacity; i++) {
        atomic_init(&s->slots[i], NULL);
        s->state[i] = OST_SAMPLE_FREE;
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->wake, &attr);
    pthread_cond_init(&s->idle, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&s->loader, NULL, loader_main, s) != 0) {
        ost_samples_free_all(s);
        return OST_THREAD_ERROR;
    }
    s->loader_started = 1;
    return OST_OK;
}

void ost_samples_free_all(ost_samples *s) {
    if (s->loader_started) {
        pthread_mutex_lock(&s->lock);
        s->quit = 1;
        pthread_cond_broadcast(&s->wake);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->loader, NULL);
        s->loader_started = 0;
        pthread_cond_destroy(&s->wake);
        pthread_cond_destroy(&s->idle);
        pthread_mutex_destroy(&s->lock);
    }
    /* No audio thread runs now: everything is ours to free, once. */
    if (s->handback.items) {
        ost_sample_data *d;
        while ((d = ost_ptr_ring_pop(&s->handback))) data_free(d);
    }
    if (s->retire.items) {
        ost_sample_data *d;
        while ((d = ost_ptr_ring_pop(&s->retire))) data_free(d);
    }
    for (uint32_t i = 0; s->unsent && i < s->n_unsent; i++) data_free(s->unsent[i]);
    for (uint32_t i = 0; i < s->capacity; i++) {
        if (s->slots) data_free(atomic_load_explicit(&s->slots[i], memory_order_relaxed));
        if (s->path) free(s->path[i]);
        if (s->error) free(s->error[i]);
    }
    free((void *)s->slots);
    free(s->state);
    free(s->path);
    free(s->wavetable);
    free(s->error);
    free(s->queue);
    free(s->unsent);
    ost_ptr_ring_free(&s->retire);
    ost_ptr_ring_free(&s->handback);
    s->slots = NULL;
    s->state = NULL;
    s->path = s->error = NULL;
    s->queue = NULL;
    s->unsent = NULL;
}

/* With the lock held: the slot holding `path`, or -1. */
static int32_t find_path(const ost_samples *s, const char *path, int wavetable) {
    for (uint32_t i = 0; i < s->capacity; i++)
        if (s->path[i] && s->wavetable[i] == wavetable && strcmp(s->path[i], path) == 0) return (int32_t)i;
    return -1;
}

ost_result ost_samples_load(ost_samples *s, const char *path, int wavetable, int32_t *out_id) {
    if (!path || !path[0] || !out_id) return OST_INVALID_ARGS;
    wavetable = wavetable != 0;
    pthread_mutex_lock(&s->lock);
    int32_t id = find_path(s, path, wavetable);
    if (id >= 0 && s->state[id] != OST_SAMPLE_FAILED) {
        *out_id = id;
        pthread_mutex_unlock(&s->lock);
        return OST_OK;
    }
    if (id < 0) {
        for (uint32_t k = 0; k < s->capacity; k++) {
            uint32_t i = (s->next_free_hint + k) % s->capacity;
            if (s->state[i] == OST_SAMPLE_FREE && !s->path[i] &&
                !atomic_load_explicit(&s->slots[i], memory_order_relaxed)) {
                id = (int32_t)i;
                break;
            }
        }
        if (id < 0) {
            pthread_mutex_unlock(&s->lock);
            return OST_FULL;
        }
        s->next_free_hint = (uint32_t)id + 1;
        s->path[id] = strdup(path);
        s->wavetable[id] = (uint8_t)wavetable;
        if (!s->path[id]) {
            pthread_mutex_unlock(&s->lock);
            return OST_OUT_OF_MEMORY;
        }
    }
    /* a new file, or a failed one tried again (it may have been fixed) */
    free(s->error[id]);
    s->error[id] = NULL;
    s->state[id] = OST_SAMPLE_LOADING;
    s->queue[(s->q_head + s->q_count) % s->capacity] = (uint32_t)id;
    s->q_count++;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    *out_id = id;
    return OST_OK;
}

ost_result ost_samples_info(ost_samples *s, int32_t id, double *out) {
    if (id < 0 || (uint32_t)id >= s->capacity || !out) return OST_INVALID_ARGS;
    pthread_mutex_lock(&s->lock);
    out[0] = s->state[id];
    out[1] = out[2] = out[3] = out[4] = 0;
    if (s->state[id] == OST_SAMPLE_READY) {
        const ost_sample_data *d = atomic_load_explicit(&s->slots[id], memory_order_relaxed);
        out[1] = (double)d->length;
        out[2] = d->channels;
        out[3] = d->rate;
        out[4] = d->streamed;
    }
    pthread_mutex_unlock(&s->lock);
    return OST_OK;
}

ost_result ost_samples_error(ost_samples *s, int32_t id, char *buf, uint32_t size) {
    if (id < 0 || (uint32_t)id >= s->capacity || !buf || size == 0) return OST_INVALID_ARGS;
    pthread_mutex_lock(&s->lock);
    const char *e = s->state[id] == OST_SAMPLE_FAILED && s->error[id] ? s->error[id] : "";
    snprintf(buf, size, "%s", e);
    pthread_mutex_unlock(&s->lock);
    return OST_OK;
}

ost_result ost_samples_wait(ost_samples *s, double timeout_s) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double end = (double)ts.tv_sec + ts.tv_nsec * 1e-9 + (timeout_s > 0 ? timeout_s : 0);
    ts.tv_sec = (time_t)end;
    ts.tv_nsec = (long)((end - (double)ts.tv_sec) * 1e9);
    pthread_mutex_lock(&s->lock);
    int timed_out = 0;
    while ((s->q_count || s->busy) && !timed_out) timed_out = pthread_cond_timedwait(&s->idle, &s->lock, &ts) == ETIMEDOUT;
    ost_result r = s->q_count || s->busy ? OST_WRONG_STATE : OST_OK;
    pthread_mutex_unlock(&s->lock);
    return r;
}

ost_result ost_samples_free(ost_samples *s, int32_t id) {
    if (id < 0 || (uint32_t)id >= s->capacity) return OST_INVALID_ARGS;
    pthread_mutex_lock(&s->lock);
    ost_sample_data *d = atomic_load_explicit(&s->slots[id], memory_order_relaxed);
    ost_result r = OST_OK;
    if (d) {
        if (!ost_ptr_ring_has_room(&s->retire)) {
            r = OST_FULL; /* the audio thread has not taken in earlier retirements yet */
        } else {
            /* Empty the slot first, then retire: an audio thread that has
               seen the retirement (the push's release, its pop's acquire)
               can only read NULL from the slot, so no voice starts on data
               that is on its way back. Only control threads push, under
               the lock, so the room checked above is still there. */
            atomic_store_explicit(&s->slots[id], NULL, memory_order_relaxed);
            ost_ptr_ring_push(&s->retire, d);
        }
    }
    if (r == OST_OK) {
        free(s->path[id]);
        free(s->error[id]);
        s->path[id] = s->error[id] = NULL;
        s->state[id] = OST_SAMPLE_FREE;
    }
    pthread_mutex_unlock(&s->lock);
    return r;
}

/* ------------------------------------------------------------ audio side */

static void hand_back(ost_samples *s, ost_sample_data *d) {
    if (!ost_ptr_ring_push(&s->handback, d)) s->unsent[s->n_unsent++] = d; /* retried next block */
}

void ost_samples_drop_rt(ost_samples *s, ost_sample_data *d) {
    if (--d->users == 0 && d->retired) hand_back(s, d);
}

void ost_samples_poll_rt(ost_samples *s) {
    uint32_t kept = 0;
    for (uint32_t i = 0; i < s->n_unsent; i++)
        if (!ost_ptr_ring_push(&s->handback, s->unsent[i])) s->unsent[kept++] = s->unsent[i];
    s->n_unsent = kept;
    ost_sample_data *d;
    while ((d = ost_ptr_ring_pop(&s->retire))) {
        d->retired = 1;
        if (d->users == 0) hand_back(s, d);
    }
}
