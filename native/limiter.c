/* limiter.c — see limiter.h. */
#include "limiter.h"

#include <math.h>

void ost_limiter_init(ost_limiter *lim, float rate) {
    lim->gain = 1.0f;
    lim->threshold = 0.95f;
    lim->release = 1.0f - expf(-1.0f / (0.1f * rate));
}

static inline float finite_or_zero(float x) { return fabsf(x) <= 3.0e38f ? x : 0.0f; }

void ost_limiter_process(ost_limiter *lim, float *l, float *r, uint32_t frames) {
    float g = lim->gain, thr = lim->threshold, rel = lim->release;
    for (uint32_t i = 0; i < frames; i++) {
        float a = finite_or_zero(l[i]), b = finite_or_zero(r[i]);
        float peak = fmaxf(fabsf(a), fabsf(b));
        if (peak * g > thr) g = thr / peak;             /* instant attack */
        else if (g < 1.0f) g = fminf(1.0f, g + (1.0f - g) * rel + 1e-7f);
        if (g != 1.0f) a *= g, b *= g;
        l[i] = fminf(1.0f, fmaxf(-1.0f, a));
        r[i] = fminf(1.0f, fmaxf(-1.0f, b));
    }
    lim->gain = g;
}
