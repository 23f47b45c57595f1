/* compressor.c — see compressor.h. */
#include "compressor.h"

#include <math.h>
#include <string.h>

void ost_compressor_init(ost_compressor *c, float rate) {
    memset(c, 0, sizeof *c);
    c->rate = rate;
}

static float smoothing(float seconds, float rate) {
    return 1.0f - expf(-1.0f / (fmaxf(seconds, 1e-5f) * rate));
}

void ost_compressor_set(ost_compressor *c, float threshold_db, float ratio, float knee_db, float attack_s,
                        float release_s) {
    c->threshold_db = threshold_db;
    c->ratio = ratio < 1.0f ? 1.0f : ratio;
    c->knee_db = knee_db < 0.0f ? 0.0f : knee_db;
    c->attack = smoothing(attack_s, c->rate);
    c->release = smoothing(release_s, c->rate);
    c->floor_lin = powf(10.0f, (threshold_db - 0.5f * c->knee_db) / 20.0f);
    c->on = 1;
}

/* Static curve: gain reduction in dB (<= 0) for a level in dB. */
static inline float curve(const ost_compressor *c, float level_db) {
    float over = level_db - c->threshold_db, w = c->knee_db, slope = 1.0f / c->ratio - 1.0f;
    if (2.0f * over <= -w) return 0.0f;
    if (2.0f * fabsf(over) < w) {
        float t = over + 0.5f * w;
        return slope * t * t / (2.0f * w);
    }
    return slope * over;
}

void ost_compressor_process(ost_compressor *c, float *l, float *r, uint32_t n) {
    if (!c->on) return;
    float red = c->reduction_db;
    for (uint32_t i = 0; i < n; i++) {
        float peak = fmaxf(fabsf(l[i]), fabsf(r[i]));
        float target = peak > c->floor_lin ? curve(c, 20.0f * log10f(peak)) : 0.0f;
        red += (target - red) * (target < red ? c->attack : c->release);
        if (red < -1e-4f) {
            float g = powf(10.0f, red / 20.0f);
            l[i] *= g;
            r[i] *= g;
        } else {
            red = target < red ? red : 0.0f;
        }
    }
    c->reduction_db = red;
}
