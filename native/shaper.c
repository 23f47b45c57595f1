/*
 * shaper.c — `shape` and `distort`, 4x oversampled, `shape` also
 * antiderivative-antialiased (see shaper.h for the design and its figures).
 */
#include "shaper.h"

#include <math.h>
#include <string.h>

/* The nonzero off-centre taps of each half-band, in order (the centre tap,
   1/2, is the pure delay of the other phase). Their sum is 1/2. */
static const float HA[OST_OS_A_TAPS] = {
    1.601930393e-05f, -4.896939124e-05f, 1.194819339e-04f, -2.509758521e-04f, 4.765428755e-04f,
    -8.398870350e-04f, 1.396497973e-03f, -2.215414846e-03f, 3.381359670e-03f, -4.999213773e-03f,
    7.202397016e-03f, -1.017068648e-02f, 1.416696639e-02f, -1.961867593e-02f, 2.731157028e-02f,
    -3.892105404e-02f, 5.882120702e-02f, -1.031315381e-01f, 3.173043730e-01f, 3.173043730e-01f,
    -1.031315381e-01f, 5.882120702e-02f, -3.892105404e-02f, 2.731157028e-02f, -1.961867593e-02f,
    1.416696639e-02f, -1.017068648e-02f, 7.202397016e-03f, -4.999213773e-03f, 3.381359670e-03f,
    -2.215414846e-03f, 1.396497973e-03f, -8.398870350e-04f, 4.765428755e-04f, -2.509758521e-04f,
    1.194819339e-04f, -4.896939124e-05f, 1.601930393e-05f,
};
static const float HB[OST_OS_B_TAPS] = {
    7.140696174e-04f, -5.516253787e-03f, 2.313741803e-02f, -7.462602687e-02f, 3.062907930e-01f,
    3.062907930e-01f, -7.462602687e-02f, 2.313741803e-02f, -5.516253787e-03f, 7.140696174e-04f,
};

/* Frames per pass: the oversampled buffers live on the stack (13.6 KB). */
#define CHUNK 32

/* ------------------------------------------------------------ the curves */

/** ln(w) for w > 0 (normal): exponent and mantissa in [sqrt 1/2, sqrt 2),
 *  2 atanh((m - 1) / (m + 1)) to s^9: relative error below 1e-8, exact
 *  relative accuracy near w = 1 (which q() below relies on). */
OST_INLINE ost_vf vf_log(ost_vf w) {
    ost_vi bits = (ost_vi)w;
    ost_vi e = ((bits >> 23) & 0xff) - 127;
    ost_vf m = (ost_vf)((bits & 0x007fffff) | 0x3f800000);
    ost_vi big = m > 1.41421356f;
    m = ost_vf_select(big, m * 0.5f, m);
    e -= big; /* big is -1 where set */
    ost_vf s = (m - 1.0f) / (m + 1.0f), s2 = s * s;
    ost_vf lnm = 2.0f * s * (1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9)))));
    return lnm + __builtin_convertvector(e, ost_vf) * 0.693147181f;
}

/** q(u) = (1 - ln(1 + u) / u) / u for u > -1, q(0) = 1/2: its series where
 *  |u| < 1/8, else through ln(w) / (w - 1) with w = 1 + u rounded (which is
 *  ln(1 + u) / u to float accuracy: the rounding of w cancels). */
OST_INLINE ost_vf vf_q(ost_vf u) {
    ost_vf series = 0.5f + u * (-1.0f / 3 + u * (0.25f + u * (-0.2f + u * (1.0f / 6 + u * (-1.0f / 7 + u * (0.125f + u * (-1.0f / 9)))))));
    ost_vi small = ost_vf_abs(u) < 0.125f;
    ost_vf w = 1.0f + u;
    ost_vf wm1 = ost_vf_select(small, ost_vf_set(1.0f), w - 1.0f);
    ost_vf uu = ost_vf_select(small, ost_vf_set(1.0f), u);
    ost_vf direct = (1.0f - vf_log(ost_vf_select(small, ost_vf_set(2.0f), w)) / wm1) / uu;
    return ost_vf_select(small, series, direct);
}

