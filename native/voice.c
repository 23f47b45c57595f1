/*
 * voice.c — the voice pool: lanes, groups, envelopes, stealing with a fade,
 * cut groups, and the plain kinds' fused render loops (see voice.h; the
 * other kinds render through chain.c). Real-time code: no allocation, no
 * locks, no I/O after ost_voices_init.
 */
#include "voice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "filter.h"
#include "noise.h"
#include "osc.h"

#define FULL_MASK ((1u << OST_LANES) - 1u)

/* Fade of a stolen voice, and of a voice cut by its group, in seconds. */
#define STEAL_FADE_S 0.005f
#define CUT_FADE_S 0.0008f

/* ------------------------------------------------------------------ lanes */

/* Values a free lane computes with: finite, silent, no division by zero. */
static void lane_clear(ost_group *g, int l) {
    g->phase[l] = 0.0f;
    g->dt[l] = 0.001f;
    g->wt_off[l] = 0; /* a valid table: a free lane reads at phase 0 */
    g->wt_len[l] = 2048.0f;
    g->lp_ic1[l] = g->lp_ic2[l] = g->lp_a1[l] = g->lp_a2[l] = g->lp_a3[l] = 0.0f;
    g->hp_ic1[l] = g->hp_ic2[l] = g->hp_a1[l] = g->hp_a2[l] = g->hp_a3[l] = g->hp_k[l] = 0.0f;
    g->bp_ic1[l] = g->bp_ic2[l] = g->bp_a1[l] = g->bp_a2[l] = g->bp_a3[l] = g->bp_k[l] = 0.0f;
    g->noise[l] = 1u;
    g->n0[l] = g->n1[l] = g->n2[l] = 0.0f;
    g->env[l] = g->env_step[l] = g->env_a[l] = g->env_b[l] = 0.0f;
    g->gain_l[l] = g->gain_r[l] = 0.0f;
    g->seg_left[l] = UINT32_MAX;
    g->off_left[l] = UINT32_MAX;
    g->life_left[l] = UINT32_MAX;
    g->segment[l] = OST_ENV_IDLE;
    g->fading[l] = 0;
    g->finished[l] = 0;
    g->serial[l] = 0;
    g->slot[l] = 0;
    g->cut[l] = 0;
}

static void lane_free(ost_voices *p, ost_group *g, int l) {
    if (g->chain) ost_chain_stop(p, g, l);
    if (g->fading[l]) p->fading_voices--;
    lane_clear(g, l);
    g->active &= ~(1u << l);
    p->active_voices--;
}

static void lane_apply(ost_group *g, int l, ost_env_step s) {
    g->segment[l] = s.segment;
    g->seg_left[l] = s.frames;
    g->env[l] = s.level;
    g->env_step[l] = s.step;
    g->env_a[l] = s.a;
    g->env_b[l] = s.b;
}

/* Frames between two looks at a ringing tail. */
#define TAIL_CHECK_FRAMES 64u

/* Whether lane l's envelope comes before filters that may still ring. */
static int rings(const ost_group *g) {
    return g->chain && (g->kind & (OST_FILTER_LP | OST_FILTER_HP | OST_FILTER_BP | OST_KIND_VOWEL));
}

/* Starts the silent tail of a lane whose envelope is over: it is counted as
   fading from here (it no longer holds a place among the sounding voices). */
static void lane_tail(ost_voices *p, ost_group *g, int l) {
    if (!g->fading[l]) {
        g->fading[l] = 1;
        p->fading_voices++;
    }
    g->segment[l] = OST_ENV_TAIL;
    g->seg_left[l] = TAIL_CHECK_FRAMES;
    g->off_left[l] = UINT32_MAX;
    g->env[l] = g->env_step[l] = g->env_a[l] = g->env_b[l] = 0.0f;
    uint32_t most = (uint32_t)(OST_TAIL_MAX_S * p->rate);
    if (g->life_left[l] > most) g->life_left[l] = most;
}

/* Moves a lane through every boundary it sits on, so that after this its
   counters are non-zero (or the lane is free). A segment's own end is
   handled before a note-off on the same frame: a decay that reaches a
   sustain of 0 ends the voice there, whatever the note-off says. */
