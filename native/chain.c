/*
 * chain.c — the stage chain (see chain.h): sources, control-rate
 * modulation, filters and effects of voices beyond the plain loops.
 * Real-time code: no allocation, no locks, no I/O.
 */
#include "chain.h"

#include <math.h>
#include <string.h>

#include "filter.h"
#include "noise.h"
#include "osc.h"
#include "transient.h"
#include "tremolo.h"

#define C2_HZ 65.406395f /* the pitch at which samples and drums play as recorded */

/* ================================================================ helpers */

/* The TPT state-variable coefficients for per-lane cutoffs and Qs. */
static inline void svf_coefs(ost_vf fc, ost_vf q, float rate, ost_vf *a1, ost_vf *a2, ost_vf *a3, ost_vf *k) {
    fc = ost_vf_clamp(fc, ost_vf_set(10.0f), ost_vf_set(0.45f * rate));
    q = ost_vf_clamp(q, ost_vf_set(0.1f), ost_vf_set(100.0f));
    ost_vf g = ost_vf_tan(fc * (float)(M_PI / rate));
    ost_vf kk = 1.0f / q;
    *a1 = 1.0f / (1.0f + g * (g + kk));
    *a2 = g * *a1;
    *a3 = g * *a2;
    if (k) *k = kk;
}

/* Ladder feedback for a Q. With the passband made up (x (1 + k)), the
   ladder's gain at its cutoff is (1 + k) / (4 - k); k = (4q - 1) / (q + 1)
   makes that q, the 12 dB and 24 dB filters' gain at theirs, so a
   resonance means the same peak whatever the filter type. 0 below q 0.25;
   self-oscillation (k = 4) is approached, never reached. */
static inline float ladder_k(float q) {
    float k = (4.0f * q - 1.0f) / (q + 1.0f);
    return k < 0.0f ? 0.0f : (k > 3.98f ? 3.98f : k);
}

static inline ost_vf vf_floor(ost_vf x) {
    ost_vf t = __builtin_convertvector(__builtin_convertvector(x, ost_vi), ost_vf);
    return t - ost_vf_and(t > x, ost_vf_set(1.0f));
}

static uint32_t frames_of(float seconds, float rate) { return ost_env_frames(seconds, rate); }

/* ------------------------------------------------- control-rate envelopes */

static void ctl_env_start(ost_ctl_env *e, float a, float d, float s, float r, float rate) {
    e->attack = frames_of(a, rate);
    e->decay = frames_of(d, rate);
    e->release = frames_of(r, rate);
    e->sustain = s;
    if (e->attack) {
        e->segment = OST_ENV_ATTACK, e->level = 0.0f, e->left = e->attack, e->step = 1.0f / (float)e->attack;
    } else if (e->decay) {
        e->segment = OST_ENV_DECAY, e->level = 1.0f, e->left = e->decay, e->step = (s - 1.0f) / (float)e->decay;
    } else {
        e->segment = OST_ENV_SUSTAIN, e->level = s, e->left = UINT32_MAX, e->step = 0.0f;
    }
}

/* Advances by n frames; segment changes land on the chunk's end. */
static float ctl_env_advance(ost_ctl_env *e, uint32_t n) {
    if (e->segment == OST_ENV_SUSTAIN || e->segment == OST_ENV_IDLE) return e->level;
    if (e->left > n) {
        e->left -= n;
        e->level += e->step * (float)n;
        return e->level;
    }
    switch (e->segment) {
    case OST_ENV_ATTACK:
        if (e->decay) {
            e->segment = OST_ENV_DECAY, e->level = 1.0f, e->left = e->decay;
            e->step = (e->sustain - 1.0f) / (float)e->decay;
        } else {
            e->segment = OST_ENV_SUSTAIN, e->level = e->sustain, e->step = 0.0f, e->left = UINT32_MAX;
        }
        break;
    case OST_ENV_DECAY:
        e->segment = OST_ENV_SUSTAIN, e->level = e->sustain, e->step = 0.0f, e->left = UINT32_MAX;
        break;
    default: /* release over */
        e->segment = OST_ENV_IDLE, e->level = 0.0f, e->step = 0.0f, e->left = UINT32_MAX;
        break;
    }
    return e->level;
}

static void ctl_env_release(ost_ctl_env *e) {
    if (e->segment == OST_ENV_IDLE || e->segment == OST_ENV_RELEASE) return;
    if (e->release == 0 || !(e->level > 0.0f)) {
        e->segment = OST_ENV_IDLE, e->level = 0.0f, e->step = 0.0f, e->left = UINT32_MAX;
        return;
    }
    e->segment = OST_ENV_RELEASE, e->left = e->release, e->step = -e->level / (float)e->release;
}

/* ============================================================== control */

static void additive_limit(ost_chain_lanes *cv, int l, float dt);
static void pan_gains(float pan, int stereo, float *gl, float *gr);
static void warp_pick(const ost_wavetables *w, const ost_wt_bank *b, ost_chain *c, int l, float dt, float *length);

/* The table a lane's oscillator reads for increments up to `dt` (FM and
   the supersaw's highest voice reach above the lane's own). */
static void pick_table(ost_voices *p, ost_group *g, ost_chain *c, int l, float dt) {
    uint32_t sound = g->kind >> OST_KIND_SOUND_SHIFT;
    int wave;
    if (g->kind & OST_KIND_WAVETABLE) {
        const ost_sample_data *d = c->smp[l].data;
        if (d && d->wt && c->v.wp_a[l] > 0.0f) {
            warp_pick(p->wt, d->wt, c, l, fminf(dt, 0.45f), &g->wt_len[l]);
        } else if (d && d->wt) {
            c->v.wp_amt[l] = 0.0f; /* the warp went to 0 */
            c->wt_base[l] = ost_wt_bank_pick(p->wt, d->wt, c->wt_frame[l], fminf(dt, 0.45f), &g->wt_len[l]);
        }
        return;
    }
    switch (sound) {
    case OST_SOUND_SAWTOOTH: case OST_SOUND_PULSE: case OST_SOUND_SUPERSAW: wave = OST_WT_SAW; break;
    case OST_SOUND_SQUARE: wave = OST_WT_SQUARE; break;
    case OST_SOUND_TRIANGLE: wave = OST_WT_TRIANGLE; break;
    default: return;
    }
    ost_chain_lanes *v = &c->v;
    if (g->kind & OST_KIND_FM) dt *= 1.0f + fabsf(v->fm_i[l] * v->fm_level[l] * v->fm_h[l]);
    if (sound == OST_SOUND_SUPERSAW) {
        float top = 1.0f;
        for (int k = 0; k < OST_UNISON_MAX; k++) top = fmaxf(top, v->ss_ratio[k][l]);
        dt *= top;
    }
    ost_wt_pick(p->wt, wave, fminf(dt, 0.45f), &g->wt_off[l], &g->wt_len[l]);
}

/* The filter LFOs' cutoff factors at the chunk's start, 2^(depth x (wave +
   dc)) per lane (1 where a filter has no LFO); their phases advance by the
   chunk. */
static void filter_lfos(const ost_group *g, ost_chain_lanes *v, uint32_t n, ost_vf *out) {
    for (int f = 0; f < 3; f++) {
        for (int l = 0; l < OST_LANES; l++) {
            if (!(g->active >> l & 1u) || v->flfo_inc[f][l] == 0.0f) continue;
            float w = ost_lfo_value(v->flfo_ph[f][l], (int)v->flfo_shape[f][l], v->flfo_skew[f][l]);
            out[f][l] = exp2f(v->flfo_depth[f][l] * (w + v->flfo_dc[f][l]));
            v->flfo_ph[f][l] += v->flfo_inc[f][l] * (float)n;
            v->flfo_ph[f][l] -= floorf(v->flfo_ph[f][l]);
        }
    }
}

static void wavetable_modulate(ost_group *g, ost_chain *c, uint32_t n);

/* Every OST_CTL_FRAMES: pitch (vibrato, pitch envelope, accelerate, FM
   envelope) and the lowpass envelope. Runs once per chunk, so branches on
   the kind here cost nothing per sample. */
static void control_update(ost_voices *p, ost_group *g, ost_chain *c, uint32_t n) {
    ost_chain_lanes *v = &c->v;
    uint32_t kind = g->kind;
    uint32_t sound = kind >> OST_KIND_SOUND_SHIFT;
    int sampler = sound == OST_SOUND_SAMPLE && !(kind & OST_KIND_WAVETABLE); /* a wavetable moves as an oscillator */
    if (kind & OST_KIND_WAVETABLE) wavetable_modulate(g, c, n); /* first: the pitch's table pick below reads its cycle */
    float me[OST_LANES] = {0};
    for (int l = 0; l < OST_LANES; l++) {
        if (!(g->active >> l & 1u)) continue;
        me[l] = ctl_env_advance(&c->menv[l], n);
        if (kind & OST_KIND_TREMOLO) { /* the gain and pan targets: ramps to their new values over the chunk */
            float to = 1.0f - v->menv_gain[l] + v->menv_gain[l] * me[l];
            v->menv_gstep[l] = (to - v->menv_g[l]) / (float)n;
            float pan = v->pan_base[l] + v->menv_pan[l] * me[l], gl, gr;
            pan_gains(pan < 0.0f ? 0.0f : (pan > 1.0f ? 1.0f : pan), (kind & OST_KIND_STEREO) != 0, &gl, &gr);
            v->pan_sl[l] = (gl - v->pan_gl[l]) / (float)n;
            v->pan_sr[l] = (gr - v->pan_gr[l]) / (float)n;
        }
        if (kind & (OST_KIND_PITCH | OST_KIND_FM)) {
            float pe = ctl_env_advance(&c->penv[l], n);
            float vib = v->vib_depth[l] != 0.0f ? v->vib_depth[l] * sinf(2.0f * (float)M_PI * v->vib_phase[l]) : 0.0f;
            v->vib_phase[l] += v->vib_inc[l] * (float)n;
            v->vib_phase[l] -= floorf(v->vib_phase[l]);
            v->t[l] += (float)n;
            float acc = 1.0f + v->accel[l] * v->t[l];
            if (acc < 0.01f) acc = 0.01f;
            float target = v->base_dt[l] * exp2f((v->penv_depth[l] * pe + v->menv_pitch[l] * me[l] + vib) * (1.0f / 12.0f)) * acc;
            if (sampler) {
                g->dt[l] = target > 64.0f ? 64.0f : target;
                v->dt_step[l] = 0.0f;
            } else {
                target = target < 1e-7f ? 1e-7f : (target > 0.45f ? 0.45f : target);
                v->dt_step[l] = (target - g->dt[l]) / (float)n;
            }
            v->fm_level[l] = ctl_env_advance(&c->fmenv[l], n);
            if (!sampler) pick_table(p, g, c, l, fmaxf(g->dt[l], target));
            if (sound == OST_SOUND_ADDITIVE) additive_limit(v, l, fmaxf(g->dt[l], target));
        }
        if (kind & OST_KIND_LPENV) v->lpenv_level[l] = ctl_env_advance(&c->lpenv[l], n);
    }
    if (kind & OST_KIND_WAVETABLE) {
        for (int l = 0; l < OST_LANES; l++)
            if ((g->active >> l & 1u) && !(kind & (OST_KIND_PITCH | OST_KIND_FM))) pick_table(p, g, c, l, g->dt[l]); /* the cycle may have moved */
    }
    ost_vf lfo[3] = {ost_vf_set(1.0f), ost_vf_set(1.0f), ost_vf_set(1.0f)};
    if (kind & OST_KIND_FLFO) {
        filter_lfos(g, v, n, lfo);
        for (int l = 0; l < OST_LANES; l++) {
            lfo[OST_FLFO_HP][l] *= exp2f(v->menv_hp[l] * me[l]);
            lfo[OST_FLFO_BP][l] *= exp2f(v->menv_bp[l] * me[l]);
        }
    }
    if ((kind & OST_KIND_FLFO) && (kind & OST_FILTER_HP))
        svf_coefs(v->hp_cut * lfo[OST_FLFO_HP], v->hp_q, p->rate, &v->hp_a1, &v->hp_a2, &v->hp_a3, &v->hp_k);
    if ((kind & OST_KIND_FLFO) && (kind & OST_FILTER_BP))
        svf_coefs(v->bp_cut * lfo[OST_FLFO_BP], v->bp_q, p->rate, &v->bp_a1, &v->bp_a2, &v->bp_a3, &v->bp_k);
    if ((kind & OST_KIND_LPENV) || ((kind & OST_KIND_FLFO) && (kind & OST_FILTER_LP))) {
        ost_vf cut = v->lp_cut * lfo[OST_FLFO_LP];
        if (kind & OST_KIND_LPENV)
            for (int l = 0; l < OST_LANES; l++) cut[l] *= exp2f(v->lp_depth[l] * v->lpenv_level[l]);
        float rate = p->rate;
        if (kind & OST_KIND_LADDER) {
            cut = ost_vf_clamp(cut, ost_vf_set(10.0f), ost_vf_set(0.45f * rate));
            ost_vf gg = ost_vf_tan(cut * (float)(M_PI / rate));
            v->lad_g = gg / (1.0f + gg);
        } else if (kind & OST_KIND_LP24) {
            svf_coefs(cut, ost_vf_set(0.5412f), rate, &v->lp_a1, &v->lp_a2, &v->lp_a3, NULL);
            svf_coefs(cut, v->lp_q * (1.3066f / 0.70710678f), rate, &v->lp2_a1, &v->lp2_a2, &v->lp2_a3, NULL);
        } else {
            svf_coefs(cut, v->lp_q, rate, &v->lp_a1, &v->lp_a2, &v->lp_a3, NULL);
        }
    }
}