/* shape's curve f(x) = (1 + k) x / (1 + k |x|). Its antiderivative is
   F(x) = (1 + k) / k (|x| - ln(1 + k |x|) / k) = (1 + k) x^2 q(k |x|),
   the second form without the cancellations of the first for small k|x|. */
OST_INLINE ost_vf shape_antiderivative(ost_vf x, ost_vf k) { return (1.0f + k) * x * x * vf_q(k * ost_vf_abs(x)); }

/** The mean of f over [x0, x1]. Where x0 and x1 lie on one side of 0
 *  (a = |x0|, b = |x1|), F(x1) - F(x0) works out to
 *  (1 + k) (b - a) / (1 + k a) [a + q(u) (b - a) / (1 + k a)], u = k (b - a) / (1 + k a),
 *  so the mean is that bracket with the step divided out exactly: no
 *  ill-conditioned quotient, and at x1 = x0 it is f(x0). Across 0, the step
 *  is at least |x0| + |x1| and the quotient of F's is well-conditioned. */
OST_INLINE ost_vf shape_mean(ost_vf x0, ost_vf x1, ost_vf f0, ost_vf f1, ost_vf k) {
    ost_vf a = ost_vf_abs(x0), b = ost_vf_abs(x1), r = 1.0f / (1.0f + k * a), d = (b - a) * r;
    ost_vf same = (1.0f + k) * r * (a + vf_q(k * d) * d);
    same = (ost_vf)(((ost_vi)same & 0x7fffffff) | ((ost_vi)(x0 + x1) & (int32_t)0x80000000));
    ost_vi across = (x0 * x1) < 0.0f;
    ost_vf step = ost_vf_select(across, x1 - x0, ost_vf_set(1.0f));
    return ost_vf_select(across, (f1 - f0) / step, same);
}

/* ----------------------------------------------------------- the filters */

/** 48 -> 96 kHz: w holds OST_OS_A_UP frames of history, then m new ones. */
static void up_a(const ost_vf *w, ost_vf *out, uint32_t m) {
    for (uint32_t i = 0; i < m; i++) {
        const ost_vf *x = w + OST_OS_A_UP + i;
        ost_vf acc = {0};
        for (int j = 0; j < OST_OS_A_TAPS; j++) acc += HA[j] * x[-j];
        out[2 * i] = 2.0f * acc;
        out[2 * i + 1] = x[-(OST_OS_A_TAPS / 2 - 1)];
    }
}

/** 96 -> 192 kHz. */
static void up_b(const ost_vf *w, ost_vf *out, uint32_t m) {
    for (uint32_t i = 0; i < m; i++) {
        const ost_vf *x = w + OST_OS_B_UP + i;
        ost_vf acc = {0};
        for (int j = 0; j < OST_OS_B_TAPS; j++) acc += HB[j] * x[-j];
        out[2 * i] = 2.0f * acc;
        out[2 * i + 1] = x[-(OST_OS_B_TAPS / 2 - 1)];
    }
}

/** 192 -> 96 kHz: w holds OST_OS_B_DOWN samples of history, then 2m new ones. */
static void down_b(const ost_vf *w, ost_vf *out, uint32_t m) {
    for (uint32_t i = 0; i < m; i++) {
        const ost_vf *x = w + OST_OS_B_DOWN + 2 * i;
        ost_vf acc = 0.5f * x[-(OST_OS_B_TAPS - 1)];
        for (int j = 0; j < OST_OS_B_TAPS; j++) acc += HB[j] * x[-2 * j];
        out[i] = acc;
    }
}

