/*
 * recorder.h — recording the output to a 32-bit float WAV file.
 *
 * The audio thread copies every rendered block into a ring (SPSC: the audio
 * thread writes, the writer thread reads) and never touches the file; the
 * writer thread drains the ring into the file every few milliseconds and
 * rewrites the header after each drain (wavfile.h: a standard float WAV,
 * RF64 past 4 GB). A full ring drops the block and counts it (it never
 * waits); with the default 4 s ring that takes a disk stalled for seconds.
 * A disk that refuses frames (full) ends the file where it was whole; the
 * frames it refused are counted (`lost`) and the error kept (`error`), so the
 * take's status says so while it runs.
 *
 * States, through one atomic: IDLE -> ARMED (a control thread opened the
 * file and started the writer) -> RUNNING (the audio thread took it at a
 * block boundary: the recording starts on that block's first frame) ->
 * STOPPING (a control thread asked) -> STOPPED (the audio thread wrote its
 * last block; or the control thread, when no audio thread renders) -> the
 * writer drains, closes the file and exits -> IDLE. Only the audio thread
 * moves ARMED -> RUNNING and STOPPING -> STOPPED while it renders.
 */
#ifndef OST_RECORDER_H
#define OST_RECORDER_H

#include <pthread.h>
#include <stdint.h>

#include "atomics.h"
#include "ostinato.h"

enum { OST_REC_IDLE = 0, OST_REC_ARMED, OST_REC_RUNNING, OST_REC_STOPPING, OST_REC_STOPPED };

typedef struct ost_recorder {
    float *ring;               /**< capacity frames x channels */
    uint64_t capacity;         /**< frames */
    uint32_t channels;
    float rate;
    ost_atomic_u32 state;
    ost_atomic_u64 written;    /**< frames put in the ring (audio thread) */
    ost_atomic_u64 read;       /**< frames taken out (writer thread) */
    ost_atomic_u64 start_frame, frames, dropped; /**< published by the audio thread */
    ost_atomic_u64 lost;       /**< frames the disk refused (writer thread) */
    ost_atomic_u64 error;      /**< errno of the first write that failed, 0 (writer thread) */
    /* control side, under `lock` */
    pthread_mutex_t lock;
    pthread_t writer;
    int writer_started;
    int fd;                    /**< the take's file (writer thread while it runs) */
    uint64_t file_frames;      /**< frames in the file (writer thread) */
    int write_error;           /**< errno of the first failed write (writer thread) */
} ost_recorder;

/** Allocates (and touches) a ring of buffer_s seconds. Thread: control. */
ost_result ost_recorder_init(ost_recorder *r, float rate, uint32_t channels, double buffer_s);
/** Stops a running recording (closing its file) and frees the ring; no
 *  audio thread may run. Thread: control. */
void ost_recorder_free(ost_recorder *r);
/** Opens the file and arms the recording. Thread: any (not audio). */
ost_result ost_recorder_start(ost_recorder *r, const char *path);
/** Asks the audio thread to stop at its next block, waits for it (at most
 *  `wait_s`; `rendering` 0 means no audio thread renders now and the stop
 *  takes effect at once), waits for the writer to finish the file.
 *  out[5] = {first frame, frames, dropped, lost, errno}. Thread: any (not audio). */
ost_result ost_recorder_stop(ost_recorder *r, int rendering, double wait_s, double *out);
/** Takes in a rendered block that starts at engine frame `frame`.
 *  Thread: audio. */
void ost_recorder_write_rt(ost_recorder *r, const float *out, uint32_t frames, uint64_t frame);

#endif
