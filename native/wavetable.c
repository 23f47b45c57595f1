/* wavetable.c — building the band-limited tables (see wavetable.h). */
#include "wavetable.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static ost_wavetables tables;
static int built;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* In-place complex FFT with a positive exponent (an unscaled inverse DFT),
   n a power of two at most `size`; `cs`/`sn` hold cos and sin of
   2 pi k / size for k < size / 2. */
static void ifft(double *re, double *im, uint32_t n, const double *cs, const double *sn, uint32_t size) {
    for (uint32_t i = 1, j = 0; i < n; i++) {
        uint32_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i];
            re[i] = re[j], re[j] = t;
            t = im[i];
            im[i] = im[j], im[j] = t;
        }
    }
    for (uint32_t len = 2; len <= n; len <<= 1) {
        uint32_t half = len / 2, stride = size / len;
        for (uint32_t i = 0; i < n; i += len) {
            for (uint32_t k = 0; k < half; k++) {
                double wr = cs[k * stride], wi = sn[k * stride];
                uint32_t a = i + k, b = a + half;
                double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                re[b] = re[a] - xr, im[b] = im[a] - xi;
                re[a] += xr, im[a] += xi;
            }
        }
    }
}

/* Sine amplitude of harmonic h of a wave (the ideal wave's Fourier series):
     saw 2t - 1 = -(2/pi) sum sin(2 pi h t) / h
     square (+1 first half) = (4/pi) sum over odd h of sin(2 pi h t) / h
     triangle (0, rising, peak at 1/4) = (8/pi^2) sum over odd h of (-1)^((h-1)/2) sin(2 pi h t) / h^2 */
static double amplitude(int wave, uint32_t h) {
    switch (wave) {
    case OST_WT_SAW: return -2.0 / (M_PI * h);
    case OST_WT_SQUARE: return (h & 1) ? 4.0 / (M_PI * h) : 0.0;
    default: return (h & 1) ? ((h >> 1) & 1 ? -1.0 : 1.0) * 8.0 / (M_PI * M_PI * h * h) : 0.0;
    }
}

/* Linear interpolation of a table of n points leaves, for harmonic h
   (amplitude 1/h), images about h / n^2 below the fundamental (measured:
   -105 dB for h = 23, n = 2048): 4096 points, and 16 per harmonic beyond
   256, keep every image below -96 dB. */
static uint32_t length_for(uint32_t h) {
    uint32_t n = 4096;
    while (n < 16 * h) n <<= 1;
    return n;
}

static void build(void) {
    ost_wavetables *w = &tables;
    uint32_t k = 0;
    for (uint32_t h = 1; h <= OST_WT_HMAX && k < OST_WT_MAX_TABLES; k++) {
        w->harmonics[k] = (uint16_t)h;
        w->length[k] = length_for(h);
        uint32_t next = (uint32_t)floor(h * 1.189207115); /* 2^(1/4) */
        h = next > h + 1 ? next : h + 1;
        if (h > OST_WT_HMAX && w->harmonics[k] < OST_WT_HMAX) h = OST_WT_HMAX; /* the last table is HMAX */
    }
    w->count = k;
    size_t total = 0;
    for (uint32_t t = 0; t < w->count; t++) total += w->length[t] + 1;
    w->pool = aligned_alloc(64, ((total * OST_WT_WAVES * sizeof(float)) + 63) / 64 * 64);
    uint32_t size = w->length[w->count - 1];
    double *re = malloc(sizeof(double) * size), *im = malloc(sizeof(double) * size);
    double *cs = malloc(sizeof(double) * size / 2), *sn = malloc(sizeof(double) * size / 2);
    if (!w->pool || !re || !im || !cs || !sn) {
        free(w->pool);
        free(re);
        free(im);
        free(cs);
        free(sn);
        w->pool = NULL;
        return;
    }
    for (uint32_t j = 0; j < size / 2; j++) {
        cs[j] = cos(2.0 * M_PI * j / size);
        sn[j] = sin(2.0 * M_PI * j / size);
    }
    size_t at = 0;
    for (int wave = 0; wave < OST_WT_WAVES; wave++) {
        for (uint32_t t = 0; t < w->count; t++) {
            uint32_t n = w->length[t];
            memset(re, 0, sizeof(double) * n);
            memset(im, 0, sizeof(double) * n);
            /* x[j] = sum a_h sin(2 pi h j / n) = Im(sum a_h e^(2 pi i h j / n)) */
            for (uint32_t h = 1; h <= w->harmonics[t]; h++) re[h] = amplitude(wave, h);
            ifft(re, im, n, cs, sn, size);
            float *dst = w->pool + at;
            for (uint32_t j = 0; j < n; j++) dst[j] = (float)im[j];
            dst[n] = dst[0];
            w->offset[wave][t] = (uint32_t)at;
            at += n + 1;
        }
    }
    free(re);
    free(im);
    free(cs);
    free(sn);
    double lfact = 0.0; /* ln n! */
    w->pm_room[0] = 0.0f;
    for (uint32_t n = 1; n <= OST_WT_ROOM; n++) {
        lfact += log((double)n);
        w->pm_room[n] = (float)(2.0 * exp((lfact + log(1e-5)) / n));
    }
    for (uint32_t h = 0, t = 0; h <= OST_WT_HMAX; h++) {
        while (t + 1 < w->count && w->harmonics[t + 1] <= h) t++;
        w->table_for[h] = (uint8_t)t;
    }
    built = 1;
}

