/* limiter.c — see limiter.h. */
#include "limiter.h"

#include "dsp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The interpolator's phases: point t0 + p/4 from the frames t0 - T/2 + 1 ..
   t0 + T/2 (a Blackman-windowed sinc, each phase normalised to unity at DC). */
static void design_taps(ost_limiter *lim) {
    const double half = OST_TP_TAPS / 2 + 0.5;
    for (int p = 1; p < 4; p++) {
        double w[OST_TP_TAPS], sum = 0.0;
        for (int j = 0; j < OST_TP_TAPS; j++) {
            double d = (OST_TP_TAPS / 2 - 1) + p / 4.0 - j, x = M_PI * d;
            double win = 0.42 + 0.5 * cos(M_PI * d / half) + 0.08 * cos(2.0 * M_PI * d / half);
            w[j] = (d == 0.0 ? 1.0 : sin(x) / x) * win;
            sum += w[j];
        }
        double gain = 0.0;
        for (int j = 0; j < OST_TP_TAPS; j++) {
            lim->taps[p - 1][j] = (float)(w[j] / sum);
            gain += fabs(w[j] / sum);
        }
        if (gain > lim->tap_gain) lim->tap_gain = (float)(gain * 1.001);
    }
}

ost_result ost_limiter_init(ost_limiter *lim, float rate, uint32_t lookahead) {
    memset(lim, 0, sizeof *lim);
    lim->lookahead = lookahead;
    lim->dsize = lookahead + 1;
    lim->lag = lookahead >= OST_TP_DELAY ? OST_TP_DELAY : 0;
    lim->size = lookahead - lim->lag + 1;
    design_taps(lim);
    lim->delay_l = calloc(lim->dsize, sizeof(float));
    lim->delay_r = calloc(lim->dsize, sizeof(float));
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
    lim->threshold = 0.85114f; /* -1.4 dB: -1 dBTP less what the estimate can miss */
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

/* The largest of the three interpolated points between frames t0 and
   t0 + 1 of a window of the frames t0 - T/2 + 1 .. t0 + T/2 (oldest first),
   8 taps at a time (a scalar sum could not be vectorised: its order is fixed). */
static inline float between_peak(const ost_limiter *lim, const float *x) {
    ost_vf acc[3] = {{0}, {0}, {0}};
    for (int j = 0; j < OST_TP_TAPS; j += OST_LANES) {
        ost_vf xv;
        memcpy(&xv, x + j, sizeof xv);
        for (int p = 0; p < 3; p++) {
            ost_vf tv;
            memcpy(&tv, &lim->taps[p][j], sizeof tv);
            acc[p] += tv * xv;
        }
    }
    float m = 0.0f;
    for (int p = 0; p < 3; p++) {
        float y = ost_vf_sum(acc[p]);
        y = y < 0.0f ? -y : y;
        m = y > m ? y : m;
    }
    return m;
}

/* Takes frame (a, b) in and returns the true peak of the frame `lag`
   frames older: its own value and the points on either side (0 when no
   point of its window can reach the threshold). */
static inline float true_peak(ost_limiter *lim, float a, float b) {
    if (!lim->lag) return fmaxf(fabsf(a), fabsf(b));
    uint32_t h = lim->hpos;
    lim->hist_l[h] = lim->hist_l[h + OST_TP_TAPS] = a;
    lim->hist_r[h] = lim->hist_r[h + OST_TP_TAPS] = b;
    const float *wl = lim->hist_l + h + 1, *wr = lim->hist_r + h + 1; /* oldest .. newest */
    lim->hpos = h + 1 == OST_TP_TAPS ? 0 : h + 1;
    /* a sample loud enough to matter is in the window of this estimate and
       the next OST_TP_TAPS - 1; with none, no point between them can reach
       the threshold either (|interpolated| <= tap_gain x the loudest sample) */
    if (!(fmaxf(fabsf(a), fabsf(b)) * lim->tap_gain < lim->threshold)) lim->loud_left = OST_TP_TAPS;
    if (lim->loud_left == 0) {
        lim->between = 0.0f;
        return 0.0f;
    }
    lim->loud_left--;
    float after = fmaxf(between_peak(lim, wl), between_peak(lim, wr));
    float own = fmaxf(fabsf(wl[OST_TP_TAPS / 2 - 1]), fabsf(wr[OST_TP_TAPS / 2 - 1])); /* frame t0: lag frames old */
    float tp = fmaxf(own, fmaxf(after, lim->between));
    lim->between = after;
    return tp;
}

void ost_limiter_process(ost_limiter *lim, float *l, float *r, uint32_t n) {
    const uint32_t size = lim->size, dsize = lim->dsize;
    const float thr = lim->threshold, rel = lim->release;
    float env = lim->env, low = lim->min_gain;
    double sum = lim->sum;
    uint32_t pos = lim->pos; /* = frame % size */
    uint32_t dpos = lim->dpos;
    uint64_t frame = lim->frame;
    uint64_t *dq = lim->deque;
    for (uint32_t i = 0; i < n; i++, frame++) {
        float a = finite_or_zero(l[i]), b = finite_or_zero(r[i]);
        float peak = true_peak(lim, a, b); /* of the frame `lag` frames back */
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
        uint32_t dnext = dpos + 1 == dsize ? 0 : dpos + 1;
        float ya = dsize == 1 ? a : lim->delay_l[dnext], yb = dsize == 1 ? b : lim->delay_r[dnext];
        lim->delay_l[dpos] = a;
        lim->delay_r[dpos] = b;
        dpos = dnext;
        uint32_t next = pos + 1 == size ? 0 : pos + 1;
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
    lim->dpos = dpos;
    lim->frame = frame;
    lim->min_gain = low;
}

float ost_limiter_take_min_gain(ost_limiter *lim) {
    float g = lim->min_gain;
    lim->min_gain = 1.0f;
    return g;
}
