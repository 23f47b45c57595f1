/*
 * chain.h — the stage chain: how a voice that is more than an oscillator
 * through a 12 dB filter is rendered (see voice.h for the choice).
 *
 * Per span of frames, for the OST_LANES voices of a group:
 *   control (only kinds whose pitch or cutoff moves; every OST_CTL_FRAMES):
 *       vibrato, pitch envelope, accelerate, FM envelope -> increments;
 *       lowpass envelope and the filter LFOs -> filter coefficients;
 *       the modulation envelope (env on hpf, bpf, pitch or gain);
 *   source: oscillator (with FM), supersaw, pulse, noise, drum or sample,
 *       into one or two channel buffers;
 *   the amplitude envelope (x gain is applied at the output);
 *   the stages the kind switched on, in Strudel's order: lowpass (12 dB,
 *       24 dB or ladder), highpass, bandpass, vowel, coarse, crush, shape,
 *       distort (the last three 8x oversampled, see shaper.h), tremolo, transient;
 *   output: postgain, pan (balance for stereo sources), dry level and the
 *       delay, reverb and chorus sends into the orbit's buses (or into its phaser).
 * Every function pointer is chosen once, when the group is made; every
 * stage is one branch-free loop over the span.
 *
 * Thread: audio, except where noted.
 */
#ifndef OST_CHAIN_H
#define OST_CHAIN_H

#include "drum.h"
#include "lfo.h"
#include "shaper.h"
#include "voice.h"

#define OST_FORMANTS 5
#define OST_UNISON_MAX 8
#define OST_MAX_STAGES 12

/** Filter and effect state of one channel (per-lane vectors). */
typedef struct ost_chain_channel {
    ost_vf lp[4];                     /**< 12 dB: lp[0..1]; 24 dB and ladder: lp[0..3] */
    ost_vf hp[2], bp[2];
    ost_vf vowel[OST_FORMANTS][2];
    ost_vf hold, count;               /**< coarse: the held sample, frames until the next */
    ost_shaper_state shaper;          /**< shape and distort's oversampler */
    ost_vf tr_fast, tr_slow;          /**< the transient shaper's followers */
} ost_chain_channel;

/** The per-lane vectors of a chain, kept together so a lane can be
 *  cleared in one pass when a voice starts there. */