/* ================================================================ sources */

enum { MODE_PLAIN, MODE_RAMP, MODE_FM };

/* Oscillators: `wave` and `mode` are constants in every instance. The
   sawtooth, square and triangle read their band-limited tables (the lane's
   table was picked for the highest increment the chunk reaches); the pulse
   is the difference of two sawtooth reads pw apart (DC-free, any width). */
OST_INLINE void osc_loop(const float *pool, ost_group *g, ost_chain *c, ost_vf *out, uint32_t n, const int wave,
                         const int mode) {
    ost_chain_lanes *v = &c->v;
    ost_vf phase = g->phase, dt = g->dt, step = v->dt_step, pw = v->pw, wlen = g->wt_len;
    ost_vi woff = g->wt_off;
    ost_vf fph = v->fm_phase, fh = v->fm_h, famt = v->fm_i * v->fm_level * v->fm_h;
    ost_vf fw_sine = v->fm_w[0], fw_tri = v->fm_w[1], fw_square = v->fm_w[2], fw_saw = v->fm_w[3];
    for (uint32_t i = 0; i < n; i++) {
        ost_vf inc;
        if (mode != MODE_PLAIN) dt += step;
        if (mode == MODE_FM) {
            /* the modulator's wave (fmwave): one of four by per-lane weights */
            ost_vf m = fw_sine * ost_osc_sine(fph) + fw_tri * (1.0f - 4.0f * ost_vf_abs(fph - 0.5f)) +
                       fw_square * ost_vf_select(fph < 0.5f, ost_vf_set(1.0f), ost_vf_set(-1.0f)) +
                       fw_saw * (2.0f * fph - 1.0f);
            fph += dt * fh;
            fph -= vf_floor(fph);
            inc = dt * (1.0f + famt * m);
        } else {
            inc = dt;
        }
        ost_vf x;
        if (wave == OST_SOUND_SINE) {
            phase += inc; /* FM may run it backwards: wrap both ways */
            phase -= vf_floor(phase);
            x = ost_osc_sine(phase);
        } else {
            if (mode != MODE_PLAIN) inc = ost_vf_clamp(inc, ost_vf_set(1e-7f), ost_vf_set(0.45f));
            phase = ost_osc_advance(phase, inc);
            if (wave == OST_SOUND_PULSE) { /* saw(t - pw) - saw(t): +1 - (2 pw - 1) until pw, then -1 - (2 pw - 1) */
                ost_vf t2 = phase - pw;
                t2 += ost_vf_and(t2 < 0.0f, ost_vf_set(1.0f));
                t2 = ost_vf_min(t2, ost_vf_set(0.99999994f)); /* -tiny + 1 rounds to 1 */
                x = ost_wt_read(pool, t2, woff, wlen) - ost_wt_read(pool, phase, woff, wlen);
            } else {
                x = ost_wt_read(pool, phase, woff, wlen);
            }
        }
        out[i] = x;
    }
    g->phase = phase;
    g->dt = dt;
    v->fm_phase = fph;
}

#define OSC_SOURCES(W, name)                                                                                     \
    static void src_##name##_plain(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) { \
        (void)r;                                                                                                  \
        osc_loop(p->wt->pool, g, c, l, n, W, MODE_PLAIN);                                                                      \
    }                                                                                                             \
    static void src_##name##_ramp(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {  \
        (void)r;                                                                                                  \
        osc_loop(p->wt->pool, g, c, l, n, W, MODE_RAMP);                                                                       \
    }                                                                                                             \
    static void src_##name##_fm(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {    \
        (void)r;                                                                                                  \
        osc_loop(p->wt->pool, g, c, l, n, W, MODE_FM);                                                                         \
    }
OSC_SOURCES(OST_SOUND_SINE, sine)
OSC_SOURCES(OST_SOUND_SAWTOOTH, saw)
OSC_SOURCES(OST_SOUND_SQUARE, square)
OSC_SOURCES(OST_SOUND_TRIANGLE, triangle)
OSC_SOURCES(OST_SOUND_PULSE, pulse)

OST_INLINE void noise_loop(ost_group *g, ost_vf *out, uint32_t n, const int colour) {
    ost_vu noise = g->noise;
    ost_vf n0 = g->n0, n1 = g->n1, n2 = g->n2;
    for (uint32_t i = 0; i < n; i++) {
        if (colour == OST_SOUND_WHITE) out[i] = ost_noise_white(&noise);
        else if (colour == OST_SOUND_PINK) out[i] = ost_noise_pink(&noise, &n0, &n1, &n2);
        else out[i] = ost_noise_brown(&noise, &n0);
    }
    g->noise = noise;
    g->n0 = n0, g->n1 = n1, g->n2 = n2;
}
static void src_white(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    (void)p, (void)c, (void)r;
    noise_loop(g, l, n, OST_SOUND_WHITE);
}
static void src_pink(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    (void)p, (void)c, (void)r;
    noise_loop(g, l, n, OST_SOUND_PINK);
}
static void src_brown(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    (void)p, (void)c, (void)r;
    noise_loop(g, l, n, OST_SOUND_BROWN);
}

/* Supersaw: OST_UNISON_MAX band-limited saws per voice (unused ones at gain
   0), detuned around the pitch and spread across the stereo field. */
OST_INLINE void supersaw_loop(const float *pool, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n,
                              const int ramp) {
    ost_chain_lanes *v = &c->v;
    ost_vf dt = g->dt, step = v->dt_step, wlen = g->wt_len;
    ost_vi woff = g->wt_off; /* picked for the highest unison voice */
    for (uint32_t i = 0; i < n; i++) {
        if (ramp) dt += step;
        ost_vf xl = {0}, xr = {0};
        for (int k = 0; k < OST_UNISON_MAX; k++) {
            ost_vf d = ost_vf_clamp(dt * v->ss_ratio[k], ost_vf_set(1e-7f), ost_vf_set(0.45f));
            v->ss_phase[k] = ost_osc_advance(v->ss_phase[k], d);
            ost_vf s = ost_wt_read(pool, v->ss_phase[k], woff, wlen);
            xl += s * v->ss_gl[k];
            xr += s * v->ss_gr[k];
        }
        l[i] = xl;
        r[i] = xr;
    }
    g->dt = dt;
}
static void src_supersaw_plain(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    supersaw_loop(p->wt->pool, g, c, l, r, n, 0);
}
static void src_supersaw_ramp(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    supersaw_loop(p->wt->pool, g, c, l, r, n, 1);
}

/* --------------------------------------------------------------- drums */

OST_INLINE void drum_loop(ost_group *g, ost_chain *c, ost_vf *out, uint32_t n, const uint32_t parts) {
    ost_chain_lanes *v = &c->v;
    ost_vf ph1 = v->dr_ph1, ph2 = v->dr_ph2, sweep = v->dr_sweep, t1 = v->dr_t1, t2 = v->dr_t2;
    ost_vf m = v->dr_m, ma = v->dr_ma, nn = v->dr_n, na = v->dr_na, cl = v->dr_c;
    ost_vf bt = v->dr_bt, bleft = v->dr_bleft;
    ost_vf f1s1 = v->dr_f1s1, f1s2 = v->dr_f1s2, f2s1 = v->dr_f2s1, f2s2 = v->dr_f2s2;
    ost_vu noise = g->noise;
    for (uint32_t i = 0; i < n; i++) {
        ost_vf y = {0};
        if (parts & OST_DRUM_TONE) {
            ost_vf f = 1.0f + sweep;
            sweep *= v->dr_kp;
            ph1 = ost_osc_advance(ph1, ost_vf_min(v->dr_dt1 * f, ost_vf_set(0.45f)));
            ost_vf tone = t1 * ost_osc_sine(ph1);
            t1 *= v->dr_kt1;
            if (parts & OST_DRUM_TONE2) {
                ph2 = ost_osc_advance(ph2, ost_vf_min(v->dr_dt2 * f, ost_vf_set(0.45f)));
                tone += t2 * ost_osc_sine(ph2);
                t2 *= v->dr_kt2;
            }
            if (parts & OST_DRUM_DRIVE) tone = ost_vf_tanh(tone * v->dr_drive) * v->dr_dnorm;
            y = tone;
        }
        if (parts & (OST_DRUM_METAL | OST_DRUM_NOISE)) {
            ost_vf src = {0};
            if (parts & OST_DRUM_METAL) {
                ost_vf s = {0};
                for (int k = 0; k < OST_DRUM_METALS; k++) {
                    v->dr_mph[k] = ost_osc_advance(v->dr_mph[k], v->dr_mdt[k]);
                    s += v->dr_mw[k] * ost_osc_square(v->dr_mph[k], v->dr_mdt[k], v->dr_midt[k]);
                }
                src += s * (m - ma);
                m *= v->dr_km;
                ma *= v->dr_kma;
            }
            if (parts & OST_DRUM_NOISE) {
                ost_vf w = ost_noise_white(&noise);
                if (parts & OST_DRUM_BURST) {
                    bt += 1.0f;
                    ost_vi trig = (bt >= v->dr_bp) & (bleft > 0.0f);
                    nn = ost_vf_select(trig, v->dr_blevel, nn);
                    bleft -= ost_vf_and(trig, ost_vf_set(1.0f));
                    bt = ost_vf_select(trig, ost_vf_set(0.0f), bt);
                    nn *= ost_vf_select(bleft > 0.0f, v->dr_kn, v->dr_kn_tail);
                } else {
                    nn *= v->dr_kn;
                }
                src += w * (nn + cl - na);
                cl *= v->dr_kc;
                na *= v->dr_kna;
            }
            ost_vf band, low;
            ost_svf_tick(src, &f1s1, &f1s2, v->dr_f1a1, v->dr_f1a2, v->dr_f1a3, &band, &low);
            ost_vf bp = v->dr_f1k * band;
            ost_svf_tick(bp, &f2s1, &f2s2, v->dr_f2a1, v->dr_f2a2, v->dr_f2a3, &band, &low);
            y += bp - v->dr_f2k * band - low;
        }
        out[i] = y * v->dr_level;
    }
    v->dr_ph1 = ph1, v->dr_ph2 = ph2, v->dr_sweep = sweep, v->dr_t1 = t1, v->dr_t2 = t2;
    v->dr_m = m, v->dr_ma = ma, v->dr_n = nn, v->dr_na = na, v->dr_c = cl;
    v->dr_bt = bt, v->dr_bleft = bleft;
    v->dr_f1s1 = f1s1, v->dr_f1s2 = f1s2, v->dr_f2s1 = f2s1, v->dr_f2s2 = f2s2;
    g->noise = noise;
}

