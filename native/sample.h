/*
 * sample.h — the sample table: audio files decoded off the audio thread,
 * and the rules for when their memory may be freed.
 *
 * A slot id names one file. Control threads ask for a file
 * (ost_samples_load); the loader thread decodes it with libsndfile into an
 * ost_sample_data and publishes it in the slot with a release store; the
 * audio thread reads the slot with an acquire load when a voice starts.
 * A file whose decoded size is above the streaming threshold is published
 * without its frames: voices stream it through stream.h.
 *
 * Deferred free (design.md): emptying a slot (ost_samples_free) stores NULL
 * in it, then sends the old data to the audio thread through the retire
 * ring (control -> audio, SPSC). The audio thread marks it retired; when
 * no voice plays it any more (its `users`, counted by the audio thread
 * alone), it hands it back through the free ring (audio -> control, SPSC),
 * and the loader thread frees it. The audio thread never frees; memory goes
 * back to the allocator on the thread that made it (the loader's).
 */
#ifndef OST_SAMPLE_H
#define OST_SAMPLE_H

#include <pthread.h>
#include <stdint.h>

#include "atomics.h"
#include "ostinato.h"

typedef struct ost_streams ost_streams;
typedef struct ost_wt_bank ost_wt_bank;

typedef struct ost_sample_data {
    float *frames;      /**< interleaved, `channels` per frame; NULL when streamed */
    uint64_t length;    /**< frames */
    uint32_t channels;  /**< 1 or 2 (files with more keep their first two) */
    float rate;         /**< the file's frames per second */
    int streamed;
    char *path;         /**< for the stream reader */
    int32_t id;
    ost_wt_bank *wt;    /**< a file in a wt_ folder: its band-limited tables (wavetable.h); else NULL */
    /* owned by the audio thread */
    uint32_t users;     /**< voices playing it */
    uint8_t retired;    /**< its slot was emptied: hand it back when users is 0 */
} ost_sample_data;

/** A lock-free single-producer single-consumer ring of pointers. */
typedef struct ost_ptr_ring {
    void **items;
    uint32_t mask;
    ost_atomic_u64 write_pos, read_pos;
} ost_ptr_ring;

typedef struct ost_samples {
    _Atomic(ost_sample_data *) *slots; /**< published data, read by the audio thread */
    uint32_t capacity;
    /* control side, under `lock` */
    pthread_mutex_t lock;
    pthread_cond_t wake;       /**< wakes the loader (work queued, quit) */
    pthread_cond_t idle;       /**< the loader finished a job */
    uint32_t *state;           /**< ost_sample_state per slot */
    char **path;               /**< per slot, NULL when free */
    uint8_t *wavetable;        /**< per slot: decode it as a wavetable too (a wt_ bank's file) */
    char **error;              /**< per slot, when FAILED */
    uint32_t *queue;           /**< ids waiting to be decoded (ring) */
    uint32_t q_head, q_count;
    uint32_t busy;             /**< jobs being decoded now */
    uint32_t next_free_hint;
    int quit;
    pthread_t loader;
    int loader_started;
    uint64_t stream_threshold_bytes;
    /* deferred free */
    ost_ptr_ring retire;       /**< control -> audio: data whose slot was emptied */
    ost_ptr_ring handback;     /**< audio -> control: data no voice uses any more */
    ost_sample_data **unsent;  /**< audio-owned: retired data whose hand-back did not fit yet */
    uint32_t n_unsent;
    uint64_t freed;            /**< data freed so far (loader thread; read under lock) */
    ost_streams *streams;      /**< the stream reader (stream.h) */
} ost_samples;

/** Allocates the table and starts the loader thread. Thread: control. */
ost_result ost_samples_init(ost_samples *s, uint32_t capacity, uint64_t stream_threshold_bytes, ost_streams *streams);
/** Stops the loader and frees everything; no audio thread may run.
 *  Thread: control. */
void ost_samples_free_all(ost_samples *s);

/** Queues a file for decoding; the same path (and `wavetable`) gives the
 *  same id. With `wavetable` set, or when the file's folder is named wt_...,
 *  the loader also builds its band-limited tables (wavetable.h).
 *  Thread: any (not audio). */
ost_result ost_samples_load(ost_samples *s, const char *path, int wavetable, int32_t *out_id);
/** {state, frames, channels, rate, streamed}. Thread: any (not audio). */
ost_result ost_samples_info(ost_samples *s, int32_t id, double *out);
/** The error text of a failed slot. Thread: any (not audio). */
ost_result ost_samples_error(ost_samples *s, int32_t id, char *buf, uint32_t size);
/** Waits for the loader to go idle. Thread: any (not audio). */
ost_result ost_samples_wait(ost_samples *s, double timeout_s);
/** Empties a slot (deferred free). Thread: any (not audio). */
ost_result ost_samples_free(ost_samples *s, int32_t id);

/** The data of slot id, or NULL when it is not ready. Thread: audio. */
static inline ost_sample_data *ost_samples_get_rt(ost_samples *s, int32_t id) {
    if (id < 0 || (uint32_t)id >= s->capacity) return NULL;
    /* Acquire: pairs with the loader's release store; the frames are complete. */
    return atomic_load_explicit(&s->slots[id], memory_order_acquire);
}
/** A voice starts playing `data`. Thread: audio. */
static inline void ost_samples_hold_rt(ost_sample_data *data) { data->users++; }
/** A voice stops playing `data`; hands it back when it is retired and
 *  unused. Thread: audio. */
void ost_samples_drop_rt(ost_samples *s, ost_sample_data *data);
/** Once per block: takes in retired data and retries hand-backs.
 *  Thread: audio. */
void ost_samples_poll_rt(ost_samples *s);

/* The pointer ring (SPSC). */
ost_result ost_ptr_ring_init(ost_ptr_ring *r, uint32_t capacity);
void ost_ptr_ring_free(ost_ptr_ring *r);
/** 1 when a push would fit. Thread: the ring's producer. */
int ost_ptr_ring_has_room(ost_ptr_ring *r);
/** 1 when pushed, 0 when full. Thread: the ring's producer. */
int ost_ptr_ring_push(ost_ptr_ring *r, void *item);
/** The oldest item, or NULL when empty. Thread: the ring's consumer. */
void *ost_ptr_ring_pop(ost_ptr_ring *r);

#endif
