/*
 * voice.c — the voice pool: lanes, groups, envelopes and the specialised
 * render functions (see voice.h). Real-time code: no allocation, no locks,
 * no I/O after ost_voices_init.
 */
#include "voice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "noise.h"
#include "osc.h"

#define FULL_MASK ((1u << OST_LANES) - 1u)

/* ------------------------------------------------------------------ lanes */

/* Values a free lane computes with: finite, silent, no division by zero. */
static void lane_clear(ost_group *g, int l) {
    g->phase[l] = 0.0f;
    g->dt[l] = 0.001f;
    g->inv_dt[l] = 1000.0f;
    g->lp_ic1[l] = g->lp_ic2[l] = g->lp_a1[l] = g->lp_a2[l] = g->lp_a3[l] = 0.0f;
    g->hp_ic1[l] = g->hp_ic2[l] = g->hp_a1[l] = g->hp_a2[l] = g->hp_a3[l] = g->hp_k[l] = 0.0f;
    g->bp_ic1[l] = g->bp_ic2[l] = g->bp_a1[l] = g->bp_a2[l] = g->bp_a3[l] = g->bp_k[l] = 0.0f;
    g->noise[l] = 1u;
    g->n0[l] = g->n1[l] = g->n2[l] = 0.0f;
    g->env[l] = g->env_step[l] = 0.0f;
    g->gain_l[l] = g->gain_r[l] = 0.0f;
    g->seg_left[l] = UINT32_MAX;
    g->off_left[l] = UINT32_MAX;
    g->segment[l] = OST_ENV_IDLE;
    g->serial[l] = 0;
    g->slot[l] = 0;
}

static void lane_free(ost_voices *p, ost_group *g, int l) {
    lane_clear(g, l);
    g->active &= ~(1u << l);
    p->active_voices--;
}

static void lane_apply(ost_group *g, int l, ost_env_step s) {
    g->segment[l] = s.segment;
    g->seg_left[l] = s.frames;
    g->env[l] = s.level;
    g->env_step[l] = s.step;
}

/* Moves a lane through every segment boundary it sits on, so that after
   this its counters are non-zero (or the lane is free). A segment's own end
   is handled before a note-off on the same frame: a decay that reaches a
   sustain of 0 ends the voice there, whatever the note-off says. */
static void lane_settle(ost_voices *p, ost_group *g, int l) {
    for (;;) {
        if (g->segment[l] == OST_ENV_IDLE) {
            lane_free(p, g, l);
            return;
        }
        if (g->seg_left[l] == 0) {
            lane_apply(g, l, ost_env_next(&g->shape[l], (ost_env_segment)g->segment[l], g->env[l]));
        } else if (g->off_left[l] == 0) {
            g->off_left[l] = UINT32_MAX;
            if (g->segment[l] != OST_ENV_RELEASE)
                lane_apply(g, l, ost_env_release(g->env[l], g->shape[l].release_frames));
        } else {
            return;
        }
    }
}

/* ----------------------------------------------------------------- groups */

static uint32_t kind_of(const ost_event *e) {
    uint32_t sound = (uint32_t)(int)e->params[OST_PARAM_SOUND];
    uint32_t filters = (e->params[OST_PARAM_CUTOFF] > 0.0f ? OST_FILTER_LP : 0) |
                       (e->params[OST_PARAM_HCUTOFF] > 0.0f ? OST_FILTER_HP : 0) |
                       (e->params[OST_PARAM_BANDF] > 0.0f ? OST_FILTER_BP : 0);
    return sound * OST_FILTER_COMBOS + filters;
}

/* Drops groups that lost their last voice from the live list, keeping the
   order of the others (the mix order, hence bit-exact determinism). */
static void prune(ost_voices *p) {
    uint32_t kept = 0;
    for (uint32_t i = 0; i < p->n_live; i++) {
        uint32_t gi = p->live[i];
        if (p->groups[gi].active) p->live[kept++] = gi;
        else p->spare[p->n_spare++] = gi;
    }
    p->n_live = kept;
}

static void steal_oldest(ost_voices *p) {
    ost_group *victim = NULL;
    int victim_lane = -1;
    uint64_t oldest = UINT64_MAX;
    for (uint32_t i = 0; i < p->n_live; i++) {
        ost_group *g = &p->groups[p->live[i]];
        for (int l = 0; l < OST_LANES; l++)
            if ((g->active >> l & 1u) && g->serial[l] < oldest) {
                oldest = g->serial[l];
                victim = g;
                victim_lane = l;
            }
    }
    if (!victim) return;
    lane_free(p, victim, victim_lane);
    p->stolen++;
    prune(p);
}

