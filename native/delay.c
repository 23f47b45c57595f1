/* delay.c — see delay.h. */
#include "delay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The read interpolates between 8 points, 3 before and 4 after its place. */
#define TAPS 8
#define MIN_FRAMES 5.0f

/* Weights of the 7th-order Lagrange interpolator at x in [0, 1) between
   nodes 0 and 1 of the nodes -3..4: flat to within 0.06 dB up to 10 kHz at
   48 kHz for every x (linear interpolation lost 1.2 dB per echo at 8 kHz
   with x = 0.5, and every echo goes through it again). Exact at x = 0:
   weight 1 on node 0, 0 elsewhere. */
static inline void lagrange8(float x, float w[TAPS]) {
    float d[TAPS], before[TAPS], after[TAPS];
    for (int k = 0; k < TAPS; k++) d[k] = x - (float)(k - 3);
    before[0] = 1.0f;
    for (int k = 1; k < TAPS; k++) before[k] = before[k - 1] * d[k - 1];
    after[TAPS - 1] = 1.0f;
    for (int k = TAPS - 2; k >= 0; k--) after[k] = after[k + 1] * d[k + 1];
    /* denominators: prod over j != k of (k - j), nodes k - 3 */
    static const float den[TAPS] = {-5040.0f, 720.0f, -240.0f, 144.0f, -144.0f, 240.0f, -720.0f, 5040.0f};
    for (int k = 0; k < TAPS; k++) w[k] = before[k] * after[k] / den[k];
}

ost_result ost_delay_init(ost_delay *d, float rate, float max_s) {
    memset(d, 0, sizeof *d);
    d->size = (uint32_t)ceilf((max_s + OST_DELAY_WINDOW_S) * rate) + 16; /* the heads read up to half a window further */
    d->line_l = calloc(d->size, sizeof(float));
    d->line_r = calloc(d->size, sizeof(float));
    if (!d->line_l || !d->line_r) {
        ost_delay_free(d);
        return OST_OUT_OF_MEMORY;
    }
    /* Touch every page now, so the audio thread never takes a page fault. */
    memset(d->line_l, 0, d->size * sizeof(float));
    memset(d->line_r, 0, d->size * sizeof(float));
    d->rate = rate;
    d->time = d->target = 0.25f * rate;
    d->feedback = 0.5f;
    d->speed = 1.0f;
    d->glide = 1.0f - expf(-1.0f / (0.015f * rate)); /* ~50 ms to settle */
    d->sleeping = 1;
    return OST_OK;
}

void ost_delay_free(ost_delay *d) {
    free(d->line_l);
    free(d->line_r);
    d->line_l = d->line_r = NULL;
}

/* The heads' window at delay time `time` frames: at most OST_DELAY_WINDOW_S,
   and small enough that the nearer head stays MIN_FRAMES behind the write. */
static inline float window_frames(const ost_delay *d, float time) {
    return fmaxf(1.0f, fminf(OST_DELAY_WINDOW_S * d->rate, 2.0f * (time - MIN_FRAMES)));
}

void ost_delay_set(ost_delay *d, float time_s, float feedback, float speed) {
    float frames = time_s * d->rate;
    float max = (float)d->size - 8.0f - 0.5f * OST_DELAY_WINDOW_S * d->rate;
    if (!(frames >= MIN_FRAMES)) frames = MIN_FRAMES; /* the read's newest point must be written */
    if (frames > max) frames = max;
    d->speed = speed >= 0.25f && speed <= 4.0f ? speed : (speed > 4.0f ? 4.0f : (speed >= 0.25f ? 1.0f : 0.25f)); /* NaN: 1 */
    d->target = frames;
    if (d->sleeping) d->time = frames;
    d->feedback = feedback < 0.0f ? 0.0f : (feedback > 0.98f ? 0.98f : feedback);
}

void ost_delay_clear(ost_delay *d) {
    memset(d->line_l, 0, d->size * sizeof(float));
    memset(d->line_r, 0, d->size * sizeof(float));
    d->sleeping = 1;
    d->idle = 0;
    d->time = d->target;
}

/* Frames until an echo chain has fallen below -100 dB. */
static uint64_t tail_frames(const ost_delay *d) {
    float fb = d->feedback;
    float repeats = fb > 1e-5f ? ceilf(logf(1e-5f) / logf(fb)) : 1.0f;
    float t = fmaxf(d->time, d->target) + (d->speed != 1.0f ? 0.5f * window_frames(d, fmaxf(d->time, d->target)) : 0.0f);
    return (uint64_t)((repeats + 1.0f) * t) + 64;
}

