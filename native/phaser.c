/* phaser.c — see phaser.h. */
#include "phaser.h"

#include <math.h>
#include <string.h>

void ost_phaser_init(ost_phaser *p, float rate) {
    memset(p, 0, sizeof *p);
    p->rate = rate;
    p->sleeping = 1;
    ost_phaser_set(p, 1.0f, 0.75f, 1000.0f, 2000.0f);
}

void ost_phaser_set(ost_phaser *p, float rate_hz, float depth, float center_hz, float sweep_hz) {
    p->lfo_inc = 2.0f * (float)M_PI * rate_hz / p->rate;
    p->depth = depth;
    p->center = center_hz;
    p->sweep = sweep_hz;
}

/* The allpass coefficient for a break frequency. */
static inline float coef(float hz, float rate) {
    float nyq = 0.45f * rate;
    hz = hz < 20.0f ? 20.0f : (hz > nyq ? nyq : hz);
    float t = tanf((float)M_PI * hz / rate);
    return (t - 1.0f) / (t + 1.0f);
}

void ost_phaser_process(ost_phaser *p, const float *in_l, const float *in_r, float *out_l, float *out_r,
                        uint32_t n, int silent) {
    if (silent) {
        if (p->sleeping) return;
        p->idle += n;
        if (p->idle > (uint64_t)(0.05f * p->rate)) { /* allpasses forget within milliseconds */
            memset(p->x1, 0, sizeof p->x1);
            memset(p->y1, 0, sizeof p->y1);
            p->sleeping = 1;
            return;
        }
    } else {
        p->idle = 0;
        p->sleeping = 0;
    }
    const float wet = p->depth, norm = 1.0f / (1.0f + p->depth);
    uint32_t done = 0;
    while (done < n) {
        uint32_t chunk = n - done < 16 ? n - done : 16;
        float a[2];
        for (int c = 0; c < 2; c++) {
            float s = sinf(p->lfo - (c ? (float)(M_PI / 2) : 0.0f));
            a[c] = coef(p->center + 0.5f * p->sweep * s, p->rate);
        }
        p->lfo += p->lfo_inc * (float)chunk;
        if (p->lfo > (float)(2.0 * M_PI)) p->lfo -= (float)(2.0 * M_PI);
        for (int c = 0; c < 2; c++) {
            const float *in = c ? in_r : in_l;
            float *out = c ? out_r : out_l;
            float *x1 = p->x1[c], *y1 = p->y1[c];
            for (uint32_t i = done; i < done + chunk; i++) {
                float x = silent ? 0.0f : in[i], y = x;
                for (int k = 0; k < OST_PHASER_STAGES; k++) {
                    float o = a[c] * y + x1[k] - a[c] * y1[k];
                    x1[k] = y;
                    y1[k] = o;
                    y = o;
                }
                out[i] += (x + wet * y) * norm;
            }
        }
        done += chunk;
    }
}