#define DRUM_SOURCE(name, parts)                                                                           \
    static void src_drum_##name(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) { \
        (void)p, (void)r;                                                                                   \
        drum_loop(g, c, l, n, parts);                                                                       \
    }
DRUM_SOURCE(kick, OST_DRUM_TONE | OST_DRUM_NOISE | OST_DRUM_DRIVE)
DRUM_SOURCE(snare, OST_DRUM_TONE | OST_DRUM_TONE2 | OST_DRUM_NOISE)
DRUM_SOURCE(metal, OST_DRUM_METAL | OST_DRUM_NOISE)
DRUM_SOURCE(clap, OST_DRUM_NOISE | OST_DRUM_BURST)
DRUM_SOURCE(noise, OST_DRUM_NOISE)

static ost_source_fn drum_source(int sound) {
    uint32_t parts = ost_drum_parts(sound);
    if (parts == (OST_DRUM_TONE | OST_DRUM_NOISE | OST_DRUM_DRIVE)) return src_drum_kick;
    if (parts == (OST_DRUM_TONE | OST_DRUM_TONE2 | OST_DRUM_NOISE)) return src_drum_snare;
    if (parts == (OST_DRUM_NOISE | OST_DRUM_BURST)) return src_drum_clap;
    if (parts == OST_DRUM_NOISE) return src_drum_noise;
    return src_drum_metal;
}

/* ------------------------------------------------------------- additive */

/* partials([...]): a sine, sawtooth, square or triangle built from its
   harmonics: harmonic k at the wave's own amplitude (wavetable.c's series)
   times the k-th listed partial, at the k-th listed phase (cycles); "user"
   is harmonic k at the k-th partial itself (a sine without partials). The
   lane's harmonics come from one complex rotation per sample, e^(2 pi i k
   phase) = e^(2 pi i phase)^k, exact to about k float roundings; the
   weights of those at or above Nyquist are 0 (additive_limit), so nothing
   folds. The loop runs to the most harmonics any lane lists. */
static void src_additive(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    (void)p, (void)r;
    ost_chain_lanes *v = &c->v;
    int count = 0;
    for (int k = 0; k < OST_LANES; k++)
        if (g->active >> k & 1u) count = (int)v->ad_n[k] > count ? (int)v->ad_n[k] : count;
    ost_vf phase = g->phase, dt = g->dt, step = v->dt_step;
    for (uint32_t i = 0; i < n; i++) {
        dt += step;
        phase = ost_osc_advance(phase, ost_vf_clamp(dt, ost_vf_set(1e-7f), ost_vf_set(0.45f)));
        ost_vf s1 = ost_osc_sine(phase), c1 = ost_osc_sine(ost_osc_advance(phase, ost_vf_set(0.25f)));
        ost_vf sk = s1, ck = c1, acc = v->ad_s[0] * s1 + v->ad_c[0] * c1;
        for (int k = 1; k < count; k++) {
            ost_vf sn = sk * c1 + ck * s1;
            ck = ck * c1 - sk * s1;
            sk = sn;
            acc += v->ad_s[k] * sk + v->ad_c[k] * ck;
        }
        l[i] = acc;
    }
    g->phase = phase;
    g->dt = dt;
}

/* The wave's own amplitude of harmonic k (1-based; as wavetable.c's tables). */
static float additive_base(int sound, int k) {
    switch (sound) {
    case OST_SOUND_SAWTOOTH: return -2.0f / ((float)M_PI * (float)k);
    case OST_SOUND_SQUARE: return (k & 1) ? 4.0f / ((float)M_PI * (float)k) : 0.0f;
    case OST_SOUND_TRIANGLE:
        return (k & 1) ? (((k >> 1) & 1) ? -1.0f : 1.0f) * 8.0f / ((float)(M_PI * M_PI) * (float)(k * k)) : 0.0f;
    case OST_SOUND_USER: return 1.0f; /* the partials are the magnitudes */
    default: return k == 1 ? 1.0f : 0.0f; /* sine */
    }
}

/* Lane l's weights as played for increments up to dt: harmonics from 0.45
   of the rate up fade out (a raised cosine), those at Nyquist and above are 0. */
static void additive_limit(ost_chain_lanes *cv, int l, float dt) {
    for (int k = 0; k < OST_PARTIALS_MAX; k++) {
        float f = (float)(k + 1) * dt, w = (0.5f - f) * 20.0f; /* 1 at 0.45, 0 at 0.5 */
        w = w > 1.0f ? 1.0f : (w > 0.0f ? 0.5f - 0.5f * cosf((float)M_PI * w) : 0.0f);
        cv->ad_s[k][l] = cv->ad_s0[k][l] * w;
        cv->ad_c[k][l] = cv->ad_c0[k][l] * w;
    }
}

static void additive_start(ost_chain_lanes *cv, int l, const float *v, float dt) {
    int sound = (int)v[OST_PARAM_SOUND], count = (int)v[OST_PARAM_PARTIALS];
    count = count < 0 ? 0 : (count > OST_PARTIALS_MAX ? OST_PARTIALS_MAX : count);
    int user_sine = sound == OST_SOUND_USER && count == 0; /* "user" without partials: its first, a sine */
    count = user_sine ? 1 : count;
    for (int k = 0; k < OST_PARTIALS_MAX; k++) {
        float a = k < count ? additive_base(sound, k + 1) * (user_sine ? 1.0f : v[OST_PARAM_PARTIAL_AMPS + k]) : 0.0f;
        float ph = 2.0f * (float)M_PI * v[OST_PARAM_PARTIAL_PHASES + k]; /* sanitised: cycles in [0, 1) */
        /* sin(2 pi k t + ph) = sin(2 pi k t) cos ph + cos(2 pi k t) sin ph */
        cv->ad_s0[k][l] = a * cosf(ph);
        cv->ad_c0[k][l] = a * sinf(ph);
    }
    cv->ad_n[l] = (float)count;
    additive_limit(cv, l, dt);
}

/* ----------------------------------------------------------- wavetables */

/* Silence for free lanes: a table of one point and its guard. */
static const float WT_SILENT[2];

/* A wt_ sample's band-limited tables (wavetable.h), at the note's pitch.
   Each lane reads its own bank, so the reads are per lane; the position
   blends the same table of two neighbouring cycles.

   warp: the table is read at a warped phase q = W(p), W(p) = p + c0 +
   s1 sin 2pi p + c1 cos 2pi p + s2 sin 4pi p + c2 cos 4pi p: a smooth,
   increasing map of the cycle onto itself (the terms are one per mode,
   scaled by the amount; see warp_start). Smooth, so a harmonic h of the
   table only spreads over the Bessel sidebands of phase modulation, which
   fall off faster than exponentially beyond h x the map's fastest speed:
   the table is picked for the increment times that speed (and a margin),
   and what the warp adds stays below Nyquist. `warped` is a constant in
   each instance: a span with no warp on any lane runs the plain loop. */
OST_INLINE void wavetable_loop(ost_group *g, ost_chain *c, ost_vf *out, uint32_t n, const int warped) {
    ost_chain_lanes *v = &c->v;
    ost_vf phase = g->phase, dt = g->dt, step = v->dt_step, len = g->wt_len, morph = v->wt_morph;
    ost_vf amt = v->wp_amt;
    ost_vf c0 = amt * v->wp_c0, s1 = amt * v->wp_s1, c1 = amt * v->wp_c1, s2 = amt * v->wp_s2, c2 = amt * v->wp_c2;
    ost_vi next = __builtin_convertvector(v->wt_next, ost_vi);
    for (int k = 0; k < OST_LANES; k++) { /* a free lane reads its silent pair, whatever its stale state */
        int on = g->active >> k & 1u;
        if (!on) c->wt_base[k] = WT_SILENT, len[k] = 0.0f, next[k] = 0, phase[k] = 0.0f;
    }
    for (uint32_t i = 0; i < n; i++) {
        dt += step;
        phase = ost_osc_advance(phase, ost_vf_clamp(dt, ost_vf_set(1e-7f), ost_vf_set(0.45f)));
        ost_vf q = phase;
        if (warped) {
            ost_vf quarter = ost_osc_advance(phase, ost_vf_set(0.25f)), twice = phase + phase;
            twice -= ost_vf_and(twice >= 1.0f, ost_vf_set(1.0f));
            ost_vf twice_q = ost_osc_advance(twice, ost_vf_set(0.25f));
            q = phase + c0 + s1 * ost_osc_sine(phase) + c1 * ost_osc_sine(quarter) + s2 * ost_osc_sine(twice) +
                c2 * ost_osc_sine(twice_q);
            q -= vf_floor(q);
            q = ost_vf_min(q, ost_vf_set(0.99999994f)); /* -tiny + 1 rounds to 1 */
        }
        ost_vf pos = q * len;
        ost_vi at = __builtin_convertvector(pos, ost_vi); /* pos >= 0: truncation is the floor */
        ost_vf frac = pos - __builtin_convertvector(at, ost_vf), a0, a1, b0, b1;
        for (int k = 0; k < OST_LANES; k++) {
            const float *t = c->wt_base[k] + at[k];
            a0[k] = t[0], a1[k] = t[1], b0[k] = t[next[k]], b1[k] = t[next[k] + 1];
        }
        ost_vf a = a0 + frac * (a1 - a0), b = b0 + frac * (b1 - b0);
        out[i] = a + morph * (b - a);
    }
    g->phase = phase;
    g->dt = dt;
}

static void src_wavetable(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    (void)p, (void)r;
    int warped = 0;
    for (int k = 0; k < OST_LANES; k++) warped |= (g->active >> k & 1u) && c->v.wp_amt[k] > 0.0f;
    if (warped) wavetable_loop(g, c, l, n, 1);
    else wavetable_loop(g, c, l, n, 0);
}

/* The warp's phase map for a lane (see wavetable_loop), per unit amount;
   a = 0.9 x warp keeps the map increasing (its speed 1 +- a, never below 0.1).
     asym   W = p + a (1 - cos 2pi p) / 2pi   fast first half, slow second
     bendp  W = p + a sin(2pi p) / 2pi        fast at the cycle's ends, the middle drawn out
     bendm  W = p - a sin(2pi p) / 2pi        the ends drawn out, the middle rushed
     bendmp W = p - a sin(4pi p) / 4pi        each half bent towards its middle */
static void warp_start(ost_chain_lanes *cv, int l, int mode) {
    const float k1 = 1.0f / (2.0f * (float)M_PI), k2 = 1.0f / (4.0f * (float)M_PI);
    cv->wp_c0[l] = cv->wp_s1[l] = cv->wp_c1[l] = cv->wp_s2[l] = cv->wp_c2[l] = 0.0f;
    cv->wp_m[l] = 1.0f;
    cv->wp_on[l] = 1.0f;
    switch (mode) {
    case 1: cv->wp_c0[l] = k1, cv->wp_c1[l] = -k1; break;
    case 2: cv->wp_s1[l] = k1; break;
    case 3: cv->wp_s1[l] = -k1; break;
    case 4: cv->wp_s2[l] = -k2, cv->wp_m[l] = 2.0f; break;
    default: cv->wp_on[l] = 0.0f; break;
    }
    cv->wp_amt[l] = 0.0f; /* warp_pick sets what the pitch allows */
}

