/* bus.c — orbits: accumulators, per-orbit effects, routing (see bus.h). */
#include "bus.h"

#include <stdlib.h>
#include <string.h>

ost_result ost_buses_init(ost_buses *b, uint32_t count, float rate, uint32_t channels) {
    memset(b, 0, sizeof *b);
    b->rate = rate;
    b->pairs = channels >= 2 ? channels / 2 : 1;
    b->orbits = calloc(count, sizeof *b->orbits);
    if (!b->orbits) return OST_OUT_OF_MEMORY;
    b->count = count;
    b->wet_l = aligned_alloc(64, OST_MIX_BLOCK * sizeof(float));
    b->wet_r = aligned_alloc(64, OST_MIX_BLOCK * sizeof(float));
    if (!b->wet_l || !b->wet_r) goto oom;
    memset(b->wet_l, 0, OST_MIX_BLOCK * sizeof(float));
    memset(b->wet_r, 0, OST_MIX_BLOCK * sizeof(float));
    for (uint32_t i = 0; i < 32; i++) OST_INIT(&b->route[i], 0);
    for (uint32_t o = 0; o < count; o++) {
        ost_orbit *orb = &b->orbits[o];
        for (int k = 0; k < OST_BUS_COUNT; k++) {
            orb->acc[k] = aligned_alloc(64, OST_MIX_BLOCK * sizeof(ost_vf));
            orb->sum[k] = aligned_alloc(64, OST_MIX_BLOCK * sizeof(float));
            if (!orb->acc[k] || !orb->sum[k]) goto oom;
            memset(orb->acc[k], 0, OST_MIX_BLOCK * sizeof(ost_vf));
            memset(orb->sum[k], 0, OST_MIX_BLOCK * sizeof(float));
        }
        if (ost_delay_init(&orb->delay, rate, OST_DELAY_MAX_S) != OST_OK) goto oom;
        if (ost_reverb_init(&orb->reverb, rate) != OST_OK) goto oom;
        ost_phaser_init(&orb->phaser, rate);
        if (ost_chorus_init(&orb->chorus, rate) != OST_OK) goto oom;
        ost_compressor_init(&orb->compressor, rate);
        ost_duck_init(&orb->duck);
    }
    return OST_OK;
oom:
    ost_buses_free(b);
    return OST_OUT_OF_MEMORY;
}

void ost_buses_free(ost_buses *b) {
    for (uint32_t o = 0; b->orbits && o < b->count; o++) {
        ost_orbit *orb = &b->orbits[o];
        for (int k = 0; k < OST_BUS_COUNT; k++) {
            free(orb->acc[k]);
            free(orb->sum[k]);
        }
        ost_delay_free(&orb->delay);
        ost_reverb_free(&orb->reverb);
        ost_chorus_free(&orb->chorus);
    }
    free(b->orbits);
    free(b->wet_l);
    free(b->wet_r);
    b->wet_l = b->wet_r = NULL;
    b->orbits = NULL;
    b->count = 0;
}

void ost_buses_begin(ost_buses *b, uint32_t frames) {
    b->step_frames = frames;
    for (uint32_t o = 0; o < b->count; o++) b->orbits[o].live = 0;
}

void ost_buses_configure(ost_buses *b, const float *v) {
    uint32_t orbit = (uint32_t)v[OST_PARAM_ORBIT] % b->count; /* orbits past the count wrap, as voices do */
    ost_orbit *o = &b->orbits[orbit];
    if (v[OST_PARAM_DELAY] > 0.0f) {
        float t = v[OST_PARAM_DELAYTIME];
        if (v[OST_PARAM_LOCK] >= 0.5f) t /= v[OST_PARAM_CPS]; /* cycles -> seconds */
        if (v[OST_PARAM_DELAYSYNC] > 0.0f) t = v[OST_PARAM_DELAYSYNC] / v[OST_PARAM_CPS];
        ost_delay_set(&o->delay, t, v[OST_PARAM_DELAYFEEDBACK], v[OST_PARAM_DELAYSPEED]);
    }
    if (v[OST_PARAM_ROOM] > 0.0f)
        ost_reverb_set(&o->reverb, v[OST_PARAM_ROOMSIZE], v[OST_PARAM_ROOMFADE], v[OST_PARAM_ROOMLP],
                       v[OST_PARAM_ROOMDIM]);
    if (v[OST_PARAM_PHASERRATE] > 0.0f)
        ost_phaser_set(&o->phaser, v[OST_PARAM_PHASERRATE], v[OST_PARAM_PHASERDEPTH], v[OST_PARAM_PHASERCENTER],
                       v[OST_PARAM_PHASERSWEEP]);
    if (v[OST_PARAM_COMPRESSOR] <= 0.0f)
        ost_compressor_set(&o->compressor, v[OST_PARAM_COMPRESSOR], v[OST_PARAM_COMPRESSORRATIO],
                           v[OST_PARAM_COMPRESSORKNEE], v[OST_PARAM_COMPRESSORATTACK],
                           v[OST_PARAM_COMPRESSORRELEASE]);
}

void ost_buses_duck(ost_buses *b, const float *v, uint32_t at) {
    uint32_t mask = (uint32_t)v[OST_PARAM_DUCKORBITS]; /* sanitised: 0..2^24-1 */
    for (uint32_t o = 0; mask && o < b->count; o++, mask >>= 1)
        if (mask & 1u)
            ost_duck_trigger_at(&b->orbits[o].duck, at, v[OST_PARAM_DUCKDEPTH], v[OST_PARAM_DUCKONSET],
                                v[OST_PARAM_DUCKATTACK], b->rate);
}

