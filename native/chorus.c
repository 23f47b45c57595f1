/* chorus.c — an orbit's chorus (see chorus.h). The process is real-time
   code: no allocation, no locks, no I/O. */
#include "chorus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MASK (OST_CHORUS_LINE - 1)

ost_result ost_chorus_init(ost_chorus *c, float rate) {
    memset(c, 0, sizeof *c);
    c->line = calloc(OST_CHORUS_LINE, sizeof(float));
    if (!c->line) return OST_OUT_OF_MEMORY;
    memset(c->line, 0, OST_CHORUS_LINE * sizeof(float)); /* touched: no page fault on the audio thread */
    c->base = 0.012f * rate;
    c->depth = 0.0015f * rate;
    /* unrelated rates and phases on each side: the copies never line up */
    static const float HZ[2][OST_CHORUS_TAPS] = {{0.61f, 0.83f, 1.07f}, {0.67f, 0.91f, 0.73f}};
    static const float PH[2][OST_CHORUS_TAPS] = {{0.0f, 0.33f, 0.67f}, {0.17f, 0.5f, 0.83f}};
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < OST_CHORUS_TAPS; k++) c->inc[s][k] = HZ[s][k] / rate, c->phase[s][k] = PH[s][k];
    c->sleeping = 1;
    return OST_OK;
}

void ost_chorus_free(ost_chorus *c) {
    free(c->line);
    c->line = NULL;
}

/* The delay of a sweep at its phase, frames. */
static float sweep(const ost_chorus *c, float phase) { return c->base + c->depth * sinf(6.28318530718f * phase); }

void ost_chorus_process(ost_chorus *c, const float *in_l, const float *in_r, float *out_l, float *out_r, uint32_t n,
                        int silent) {
    if (silent) {
        if (c->sleeping) return;
        c->idle += n;
        if (c->idle > (uint64_t)(c->base + c->depth) + 64) { /* what the line held has been heard */
            memset(c->line, 0, OST_CHORUS_LINE * sizeof(float));
            c->sleeping = 1;
            return;
        }
    } else {
        c->idle = 0;
        c->sleeping = 0;
    }
    /* The sweeps move by a few thousandths of a frame per frame: their
       delays are interpolated linearly across the step. */
    float d[2][OST_CHORUS_TAPS], step[2][OST_CHORUS_TAPS];
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < OST_CHORUS_TAPS; k++) {
            float p1 = c->phase[s][k] + c->inc[s][k] * (float)n;
            p1 -= floorf(p1);
            d[s][k] = sweep(c, c->phase[s][k]);
            step[s][k] = (sweep(c, p1) - d[s][k]) / (float)n;
            c->phase[s][k] = p1;
        }
    float *line = c->line;
    uint32_t w = c->write;
    const float gain = 1.0f / OST_CHORUS_TAPS;
    for (uint32_t i = 0; i < n; i++) {
        line[w] = silent ? 0.0f : 0.5f * (in_l[i] + in_r[i]);
        float y[2] = {0.0f, 0.0f};
        for (int s = 0; s < 2; s++)
            for (int k = 0; k < OST_CHORUS_TAPS; k++) {
                float pos = (float)w - d[s][k] + (float)OST_CHORUS_LINE;
                uint32_t i0 = (uint32_t)pos;
                float frac = pos - (float)i0;
                float a = line[i0 & MASK], b = line[(i0 + 1) & MASK];
                y[s] += a + frac * (b - a);
                d[s][k] += step[s][k];
            }
        out_l[i] += y[0] * gain;
        out_r[i] += y[1] * gain;
        w = (w + 1) & MASK;
    }
    c->write = w;
}