/* The warp asked now: warp + warpenv x its envelope + warpdepth x (LFO + dc), 0..1, x 0.9 (see above). */
static void warp_amount(ost_chain_lanes *cv, int l, float env) {
    float w = cv->wp_base[l] + cv->wp_env[l] * env;
    if (cv->wp_inc[l] != 0.0f) w += cv->wp_depth[l] * (ost_lfo_value(cv->wp_ph[l], (int)cv->wp_shape[l], cv->wp_skew[l]) + cv->wp_dc[l]);
    w = w > 0.0f ? (w < 1.0f ? w : 1.0f) : 0.0f; /* NaN: 0 */
    cv->wp_a[l] = cv->wp_on[l] > 0.0f ? 0.9f * w : 0.0f;
}

/* The band limit of a warped read. Harmonic h of the table, read through
   the map (index a / m, at harmonic m of the cycle), becomes phase
   modulation of index x = h a / m: sidebands h +- m n with amplitudes
   J_n(x) <= (x/2)^n / n!. With Hn harmonics below Nyquist, a table of H
   harmonics leaves room for (Hn - H) / m sidebands above its top, and
   x up to pm_room of that keeps every one beyond below -100 dB re its
   harmonic. So: the richest table that still lets the asked amount through;
   when none does (high notes), the amount is cut to what the poorest table
   allows, so the warp fades out towards Nyquist as harmonics do.
   Control rate: a few steps down the tables. */
static void warp_pick(const ost_wavetables *w, const ost_wt_bank *b, ost_chain *c, int l, float dt, float *length) {
    float allowed = 0.49999f / (dt > 1e-6f ? dt : 1e-6f);
    uint32_t hn = allowed >= (float)OST_WT_HMAX ? OST_WT_HMAX : (allowed < 1.0f ? 1u : (uint32_t)allowed);
    float a = c->v.wp_a[l], m = c->v.wp_m[l];
    uint32_t k = w->table_for[hn];
    k = k < b->top ? k : b->top;
    float best = 0.0f;
    uint32_t best_k = 0;
    for (;;) {
        uint32_t h = w->harmonics[k];
        float room = (float)(hn - h) / m;
        float x = room <= (float)OST_WT_ROOM ? w->pm_room[(uint32_t)room]
                                              : room * (w->pm_room[OST_WT_ROOM] / (float)OST_WT_ROOM); /* it grows faster than that */
        float lim = m * x / (float)h;
        if (lim >= a) {
            best = a, best_k = k;
            break;
        }
        if (lim > best) best = lim, best_k = k;
        if (k == 0) break;
        k--;
    }
    c->v.wp_amt[l] = best;
    *length = (float)w->length[best_k];
    c->wt_base[l] = b->pool + b->offset[best_k] + (size_t)c->wt_frame[l] * b->stride;
}

/* Lane l's cycle pair and blend for position `at` (0..1 over the bank's cycles). */
static void wavetable_position(ost_chain *c, int l, const ost_wt_bank *b, float at) {
    at = at > 0.0f ? (at < 1.0f ? at : 1.0f) : 0.0f; /* NaN: 0 */
    at *= (float)(b->frames - 1);
    uint32_t lower = (uint32_t)at;
    if (lower + 1 >= b->frames) lower = b->frames > 1 ? b->frames - 2 : 0;
    c->wt_frame[l] = lower;
    c->v.wt_morph[l] = b->frames > 1 ? at - (float)lower : 0.0f;
}

/* Every control chunk: the position's envelope and LFO move it (lanes
   without either keep theirs). */
static void wavetable_modulate(ost_group *g, ost_chain *c, uint32_t n) {
    ost_chain_lanes *v = &c->v;
    for (int l = 0; l < OST_LANES; l++) { /* the warp's envelope and LFO (the table pick reads the amount) */
        if (!(g->active >> l & 1u) || v->wp_on[l] == 0.0f || (v->wp_env[l] == 0.0f && v->wp_inc[l] == 0.0f)) continue;
        warp_amount(v, l, ctl_env_advance(&c->wpenv[l], n));
        v->wp_ph[l] += v->wp_inc[l] * (float)n;
        v->wp_ph[l] -= floorf(v->wp_ph[l]);
    }
    for (int l = 0; l < OST_LANES; l++) {
        const ost_sample_data *d = c->smp[l].data;
        if (!(g->active >> l & 1u) || !d || !d->wt || (v->wt_env[l] == 0.0f && v->wt_inc[l] == 0.0f)) continue;
        float at = v->wt_pos[l] + v->wt_env[l] * ctl_env_advance(&c->wtenv[l], n);
        if (v->wt_inc[l] != 0.0f) {
            at += v->wt_depth[l] * (ost_lfo_value(v->wt_ph[l], (int)v->wt_shape[l], v->wt_skew[l]) + v->wt_dc[l]);
            v->wt_ph[l] += v->wt_inc[l] * (float)n;
            v->wt_ph[l] -= floorf(v->wt_ph[l]);
        }
        wavetable_position(c, l, d->wt, at);
    }
}

/* Lane l of a wavetable voice: its bank, cycle pair and start phase. */
static void wavetable_start(ost_voices *p, ost_group *g, int l, const float *v, ost_sample_data *d) {
    ost_chain *c = g->chain;
    float dt = v[OST_PARAM_FREQ] * fabsf(v[OST_PARAM_SPEED]) / p->rate;
    if (!(dt >= 1e-7f)) dt = 1e-7f;
    if (dt > 0.45f) dt = 0.45f;
    g->dt[l] = dt;
    c->v.base_dt[l] = dt;
    c->smp[l].data = d;
    ost_chain_lanes *cv = &c->v;
    cv->wt_next[l] = d->wt->frames > 1 ? (float)d->wt->stride : 0.0f;
    warp_start(cv, l, (int)v[OST_PARAM_WARPMODE]);
    cv->wp_base[l] = v[OST_PARAM_WARP];
    cv->wp_env[l] = v[OST_PARAM_WARPENV];
    ctl_env_start(&c->wpenv[l], v[OST_PARAM_WARPATTACK], v[OST_PARAM_WARPDECAY], v[OST_PARAM_WARPSUSTAIN], v[OST_PARAM_WARPRELEASE], p->rate);
    cv->wp_inc[l] = ost_lfo_increment(v[OST_PARAM_WARPRATE], v[OST_PARAM_WARPSYNC], v[OST_PARAM_CPS], p->rate);
    cv->wp_depth[l] = v[OST_PARAM_WARPDEPTH];
    cv->wp_shape[l] = (float)ost_lfo_shape_index(v[OST_PARAM_WARPSHAPE]);
    cv->wp_skew[l] = ost_lfo_skew(v[OST_PARAM_WARPSKEW]);
    cv->wp_dc[l] = v[OST_PARAM_WARPDC];
    cv->wp_ph[l] = 0.0f;
    warp_amount(cv, l, c->wpenv[l].level);
    cv->wt_pos[l] = v[OST_PARAM_WT];
    cv->wt_env[l] = v[OST_PARAM_WTENV];
    ctl_env_start(&c->wtenv[l], v[OST_PARAM_WTATTACK], v[OST_PARAM_WTDECAY], v[OST_PARAM_WTSUSTAIN], v[OST_PARAM_WTRELEASE], p->rate);
    cv->wt_inc[l] = ost_lfo_increment(v[OST_PARAM_WTRATE], v[OST_PARAM_WTSYNC], v[OST_PARAM_CPS], p->rate);
    cv->wt_depth[l] = v[OST_PARAM_WTDEPTH];
    cv->wt_shape[l] = (float)ost_lfo_shape_index(v[OST_PARAM_WTSHAPE]);
    cv->wt_skew[l] = ost_lfo_skew(v[OST_PARAM_WTSKEW]);
    cv->wt_dc[l] = v[OST_PARAM_WTDC];
    cv->wt_ph[l] = 0.0f;
    float at = cv->wt_pos[l] + cv->wt_env[l] * c->wtenv[l].level;
    if (cv->wt_inc[l] != 0.0f) at += cv->wt_depth[l] * (ost_lfo_value(0.0f, (int)cv->wt_shape[l], cv->wt_skew[l]) + cv->wt_dc[l]);
    wavetable_position(c, l, d->wt, at);
    uint32_t seed = ost_noise_seed(p->seed, g->serial[l]);
    seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
    g->phase[l] = v[OST_PARAM_WTPHASERAND] * (float)(seed >> 8) * (1.0f / 16777216.0f); /* below 1 */
}

/* ------------------------------------------------------------- samples */

/* 4-point Catmull-Rom: exact at frac 0 (the frame itself), smooth between. */
static inline float hermite(float x0, float x1, float x2, float x3, float t) {
    return x1 + 0.5f * t * (x2 - x0 + t * (2.0f * x0 - 5.0f * x1 + 4.0f * x2 - x3 + t * (3.0f * (x1 - x2) + x3 - x0)));
}

/* The next frame in the direction of play from memory: into out[2];
   returns 0 past the end. `fetch` is the frame index last fetched. */
static inline int next_memory(ost_sampler_lane *s, int64_t *fetch, float *out) {
    int64_t i = *fetch + s->dir;
    if (s->loop) {
        if (s->dir > 0 && i > s->loop_last) i = s->loop_first;
        else if (s->dir < 0 && i < s->loop_first) i = s->loop_last;
    }
    *fetch = i;
    if (i < s->first || i > s->last) {
        out[0] = out[1] = 0.0f;
        return 0;
    }
    const float *f = s->frames + (size_t)i * s->channels;
    out[0] = f[0];
    out[1] = s->channels > 1 ? f[1] : f[0];
    return 1;
}

OST_INLINE void sample_memory_loop(ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n, const int stereo) {
    /* A stereo kind has two-channel data, a mono kind one channel: the
       frame stride is a constant here. The history lives in locals. */
    const int ch = stereo ? 2 : 1;
    for (int lane = 0; lane < OST_LANES; lane++) {
        ost_sampler_lane *s = &c->smp[lane];
        if (!(g->active >> lane & 1u) || !s->frames) {
            for (uint32_t i = 0; i < n; i++) l[i][lane] = 0.0f, r[i][lane] = 0.0f;
            continue;
        }
        const float *frames = s->frames;
        const int64_t first = s->first, last = s->last, lf = s->loop_first, ll = s->loop_last;
        const int32_t dir = s->dir, loop = s->loop;
        float inc = g->dt[lane], frac = s->frac;
        int64_t fetch = s->fetch;
        int ended = s->ended;
        float a0 = s->h[0][0], a1 = s->h[1][0], a2 = s->h[2][0], a3 = s->h[3][0];
        float b0 = s->h[0][1], b1 = s->h[1][1], b2 = s->h[2][1], b3 = s->h[3][1];
        for (uint32_t i = 0; i < n; i++) {
            if (ended >= 3) { /* the last frame has been played */
                l[i][lane] = 0.0f;
                if (stereo) r[i][lane] = 0.0f;
                continue;
            }
            l[i][lane] = hermite(a0, a1, a2, a3, frac);
            if (stereo) r[i][lane] = hermite(b0, b1, b2, b3, frac);
            frac += inc;
            while (frac >= 1.0f && ended < 3) {
                frac -= 1.0f;
                int64_t k = fetch + dir;
                if (loop) {
                    if (dir > 0 && k > ll) k = lf;
                    else if (dir < 0 && k < lf) k = ll;
                }
                fetch = k;
                a0 = a1, a1 = a2, a2 = a3;
                if (stereo) b0 = b1, b1 = b2, b2 = b3;
                if (k < first || k > last) {
                    a3 = 0.0f, b3 = 0.0f;
                    ended++;
                } else {
                    a3 = frames[k * ch];
                    if (stereo) b3 = frames[k * ch + 1];
                }
            }
        }
        s->h[0][0] = a0, s->h[1][0] = a1, s->h[2][0] = a2, s->h[3][0] = a3;
        s->h[0][1] = b0, s->h[1][1] = b1, s->h[2][1] = b2, s->h[3][1] = b3;
        s->fetch = fetch;
        s->frac = frac;
        s->ended = ended;
        if (ended >= 3) g->finished[lane] = 1;
    }
}

