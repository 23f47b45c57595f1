/*
 * drum.h — the built-in drum kit: every drum is synthesized, no files.
 *
 * One model covers the kit, as in the analog machines it imitates:
 *  - a tone: one or two sines whose pitch falls from (1 + sweep) x f to f
 *    (kick, toms, the snare's body, the rim), each with its own exponential
 *    decay, optionally driven into a soft clipper (the 909 kick's punch);
 *  - a metal cluster: six band-limited square waves at inharmonic
 *    frequencies (the 808's cymbal and hat oscillators; two of them make
 *    the cowbell);
 *  - noise with its own decay, an optional attack (the shaker) and a short
 *    click, or re-triggered in quick bursts (the clap);
 *  - metal and noise pass a bandpass then a highpass; the tone does not.
 * A drum is a specification in physical units (Hz, seconds) per kit and
 * drum; `n` picks a variation (pitch, decay and brightness offsets), `bank`
 * the kit, `speed` and `note` scale every frequency (and shorten or
 * lengthen every time by the inverse, as playing a sample faster would).
 * A drum voice ends by itself once its longest decay is 90 dB down.
 */
#ifndef OST_DRUM_H
#define OST_DRUM_H

#include <stdint.h>

#include "ostinato.h"

#define OST_DRUM_METALS 6
#define OST_DRUM_KITS 3
#define OST_DRUM_COUNT (OST_SOUND_LAST_DRUM - OST_SOUND_FIRST_DRUM + 1)
#define OST_DRUM_VARIATIONS 4

typedef struct ost_drum_spec {
    float f1, g1, tau1;        /**< tone 1: Hz, gain, decay s (f1 0: no tone) */
    float f2, g2, tau2;        /**< tone 2 (f2 0: none) */
    float sweep, tau_p;        /**< pitch envelope: starts at (1 + sweep) x f, decays in tau_p s */
    float drive;               /**< soft clipping of the tone (0: none) */
    float metal_hz;            /**< scale of the metal cluster (0: none): 1 = the 808's 205..800 Hz */
    float metal_w[OST_DRUM_METALS]; /**< weight of each metal oscillator */
    float metal_gain, tau_m, metal_attack;
    float noise_gain, tau_n, noise_attack;
    float click_gain, tau_c;
    float bp_hz, bp_q, hp_hz;  /**< the metal and noise filters */
    int bursts;                /**< clap: noise re-triggered this many times */
    float burst_period, burst_tau;
    float level;               /**< output scale */
} ost_drum_spec;

/** The specification of a drum (sound index) in a kit (0..2) and variation
 *  (any n; wraps). Thread: any. */
ost_drum_spec ost_drum_spec_for(int sound, int kit, int variation);

/** Which parts a drum has, for choosing its compiled loop. */
enum { OST_DRUM_TONE = 1, OST_DRUM_TONE2 = 2, OST_DRUM_METAL = 4, OST_DRUM_NOISE = 8, OST_DRUM_BURST = 16,
       OST_DRUM_DRIVE = 32 };
/** The parts of drum `sound` (the same in every kit). Thread: any. */
uint32_t ost_drum_parts(int sound);

#endif