/* Reads both lines `delay` frames behind the write index w (8-point Lagrange). */
static inline void read_at(const ost_delay *d, uint32_t w, float delay, float *yl, float *yr) {
    uint32_t size = d->size;
    float pos = (float)w - delay;
    pos += pos < 0.0f ? (float)size : 0.0f;
    uint32_t i0 = (uint32_t)pos;
    i0 = i0 < size ? i0 : 0; /* -0.0001 + size can round up to size */
    float frac = pos - (float)i0;
    frac = frac < 1.0f && frac >= 0.0f ? frac : 0.0f;
    float wt[TAPS];
    lagrange8(frac, wt);
    uint32_t j = i0 >= 3 ? i0 - 3 : i0 + size - 3;
    float l = 0.0f, r = 0.0f;
    for (int k = 0; k < TAPS; k++) {
        l += wt[k] * d->line_l[j];
        r += wt[k] * d->line_r[j];
        j = j + 1 == size ? 0 : j + 1;
    }
    *yl = l;
    *yr = r;
}

/* The delay read at another speed: two heads sweeping a window around the
   delay time at (1 - speed) windows per window, crossfaded by sin^2 (see
   delay.h). Each head's delay changes by (1 - speed) frames a frame, so it
   reads speed frames a frame: the pitch times speed. */
static void process_speed(ost_delay *d, const float *in_l, const float *in_r, float *out_l, float *out_r,
                          uint32_t n, int silent) {
    float *bl = d->line_l, *br = d->line_r;
    uint32_t size = d->size, w = d->write;
    float time = d->time, target = d->target, fb = d->feedback, glide = d->glide, head = d->head;
    float drift = 1.0f - d->speed;
    for (uint32_t i = 0; i < n; i++) {
        time += (target - time) * glide;
        float win = window_frames(d, time);
        head += drift / win;
        head -= floorf(head);
        float other = head + 0.5f;
        other -= floorf(other);
        float s = sinf(3.14159265f * head), g = s * s; /* the other head's fade is cos^2 = 1 - g */
        float al, ar, bl2, br2;
        read_at(d, w, time + win * (head - 0.5f), &al, &ar);
        read_at(d, w, time + win * (other - 0.5f), &bl2, &br2);
        float yl = g * al + (1.0f - g) * bl2, yr = g * ar + (1.0f - g) * br2;
        float xl = silent ? 0.0f : in_l[i], xr = silent ? 0.0f : in_r[i];
        bl[w] = xl + yl * fb;
        br[w] = xr + yr * fb;
        out_l[i] += yl;
        out_r[i] += yr;
        w = w + 1 == size ? 0 : w + 1;
    }
    d->write = w;
    d->time = time;
    d->head = head;
}

void ost_delay_process(ost_delay *d, const float *in_l, const float *in_r, float *out_l, float *out_r,
                       uint32_t n, int silent) {
    if (silent) {
        if (d->sleeping) return;
        d->idle += n;
        if (d->idle > tail_frames(d)) {
            /* The tail is gone: clear the lines so the next send starts clean. */
            ost_delay_clear(d);
            return;
        }
    } else {
        d->idle = 0;
        d->sleeping = 0;
    }
    if (d->speed != 1.0f) {
        process_speed(d, in_l, in_r, out_l, out_r, n, silent);
        return;
    }
    float *bl = d->line_l, *br = d->line_r;
    uint32_t size = d->size, w = d->write;
    float time = d->time, target = d->target, fb = d->feedback, glide = d->glide;
    float wt[TAPS] = {0};
    float last_frac = -1.0f;
    for (uint32_t i = 0; i < n; i++) {
        time += (target - time) * glide;
        float pos = (float)w - time;
        if (pos < 0.0f) pos += (float)size;
        uint32_t i0 = (uint32_t)pos;
        if (i0 >= size) i0 = 0, pos = 0.0f; /* -0.0001 + size can round up to size */
        float frac = pos - (float)i0;
        if (frac != last_frac) { /* a steady time keeps its weights */
            lagrange8(frac, wt);
            last_frac = frac;
        }
        uint32_t j = i0 >= 3 ? i0 - 3 : i0 + size - 3; /* the first node, node -3 */
        float yl = 0.0f, yr = 0.0f;
        for (int k = 0; k < TAPS; k++) {
            yl += wt[k] * bl[j];
            yr += wt[k] * br[j];
            if (++j == size) j = 0;
        }
        float xl = silent ? 0.0f : in_l[i], xr = silent ? 0.0f : in_r[i];
        bl[w] = xl + yl * fb;
        br[w] = xr + yr * fb;
        out_l[i] += yl;
        out_r[i] += yr;
        if (++w == size) w = 0;
    }
    d->write = w;
    d->time = time;
}