static ost_group_render_fn render_for(uint32_t kind);

static ost_group *group_for(ost_voices *p, uint32_t kind) {
    for (uint32_t i = 0; i < p->n_live; i++) {
        ost_group *g = &p->groups[p->live[i]];
        if (g->kind == kind && g->active != FULL_MASK) return g;
    }
    if (p->n_spare == 0) return NULL;
    uint32_t gi = p->spare[--p->n_spare];
    p->live[p->n_live++] = gi;
    ost_group *g = &p->groups[gi];
    g->kind = kind;
    g->render = render_for(kind); /* chosen once for the group's life */
    return g;
}

/* --------------------------------------------------------------- control */

ost_result ost_voices_init(ost_voices *p, uint32_t max_voices, float rate, uint64_t seed) {
    if (!p || max_voices == 0 || !(rate > 0.0f)) return OST_INVALID_ARGS;
    memset(p, 0, sizeof *p);
    p->n_groups = max_voices; /* worst case: every voice alone in its group */
    p->groups = aligned_alloc(64, (size_t)p->n_groups * sizeof(ost_group));
    p->live = calloc(p->n_groups, sizeof *p->live);
    p->spare = calloc(p->n_groups, sizeof *p->spare);
    if (!p->groups || !p->live || !p->spare) {
        ost_voices_free(p);
        return OST_OUT_OF_MEMORY;
    }
    memset(p->groups, 0, (size_t)p->n_groups * sizeof(ost_group));
    for (uint32_t i = 0; i < p->n_groups; i++) {
        for (int l = 0; l < OST_LANES; l++) lane_clear(&p->groups[i], l);
        p->spare[i] = p->n_groups - 1 - i;
    }
    p->n_spare = p->n_groups;
    p->max_voices = max_voices;
    p->rate = rate;
    p->seed = seed;
    return OST_OK;
}

void ost_voices_free(ost_voices *p) {
    if (!p) return;
    free(p->groups);
    free(p->live);
    free(p->spare);
    p->groups = NULL;
    p->live = p->spare = NULL;
}

int ost_voices_start(ost_voices *p, const ost_event *e) {
    const float *v = e->params;
    if ((int)v[OST_PARAM_SOUND] < 0) return 0;
    if (p->active_voices >= p->max_voices) steal_oldest(p);
    uint32_t kind = kind_of(e);
    ost_group *g = group_for(p, kind);
    if (!g) return 0; /* cannot happen: there are max_voices groups */
    int l = __builtin_ctz(~g->active & FULL_MASK);
    lane_clear(g, l);
    g->active |= 1u << l;
    p->active_voices++;

    float rate = p->rate;
    float dt = v[OST_PARAM_FREQ] / rate;
    if (!(dt >= 1e-7f)) dt = 1e-7f; /* 0 Hz: a held value, not a division by zero */
    if (dt > 0.45f) dt = 0.45f;     /* below Nyquist, where polyBLEP works */
    g->dt[l] = dt;
    g->inv_dt[l] = 1.0f / dt;
    if (kind & OST_FILTER_LP) {
        ost_svf_coefs c = ost_svf_design(v[OST_PARAM_CUTOFF], v[OST_PARAM_RESONANCE], rate);
        g->lp_a1[l] = c.a1, g->lp_a2[l] = c.a2, g->lp_a3[l] = c.a3;
    }
    if (kind & OST_FILTER_HP) {
        ost_svf_coefs c = ost_svf_design(v[OST_PARAM_HCUTOFF], v[OST_PARAM_HRESONANCE], rate);
        g->hp_a1[l] = c.a1, g->hp_a2[l] = c.a2, g->hp_a3[l] = c.a3, g->hp_k[l] = c.k;
    }
    if (kind & OST_FILTER_BP) {
        ost_svf_coefs c = ost_svf_design(v[OST_PARAM_BANDF], v[OST_PARAM_BANDQ], rate);
        g->bp_a1[l] = c.a1, g->bp_a2[l] = c.a2, g->bp_a3[l] = c.a3, g->bp_k[l] = c.k;
    }
    float amp = v[OST_PARAM_GAIN] * v[OST_PARAM_VELOCITY];
    /* equal power: cos and sin of pan * pi/2, both written as sines so the
       hard-panned side is exactly 0 (cosf of a rounded pi/2 is not) */
    float pan = v[OST_PARAM_PAN];
    g->gain_l[l] = amp * sinf((1.0f - pan) * (float)(M_PI / 2));
    g->gain_r[l] = amp * sinf(pan * (float)(M_PI / 2));
    g->serial[l] = ++p->next_serial;
    g->noise[l] = ost_noise_seed(p->seed, g->serial[l]);
    g->slot[l] = e->slot;
    g->shape[l] = (ost_env_shape){
        .attack_frames = ost_env_frames(v[OST_PARAM_ATTACK], rate),
        .decay_frames = ost_env_frames(v[OST_PARAM_DECAY], rate),
        .release_frames = ost_env_frames(v[OST_PARAM_RELEASE], rate),
        .sustain = v[OST_PARAM_SUSTAIN],
    };
    g->off_left[l] = e->dur_frames == OST_DUR_FOREVER ? UINT32_MAX : e->dur_frames;
    lane_apply(g, l, ost_env_next(&g->shape[l], OST_ENV_IDLE, 0.0f));
    lane_settle(p, g, l);
    if (!g->active) prune(p);
    return 1;
}