typedef struct ost_chain_lanes {
    ost_chain_channel ch[2];
    /* lowpass */
    ost_vf lp_a1, lp_a2, lp_a3;           /**< 12 dB, or the first 24 dB stage */
    ost_vf lp2_a1, lp2_a2, lp2_a3;        /**< the second 24 dB stage */
    ost_vf lad_g, lad_k, lad_comp;        /**< ladder: one-pole gain G, feedback k, gain compensation */
    ost_vf lp_cut, lp_q, lp_depth;        /**< base cutoff, Q, envelope depth in octaves */
    ost_vf lpenv_level;                   /**< 0..1 */
    /* highpass, bandpass */
    ost_vf hp_a1, hp_a2, hp_a3, hp_k;
    ost_vf bp_a1, bp_a2, bp_a3, bp_k;
    /* vowel */
    ost_vf vw_a1[OST_FORMANTS], vw_a2[OST_FORMANTS], vw_a3[OST_FORMANTS], vw_g[OST_FORMANTS];
    /* coarse, crush, shape, distort (distort_t: its type + 1, 0 on a free lane) */
    ost_vf coarse_n, crush_s, crush_inv, shape_k, distort_g, distort_t;
    /* output */
    ost_vf out_l, out_r, dly_l, dly_r, rev_l, rev_r, cho_l, cho_r;
    /* pitch */
    ost_vf base_dt, dt_step, vib_phase, vib_inc, vib_depth, accel, t, penv_depth, penv_level;
    ost_vf fm_phase, fm_h, fm_i, fm_level, fm_w[4]; /* fm_w: the modulator's wave weights (sine, tri, square, saw) */
    /* supersaw and pulse */
    ost_vf ss_phase[OST_UNISON_MAX], ss_ratio[OST_UNISON_MAX], ss_gl[OST_UNISON_MAX], ss_gr[OST_UNISON_MAX];
    ost_vf pw;
    /* drum */
    ost_vf dr_ph1, dr_ph2, dr_dt1, dr_dt2, dr_sweep, dr_kp;
    ost_vf dr_t1, dr_kt1, dr_t2, dr_kt2, dr_drive, dr_dnorm;
    ost_vf dr_mph[OST_DRUM_METALS], dr_mdt[OST_DRUM_METALS], dr_midt[OST_DRUM_METALS], dr_mw[OST_DRUM_METALS];
    ost_vf dr_m, dr_km, dr_ma, dr_kma;
    ost_vf dr_n, dr_kn, dr_kn_tail, dr_na, dr_kna, dr_c, dr_kc;
    ost_vf dr_bt, dr_bp, dr_bleft, dr_blevel;
    ost_vf dr_f1a1, dr_f1a2, dr_f1a3, dr_f1k, dr_f1s1, dr_f1s2;
    ost_vf dr_f2a1, dr_f2a2, dr_f2a3, dr_f2k, dr_f2s1, dr_f2s2;
    ost_vf dr_level;
    /* filter LFOs (index OST_FLFO_LP, _HP, _BP) and tremolo (tremolo.h) */
    ost_vf flfo_ph[3], flfo_inc[3], flfo_depth[3], flfo_dc[3], flfo_shape[3], flfo_skew[3];
    ost_vf hp_cut, hp_q, bp_cut, bp_q;
    ost_vf trem_ph, trem_inc, trem_depth;
    ost_lfo_shape trem_shape;
    ost_vf tr_amount, tr_sustain, tr_fast_up, tr_fast_down, tr_slow_up, tr_slow_down; /* transient.h */
    ost_vf wt_next, wt_morph; /* wavetable: floats to the next cycle's table, and how much of it is heard */
    ost_vf wt_pos, wt_env, wt_ph, wt_inc, wt_depth, wt_shape, wt_skew, wt_dc; /* its position and their modulation */
    /* the modulation envelope (env({...}) off lpf): its depth on each target (0: not this one) */
    ost_vf menv_hp, menv_bp, menv_pitch, menv_gain; /* octaves, octaves, semitones, 0..1 */
    ost_vf menv_g, menv_gstep;                      /* gain: its factor now, and per frame to the next update's */
    ost_vf menv_pan, pan_base, pan_gl, pan_gr, pan_sl, pan_sr; /* pan: depth, the event's pan, the pan gains now and per frame */
    ost_vf wp_c0, wp_s1, wp_c1, wp_s2, wp_c2;       /* wavetable warp: the phase map's terms per unit amount (chain.c) */
    ost_vf wp_a, wp_m, wp_amt;                      /* the amount asked, the map's harmonic (1, 2), the amount played */
    ost_vf wp_base, wp_env, wp_ph, wp_inc, wp_depth, wp_shape, wp_skew, wp_dc, wp_on; /* warp, its envelope and LFO; wp_on: a mode */
    /* the additive oscillator (partials): harmonic k's sine and cosine weights as listed, and as played
       (those at or near Nyquist faded out for the lane's increment); how many it lists */
    ost_vf ad_s0[OST_PARTIALS_MAX], ad_c0[OST_PARTIALS_MAX], ad_s[OST_PARTIALS_MAX], ad_c[OST_PARTIALS_MAX];
    ost_vf ad_n;
} ost_chain_lanes;

enum { OST_FLFO_LP, OST_FLFO_HP, OST_FLFO_BP };

/** A control-rate envelope of one lane: attack -> decay -> sustain, and a
 *  release after note-off. Levels 0..1. */
typedef struct ost_ctl_env {
    float level, step;
    uint32_t left;      /**< frames left in the segment */
    uint8_t segment;    /**< ost_env_segment */
    uint32_t attack, decay, release;
    float sustain;
} ost_ctl_env;