OST_INLINE void sample_stream_loop(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n,
                                   const int stereo) {
    for (int lane = 0; lane < OST_LANES; lane++) {
        ost_sampler_lane *s = &c->smp[lane];
        if (!(g->active >> lane & 1u) || s->stream < 0) {
            for (uint32_t i = 0; i < n; i++) l[i][lane] = 0.0f, r[i][lane] = 0.0f;
            continue;
        }
        ost_stream *st = &p->streams->streams[s->stream];
        int eof;
        uint64_t avail = ost_stream_available_rt(st, &eof);
        uint64_t consumed = OST_LOAD(&st->consumed, OST_RELAXED); /* only this thread writes it */
        float inc = g->dt[lane], frac = s->frac;
        int ended = s->ended;
        for (uint32_t i = 0; i < n; i++) {
            if (ended >= 3) {
                l[i][lane] = 0.0f;
                if (stereo) r[i][lane] = 0.0f;
                continue;
            }
            int starved = 0;
            while ((frac >= 1.0f || s->prime > 0) && ended < 3) {
                if (avail == 0) {
                    if (!eof) {
                        starved = 1;
                        break;
                    }
                    memmove(s->h[0], s->h[1], sizeof(float) * 6);
                    s->h[3][0] = s->h[3][1] = 0.0f;
                    ended++;
                } else {
                    memmove(s->h[0], s->h[1], sizeof(float) * 6);
                    const float *f = st->ring + (consumed % OST_STREAM_RING_FRAMES) * 2;
                    s->h[3][0] = f[0];
                    s->h[3][1] = f[1];
                    consumed++;
                    avail--;
                }
                if (s->prime > 0) s->prime--;
                else frac -= 1.0f;
            }
            if (starved) {
                p->stream_underruns++;
                l[i][lane] = 0.0f;
                if (stereo) r[i][lane] = 0.0f;
                continue;
            }
            if (ended >= 3) {
                l[i][lane] = 0.0f;
                if (stereo) r[i][lane] = 0.0f;
                continue;
            }
            l[i][lane] = hermite(s->h[0][0], s->h[1][0], s->h[2][0], s->h[3][0], frac);
            if (stereo) r[i][lane] = hermite(s->h[0][1], s->h[1][1], s->h[2][1], s->h[3][1], frac);
            frac += inc;
        }
        /* Release: we are done with the frames before the reader refills them. */
        OST_STORE(&st->consumed, consumed, OST_RELEASE);
        s->frac = frac;
        s->ended = ended;
        if (ended >= 3) g->finished[lane] = 1;
    }
}

static void src_sample_mono(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    (void)p;
    sample_memory_loop(g, c, l, r, n, 0);
}
static void src_sample_stereo(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    (void)p;
    sample_memory_loop(g, c, l, r, n, 1);
}
static void src_stream_mono(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    sample_stream_loop(p, g, c, l, r, n, 0);
}
static void src_stream_stereo(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n) {
    sample_stream_loop(p, g, c, l, r, n, 1);
}

/* ================================================================ stages */

static void stage_lp12(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n) {
    ost_chain_lanes *v = &c->v;
    ost_vf s1 = ch->lp[0], s2 = ch->lp[1], a1 = v->lp_a1, a2 = v->lp_a2, a3 = v->lp_a3, band, low;
    for (uint32_t i = 0; i < n; i++) {
        ost_svf_tick(x[i], &s1, &s2, a1, a2, a3, &band, &low);
        x[i] = low;
    }
    ch->lp[0] = s1, ch->lp[1] = s2;
}

static void stage_lp24(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n) {
    ost_chain_lanes *v = &c->v;
    ost_vf s1 = ch->lp[0], s2 = ch->lp[1], s3 = ch->lp[2], s4 = ch->lp[3], band, low;
    for (uint32_t i = 0; i < n; i++) {
        ost_svf_tick(x[i], &s1, &s2, v->lp_a1, v->lp_a2, v->lp_a3, &band, &low);
        ost_svf_tick(low, &s3, &s4, v->lp2_a1, v->lp2_a2, v->lp2_a3, &band, &low);
        x[i] = low;
    }
    ch->lp[0] = s1, ch->lp[1] = s2, ch->lp[2] = s3, ch->lp[3] = s4;
}

/* The ladder: four TPT one-poles with the feedback solved without a unit
   delay (the zero-delay feedback form). Linear, so its response (and its
   resonance) is the same at every level: the shapers are where a voice
   distorts. */
static void stage_ladder(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n) {
    ost_chain_lanes *v = &c->v;
    ost_vf s0 = ch->lp[0], s1 = ch->lp[1], s2 = ch->lp[2], s3 = ch->lp[3];
    ost_vf G = v->lad_g, k = v->lad_k, comp = v->lad_comp;
    ost_vf G2 = G * G, G3 = G2 * G, G4 = G3 * G, oneG = 1.0f - G;
    ost_vf denom = 1.0f / (1.0f + k * G4);
    for (uint32_t i = 0; i < n; i++) {
        ost_vf sigma = (G3 * s0 + G2 * s1 + G * s2 + s3) * oneG;
        ost_vf y4 = (G4 * x[i] + sigma) * denom;
        ost_vf u = x[i] - k * y4;
        ost_vf a = (u - s0) * G, y = a + s0;
        s0 = y + a;
        a = (y - s1) * G, y = a + s1;
        s1 = y + a;
        a = (y - s2) * G, y = a + s2;
        s2 = y + a;
        a = (y - s3) * G, y = a + s3;
        s3 = y + a;
        x[i] = y * comp;
    }
    ch->lp[0] = s0, ch->lp[1] = s1, ch->lp[2] = s2, ch->lp[3] = s3;
}

static void stage_hp(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n) {
    ost_chain_lanes *v = &c->v;
    ost_vf s1 = ch->hp[0], s2 = ch->hp[1], band, low;
    for (uint32_t i = 0; i < n; i++) {
        ost_svf_tick(x[i], &s1, &s2, v->hp_a1, v->hp_a2, v->hp_a3, &band, &low);
        x[i] = x[i] - v->hp_k * band - low;
    }
    ch->hp[0] = s1, ch->hp[1] = s2;
}

static void stage_bp(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n) {
    ost_chain_lanes *v = &c->v;
    ost_vf s1 = ch->bp[0], s2 = ch->bp[1], band, low;
    for (uint32_t i = 0; i < n; i++) {
        ost_svf_tick(x[i], &s1, &s2, v->bp_a1, v->bp_a2, v->bp_a3, &band, &low);
        x[i] = v->bp_k * band;
    }
    ch->bp[0] = s1, ch->bp[1] = s2;
}

static void stage_vowel(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n) {
    ost_chain_lanes *v = &c->v;
    for (uint32_t i = 0; i < n; i++) {
        ost_vf in = x[i], sum = {0}, band, low;
        for (int f = 0; f < OST_FORMANTS; f++) {
            ost_svf_tick(in, &ch->vowel[f][0], &ch->vowel[f][1], v->vw_a1[f], v->vw_a2[f], v->vw_a3[f], &band, &low);
            sum += v->vw_g[f] * band;
        }
        x[i] = sum;
    }
}

static void stage_coarse(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n) {
    ost_vf count = ch->count, hold = ch->hold, every = c->v.coarse_n;
    for (uint32_t i = 0; i < n; i++) {
        ost_vi take = count <= 0.0f;
        hold = ost_vf_select(take, x[i], hold);
        count = ost_vf_select(take, every, count) - 1.0f;
        x[i] = hold;
    }
    ch->hold = hold, ch->count = count;
}

/* crush, shape and distort: one 8x oversampler, antialiased (shaper.h) */
static void stage_shaper(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n) {
    ost_shaper_params p = {c->v.crush_s, c->v.crush_inv, c->v.shape_k, c->v.distort_g, c->v.distort_t, 0};
    for (int l = 0; l < OST_LANES; l++) p.types |= c->v.distort_t[l] > 0.0f ? 1u << ((int)c->v.distort_t[l] - 1) : 0u;
    ost_shaper_process(&ch->shaper, &p, x, n, c->shaper_what);
}

/* ================================================================ output */

OST_INLINE void output_loop(ost_voices *p, ost_group *g, ost_chain *c, const ost_vf *l, const ost_vf *r,
                            uint32_t offset, uint32_t n, const int sends, const int phaser) {
    ost_chain_lanes *v = &c->v;
    ost_buses *b = p->buses;
    ost_vf pl[OST_CTL_FRAMES], pr[OST_CTL_FRAMES];
    if (c->pan_moves) { /* the pan gains ramp (spans are at most a control chunk here): the channels x their gains */
        ost_vf gl = v->pan_gl, gr = v->pan_gr;
        n = n < OST_CTL_FRAMES ? n : OST_CTL_FRAMES;
        for (uint32_t i = 0; i < n; i++) {
            gl += v->pan_sl, gr += v->pan_sr;
            pl[i] = l[i] * gl, pr[i] = r[i] * gr;
        }
        v->pan_gl = gl, v->pan_gr = gr;
        l = pl, r = pr;
    }
    ost_vf *dl = ost_buses_acquire(b, g->orbit, phaser ? OST_BUS_PHASER_L : OST_BUS_DRY_L) + offset;
    ost_vf *dr = ost_buses_acquire(b, g->orbit, phaser ? OST_BUS_PHASER_R : OST_BUS_DRY_R) + offset;
    for (uint32_t i = 0; i < n; i++) {
        dl[i] += l[i] * v->out_l;
        dr[i] += r[i] * v->out_r;
    }
    if (sends) {
        ost_vf *el = ost_buses_acquire(b, g->orbit, OST_BUS_DELAY_L) + offset;
        ost_vf *er = ost_buses_acquire(b, g->orbit, OST_BUS_DELAY_R) + offset;
        ost_vf *vl = ost_buses_acquire(b, g->orbit, OST_BUS_REVERB_L) + offset;
        ost_vf *vr = ost_buses_acquire(b, g->orbit, OST_BUS_REVERB_R) + offset;
        for (uint32_t i = 0; i < n; i++) {
            el[i] += l[i] * v->dly_l;
            er[i] += r[i] * v->dly_r;
            vl[i] += l[i] * v->rev_l;
            vr[i] += r[i] * v->rev_r;
        }
        if (ost_vf_sum(ost_vf_abs(v->cho_l) + ost_vf_abs(v->cho_r)) > 0.0f) { /* some lane sends to the chorus */
            ost_vf *hl = ost_buses_acquire(b, g->orbit, OST_BUS_CHORUS_L) + offset;
            ost_vf *hr = ost_buses_acquire(b, g->orbit, OST_BUS_CHORUS_R) + offset;
            for (uint32_t i = 0; i < n; i++) {
                hl[i] += l[i] * v->cho_l;
                hr[i] += r[i] * v->cho_r;
            }
        }
    }
}
static void out_plain(ost_voices *p, ost_group *g, ost_chain *c, const ost_vf *l, const ost_vf *r, uint32_t o, uint32_t n) {
    output_loop(p, g, c, l, r, o, n, 0, 0);
}
static void out_sends(ost_voices *p, ost_group *g, ost_chain *c, const ost_vf *l, const ost_vf *r, uint32_t o, uint32_t n) {
    output_loop(p, g, c, l, r, o, n, 1, 0);
}
static void out_phaser(ost_voices *p, ost_group *g, ost_chain *c, const ost_vf *l, const ost_vf *r, uint32_t o, uint32_t n) {
    output_loop(p, g, c, l, r, o, n, 0, 1);
}
static void out_phaser_sends(ost_voices *p, ost_group *g, ost_chain *c, const ost_vf *l, const ost_vf *r, uint32_t o,
                             uint32_t n) {
    output_loop(p, g, c, l, r, o, n, 1, 1);
}

