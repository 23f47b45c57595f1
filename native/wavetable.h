/*
 * wavetable.h — band-limited wavetables for the sawtooth, square and
 * triangle (and, through the sawtooth, the pulse and the supersaw).
 *
 * Each wave has a set of tables, one per harmonic count H in a sequence
 * that grows by at most 2^(1/4) (four tables per octave, every count up to
 * 11): table k holds exactly harmonics 1..H_k of the ideal wave, summed by
 * an inverse FFT. A voice at fundamental f reads the table with the most
 * harmonics that all lie below Nyquist (H_k f < rate / 2), so nothing ever
 * folds back, and the top harmonic is within a quarter octave of Nyquist
 * (at 48 kHz every harmonic up to about 20 kHz is there). Tables are long
 * (4096 points, 16 per harmonic beyond 256 harmonics) so that a linear
 * interpolated read is clean: its error images lie 96 dB down or more.
 *
 * The tables are built once per process, on the first control thread that
 * asks (pthread_once), and never change: the audio thread only reads them.
 */
#ifndef OST_WAVETABLE_H
#define OST_WAVETABLE_H

#include <stddef.h>
#include <stdint.h>

#include "dsp.h"

enum { OST_WT_SAW, OST_WT_SQUARE, OST_WT_TRIANGLE, OST_WT_WAVES };

#define OST_WT_MAX_TABLES 64
#define OST_WT_HMAX 2048 /**< harmonics of the lowest table (a 11.7 Hz wave reaches Nyquist) */
#define OST_WT_ROOM 64   /**< sideband counts pm_room is tabled for */

typedef struct ost_wavetables {
    float *pool;                                     /**< every table, each followed by a guard point (its first) */
    uint32_t count;                                  /**< tables per wave */
    uint16_t harmonics[OST_WT_MAX_TABLES];           /**< H_k */
    uint32_t length[OST_WT_MAX_TABLES];              /**< points of table k (a power of two) */
    uint32_t offset[OST_WT_WAVES][OST_WT_MAX_TABLES]; /**< where table k of a wave starts in the pool */
    uint8_t table_for[OST_WT_HMAX + 1];              /**< the largest k with H_k <= h */
    /** Phase modulation's room: the largest index x whose sidebands beyond
     *  the n-th lie below -100 dB (|J_n(x)| <= (x/2)^n / n! <= 1e-5), for
     *  n = 0..OST_WT_ROOM (a warped read's band limit, chain.c). */
    float pm_room[OST_WT_ROOM + 1];
} ost_wavetables;

/** The process's tables, built on the first call; NULL when out of memory.
 *  Thread: control (any thread; the first call builds, the others wait). */
const ost_wavetables *ost_wavetables_get(void);

/** The table of `wave` for a phase increment of at most `dt` (cycles per
 *  sample): its offset in the pool and its length. Thread: any. */
static inline void ost_wt_pick(const ost_wavetables *w, int wave, float dt, int32_t *offset, float *length) {
    float allowed = 0.49999f / (dt > 1e-6f ? dt : 1e-6f); /* harmonics strictly below Nyquist */
    uint32_t h = allowed >= (float)OST_WT_HMAX ? OST_WT_HMAX : (allowed < 1.0f ? 1u : (uint32_t)allowed);
    uint32_t k = w->table_for[h];
    *offset = (int32_t)w->offset[wave][k];
    *length = (float)w->length[k];
}

/* --------------------------------------------------- sample wavetables
 * A sample in a wt_ bank (Strudel's convention) is a wavetable: one cycle,
 * or, when its length is a multiple of 2048 frames (at least two of them),
 * that many cycles of 2048 (the common format), of which `wt` picks one
 * position. Each cycle becomes the same ladder of band-limited tables as
 * the basic waves (same harmonic counts, same lengths, so one pick serves
 * both), its harmonics taken from a DFT of the cycle: table k holds the
 * cycle's harmonics 1..min(H_k, the cycle's own). DC is dropped. */
#define OST_WT_FRAME 2048u   /**< frames per cycle of a multi-cycle wavetable file */
#define OST_WT_MAX_FRAMES 32 /**< cycles kept (evenly chosen beyond it): ~1 MB of tables each */

typedef struct ost_wt_bank {
    float *pool;                          /**< frames x tables, each table followed by a guard point */
    uint32_t frames;                      /**< cycles kept */
    uint32_t top;                         /**< the last table built: it already holds every harmonic of the cycle */
    uint32_t stride;                      /**< floats from a table of one cycle to the same table of the next */
    uint32_t offset[OST_WT_MAX_TABLES];   /**< table k of cycle 0 in the pool */
} ost_wt_bank;

/** The bank of a decoded sample (interleaved, `channels` per frame, mixed
 *  to mono); NULL when out of memory or shorter than 4 frames.
 *  Thread: control (the sample loader). */
ost_wt_bank *ost_wt_bank_build(const float *frames, uint64_t length, uint32_t channels);
/** Thread: control (the thread that frees the sample). */
void ost_wt_bank_free(ost_wt_bank *b);

/** The table of a bank for an increment of at most `dt`: its first point
 *  (of cycle `frame`) and its length. Thread: any. */
static inline const float *ost_wt_bank_pick(const ost_wavetables *w, const ost_wt_bank *b, uint32_t frame, float dt,
                                            float *length) {
    float allowed = 0.49999f / (dt > 1e-6f ? dt : 1e-6f);
    uint32_t h = allowed >= (float)OST_WT_HMAX ? OST_WT_HMAX : (allowed < 1.0f ? 1u : (uint32_t)allowed);
    uint32_t k = w->table_for[h];
    k = k < b->top ? k : b->top;
    *length = (float)w->length[k];
    return b->pool + b->offset[k] + (size_t)frame * b->stride;
}

#if defined(__AVX2__)
#include <immintrin.h>
#endif

/** base[idx] per lane. Thread: any. */
OST_INLINE ost_vf ost_wt_gather(const float *base, ost_vi idx) {
#if defined(__AVX2__)
    return (ost_vf)_mm256_i32gather_ps(base, (__m256i)idx, 4);
#else
    ost_vf out;
    for (int l = 0; l < OST_LANES; l++) out[l] = base[idx[l]];
    return out;
#endif
}

/** One sample of a table per lane at phase in [0, 1) (strictly below 1):
 *  linear interpolation between its points. `length` is a power of two, so
 *  phase * length is exact and below the length. Thread: any. */
OST_INLINE ost_vf ost_wt_read(const float *pool, ost_vf phase, ost_vi offset, ost_vf length) {
    ost_vf pos = phase * length;
    ost_vi i = __builtin_convertvector(pos, ost_vi); /* pos >= 0: truncation is the floor */
    ost_vf frac = pos - __builtin_convertvector(i, ost_vf);
    ost_vi at = i + offset;
    ost_vf a = ost_wt_gather(pool, at), b = ost_wt_gather(pool + 1, at);
    return a + frac * (b - a);
}

#endif