const ost_wavetables *ost_wavetables_get(void) {
    pthread_once(&once, build); /* about 25 ms of CPU, once per process */
    return built ? &tables : NULL;
}

/* ---------------------------------------------------- sample wavetables */

/* Harmonics 1..hmax of one cycle of n points (mono), as complex amplitudes:
   x(t) = sum Re(c_h e^(2 pi i h t)). A direct DFT (any n), about n x hmax
   multiply-adds: 2 M for a 2048-point cycle. */
static void cycle_spectrum(const double *x, uint32_t n, uint32_t hmax, const double *cs, const double *sn,
                           double *cre, double *cim) {
    for (uint32_t h = 1; h <= hmax; h++) {
        double re = 0.0, im = 0.0;
        for (uint32_t m = 0, at = 0; m < n; m++) {
            re += x[m] * cs[at];
            im -= x[m] * sn[at];
            at += h;
            if (at >= n) at -= n;
        }
        cre[h] = 2.0 * re / n, cim[h] = 2.0 * im / n;
    }
}

void ost_wt_bank_free(ost_wt_bank *b) {
    if (!b) return;
    free(b->pool);
    free(b);
}

ost_wt_bank *ost_wt_bank_build(const float *frames, uint64_t length, uint32_t channels) {
    const ost_wavetables *w = ost_wavetables_get();
    if (!w || length < 4 || channels < 1) return NULL;
    uint64_t cycles = length >= 2 * OST_WT_FRAME && length % OST_WT_FRAME == 0 ? length / OST_WT_FRAME : 1;
    uint32_t n = cycles > 1 ? OST_WT_FRAME : (uint32_t)(length < (1u << 20) ? length : (1u << 20));
    uint32_t kept = cycles > OST_WT_MAX_FRAMES ? OST_WT_MAX_FRAMES : (uint32_t)cycles;
    uint32_t hsrc = (n - 1) / 2; /* strictly below the cycle's own Nyquist */
    if (hsrc > OST_WT_HMAX) hsrc = OST_WT_HMAX;
    ost_wt_bank *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->frames = kept;
    uint32_t top = 0;
    while (top + 1 < w->count && w->harmonics[top] < hsrc) top++;
    b->top = top;
    size_t stride = 0;
    for (uint32_t k = 0; k <= top; k++) b->offset[k] = (uint32_t)stride, stride += w->length[k] + 1;
    b->stride = (uint32_t)stride;
    uint32_t size = w->length[top];
    b->pool = malloc(sizeof(float) * stride * kept);
    double *x = malloc(sizeof(double) * n), *cs = malloc(sizeof(double) * n), *sn = malloc(sizeof(double) * n);
    double *cre = malloc(sizeof(double) * (hsrc + 1)), *cim = malloc(sizeof(double) * (hsrc + 1));
    double *re = malloc(sizeof(double) * size), *im = malloc(sizeof(double) * size);
    double *tc = malloc(sizeof(double) * size / 2), *ts = malloc(sizeof(double) * size / 2);
    int ok = b->pool && x && cs && sn && cre && cim && re && im && tc && ts;
    if (ok) {
        for (uint32_t j = 0; j < n; j++) cs[j] = cos(2.0 * M_PI * j / n), sn[j] = sin(2.0 * M_PI * j / n);
        for (uint32_t j = 0; j < size / 2; j++) tc[j] = cos(2.0 * M_PI * j / size), ts[j] = sin(2.0 * M_PI * j / size);
        for (uint32_t f = 0; f < kept; f++) {
            uint64_t cycle = kept > 1 ? (uint64_t)f * (cycles - 1) / (kept - 1) : 0; /* evenly over the file */
            const float *src = frames + (size_t)(cycle * n) * channels;
            for (uint32_t j = 0; j < n; j++) {
                double sum = 0.0;
                for (uint32_t c = 0; c < channels; c++) sum += src[(size_t)j * channels + c];
                x[j] = sum / channels;
            }
            cycle_spectrum(x, n, hsrc, cs, sn, cre, cim);
            for (uint32_t k = 0; k <= top; k++) {
                uint32_t len = w->length[k], hk = w->harmonics[k] < hsrc ? w->harmonics[k] : hsrc;
                memset(re, 0, sizeof(double) * len);
                memset(im, 0, sizeof(double) * len);
                for (uint32_t h = 1; h <= hk; h++) re[h] = cre[h], im[h] = cim[h];
                ifft(re, im, len, tc, ts, size);
                float *dst = b->pool + (size_t)f * stride + b->offset[k];
                for (uint32_t j = 0; j < len; j++) dst[j] = (float)re[j];
                dst[len] = dst[0];
            }
        }
    }
    free(x), free(cs), free(sn), free(cre), free(cim), free(re), free(im), free(tc), free(ts);
    if (!ok) {
        ost_wt_bank_free(b);
        return NULL;
    }
    return b;
}