/* ================================================================= setup */

/* The stages of a kind in Strudel's order, then those an FX(...) chain
   names (`order`'s nibbles, first effect lowest) moved to the end in its
   order. Shape and distort share one oversampler: with both on they stay
   one stage, where the first of them is. */
static const uint32_t STAGE_BITS[OST_FX_STAGES] = {0, OST_FILTER_LP, OST_FILTER_HP, OST_FILTER_BP, OST_KIND_VOWEL,
                                                   OST_KIND_COARSE, OST_KIND_CRUSH, OST_KIND_SHAPE, OST_KIND_DISTORT,
                                                   OST_KIND_TREMOLO, OST_KIND_TRANSIENT};

uint32_t ost_chain_order(uint32_t kind, uint32_t order) {
    uint32_t out = 0, shift = 0, seen = 0;
    for (uint32_t word = order; word; word >>= 4) {
        uint32_t id = word & 15u;
        if (id >= OST_FX_STAGES || !(kind & STAGE_BITS[id]) || (seen >> id & 1u)) continue;
        seen |= 1u << id;
        out |= id << shift;
        shift += 4;
    }
    return out;
}

static void setup_stages(ost_chain *c, uint32_t kind, uint32_t order) {
    uint8_t ids[OST_FX_STAGES], n = 0;
    const uint32_t *bits = STAGE_BITS;
    for (uint8_t id = 1; id < OST_FX_STAGES; id++)
        if (kind & bits[id]) ids[n++] = id;
    for (uint32_t word = order; word; word >>= 4) {
        uint8_t id = word & 15u, at = n;
        for (uint8_t k = 0; k < n; k++) at = ids[k] == id ? k : at;
        if (at == n) continue; /* not on, or not a stage */
        for (uint8_t k = at; k + 1 < n; k++) ids[k] = ids[k + 1];
        ids[n - 1] = id;
    }
    int shaper_placed = 0;
    c->n_stages = 0;
    for (uint8_t k = 0; k < n; k++) {
        ost_stage_fn f = NULL;
        switch (ids[k]) {
        case OST_FX_LPF: f = (kind & OST_KIND_LADDER) ? stage_ladder : (kind & OST_KIND_LP24) ? stage_lp24 : stage_lp12; break;
        case OST_FX_HPF: f = stage_hp; break;
        case OST_FX_BPF: f = stage_bp; break;
        case OST_FX_VOWEL: f = stage_vowel; break;
        case OST_FX_COARSE: f = stage_coarse; break;
        case OST_FX_CRUSH: case OST_FX_SHAPE: case OST_FX_DISTORT:
            /* one oversampled stage runs all three in Strudel's order, placed where the first of them falls */
            if (!shaper_placed) f = stage_shaper, shaper_placed = 1;
            break;
        case OST_FX_TREMOLO: f = ost_tremolo_stage; break;
        case OST_FX_TRANSIENT: f = ost_transient_stage; break;
        default: break;
        }
        if (f) c->stages[c->n_stages++] = f;
    }
}

void ost_chain_setup(ost_chain *c, uint32_t kind, uint32_t order) {
    uint32_t sound = kind >> OST_KIND_SOUND_SHIFT;
    int pitch = (kind & (OST_KIND_PITCH | OST_KIND_FM)) != 0, fm = (kind & OST_KIND_FM) != 0;
    int stereo = (kind & OST_KIND_STEREO) != 0;
    c->channels = stereo ? 2 : 1;
#define PICK(name) (fm ? src_##name##_fm : pitch ? src_##name##_ramp : src_##name##_plain)
    switch (sound) {
    case OST_SOUND_SINE: c->source = PICK(sine); break;
    case OST_SOUND_SAWTOOTH: c->source = PICK(saw); break;
    case OST_SOUND_SQUARE: c->source = PICK(square); break;
    case OST_SOUND_TRIANGLE: c->source = PICK(triangle); break;
    case OST_SOUND_PULSE: c->source = PICK(pulse); break;
    case OST_SOUND_WHITE: c->source = src_white; break;
    case OST_SOUND_PINK: c->source = src_pink; break;
    case OST_SOUND_BROWN: c->source = src_brown; break;
    case OST_SOUND_SUPERSAW: c->source = pitch ? src_supersaw_ramp : src_supersaw_plain; break;
    case OST_SOUND_ADDITIVE: c->source = src_additive; break;
    case OST_SOUND_SAMPLE:
        if (kind & OST_KIND_WAVETABLE) c->source = src_wavetable;
        else if (kind & OST_KIND_STREAM) c->source = stereo ? src_stream_stereo : src_stream_mono;
        else c->source = stereo ? src_sample_stereo : src_sample_mono;
        break;
    default: c->source = drum_source((int)sound); break;
    }
#undef PICK
    c->control = (kind & (OST_KIND_PITCH | OST_KIND_FM | OST_KIND_LPENV | OST_KIND_FLFO | OST_KIND_WAVETABLE | OST_KIND_TREMOLO))
                     ? control_update : NULL;
    c->pan_moves = (kind & OST_KIND_TREMOLO) != 0;
    /* one oversampler for crush, shape and distort (neighbours in Strudel's order) */
    c->shaper_what = (kind & OST_KIND_CRUSH ? OST_SHAPER_CRUSH : 0u) | (kind & OST_KIND_SHAPE ? OST_SHAPER_SHAPE : 0u) |
                     (kind & OST_KIND_DISTORT ? OST_SHAPER_DISTORT : 0u);
    setup_stages(c, kind, order);
    for (int l = 0; l < OST_LANES; l++) c->wt_base[l] = WT_SILENT;
    int sends = (kind & OST_KIND_SENDS) != 0, phaser = (kind & OST_KIND_PHASER) != 0;
    c->output = phaser ? (sends ? out_phaser_sends : out_phaser) : (sends ? out_sends : out_plain);
    c->ctl_left = 0;
}

/* ================================================================= lanes */

/* Formants (Hz, dB, bandwidth Hz) of the five vowels, bass voice: the
   standard phonetics table (Peterson & Barney style values). */
static const float FORMANT_HZ[5][OST_FORMANTS] = {
    {800, 1150, 2900, 3900, 4950}, {350, 2000, 2800, 3600, 4950}, {270, 2140, 2950, 3900, 4950},
    {450, 800, 2830, 3800, 4950},  {325, 700, 2700, 3800, 4950},
};
static const float FORMANT_DB[5][OST_FORMANTS] = {
    {0, -6, -32, -20, -50}, {0, -20, -15, -40, -56}, {0, -12, -26, -26, -44}, {0, -11, -22, -22, -50}, {0, -16, -35, -40, -60},
};
static const float FORMANT_BW[5][OST_FORMANTS] = {
    {80, 90, 120, 130, 140}, {60, 100, 120, 150, 200}, {60, 90, 100, 120, 120}, {40, 80, 100, 120, 120}, {50, 60, 170, 180, 200},
};

static void clear_lane(ost_chain *c, int l) {
    ost_vf *vec = (ost_vf *)&c->v;
    size_t count = sizeof c->v / sizeof(ost_vf);
    for (size_t k = 0; k < count; k++) vec[k][l] = 0.0f;
    memset(&c->penv[l], 0, sizeof c->penv[l]);
    memset(&c->lpenv[l], 0, sizeof c->lpenv[l]);
    memset(&c->fmenv[l], 0, sizeof c->fmenv[l]);
    memset(&c->wtenv[l], 0, sizeof c->wtenv[l]);
    memset(&c->menv[l], 0, sizeof c->menv[l]);
    memset(&c->wpenv[l], 0, sizeof c->wpenv[l]);
    memset(&c->smp[l], 0, sizeof c->smp[l]);
    c->smp[l].stream = -1;
    c->wt_base[l] = WT_SILENT;
    c->wt_frame[l] = 0;
}

/* Equal power for mono sources; balance (unity in the middle) for stereo ones. */
static void pan_gains(float pan, int stereo, float *gl, float *gr) {
    if (stereo) {
        *gl = pan < 0.5f ? 1.0f : 2.0f * (1.0f - pan);
        *gr = pan > 0.5f ? 1.0f : 2.0f * pan;
    } else {
        *gl = sinf((1.0f - pan) * (float)(M_PI / 2));
        *gr = sinf(pan * (float)(M_PI / 2));
    }
}

static float decay_coef(float tau_s, float rate) {
    if (!(tau_s > 1e-6f)) return 0.0f;
    return expf(-1.0f / (tau_s * rate));
}

static uint32_t drum_start(ost_voices *p, ost_group *g, int l, const float *v) {
    ost_chain_lanes *c = &g->chain->v;
    int sound = (int)v[OST_PARAM_SOUND];
    ost_drum_spec s = ost_drum_spec_for(sound, (int)v[OST_PARAM_BANK], (int)floorf(v[OST_PARAM_N]));
    float rate = p->rate;
    float pitch = v[OST_PARAM_FREQ] / C2_HZ * fabsf(v[OST_PARAM_SPEED]);
    if (!(pitch >= 0.05f)) pitch = 0.05f;
    if (pitch > 8.0f) pitch = 8.0f;
    float time = 1.0f / pitch; /* faster is shorter, as a sample played faster */
    c->dr_dt1[l] = s.f1 * pitch / rate;
    c->dr_dt2[l] = s.f2 * pitch / rate;
    c->dr_sweep[l] = s.sweep;
    c->dr_kp[l] = decay_coef(s.tau_p * time, rate);
    c->dr_t1[l] = s.f1 > 0 ? s.g1 : 0.0f;
    c->dr_kt1[l] = decay_coef(s.tau1 * time, rate);
    c->dr_t2[l] = s.f2 > 0 ? s.g2 : 0.0f;
    c->dr_kt2[l] = decay_coef(s.tau2 * time, rate);
    float drive = 1.0f + s.drive;
    c->dr_drive[l] = drive;
    c->dr_dnorm[l] = 1.0f / tanhf(drive); /* a full-scale tone stays at full scale */
    for (int k = 0; k < OST_DRUM_METALS; k++) {
        static const float HZ[OST_DRUM_METALS] = {205.3f, 304.4f, 369.6f, 522.7f, 540.0f, 800.0f};
        float dt = HZ[k] * s.metal_hz * pitch / rate;
        if (dt > 0.45f) dt = 0.45f;
        if (dt < 1e-6f) dt = 1e-6f;
        c->dr_mdt[k][l] = dt;
        c->dr_midt[k][l] = 1.0f / dt;
        c->dr_mw[k][l] = s.metal_hz > 0 ? s.metal_w[k] / 6.0f : 0.0f;
        c->dr_mph[k][l] = (float)k * 0.17f; /* fixed, unrelated start phases: a repeatable sound */
    }
    c->dr_m[l] = s.metal_gain;
    c->dr_km[l] = decay_coef(s.tau_m * time, rate);
    c->dr_ma[l] = s.metal_attack > 0 ? s.metal_gain : 0.0f;
    c->dr_kma[l] = decay_coef(s.metal_attack * time, rate);
    c->dr_n[l] = s.noise_gain;
    c->dr_kn[l] = decay_coef((s.bursts ? s.burst_tau : s.tau_n) * time, rate);
    c->dr_kn_tail[l] = decay_coef(s.tau_n * time, rate);
    c->dr_na[l] = s.noise_attack > 0 ? s.noise_gain : 0.0f;
    c->dr_kna[l] = decay_coef(s.noise_attack * time, rate);
    c->dr_c[l] = s.click_gain;
    c->dr_kc[l] = decay_coef(s.tau_c * time, rate);
    c->dr_bp[l] = s.burst_period * time * rate;
    c->dr_bleft[l] = s.bursts > 1 ? (float)(s.bursts - 1) : 0.0f;
    c->dr_blevel[l] = s.noise_gain;
    ost_svf_coefs bp = ost_svf_design(s.bp_hz * pitch, s.bp_q, rate);
    c->dr_f1a1[l] = bp.a1, c->dr_f1a2[l] = bp.a2, c->dr_f1a3[l] = bp.a3, c->dr_f1k[l] = bp.k;
    ost_svf_coefs hp = ost_svf_design(s.hp_hz * pitch, 0.70710678f, rate);
    c->dr_f2a1[l] = hp.a1, c->dr_f2a2[l] = hp.a2, c->dr_f2a3[l] = hp.a3, c->dr_f2k[l] = hp.k;
    c->dr_level[l] = s.level;
    /* the same noise every time: a drum sounds the same on every hit, as a
       drum machine's sample does */
    g->noise[l] = ost_noise_seed(0x0D12u, (uint64_t)(sound * 256 + (int)v[OST_PARAM_BANK] * 16 +
                                                      ((int)floorf(v[OST_PARAM_N]) & 3)));
    /* the voice is over when its longest part is 90 dB down */
    float longest = fmaxf(fmaxf(s.tau1, s.tau2), fmaxf(fmaxf(s.tau_m, s.tau_n), s.tau_c)) * time;
    float bursts = s.bursts ? s.burst_period * (float)s.bursts * time : 0.0f;
    return ost_env_frames(longest * 10.4f + bursts, rate) + 1;
}