/** Sample playback of one lane. */
typedef struct ost_sampler_lane {
    ost_sample_data *data;
    const float *frames;
    int64_t fetch;            /**< memory: the frame last fetched (h[3]'s) */
    int32_t prime;            /**< stream: frames still to shift in before the first is heard */
    int64_t first, last;      /**< playable frames, inclusive */
    int64_t loop_first, loop_last;
    float frac;               /**< position between h[1] and h[2] */
    int32_t dir;              /**< +1 forwards, -1 backwards */
    int32_t loop;
    uint32_t channels;
    int32_t stream;           /**< stream index, -1 for memory */
    int32_t ended;            /**< fetches past the end so far: at 3 the last frame has been played */
    float h[4][2];            /**< history: previous, current, next, after next */
} ost_sampler_lane;

typedef struct ost_chain ost_chain;

typedef void (*ost_source_fn)(ost_voices *p, ost_group *g, ost_chain *c, ost_vf *l, ost_vf *r, uint32_t n);
typedef void (*ost_stage_fn)(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n);
typedef void (*ost_control_fn)(ost_voices *p, ost_group *g, ost_chain *c, uint32_t n);
typedef void (*ost_output_fn)(ost_voices *p, ost_group *g, ost_chain *c, const ost_vf *l, const ost_vf *r,
                              uint32_t offset, uint32_t n);

struct ost_chain {
    ost_chain_lanes v;
    ost_ctl_env penv[OST_LANES], lpenv[OST_LANES], fmenv[OST_LANES], wtenv[OST_LANES], menv[OST_LANES], wpenv[OST_LANES];
    ost_sampler_lane smp[OST_LANES];
    const float *wt_base[OST_LANES];   /**< wavetable: the lane's table now (a silent pair when the lane is free) */
    uint32_t wt_frame[OST_LANES];      /**< wavetable: the lane's lower cycle */
    uint32_t ctl_left;                /**< frames until the next control update */
    /* chosen once per group */
    ost_source_fn source;
    ost_control_fn control;           /**< NULL when nothing moves */
    ost_stage_fn stages[OST_MAX_STAGES];
    uint32_t n_stages;
    ost_output_fn output;
    uint32_t shaper_what;             /**< crush, shape, distort: which run in the oversampler (shaper.h) */
    uint32_t channels;                /**< 1, or 2 for stereo sources */
    int pan_moves;                    /**< tremolo kinds: the output's pan gains ramp (the modulation envelope on pan) */
};

/** Chooses the source, control, stages and output of a chain kind; `order`
 *  is an FX(...) chain's stage order (the _fxorder parameter, 0 = none).
 *  Thread: audio (when a group is made). */
void ost_chain_setup(ost_chain *c, uint32_t kind, uint32_t order);
/** An FX order reduced to the stages `kind` has on, so voices whose chains
 *  name stages they do not use still share a group. Thread: any. */
uint32_t ost_chain_order(uint32_t kind, uint32_t order);
/** Clears lane l and sets it up for the event. Returns 0 when the voice
 *  cannot start (its sample is not ready): nothing was changed then.
 *  Thread: audio. */
int ost_chain_start(ost_voices *p, ost_group *g, int lane, const ost_note *e);
/** Lets go of what lane l holds (sample, stream). Thread: audio. */
void ost_chain_stop(ost_voices *p, ost_group *g, int lane);
/** Moves the lane's control envelopes to their release (note-off).
 *  Thread: audio. */
void ost_chain_note_off(ost_group *g, int lane);
/** Renders `n` frames of a chain group (one span: no envelope boundary
 *  inside). Thread: audio. */
void ost_chain_render(ost_voices *p, ost_group *g, uint32_t offset, uint32_t n);
/** Whether lane l's filters have rung down (every state below -100 dB). */
int ost_chain_quiet(const ost_chain *c, int lane);
/** 0 when some lane's state went non-finite (the voice code resets it). */
ost_vi ost_chain_finite(const ost_chain *c);

#endif