static void lane_settle(ost_voices *p, ost_group *g, int l) {
    for (;;) {
        if (g->life_left[l] == 0 || (g->finished[l] && !rings(g))) {
            lane_free(p, g, l);
            return;
        }
        if (g->segment[l] == OST_ENV_IDLE || (g->finished[l] && g->segment[l] != OST_ENV_TAIL)) {
            if (!rings(g)) {
                lane_free(p, g, l);
                return;
            }
            lane_tail(p, g, l);
        }
        if (g->segment[l] == OST_ENV_TAIL) {
            if (g->seg_left[l] != 0) return;
            if (ost_chain_quiet(g->chain, l)) {
                lane_free(p, g, l);
                return;
            }
            g->seg_left[l] = TAIL_CHECK_FRAMES;
            return;
        }
        if (g->seg_left[l] == 0) {
            lane_apply(g, l, ost_env_next(&g->shape[l], (ost_env_segment)g->segment[l], g->env[l]));
        } else if (g->off_left[l] == 0) {
            g->off_left[l] = UINT32_MAX;
            if (g->segment[l] != OST_ENV_RELEASE) {
                lane_apply(g, l, ost_env_release(g->env[l], g->shape[l].release_frames));
                if (g->chain) ost_chain_note_off(g, l);
            }
        } else {
            return;
        }
    }
}

/* Fades a sounding lane out over `frames` (a stolen or cut voice). */
static void lane_fade(ost_voices *p, ost_group *g, int l, uint32_t frames) {
    if (!g->fading[l]) {
        g->fading[l] = 1;
        p->fading_voices++;
    }
    g->off_left[l] = UINT32_MAX;
    if (g->segment[l] == OST_ENV_TAIL || (g->segment[l] == OST_ENV_RELEASE && g->seg_left[l] <= frames)) return;
    lane_apply(g, l, ost_env_fade(g->env[l], frames));
    lane_settle(p, g, l);
}

/* ----------------------------------------------------------------- groups */

static uint32_t plain_sound(uint32_t sound) { return sound < OST_SOUND_SUPERSAW; }

_Static_assert(OST_KIND_SOUND_SHIFT + 5 <= 32 && OST_SOUND_ADDITIVE < 32 && OST_KIND_WAVETABLE < (1u << OST_KIND_FLAG_BITS),
               "a kind's flags, orbit and sound fit its 32 bits");

/* The kind bits of the filter LFOs (on a filter that is on), the tremolo and the transient shaper. */
static uint32_t modulation_kind(const float *v, uint32_t k) {
    int lp = (k & OST_FILTER_LP) && (v[OST_PARAM_LPRATE] > 0.0f || v[OST_PARAM_LPSYNC] > 0.0f) && v[OST_PARAM_LPDEPTH] > 0.0f;
    int hp = (k & OST_FILTER_HP) && (v[OST_PARAM_HPRATE] > 0.0f || v[OST_PARAM_HPSYNC] > 0.0f) && v[OST_PARAM_HPDEPTH] > 0.0f;
    int bp = (k & OST_FILTER_BP) && (v[OST_PARAM_BPRATE] > 0.0f || v[OST_PARAM_BPSYNC] > 0.0f) && v[OST_PARAM_BPDEPTH] > 0.0f;
    int trem = (v[OST_PARAM_TREMOLO] > 0.0f || v[OST_PARAM_TREMOLOSYNC] > 0.0f) && v[OST_PARAM_TREMOLODEPTH] > 0.0f;
    int transient = v[OST_PARAM_TRANSIENT] != 0.0f || v[OST_PARAM_TRANSSUSTAIN] != 0.0f;
    /* the modulation envelope rides on the stage that moves its target */
    int target = v[OST_PARAM_ENVDEPTH] != 0.0f ? (int)v[OST_PARAM_ENVTARGET] : 0;
    hp |= target == 1 && (k & OST_FILTER_HP);
    bp |= target == 2 && (k & OST_FILTER_BP);
    trem |= (target == 4 && v[OST_PARAM_ENVDEPTH] > 0.0f) || target == 5; /* gain and pan ride on the tremolo's kind */
    return (lp || hp || bp ? OST_KIND_FLFO : 0u) | (trem ? OST_KIND_TREMOLO : 0u) | (transient ? OST_KIND_TRANSIENT : 0u);
}