/* Sample playback; returns 0 when the sample cannot play (not ready). */
static int sample_start(ost_voices *p, ost_group *g, int l, const ost_note *e, ost_sample_data *d) {
    const float *v = e->params;
    ost_chain *c = g->chain;
    ost_sampler_lane *s = &c->smp[l];
    int64_t len = (int64_t)d->length;
    float speed = v[OST_PARAM_SPEED];
    int dir = speed < 0.0f ? -1 : 1;
    float rate = fabsf(speed);
    if (v[OST_PARAM_UNIT] >= 0.5f) rate *= (float)len / d->rate; /* "c": speed x the sample's seconds */
    rate *= v[OST_PARAM_FREQ] / C2_HZ;
    float inc = rate * d->rate / p->rate;
    if (!(inc >= 1e-6f)) inc = 1e-6f;
    if (inc > 64.0f) inc = 64.0f;
    int64_t first = (int64_t)floorf(v[OST_PARAM_BEGIN] * (float)len);
    int64_t last = (int64_t)ceilf(v[OST_PARAM_END] * (float)len) - 1;
    if (first < 0) first = 0;
    if (last > len - 1) last = len - 1;
    s->data = d;
    s->frames = d->frames;
    s->channels = d->channels;
    s->dir = dir;
    s->first = first;
    s->last = last;
    s->loop = v[OST_PARAM_LOOP] >= 0.5f;
    s->loop_first = (int64_t)floorf(v[OST_PARAM_LOOPBEGIN] * (float)len);
    s->loop_last = (int64_t)ceilf(v[OST_PARAM_LOOPEND] * (float)len) - 1;
    if (s->loop_last > len - 1) s->loop_last = len - 1;
    if (s->loop_last < s->loop_first) s->loop = 0;
    if (s->loop) { /* a loop plays over the whole sample: end does not stop it */
        s->first = 0;
        s->last = len - 1;
    }
    s->frac = 0.0f;
    s->ended = 0;
    s->stream = -1;
    g->dt[l] = inc;
    c->v.base_dt[l] = inc;
    if (last < first) { /* nothing to play */
        s->ended = 3;
    } else if (d->streamed) {
        s->stream = (int32_t)e->reserved - 1;
        s->prime = 3; /* h[1..3] come from the ring before the first frame is heard */
        memset(s->h, 0, sizeof s->h);
    } else {
        int64_t start = dir > 0 ? first : last, before = start - dir;
        memset(s->h, 0, sizeof s->h);
        if (before >= 0 && before < len) { /* the frame before, for the interpolation only */
            const float *f = d->frames + (size_t)before * d->channels;
            s->h[0][0] = f[0];
            s->h[0][1] = d->channels > 1 ? f[1] : f[0];
        }
        const float *f = d->frames + (size_t)start * d->channels;
        s->h[1][0] = f[0];
        s->h[1][1] = d->channels > 1 ? f[1] : f[0];
        s->fetch = start;
        for (int k = 2; k < 4; k++)
            if (!next_memory(s, &s->fetch, s->h[k])) s->ended++;
    }
    /* accelerate: the rate glides to rate x (1 + accelerate) over the note,
       or over the sample's own length when the note has no end */
    float accel = v[OST_PARAM_ACCELERATE];
    if (accel != 0.0f) {
        float span = e->dur_frames != OST_DUR_FOREVER ? (float)e->dur_frames : (float)(last - first + 1) / inc;
        c->v.accel[l] = accel / fmaxf(span, 1.0f);
    }
    return 1;
}

/* The filter LFOs of lane l: rate, depth, offset, shape and skew of each
   (ostinato.h); the first chunk's coefficients come from the control update
   that runs before the lane's first frame. */
_Static_assert(OST_PARAM_LPDC == OST_PARAM_LPRATE + 5 && OST_PARAM_HPRATE == OST_PARAM_LPRATE + 6 &&
                   OST_PARAM_BPRATE == OST_PARAM_HPRATE + 6, "a filter LFO's parameters are six in a row");

/* The cutoff factor of filter LFO f of lane l at its start (1 without one). */
static float filter_lfo_first(const ost_chain_lanes *cv, int f, int l) {
    if (cv->flfo_inc[f][l] == 0.0f) return 1.0f;
    return exp2f(cv->flfo_depth[f][l] * (ost_lfo_value(0.0f, (int)cv->flfo_shape[f][l], cv->flfo_skew[f][l]) + cv->flfo_dc[f][l]));
}

static void filter_lfos_start(ost_chain_lanes *cv, int l, const float *v, float rate) {
    static const int base[3] = {OST_PARAM_LPRATE, OST_PARAM_HPRATE, OST_PARAM_BPRATE};
    for (int f = 0; f < 3; f++) {
        const float *q = v + base[f]; /* rate, sync, depth, shape, skew, dc: the table's order */
        cv->flfo_inc[f][l] = ost_lfo_increment(q[0], q[1], v[OST_PARAM_CPS], rate);
        cv->flfo_depth[f][l] = q[2];
        cv->flfo_shape[f][l] = (float)ost_lfo_shape_index(q[3]);
        cv->flfo_skew[f][l] = ost_lfo_skew(q[4]);
        cv->flfo_dc[f][l] = q[5];
        cv->flfo_ph[f][l] = 0.0f;
    }
}