void ost_voices_release(ost_voices *p, uint32_t slot, uint32_t fade_frames) {
    for (uint32_t i = 0; i < p->n_live; i++) {
        ost_group *g = &p->groups[p->live[i]];
        for (int l = 0; l < OST_LANES; l++) {
            if (!(g->active >> l & 1u)) continue;
            if (slot != OST_SLOT_ALL && g->slot[l] != slot) continue;
            if (g->segment[l] == OST_ENV_RELEASE && g->seg_left[l] <= fade_frames) continue;
            g->off_left[l] = UINT32_MAX;
            lane_apply(g, l, ost_env_release(g->env[l], fade_frames));
            lane_settle(p, g, l);
        }
    }
    prune(p);
}

/* ------------------------------------------------------------- rendering */

/* Frames until the first counter of any lane runs out (at least 1: lanes
   are always settled), capped at `limit`. */
static uint32_t group_span(const ost_group *g, uint32_t limit) {
    uint32_t n = limit;
    for (int l = 0; l < OST_LANES; l++) {
        if (!(g->active >> l & 1u)) continue;
        if (g->seg_left[l] < n) n = g->seg_left[l];
        if (g->off_left[l] < n) n = g->off_left[l];
    }
    return n;
}

static void group_advance(ost_voices *p, ost_group *g, uint32_t n) {
    for (int l = 0; l < OST_LANES; l++) {
        if (!(g->active >> l & 1u)) continue;
        int due = 0;
        if (g->seg_left[l] != UINT32_MAX) due |= (g->seg_left[l] -= n) == 0;
        if (g->off_left[l] != UINT32_MAX) due |= (g->off_left[l] -= n) == 0;
        if (due) lane_settle(p, g, l);
    }
}

/* The sample loop of one kind: state in locals, one loop, state stored back.
   `src` and `filters` are compile-time constants in every instance, so the
   branches on them disappear. */
OST_INLINE void run_lanes(ost_group *g, ost_vf *restrict al, ost_vf *restrict ar, uint32_t n, const int src,
                          const int filters) {
    ost_vf phase = g->phase, dt = g->dt, idt = g->inv_dt;
    ost_vf lp1 = g->lp_ic1, lp2 = g->lp_ic2, la1 = g->lp_a1, la2 = g->lp_a2, la3 = g->lp_a3;
    ost_vf hp1 = g->hp_ic1, hp2 = g->hp_ic2, ha1 = g->hp_a1, ha2 = g->hp_a2, ha3 = g->hp_a3, hk = g->hp_k;
    ost_vf bp1 = g->bp_ic1, bp2 = g->bp_ic2, ba1 = g->bp_a1, ba2 = g->bp_a2, ba3 = g->bp_a3, bk = g->bp_k;
    ost_vu noise = g->noise;
    ost_vf n0 = g->n0, n1 = g->n1, n2 = g->n2;
    ost_vf env = g->env, step = g->env_step, gl = g->gain_l, gr = g->gain_r;
    for (uint32_t i = 0; i < n; i++) {
        ost_vf x, band, low;
        switch (src) {
        case OST_SOUND_SINE: phase = ost_osc_advance(phase, dt); x = ost_osc_sine(phase); break;
        case OST_SOUND_SAWTOOTH: phase = ost_osc_advance(phase, dt); x = ost_osc_saw(phase, dt, idt); break;
        case OST_SOUND_SQUARE: phase = ost_osc_advance(phase, dt); x = ost_osc_square(phase, dt, idt); break;
        case OST_SOUND_TRIANGLE: phase = ost_osc_advance(phase, dt); x = ost_osc_triangle(phase, dt, idt); break;
        case OST_SOUND_WHITE: x = ost_noise_white(&noise); break;
        case OST_SOUND_PINK: x = ost_noise_pink(&noise, &n0, &n1, &n2); break;
        default: x = ost_noise_brown(&noise, &n0); break;
        }
        if (filters & OST_FILTER_LP) {
            ost_svf_tick(x, &lp1, &lp2, la1, la2, la3, &band, &low);
            x = low;
        }
        if (filters & OST_FILTER_HP) {
            ost_svf_tick(x, &hp1, &hp2, ha1, ha2, ha3, &band, &low);
            x = x - hk * band - low;
        }
        if (filters & OST_FILTER_BP) {
            ost_svf_tick(x, &bp1, &bp2, ba1, ba2, ba3, &band, &low);
            x = bk * band; /* 0 dB at the centre frequency */
        }
        env += step;
        x *= env;
        al[i] += x * gl;
        ar[i] += x * gr;
    }
    g->phase = phase;
    g->lp_ic1 = lp1, g->lp_ic2 = lp2;
    g->hp_ic1 = hp1, g->hp_ic2 = hp2;
    g->bp_ic1 = bp1, g->bp_ic2 = bp2;
    g->noise = noise;
    g->n0 = n0, g->n1 = n1, g->n2 = n2;
    g->env = env;
}

