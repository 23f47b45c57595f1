/* limiter.c — see limiter.h. */
#include "limiter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

ost_result ost_limiter_init(ost_limiter *lim, float rate, uint32_t lookahead) {
    memset(lim, 0, sizeof *lim);
    lim->lookahead = lookahead;
    lim->size = lookahead + 1;
    lim->delay_l = calloc(lim->size, sizeof(float));
    lim->delay_r = calloc(lim->size, sizeof(float));
    lim->need = calloc(lim->size, sizeof(float));
    lim->smooth = calloc(lim->size, sizeof(float));
    lim->deque = calloc(lim->size, sizeof(uint64_t));
    if (!lim->delay_l || !lim->delay_r || !lim->need || !lim->smooth || !lim->deque) {
        ost_limiter_free(lim);
        return OST_OUT_OF_MEMORY;
    }
    for (uint32_t i = 0; i < lim->size; i++) lim->smooth[i] = 1.0f;
    lim->sum = lim->size;
    lim->env = 1.0f;
    lim->threshold = 0.95f;
    lim->release = 1.0f - expf(-1.0f / (0.08f * rate));
    lim->min_gain = 1.0f;
    return OST_OK;
}

void ost_limiter_free(ost_limiter *lim) {
    free(lim->delay_l);
    free(lim->delay_r);
    free(lim->need);
    free(lim->smooth);
    free(lim->deque);
    lim->delay_l = lim->delay_r = lim->need = lim->smooth = NULL;
    lim->deque = NULL;
}

static inline float finite_or_zero(float x) { return fabsf(x) <= 3.0e38f ? x : 0.0f; }

void ost_limiter_process(ost_limiter *lim, float *l, float *r, uint32_t n) {
    const uint32_t size = lim->size;
    const float thr = lim->threshold, rel = lim->release;
    float env = lim->env, low = lim->min_gain;
    double sum = lim->sum;
    uint32_t pos = lim->pos; /* = frame % size */
    uint64_t frame = lim->frame;
    uint64_t *dq = lim->deque;
    for (uint32_t i = 0; i < n; i++, frame++) {
        float a = finite_or_zero(l[i]), b = finite_or_zero(r[i]);
        float peak = fmaxf(fabsf(a), fabsf(b));
        float need = peak > thr ? thr / peak : 1.0f;
        /* Sliding minimum of `need` over frames [frame - L, frame]: a queue
           of frames whose needs rise from head to tail. The head leaves
           once it is older than the window (before its slot is reused). */
        if (lim->dq_count && dq[lim->dq_head] + size <= frame) {
            lim->dq_head = lim->dq_head + 1 == size ? 0 : lim->dq_head + 1;
            lim->dq_count--;
        }
        lim->need[pos] = need;
        while (lim->dq_count) {
            uint32_t back = (lim->dq_head + lim->dq_count - 1) % size;
            if (lim->need[dq[back] % size] < need) break;
            lim->dq_count--;
        }
        dq[(lim->dq_head + lim->dq_count) % size] = frame;
        lim->dq_count++;
        float hold = lim->need[dq[lim->dq_head] % size];
        /* release towards the held minimum, never above it */
        env = hold < env ? hold : fminf(hold, env + (hold - env) * rel + 1e-7f);
        sum += (double)env - (double)lim->smooth[pos];
        lim->smooth[pos] = env;
        float gain = (float)(sum / size);
        /* the frame leaving the delay line came in L frames ago; its slot
           is the next one, which this frame's write does not touch */
        uint32_t next = pos + 1 == size ? 0 : pos + 1;
        float ya = size == 1 ? a : lim->delay_l[next], yb = size == 1 ? b : lim->delay_r[next];
        lim->delay_l[pos] = a;
        lim->delay_r[pos] = b;
        if (gain < 1.0f) {
            ya *= gain, yb *= gain;
            low = fminf(low, gain);
        }
        l[i] = fminf(1.0f, fmaxf(-1.0f, ya));
        r[i] = fminf(1.0f, fmaxf(-1.0f, yb));
        pos = next;
    }
    /* the running sum drifts by rounding; recompute it once a block */
    double exact = 0.0;
    for (uint32_t k = 0; k < size; k++) exact += lim->smooth[k];
    lim->sum = exact;
    lim->env = env;
    lim->pos = pos;
    lim->frame = frame;
    lim->min_gain = low;
}

float ost_limiter_take_min_gain(ost_limiter *lim) {
    float g = lim->min_gain;
    lim->min_gain = 1.0f;
    return g;
}
