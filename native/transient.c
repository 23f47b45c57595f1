/* transient.c — the transient shaper (see transient.h). Real-time code: no
   allocation, no locks, no I/O. */
#include "transient.h"

#include <math.h>

/* log2 of x > 0: exponent bits, then ln of the mantissa m in [1, 2) by the
   series of atanh ((m - 1) / (m + 1) <= 1/3: error below 1e-5). */
OST_INLINE ost_vf vf_log2(ost_vf x) {
    ost_vi bits = (ost_vi)x;
    ost_vf e = __builtin_convertvector(((bits >> 23) & 0xff) - 127, ost_vf);
    ost_vf m = (ost_vf)((bits & 0x7fffff) | 0x3f800000);
    ost_vf t = (m - 1.0f) / (m + 1.0f), t2 = t * t;
    ost_vf s = t * (1.0f + t2 * (1.0f / 3.0f + t2 * (1.0f / 5.0f + t2 * (1.0f / 7.0f))));
    return e + s * (2.0f / 0.69314718f);
}

/* 2^y for y in [-8, 8]: the integer part into the exponent, 2^f by its
   Taylor series to the 6th power (error below 2e-5). */
OST_INLINE ost_vf vf_exp2(ost_vf y) {
    ost_vf fl = __builtin_convertvector(__builtin_convertvector(y + 16.0f, ost_vi) - 16, ost_vf); /* floor for y > -16 */
    ost_vf f = (y - fl) * 0.69314718f;
    ost_vf p = 1.0f + f * (1.0f + f * (0.5f + f * (1.0f / 6 + f * (1.0f / 24 + f * (1.0f / 120 + f * (1.0f / 720))))));
    ost_vi e = (__builtin_convertvector(fl, ost_vi) + 127) << 23;
    return p * (ost_vf)e;
}

static float follower(float seconds, float rate) { return 1.0f - expf(-1.0f / (seconds * rate)); }

void ost_transient_start(ost_chain_lanes *v, int l, const float *p, float rate) {
    v->tr_amount[l] = p[OST_PARAM_TRANSIENT];
    v->tr_sustain[l] = p[OST_PARAM_TRANSSUSTAIN];
    v->tr_fast_up[l] = follower(0.0005f, rate);
    v->tr_fast_down[l] = follower(0.02f, rate);
    v->tr_slow_up[l] = follower(0.02f, rate);
    v->tr_slow_down[l] = follower(0.3f, rate);
}

void ost_transient_stage(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n) {
    ost_chain_lanes *v = &c->v;
    ost_vf fast = ch->tr_fast, slow = ch->tr_slow;
    const ost_vf eps = ost_vf_set(1e-6f), tiny = ost_vf_set(1e-12f), zero = {0};
    for (uint32_t i = 0; i < n; i++) {
        ost_vf a = ost_vf_abs(x[i]);
        /* floored far below eps: a silent input never leaves the followers denormal */
        fast = ost_vf_max(fast + ost_vf_select(a > fast, v->tr_fast_up, v->tr_fast_down) * (a - fast), tiny);
        slow = ost_vf_max(slow + ost_vf_select(a > slow, v->tr_slow_up, v->tr_slow_down) * (a - slow), tiny);
        ost_vf lr = vf_log2((fast + eps) / (slow + eps));
        ost_vf y = v->tr_amount * ost_vf_max(lr, zero) - v->tr_sustain * ost_vf_min(lr, zero);
        x[i] *= vf_exp2(ost_vf_clamp(y, ost_vf_set(-2.0f), ost_vf_set(2.0f)));
    }
    ch->tr_fast = fast, ch->tr_slow = slow;
}
