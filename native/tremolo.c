/* tremolo.c — the tremolo stage (see tremolo.h). Real-time code: no
   allocation, no locks, no I/O. */
#include "tremolo.h"

#include <math.h>

void ost_tremolo_start(ost_chain_lanes *v, int l, const float *p, float rate) {
    v->trem_inc[l] = ost_lfo_increment(p[OST_PARAM_TREMOLO], p[OST_PARAM_TREMOLOSYNC], p[OST_PARAM_CPS], rate);
    /* a voice here only for the gain envelope has no tremolo: depth 0 */
    v->trem_depth[l] = v->trem_inc[l] > 0.0f ? p[OST_PARAM_TREMOLODEPTH] : 0.0f;
    float ph = p[OST_PARAM_TREMOLOPHASE];
    v->trem_ph[l] = ph - floorf(ph);
    ost_lfo_shape_set(&v->trem_shape, l, p[OST_PARAM_TREMOLOSHAPE], p[OST_PARAM_TREMOLOSKEW]);
}

void ost_tremolo_stage(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n) {
    ost_chain_lanes *v = &c->v;
    ost_vf ph = v->trem_ph, inc = v->trem_inc, half = 0.5f * v->trem_depth;
    ost_vf eg = v->menv_g, es = v->menv_gstep; /* the gain envelope's factor (1 without one), ramping */
    for (uint32_t i = 0; i < n; i++) {
        ost_vf w = ost_lfo_wave(&v->trem_shape, ph);
        x[i] *= (1.0f - half * (1.0f + w)) * eg;
        eg += es;
        ph += inc;
        ph -= ost_vf_and(ph >= 1.0f, ost_vf_set(1.0f));
    }
    if (ch == &v->ch[c->channels - 1]) v->trem_ph = ph, v->menv_g = eg;
}