/* The lanes of an accumulator summed into a float buffer (zeros when the
   accumulator was not used this step). */
static void sum_lanes(const ost_orbit *o, int bus, float *out, uint32_t n) {
    if (!(o->live >> bus & 1u)) {
        memset(out, 0, n * sizeof(float));
        return;
    }
    const ost_vf *a = o->acc[bus];
    for (uint32_t i = 0; i < n; i++) out[i] = ost_vf_sum(a[i]);
}

void ost_buses_fade_fx(ost_buses *b, uint32_t frames) {
    if (frames == 0) frames = 1;
    for (uint32_t i = 0; i < b->count; i++) {
        ost_orbit *o = &b->orbits[i];
        if (o->delay.sleeping && o->reverb.sleeping) continue;
        o->fx_fade_total = o->fx_fade_left = frames;
    }
}

/* The delay and reverb of an orbit whose tails are fading: their output goes
   through the wet buffers and a linear ramp to zero; once at zero, the orbit
   is marked for clearing. */
static void faded_tails(ost_buses *b, ost_orbit *o, float *l, float *r, uint32_t n) {
    float *wl = b->wet_l, *wr = b->wet_r;
    memset(wl, 0, n * sizeof(float));
    memset(wr, 0, n * sizeof(float));
    ost_delay_process(&o->delay, o->sum[OST_BUS_DELAY_L], o->sum[OST_BUS_DELAY_R], wl, wr, n,
                      !(o->live & (3u << OST_BUS_DELAY_L)));
    ost_reverb_process(&o->reverb, o->sum[OST_BUS_REVERB_L], o->sum[OST_BUS_REVERB_R], wl, wr, n,
                       !(o->live & (3u << OST_BUS_REVERB_L)));
    float step = 1.0f / (float)o->fx_fade_total;
    for (uint32_t j = 0; j < n; j++) {
        float g = o->fx_fade_left ? (float)o->fx_fade_left * step : 0.0f;
        if (o->fx_fade_left) o->fx_fade_left--;
        l[j] += wl[j] * g;
        r[j] += wr[j] * g;
    }
    if (!o->fx_fade_left) o->fx_clear = 1;
}

void ost_buses_finish(ost_buses *b, uint32_t n, float *const *pair_l, float *const *pair_r) {
    for (uint32_t p = 0; p < b->pairs; p++) {
        memset(pair_l[p], 0, n * sizeof(float));
        memset(pair_r[p], 0, n * sizeof(float));
    }
    int cleared = 0;
    for (uint32_t i = 0; i < b->count; i++) {
        ost_orbit *o = &b->orbits[i];
        if (o->fx_clear && !cleared) {
            /* Bounded work: one orbit's lines per step (the same clearing a
               tail that died away gets); the others stay silent until their turn. */
            ost_delay_clear(&o->delay);
            ost_reverb_clear(&o->reverb);
            o->fx_clear = 0;
            cleared = 1;
        }
        int sleeping = o->delay.sleeping && o->reverb.sleeping && o->phaser.sleeping && o->chorus.sleeping;
        if (!o->live && sleeping && !o->fx_clear) { /* nothing played into it, no tail rings on */
            if (ost_duck_active(&o->duck)) ost_duck_process(&o->duck, NULL, NULL, n);
            continue;
        }
        for (int k = 0; k < OST_BUS_COUNT; k++) sum_lanes(o, k, o->sum[k], n);
        float *l = o->sum[OST_BUS_DRY_L], *r = o->sum[OST_BUS_DRY_R];
        ost_phaser_process(&o->phaser, o->sum[OST_BUS_PHASER_L], o->sum[OST_BUS_PHASER_R], l, r, n,
                           !(o->live & (3u << OST_BUS_PHASER_L)));
        ost_chorus_process(&o->chorus, o->sum[OST_BUS_CHORUS_L], o->sum[OST_BUS_CHORUS_R], l, r, n,
                           !(o->live & (3u << OST_BUS_CHORUS_L)));
        if (o->fx_fade_left || o->fx_clear) {
            if (o->fx_fade_left) faded_tails(b, o, l, r, n);
            /* else: waiting to be cleared: the tails are not heard */
        } else {
            ost_delay_process(&o->delay, o->sum[OST_BUS_DELAY_L], o->sum[OST_BUS_DELAY_R], l, r, n,
                              !(o->live & (3u << OST_BUS_DELAY_L)));
            ost_reverb_process(&o->reverb, o->sum[OST_BUS_REVERB_L], o->sum[OST_BUS_REVERB_R], l, r, n,
                               !(o->live & (3u << OST_BUS_REVERB_L)));
        }
        ost_compressor_process(&o->compressor, l, r, n);
        if (ost_duck_active(&o->duck)) ost_duck_process(&o->duck, l, r, n);
        /* Relaxed: a routing change takes effect from some step on; nothing
           else is published through it. */
        uint32_t pair = OST_LOAD(&b->route[i], OST_RELAXED);
        if (pair >= b->pairs) pair = 0;
        float *pl = pair_l[pair], *pr = pair_r[pair];
        for (uint32_t j = 0; j < n; j++) {
            pl[j] += l[j];
            pr[j] += r[j];
        }
    }
}