int ost_chain_start(ost_voices *p, ost_group *g, int l, const ost_note *e) {
    ost_chain *c = g->chain;
    const float *v = e->params;
    uint32_t kind = g->kind;
    uint32_t sound = kind >> OST_KIND_SOUND_SHIFT;
    float rate = p->rate;
    clear_lane(c, l);
    ost_chain_lanes *cv = &c->v;
    int stereo = (kind & OST_KIND_STEREO) != 0;

    if (sound == OST_SOUND_SAMPLE) {
        ost_sample_data *d = ost_samples_get_rt(p->samples, (int32_t)v[OST_PARAM_SAMPLE]);
        if (!d) return 0;
        if (kind & OST_KIND_WAVETABLE) wavetable_start(p, g, l, v, d);
        else sample_start(p, g, l, e, d);
        if (!d->streamed) ost_samples_hold_rt(d); /* a stream's hold came with the stream */
    } else if (sound >= OST_SOUND_FIRST_DRUM && sound <= OST_SOUND_LAST_DRUM) {
        g->life_left[l] = drum_start(p, g, l, v);
    } else {
        float dt = v[OST_PARAM_FREQ] / rate;
        if (!(dt >= 1e-7f)) dt = 1e-7f;
        if (dt > 0.45f) dt = 0.45f;
        g->dt[l] = dt;
        cv->base_dt[l] = dt;
        cv->pw[l] = v[OST_PARAM_PW];
        if (sound == OST_SOUND_SUPERSAW) {
            int voices = (int)v[OST_PARAM_UNISON];
            if (voices < 1) voices = 1;
            if (voices > OST_UNISON_MAX) voices = OST_UNISON_MAX;
            float spread = v[OST_PARAM_SPREAD], detune = v[OST_PARAM_DETUNE];
            float norm = 1.0f / sqrtf((float)voices);
            uint32_t seed = ost_noise_seed(p->seed, g->serial[l]);
            for (int k = 0; k < OST_UNISON_MAX; k++) {
                float pos = voices > 1 ? (float)k / (float)(voices - 1) * 2.0f - 1.0f : 0.0f; /* -1..1 */
                cv->ss_ratio[k][l] = k < voices ? exp2f(0.5f * detune * pos / 12.0f) : 1.0f;
                float pan = 0.5f + 0.5f * spread * pos, gl, gr;
                pan_gains(pan, 0, &gl, &gr);
                cv->ss_gl[k][l] = k < voices ? gl * norm * 1.41421356f : 0.0f;
                cv->ss_gr[k][l] = k < voices ? gr * norm * 1.41421356f : 0.0f;
                seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
                cv->ss_phase[k][l] = (float)(seed >> 8) * (1.0f / 16777216.0f); /* seeded: repeatable */
            }
        }
        if (kind & OST_KIND_FM) {
            cv->fm_h[l] = v[OST_PARAM_FMH];
            cv->fm_i[l] = v[OST_PARAM_FMI];
            int wave = ost_lfo_shape_index(v[OST_PARAM_FMWAVE]); /* 0 sine 1 tri 2 square 3 saw (4: ramp, as saw) */
            for (int k = 0; k < 4; k++) cv->fm_w[k][l] = k == (wave > 3 ? 3 : wave) ? 1.0f : 0.0f;
            ctl_env_start(&c->fmenv[l], v[OST_PARAM_FMATTACK], v[OST_PARAM_FMDECAY], v[OST_PARAM_FMSUSTAIN], 0.0f, rate);
            cv->fm_level[l] = c->fmenv[l].level;
        }
    }
    /* the modulation envelope: its depth on its target (the kind has the stage that applies it) */
    int target = (int)v[OST_PARAM_ENVTARGET];
    float mdepth = v[OST_PARAM_ENVDEPTH];
    if (target > 0) ctl_env_start(&c->menv[l], v[OST_PARAM_ENVATTACK], v[OST_PARAM_ENVDECAY], v[OST_PARAM_ENVSUSTAIN],
                                  v[OST_PARAM_ENVRELEASE], rate);
    float mfirst = c->menv[l].level;
    cv->menv_hp[l] = target == 1 ? mdepth : 0.0f;
    cv->menv_bp[l] = target == 2 ? mdepth : 0.0f;
    cv->menv_pitch[l] = target == 3 ? mdepth : 0.0f;
    cv->menv_gain[l] = target == 4 ? fminf(1.0f, fmaxf(0.0f, mdepth)) : 0.0f;
    cv->menv_pan[l] = target == 5 ? mdepth : 0.0f;
    cv->menv_g[l] = 1.0f - cv->menv_gain[l] + cv->menv_gain[l] * mfirst;
    if (kind & OST_KIND_PITCH) {
        cv->vib_inc[l] = v[OST_PARAM_VIB] / rate;
        cv->vib_depth[l] = v[OST_PARAM_VIB] > 0.0f ? v[OST_PARAM_VIBMOD] : 0.0f;
        cv->penv_depth[l] = v[OST_PARAM_PENV];
        if (v[OST_PARAM_PENV] != 0.0f || cv->menv_pitch[l] != 0.0f) {
            if (v[OST_PARAM_PENV] != 0.0f) ctl_env_start(&c->penv[l], v[OST_PARAM_PATTACK], v[OST_PARAM_PDECAY], 0.0f, 0.0f, rate);
            /* the first chunk already plays at the envelopes' start */
            float semis = cv->penv_depth[l] * c->penv[l].level + cv->menv_pitch[l] * mfirst;
            g->dt[l] *= exp2f(semis / 12.0f);
            if ((sound != OST_SOUND_SAMPLE || (kind & OST_KIND_WAVETABLE)) && g->dt[l] > 0.45f) g->dt[l] = 0.45f;
        }
        if ((sound != OST_SOUND_SAMPLE || (kind & OST_KIND_WAVETABLE)) && v[OST_PARAM_ACCELERATE] != 0.0f && e->dur_frames != OST_DUR_FOREVER)
            cv->accel[l] = v[OST_PARAM_ACCELERATE] / fmaxf((float)e->dur_frames, 1.0f);
    }
    pick_table(p, g, c, l, g->dt[l]); /* oscillators: their wavetable */
    if (sound == OST_SOUND_ADDITIVE) additive_start(cv, l, v, g->dt[l]);
    /* filters (and their LFOs' first values) */
    if (kind & OST_KIND_FLFO) filter_lfos_start(cv, l, v, rate);
    if (kind & OST_FILTER_LP) {
        float q = v[OST_PARAM_RESONANCE];
        cv->lp_cut[l] = v[OST_PARAM_CUTOFF];
        cv->lp_q[l] = q;
        cv->lp_depth[l] = v[OST_PARAM_LPENV];
        cv->lad_k[l] = ladder_k(q);
        cv->lad_comp[l] = 1.0f + cv->lad_k[l]; /* the passband back at unity (a ladder loses bass as k rises) */
        if (kind & OST_KIND_LPENV)
            ctl_env_start(&c->lpenv[l], v[OST_PARAM_LPATTACK], v[OST_PARAM_LPDECAY], v[OST_PARAM_LPSUSTAIN],
                          v[OST_PARAM_LPRELEASE], rate);
        float cut = v[OST_PARAM_CUTOFF] * ((kind & OST_KIND_LPENV) ? exp2f(cv->lp_depth[l] * c->lpenv[l].level) : 1.0f) *
                    filter_lfo_first(cv, OST_FLFO_LP, l);
        ost_svf_coefs a = ost_svf_design(cut, (kind & OST_KIND_LP24) ? 0.5412f : q, rate);
        cv->lp_a1[l] = a.a1, cv->lp_a2[l] = a.a2, cv->lp_a3[l] = a.a3;
        ost_svf_coefs b = ost_svf_design(cut, q * (1.3066f / 0.70710678f), rate);
        cv->lp2_a1[l] = b.a1, cv->lp2_a2[l] = b.a2, cv->lp2_a3[l] = b.a3;
        float fc = cut < 10.0f ? 10.0f : (cut > 0.45f * rate ? 0.45f * rate : cut);
        float gg = tanf((float)M_PI * fc / rate);
        cv->lad_g[l] = gg / (1.0f + gg);
    }
    cv->hp_cut[l] = v[OST_PARAM_HCUTOFF], cv->hp_q[l] = v[OST_PARAM_HRESONANCE];
    cv->bp_cut[l] = v[OST_PARAM_BANDF], cv->bp_q[l] = v[OST_PARAM_BANDQ];
    if (kind & OST_FILTER_HP) {
        ost_svf_coefs a = ost_svf_design(v[OST_PARAM_HCUTOFF] * filter_lfo_first(cv, OST_FLFO_HP, l) * exp2f(cv->menv_hp[l] * mfirst),
                                         v[OST_PARAM_HRESONANCE], rate);
        cv->hp_a1[l] = a.a1, cv->hp_a2[l] = a.a2, cv->hp_a3[l] = a.a3, cv->hp_k[l] = a.k;
    }
    if (kind & OST_FILTER_BP) {
        ost_svf_coefs a = ost_svf_design(v[OST_PARAM_BANDF] * filter_lfo_first(cv, OST_FLFO_BP, l) * exp2f(cv->menv_bp[l] * mfirst),
                                         v[OST_PARAM_BANDQ], rate);
        cv->bp_a1[l] = a.a1, cv->bp_a2[l] = a.a2, cv->bp_a3[l] = a.a3, cv->bp_k[l] = a.k;
    }
    if (kind & OST_KIND_TREMOLO) ost_tremolo_start(cv, l, v, rate);
    if (kind & OST_KIND_TRANSIENT) ost_transient_start(cv, l, v, rate);
    if (kind & OST_KIND_VOWEL) {
        int vw = (int)v[OST_PARAM_VOWEL] - 1;
        if (vw < 0) vw = 0;
        if (vw > 4) vw = 4;
        for (int f = 0; f < OST_FORMANTS; f++) {
            float hz = FORMANT_HZ[vw][f];
            ost_svf_coefs a = ost_svf_design(hz, hz / FORMANT_BW[vw][f], rate);
            cv->vw_a1[f][l] = a.a1, cv->vw_a2[f][l] = a.a2, cv->vw_a3[f][l] = a.a3;
            /* band x k is 0 dB at the centre; x2 makes up for what the bands leave out */
            cv->vw_g[f][l] = a.k * powf(10.0f, FORMANT_DB[vw][f] / 20.0f) * 2.0f;
        }
    }
    if (kind & OST_KIND_COARSE) cv->coarse_n[l] = floorf(v[OST_PARAM_COARSE]);
    if (kind & OST_KIND_CRUSH) {
        float steps = exp2f(v[OST_PARAM_CRUSH] - 1.0f);
        cv->crush_s[l] = steps;
        cv->crush_inv[l] = 1.0f / steps;
    }
    if (kind & OST_KIND_SHAPE) {
        float a = v[OST_PARAM_SHAPE] > 0.99f ? 0.99f : v[OST_PARAM_SHAPE];
        cv->shape_k[l] = 2.0f * a / (1.0f - a);
    }
    float distortvol = 1.0f;
    if (kind & OST_KIND_DISTORT) { /* no make-down: distortion gets louder, as in Strudel; distortvol is after it */
        int type = ost_distort_type_of(v[OST_PARAM_DISTORTTYPE]);
        cv->distort_g[l] = ost_distort_drive(type, v[OST_PARAM_DISTORT]);
        cv->distort_t[l] = (float)(type + 1);
        distortvol = v[OST_PARAM_DISTORTVOL];
    }
    /* output gains */
    float amp = v[OST_PARAM_GAIN] * v[OST_PARAM_VELOCITY] * v[OST_PARAM_POSTGAIN] * distortvol *
                ost_voice_level((uint32_t)(int)v[OST_PARAM_SOUND]), gl, gr; /* the event's sound: an additive kind is a synth */
    if (c->pan_moves) { /* the output ramps the pan gains itself: the gains below are unpanned */
        float pan = v[OST_PARAM_PAN] + cv->menv_pan[l] * mfirst;
        cv->pan_base[l] = v[OST_PARAM_PAN];
        pan_gains(pan < 0.0f ? 0.0f : (pan > 1.0f ? 1.0f : pan), stereo, &cv->pan_gl[l], &cv->pan_gr[l]);
        gl = gr = 1.0f;
    } else {
        pan_gains(v[OST_PARAM_PAN], stereo, &gl, &gr);
    }
    cv->out_l[l] = amp * gl * v[OST_PARAM_DRY];
    cv->out_r[l] = amp * gr * v[OST_PARAM_DRY];
    cv->dly_l[l] = amp * gl * v[OST_PARAM_DELAY];
    cv->dly_r[l] = amp * gr * v[OST_PARAM_DELAY];
    cv->rev_l[l] = amp * gl * v[OST_PARAM_ROOM];
    cv->rev_r[l] = amp * gr * v[OST_PARAM_ROOM];
    cv->cho_l[l] = amp * gl * v[OST_PARAM_CHORUS];
    cv->cho_r[l] = amp * gr * v[OST_PARAM_CHORUS];
    return 1;
}

void ost_chain_stop(ost_voices *p, ost_group *g, int l) {
    ost_sampler_lane *s = &g->chain->smp[l];
    if (s->stream >= 0) ost_streams_release_rt(p->streams, s->stream);
    if (s->data) ost_samples_drop_rt(p->samples, s->data);
    s->data = NULL;
    s->frames = NULL;
    s->stream = -1;
    g->chain->v.distort_t[l] = 0.0f; /* no pass for a free lane's type */
}

void ost_chain_note_off(ost_group *g, int l) {
    ost_chain *c = g->chain;
    ctl_env_release(&c->lpenv[l]);
    ctl_env_release(&c->wtenv[l]);
    ctl_env_release(&c->menv[l]);
    ctl_env_release(&c->wpenv[l]);
}

/* ================================================================ render */

void ost_chain_render(ost_voices *p, ost_group *g, uint32_t offset, uint32_t n) {
    ost_chain *c = g->chain;
    uint32_t done = 0;
    while (done < n) {
        uint32_t span = n - done;
        if (c->control) {
            if (c->ctl_left == 0) {
                uint32_t chunk = OST_CTL_FRAMES;
                c->control(p, g, c, chunk);
                c->ctl_left = chunk;
            }
            if (span > c->ctl_left) span = c->ctl_left;
            c->ctl_left -= span;
        }
        ost_vf *l = p->scratch_l, *r = p->scratch_r;
        c->source(p, g, c, l, r, span);
        /* the amplitude envelope, on both channels */
        ost_vf env = g->env, step = g->env_step, ea = g->env_a, eb = g->env_b;
        if (c->channels == 2) {
            for (uint32_t i = 0; i < span; i++) {
                step += ea * env + eb;
                env += step;
                l[i] *= env;
                r[i] *= env;
            }
        } else {
            for (uint32_t i = 0; i < span; i++) {
                step += ea * env + eb;
                env += step;
                l[i] *= env;
            }
        }
        g->env = env;
        g->env_step = step;
        for (uint32_t ch = 0; ch < c->channels; ch++)
            for (uint32_t k = 0; k < c->n_stages; k++) c->stages[k](c, &c->v.ch[ch], ch ? r : l, span);
        c->output(p, g, c, l, c->channels == 2 ? r : l, offset + done, span);
        done += span;
    }
}

int ost_chain_quiet(const ost_chain *c, int l) {
    const float quiet = 1e-5f; /* -100 dB re full scale, before the voice's gain */
    float m = 0.0f;
    for (uint32_t ch = 0; ch < c->channels; ch++) {
        const ost_chain_channel *x = &c->v.ch[ch];
        for (int k = 0; k < 4; k++) m = fmaxf(m, fabsf(x->lp[k][l]));
        for (int k = 0; k < 2; k++) m = fmaxf(m, fmaxf(fabsf(x->hp[k][l]), fabsf(x->bp[k][l])));
        for (int f = 0; f < OST_FORMANTS; f++) m = fmaxf(m, fmaxf(fabsf(x->vowel[f][0][l]), fabsf(x->vowel[f][1][l])));
        m = fmaxf(m, ost_shaper_level(&x->shaper, l));
    }
    return m < quiet;
}

ost_vi ost_chain_finite(const ost_chain *c) {
    ost_vf big = ost_vf_set(1e18f);
    ost_vi ok = (ost_vi){0} - 1;
    for (uint32_t ch = 0; ch < 2; ch++) {
        const ost_chain_channel *x = &c->v.ch[ch];
        for (int k = 0; k < 4; k++) ok &= ost_vf_abs(x->lp[k]) < big;
        ok &= (ost_vf_abs(x->hp[0]) < big) & (ost_vf_abs(x->hp[1]) < big) & (ost_vf_abs(x->bp[0]) < big) &
              (ost_vf_abs(x->bp[1]) < big) & (ost_vf_abs(x->hold) < big);
        for (int f = 0; f < OST_FORMANTS; f++) ok &= (ost_vf_abs(x->vowel[f][0]) < big) & (ost_vf_abs(x->vowel[f][1]) < big);
        ok &= ost_shaper_finite(&x->shaper);
    }
    ok &= (ost_vf_abs(c->v.dr_f1s1) < big) & (ost_vf_abs(c->v.dr_f2s1) < big);
    return ok;
}