OST_INLINE void render_group(ost_voices *p, ost_group *g, ost_vf *al, ost_vf *ar, uint32_t n, const int src,
                             const int filters) {
    uint32_t done = 0;
    while (done < n && g->active) {
        uint32_t span = group_span(g, n - done);
        run_lanes(g, al + done, ar + done, span, src, filters);
        group_advance(p, g, span);
        done += span;
    }
}

#define OST_RENDER_FN(src, f)                                                                               \
    static void render_##src##_##f(ost_voices *p, ost_group *g, ost_vf *al, ost_vf *ar, uint32_t n) {     \
        render_group(p, g, al, ar, n, OST_SOUND_##src, f);                                                  \
    }
#define OST_RENDER_ROW(src, name, alias)                                                                    \
    OST_RENDER_FN(src, 0) OST_RENDER_FN(src, 1) OST_RENDER_FN(src, 2) OST_RENDER_FN(src, 3)                \
    OST_RENDER_FN(src, 4) OST_RENDER_FN(src, 5) OST_RENDER_FN(src, 6) OST_RENDER_FN(src, 7)
OST_SOUND_TABLE(OST_RENDER_ROW)

#define OST_RENDER_ENTRIES(src, name, alias)                                                                \
    render_##src##_0, render_##src##_1, render_##src##_2, render_##src##_3, render_##src##_4,               \
        render_##src##_5, render_##src##_6, render_##src##_7,
static const ost_group_render_fn render_table[OST_KIND_COUNT] = {OST_SOUND_TABLE(OST_RENDER_ENTRIES)};

static ost_group_render_fn render_for(uint32_t kind) { return render_table[kind % OST_KIND_COUNT]; }

/* A lane whose state went NaN or infinite (it should not, with sanitised
   parameters) is silenced and counted rather than poisoning the mix. */
static void reset_non_finite(ost_voices *p, ost_group *g) {
    ost_vf big = ost_vf_set(1e18f);
    /* (|x| < big) is false for NaN too; ~ turns "all fine" into "bad" */
    ost_vi ok = (ost_vf_abs(g->lp_ic1) < big) & (ost_vf_abs(g->lp_ic2) < big) & (ost_vf_abs(g->hp_ic1) < big) &
                (ost_vf_abs(g->hp_ic2) < big) & (ost_vf_abs(g->bp_ic1) < big) & (ost_vf_abs(g->bp_ic2) < big) &
                (ost_vf_abs(g->n0) < big) & (ost_vf_abs(g->env) < big);
    ost_vi bad = ~ok;
    for (int l = 0; l < OST_LANES; l++)
        if (bad[l] && (g->active >> l & 1u)) {
            lane_free(p, g, l);
            p->reset++;
        }
}

void ost_voices_render(ost_voices *p, ost_vf *acc_l, ost_vf *acc_r, uint32_t frames) {
    int emptied = 0;
    for (uint32_t i = 0; i < p->n_live; i++) {
        ost_group *g = &p->groups[p->live[i]];
        g->render(p, g, acc_l, acc_r, frames);
        reset_non_finite(p, g);
        emptied |= !g->active;
    }
    if (emptied) prune(p);
}