/* The kind of a voice for an event (and, for samples, its data). */
static uint32_t kind_of(const ost_voices *p, const ost_note *e, const ost_sample_data *d) {
    const float *v = e->params;
    uint32_t sound = (uint32_t)(int)v[OST_PARAM_SOUND];
    uint32_t orbit = (uint32_t)v[OST_PARAM_ORBIT] % p->buses->count;
    uint32_t k = (v[OST_PARAM_CUTOFF] > 0.0f ? OST_FILTER_LP : 0) | (v[OST_PARAM_HCUTOFF] > 0.0f ? OST_FILTER_HP : 0) |
                 (v[OST_PARAM_BANDF] > 0.0f ? OST_FILTER_BP : 0);
    if (k & OST_FILTER_LP) {
        if (v[OST_PARAM_FTYPE] >= 1.5f) k |= OST_KIND_LP24;
        else if (v[OST_PARAM_FTYPE] >= 0.5f) k |= OST_KIND_LADDER;
        if (v[OST_PARAM_LPENV] != 0.0f) k |= OST_KIND_LPENV;
    }
    int drum = sound >= OST_SOUND_FIRST_DRUM && sound <= OST_SOUND_LAST_DRUM;
    int menv_pitch = (int)v[OST_PARAM_ENVTARGET] == 3 && v[OST_PARAM_ENVDEPTH] != 0.0f;
    if (!drum && (v[OST_PARAM_VIB] > 0.0f || v[OST_PARAM_PENV] != 0.0f || v[OST_PARAM_ACCELERATE] != 0.0f || menv_pitch))
        k |= OST_KIND_PITCH;
    if (!drum && sound != OST_SOUND_SAMPLE && v[OST_PARAM_FMI] > 0.0f && sound <= OST_SOUND_TRIANGLE) k |= OST_KIND_FM;
    if (!drum && sound == OST_SOUND_PULSE && v[OST_PARAM_FMI] > 0.0f) k |= OST_KIND_FM;
    if (v[OST_PARAM_VOWEL] >= 1.0f) k |= OST_KIND_VOWEL;
    if (v[OST_PARAM_COARSE] >= 2.0f) k |= OST_KIND_COARSE;
    if (v[OST_PARAM_CRUSH] > 0.0f) k |= OST_KIND_CRUSH;
    if (v[OST_PARAM_SHAPE] > 0.0f) k |= OST_KIND_SHAPE;
    if (v[OST_PARAM_DISTORT] > 0.0f) k |= OST_KIND_DISTORT;
    if (v[OST_PARAM_DELAY] > 0.0f || v[OST_PARAM_ROOM] > 0.0f || v[OST_PARAM_CHORUS] > 0.0f) k |= OST_KIND_SENDS;
    if (v[OST_PARAM_PHASERRATE] > 0.0f) k |= OST_KIND_PHASER;
    k |= modulation_kind(v, k);
    if (d && d->wt) k |= OST_KIND_WAVETABLE; /* mono, in memory: the bank's tables */
    else if (sound == OST_SOUND_SUPERSAW || (d && d->channels == 2)) k |= OST_KIND_STEREO;
    if (d && d->streamed) k |= OST_KIND_STREAM;
    if ((v[OST_PARAM_PARTIALS] >= 1.0f && sound <= OST_SOUND_TRIANGLE) || sound == OST_SOUND_USER) {
        sound = OST_SOUND_ADDITIVE; /* the listed harmonics, summed (chain.c); no FM on it */
        k &= ~(uint32_t)OST_KIND_FM;
    }
    if (!plain_sound(sound) || (k & ~(uint32_t)(OST_FILTER_COMBOS - 1))) k |= OST_KIND_CHAIN;
    return k | orbit << OST_KIND_ORBIT_SHIFT | sound << OST_KIND_SOUND_SHIFT;
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

/* The oldest lane, sounding (fading == 0) or fading (fading == 1). */
static ost_group *oldest(ost_voices *p, int fading, int *lane) {
    ost_group *victim = NULL;
    uint64_t best = UINT64_MAX;
    for (uint32_t i = 0; i < p->n_live; i++) {
        ost_group *g = &p->groups[p->live[i]];
        for (int l = 0; l < OST_LANES; l++)
            if ((g->active >> l & 1u) && g->fading[l] == fading && g->serial[l] < best) {
                best = g->serial[l];
                victim = g;
                *lane = l;
            }
    }
    return victim;
}

/* Makes room for one more sounding voice: the oldest sounding one fades
   out (it keeps its lane while it does). Too many fading at once: the
   oldest fading one stops dead. */
static void steal(ost_voices *p) {
    int l = -1;
    ost_group *g = oldest(p, 0, &l);
    if (!g) return;
    p->stolen++;
    if (p->fading_voices >= p->max_fading) {
        int fl = -1;
        ost_group *f = oldest(p, 1, &fl);
        if (f) lane_free(p, f, fl);
    }
    lane_fade(p, g, l, (uint32_t)(STEAL_FADE_S * p->rate) + 1);
    prune(p);
}

/* A new voice in cut group `cut` stops the group's others, with a fade
   short enough to be silent within a millisecond. */
static void cut_group(ost_voices *p, uint32_t cut) {
    uint32_t fade = (uint32_t)(CUT_FADE_S * p->rate) + 1;
    for (uint32_t i = 0; i < p->n_live; i++) {
        ost_group *g = &p->groups[p->live[i]];
        for (int l = 0; l < OST_LANES; l++)
            if ((g->active >> l & 1u) && g->cut[l] == cut && !g->fading[l]) lane_fade(p, g, l, fade);
    }
    prune(p);
}

static ost_group_render_fn render_for(uint32_t kind);

static ost_group *group_for(ost_voices *p, uint32_t kind, uint32_t order) {
    for (uint32_t i = 0; i < p->n_live; i++) {
        ost_group *g = &p->groups[p->live[i]];
        if (g->kind == kind && g->order == order && g->active != FULL_MASK) return g;
    }
    if (p->n_spare == 0) return NULL;
    uint32_t gi = p->spare[--p->n_spare];
    p->live[p->n_live++] = gi;
    ost_group *g = &p->groups[gi];
    g->kind = kind;
    g->orbit = (kind >> OST_KIND_ORBIT_SHIFT) & 31u;
    g->render = render_for(kind); /* chosen once for the group's life */
    g->chain = (kind & OST_KIND_CHAIN) ? &p->chains[gi] : NULL;
    g->order = order;
    if (g->chain) ost_chain_setup(g->chain, kind, order); /* the chain's stages too */
    return g;
}

/* --------------------------------------------------------------- control */

ost_result ost_voices_init(ost_voices *p, uint32_t max_voices, float rate, uint64_t seed, ost_buses *buses,
                           ost_samples *samples, ost_streams *streams) {
    if (!p || max_voices == 0 || !(rate > 0.0f)) return OST_INVALID_ARGS;
    memset(p, 0, sizeof *p);
    p->wt = ost_wavetables_get();
    if (!p->wt) return OST_OUT_OF_MEMORY;
    p->max_fading = max_voices / 4 + 8;
    /* worst case: every voice, fading ones too, alone in its group */
    p->n_groups = max_voices + p->max_fading;
    /* aligned_alloc wants a whole number of alignments */
    p->groups = aligned_alloc(64, ((size_t)p->n_groups * sizeof(ost_group) + 63) / 64 * 64);
    p->chains = aligned_alloc(64, ((size_t)p->n_groups * sizeof(ost_chain) + 63) / 64 * 64);
    p->live = calloc(p->n_groups, sizeof *p->live);
    p->spare = calloc(p->n_groups, sizeof *p->spare);
    p->scratch_l = aligned_alloc(64, OST_MIX_BLOCK * sizeof(ost_vf));
    p->scratch_r = aligned_alloc(64, OST_MIX_BLOCK * sizeof(ost_vf));
    if (!p->groups || !p->chains || !p->live || !p->spare || !p->scratch_l || !p->scratch_r) {
        ost_voices_free(p);
        return OST_OUT_OF_MEMORY;
    }
    memset(p->groups, 0, (size_t)p->n_groups * sizeof(ost_group));
    memset(p->chains, 0, (size_t)p->n_groups * sizeof(ost_chain)); /* touched: no page faults later */
    memset(p->scratch_l, 0, OST_MIX_BLOCK * sizeof(ost_vf));
    memset(p->scratch_r, 0, OST_MIX_BLOCK * sizeof(ost_vf));
    for (uint32_t i = 0; i < p->n_groups; i++) {
        for (int l = 0; l < OST_LANES; l++) lane_clear(&p->groups[i], l);
        p->spare[i] = p->n_groups - 1 - i;
    }
    p->n_spare = p->n_groups;
    p->max_voices = max_voices;
    p->rate = rate;
    p->seed = seed;
    p->buses = buses;
    p->samples = samples;
    p->streams = streams;
    return OST_OK;
}

void ost_voices_free(ost_voices *p) {
    if (!p) return;
    free(p->groups);
    free(p->chains);
    free(p->live);
    free(p->spare);
    free(p->scratch_l);
    free(p->scratch_r);
    p->groups = NULL;
    p->chains = NULL;
    p->live = p->spare = NULL;
    p->scratch_l = p->scratch_r = NULL;
}

/* Plain kinds: the oscillator, filters and gains straight into the group. */
static void plain_start(ost_voices *p, ost_group *g, int l, const float *v) {
    float rate = p->rate;
    float dt = v[OST_PARAM_FREQ] / rate;
    if (!(dt >= 1e-7f)) dt = 1e-7f; /* 0 Hz: a held value, not a division by zero */
    if (dt > 0.45f) dt = 0.45f;     /* below Nyquist, where the BLEP works */
    g->dt[l] = dt;
    uint32_t sound = g->kind >> OST_KIND_SOUND_SHIFT;
    if (sound == OST_SOUND_SAWTOOTH || sound == OST_SOUND_SQUARE || sound == OST_SOUND_TRIANGLE) {
        int wave = sound == OST_SOUND_SAWTOOTH ? OST_WT_SAW : sound == OST_SOUND_SQUARE ? OST_WT_SQUARE : OST_WT_TRIANGLE;
        ost_wt_pick(p->wt, wave, dt, &g->wt_off[l], &g->wt_len[l]);
    }
    if (g->kind & OST_FILTER_LP) {
        ost_svf_coefs c = ost_svf_design(v[OST_PARAM_CUTOFF], v[OST_PARAM_RESONANCE], rate);
        g->lp_a1[l] = c.a1, g->lp_a2[l] = c.a2, g->lp_a3[l] = c.a3;
    }
    if (g->kind & OST_FILTER_HP) {
        ost_svf_coefs c = ost_svf_design(v[OST_PARAM_HCUTOFF], v[OST_PARAM_HRESONANCE], rate);
        g->hp_a1[l] = c.a1, g->hp_a2[l] = c.a2, g->hp_a3[l] = c.a3, g->hp_k[l] = c.k;
    }
    if (g->kind & OST_FILTER_BP) {
        ost_svf_coefs c = ost_svf_design(v[OST_PARAM_BANDF], v[OST_PARAM_BANDQ], rate);
        g->bp_a1[l] = c.a1, g->bp_a2[l] = c.a2, g->bp_a3[l] = c.a3, g->bp_k[l] = c.k;
    }
    /* postgain and dry are linear here (no effect between them): folded in */
    float amp = v[OST_PARAM_GAIN] * v[OST_PARAM_VELOCITY] * v[OST_PARAM_POSTGAIN] * v[OST_PARAM_DRY] *
                ost_voice_level((uint32_t)(int)v[OST_PARAM_SOUND]);
    /* equal power: cos and sin of pan * pi/2, both written as sines so the
       hard-panned side is exactly 0 (cosf of a rounded pi/2 is not) */
    float pan = v[OST_PARAM_PAN];
    g->gain_l[l] = amp * sinf((1.0f - pan) * (float)(M_PI / 2));
    g->gain_r[l] = amp * sinf(pan * (float)(M_PI / 2));
}

int ost_voices_start(ost_voices *p, const ost_note *e, uint32_t offset) {
    (void)offset;
    const float *v = e->params;
    int sound = (int)v[OST_PARAM_SOUND];
    if (sound < 0) return 0;
    ost_sample_data *d = NULL;
    if (sound == OST_SOUND_SAMPLE) {
        d = ost_samples_get_rt(p->samples, (int32_t)v[OST_PARAM_SAMPLE]);
        if (!d) {
            p->not_ready++;
            return -1;
        }
        if (d->streamed && e->reserved == 0) {
            p->streams_unavailable++;
            return -1;
        }
    }
    uint32_t cut = (uint32_t)v[OST_PARAM_CUT];
    if (cut) cut_group(p, cut);
    if (p->active_voices - p->fading_voices >= p->max_voices) steal(p);
    uint32_t kind = kind_of(p, e, d);
    uint32_t order = (kind & OST_KIND_CHAIN) ? ost_chain_order(kind, (uint32_t)v[OST_PARAM_FXORDER]) : 0u; /* sanitised: 0..2^24-1 */
    ost_group *g = group_for(p, kind, order);
    if (!g) { /* every group holds fading voices: stop the oldest fading one */
        int fl = -1;
        ost_group *f = oldest(p, 1, &fl);
        if (f) lane_free(p, f, fl);
        prune(p);
        g = group_for(p, kind, order);
        if (!g) return 0;
    }
    int l = __builtin_ctz(~g->active & FULL_MASK);
    lane_clear(g, l);
    g->active |= 1u << l;
    p->active_voices++;
    g->serial[l] = ++p->next_serial;
    g->noise[l] = ost_noise_seed(p->seed, g->serial[l]);
    g->slot[l] = e->slot;
    g->cut[l] = cut;
    if (g->chain) {
        if (!ost_chain_start(p, g, l, e)) { /* cannot happen: readiness was checked above */
            lane_free(p, g, l);
            if (!g->active) prune(p);
            return -1;
        }
    } else {
        plain_start(p, g, l, v);
    }
    float rate = p->rate;
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
            if (g->segment[l] == OST_ENV_TAIL) continue;
            if (g->segment[l] == OST_ENV_RELEASE && g->seg_left[l] <= fade_frames) continue;
            g->off_left[l] = UINT32_MAX;
            lane_apply(g, l, ost_env_fade(g->env[l], fade_frames));
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
        if (g->life_left[l] < n) n = g->life_left[l];
    }
    return n;
}