/** 96 -> 48 kHz. */
static void down_a(const ost_vf *w, ost_vf *out, uint32_t m) {
    for (uint32_t i = 0; i < m; i++) {
        const ost_vf *x = w + OST_OS_A_DOWN + 2 * i;
        ost_vf acc = 0.5f * x[-(OST_OS_A_TAPS - 1)];
        for (int j = 0; j < OST_OS_A_TAPS; j++) acc += HA[j] * x[-2 * j];
        out[i] = acc;
    }
}

/* ------------------------------------------------------------- the stage */

enum { SHAPE = 1, DISTORT = 2 };

OST_INLINE void run(ost_shaper_state *s, const ost_shaper_params *p, ost_vf *x, uint32_t n, const int what) {
    ost_vf in[OST_OS_A_UP + CHUNK], mid[OST_OS_B_UP + 2 * CHUNK];
    ost_vf hi[OST_OS_B_DOWN + 4 * CHUNK], back[OST_OS_A_DOWN + 2 * CHUNK];
    ost_vf k = p->shape_k, g = p->distort_g, x1 = s->x1, f1 = s->f1;
    for (uint32_t done = 0; done < n; done += CHUNK) {
        uint32_t m = n - done < CHUNK ? n - done : CHUNK;
        memcpy(in, s->a_up, sizeof s->a_up);
        memcpy(in + OST_OS_A_UP, x + done, m * sizeof(ost_vf));
        memcpy(mid, s->b_up, sizeof s->b_up);
        up_a(in, mid + OST_OS_B_UP, m);
        memcpy(hi, s->b_down, sizeof s->b_down);
        ost_vf *y = hi + OST_OS_B_DOWN;
        up_b(mid, y, 2 * m);
        for (uint32_t i = 0; i < 4 * m; i++) {
            ost_vf v = y[i];
            if (what & SHAPE) {
                ost_vf f = shape_antiderivative(v, k);
                ost_vf mean = shape_mean(x1, v, f1, f, k);
                x1 = v, f1 = f, v = mean;
            }
            if (what & DISTORT) v = ost_vf_tanh(v * g);
            y[i] = v;
        }
        memcpy(back, s->a_down, sizeof s->a_down);
        down_b(hi, back + OST_OS_A_DOWN, 2 * m);
        down_a(back, x + done, m);
        /* the newest samples of each buffer are the next pass's history */
        memcpy(s->a_up, in + m, sizeof s->a_up);
        memcpy(s->b_up, mid + 2 * m, sizeof s->b_up);
        memcpy(s->b_down, hi + 4 * m, sizeof s->b_down);
        memcpy(s->a_down, back + 2 * m, sizeof s->a_down);
    }
    s->x1 = x1, s->f1 = f1;
}

void ost_shaper_shape(ost_shaper_state *s, const ost_shaper_params *p, ost_vf *x, uint32_t n) { run(s, p, x, n, SHAPE); }
void ost_shaper_distort(ost_shaper_state *s, const ost_shaper_params *p, ost_vf *x, uint32_t n) { run(s, p, x, n, DISTORT); }
void ost_shaper_both(ost_shaper_state *s, const ost_shaper_params *p, ost_vf *x, uint32_t n) { run(s, p, x, n, SHAPE | DISTORT); }

/* ---------------------------------------------------------------- checks */

float ost_shaper_level(const ost_shaper_state *s, int l) {
    const ost_vf *v = (const ost_vf *)s;
    float m = 0.0f;
    for (size_t i = 0; i < sizeof *s / sizeof(ost_vf) - 1; i++) m = fmaxf(m, fabsf(v[i][l])); /* all but f1 */
    return m;
}

ost_vi ost_shaper_finite(const ost_shaper_state *s) {
    const ost_vf *v = (const ost_vf *)s;
    ost_vf big = ost_vf_set(1e18f);
    ost_vi ok = (ost_vi){0} - 1;
    for (size_t i = 0; i < sizeof *s / sizeof(ost_vf); i++) ok &= ost_vf_abs(v[i]) < big;
    return ok;
}