static void group_advance(ost_voices *p, ost_group *g, uint32_t n) {
    for (int l = 0; l < OST_LANES; l++) {
        if (!(g->active >> l & 1u)) continue;
        int due = g->finished[l];
        if (g->seg_left[l] != UINT32_MAX) due |= (g->seg_left[l] -= n) == 0;
        if (g->off_left[l] != UINT32_MAX) due |= (g->off_left[l] -= n) == 0;
        if (g->life_left[l] != UINT32_MAX) due |= (g->life_left[l] -= n) == 0;
        if (due) lane_settle(p, g, l);
    }
}

/* The sample loop of a plain kind: state in locals, one loop, state stored
   back. `src` and `filters` are compile-time constants in every instance,
   so the branches on them disappear. */
OST_INLINE void run_lanes(const float *pool, ost_group *g, ost_vf *restrict al, ost_vf *restrict ar, uint32_t n,
                          const int src, const int filters) {
    ost_vf phase = g->phase, dt = g->dt, wlen = g->wt_len;
    ost_vi woff = g->wt_off;
    ost_vf lp1 = g->lp_ic1, lp2 = g->lp_ic2, la1 = g->lp_a1, la2 = g->lp_a2, la3 = g->lp_a3;
    ost_vf hp1 = g->hp_ic1, hp2 = g->hp_ic2, ha1 = g->hp_a1, ha2 = g->hp_a2, ha3 = g->hp_a3, hk = g->hp_k;
    ost_vf bp1 = g->bp_ic1, bp2 = g->bp_ic2, ba1 = g->bp_a1, ba2 = g->bp_a2, ba3 = g->bp_a3, bk = g->bp_k;
    ost_vu noise = g->noise;
    ost_vf n0 = g->n0, n1 = g->n1, n2 = g->n2;
    ost_vf env = g->env, step = g->env_step, ea = g->env_a, eb = g->env_b, gl = g->gain_l, gr = g->gain_r;
    for (uint32_t i = 0; i < n; i++) {
        ost_vf x, band, low;
        switch (src) {
        case OST_SOUND_SINE: phase = ost_osc_advance(phase, dt); x = ost_osc_sine(phase); break;
        case OST_SOUND_SAWTOOTH:
        case OST_SOUND_SQUARE:
        case OST_SOUND_TRIANGLE: phase = ost_osc_advance(phase, dt); x = ost_wt_read(pool, phase, woff, wlen); break;
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
        step += ea * env + eb; /* 0 on linear segments: exactly a constant step */
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
    g->env_step = step;
}

OST_INLINE void render_plain(ost_voices *p, ost_group *g, uint32_t offset, uint32_t n, const int src, const int filters) {
    ost_vf *al = ost_buses_acquire(p->buses, g->orbit, OST_BUS_DRY_L) + offset;
    ost_vf *ar = ost_buses_acquire(p->buses, g->orbit, OST_BUS_DRY_R) + offset;
    uint32_t done = 0;
    while (done < n && g->active) {
        uint32_t span = group_span(g, n - done);
        run_lanes(p->wt->pool, g, al + done, ar + done, span, src, filters);
        group_advance(p, g, span);
        done += span;
    }
}

static void render_chain(ost_voices *p, ost_group *g, uint32_t offset, uint32_t n) {
    uint32_t done = 0;
    while (done < n && g->active) {
        uint32_t span = group_span(g, n - done);
        ost_chain_render(p, g, offset + done, span);
        group_advance(p, g, span);
        done += span;
    }
}

#define OST_RENDER_FN(src, f)                                                                   \
    static void render_##src##_##f(ost_voices *p, ost_group *g, uint32_t offset, uint32_t n) { \
        render_plain(p, g, offset, n, OST_SOUND_##src, f);                                      \
    }
#define OST_RENDER_ROW(src)                                                                     \
    OST_RENDER_FN(src, 0) OST_RENDER_FN(src, 1) OST_RENDER_FN(src, 2) OST_RENDER_FN(src, 3)    \
    OST_RENDER_FN(src, 4) OST_RENDER_FN(src, 5) OST_RENDER_FN(src, 6) OST_RENDER_FN(src, 7)
OST_RENDER_ROW(SINE)
OST_RENDER_ROW(SAWTOOTH)
OST_RENDER_ROW(SQUARE)
OST_RENDER_ROW(TRIANGLE)
OST_RENDER_ROW(WHITE)
OST_RENDER_ROW(PINK)
OST_RENDER_ROW(BROWN)

#define OST_RENDER_ENTRIES(src)                                                                 \
    render_##src##_0, render_##src##_1, render_##src##_2, render_##src##_3, render_##src##_4,   \
        render_##src##_5, render_##src##_6, render_##src##_7,
static const ost_group_render_fn plain_table[OST_PLAIN_KINDS] = {
    OST_RENDER_ENTRIES(SINE) OST_RENDER_ENTRIES(SAWTOOTH) OST_RENDER_ENTRIES(SQUARE) OST_RENDER_ENTRIES(TRIANGLE)
        OST_RENDER_ENTRIES(WHITE) OST_RENDER_ENTRIES(PINK) OST_RENDER_ENTRIES(BROWN)};
_Static_assert(OST_SOUND_BROWN + 1 == OST_SOUND_SUPERSAW, "the plain sounds come first in the table");

static ost_group_render_fn render_for(uint32_t kind) {
    if (kind & OST_KIND_CHAIN) return render_chain;
    uint32_t sound = kind >> OST_KIND_SOUND_SHIFT;
    return plain_table[(sound * OST_FILTER_COMBOS + (kind & (OST_FILTER_COMBOS - 1))) % OST_PLAIN_KINDS];
}

/* A lane whose state went NaN or infinite (it should not, with sanitised
   parameters) is silenced and counted rather than poisoning the mix. */
static void reset_non_finite(ost_voices *p, ost_group *g) {
    ost_vf big = ost_vf_set(1e18f);
    /* (|x| < big) is false for NaN too; ~ turns "all fine" into "bad" */
    ost_vi ok = (ost_vf_abs(g->lp_ic1) < big) & (ost_vf_abs(g->lp_ic2) < big) & (ost_vf_abs(g->hp_ic1) < big) &
                (ost_vf_abs(g->hp_ic2) < big) & (ost_vf_abs(g->bp_ic1) < big) & (ost_vf_abs(g->bp_ic2) < big) &
                (ost_vf_abs(g->n0) < big) & (ost_vf_abs(g->env) < big);
    if (g->chain) ok &= ost_chain_finite(g->chain);
    ost_vi bad = ~ok;
    for (int l = 0; l < OST_LANES; l++)
        if (bad[l] && (g->active >> l & 1u)) {
            lane_free(p, g, l);
            p->reset++;
        }
}

void ost_voices_render(ost_voices *p, uint32_t offset, uint32_t frames) {
    int emptied = 0;
    for (uint32_t i = 0; i < p->n_live; i++) {
        ost_group *g = &p->groups[p->live[i]];
        g->render(p, g, offset, frames);
        reset_non_finite(p, g);
        emptied |= !g->active;
    }
    if (emptied) prune(p);
}
