/*
 * drum.c — the kit: a specification per drum and kit, variations (see
 * drum.h). The numbers were set by listening through analysis: spectra,
 * decay times and peak levels, checked in test/engine/drums.test.ts.
 */
#include "drum.h"

#include <string.h>

/* x(field = value, ...) makes a spec; unset fields are 0. */
#define SPEC(...) ((ost_drum_spec){__VA_ARGS__})
#define ALL_METALS .metal_w = {1, 1, 1, 1, 1, 1}
#define BELL_METALS .metal_w = {0, 0, 0, 0, 1, 1}

enum { KIT_DEFAULT, KIT_808, KIT_909 };

static ost_drum_spec base(int sound, int kit) {
    switch (sound) {
    case OST_SOUND_BD:
        if (kit == KIT_808) /* long, round boom; a soft click */
            return SPEC(.f1 = 49, .g1 = 1, .tau1 = 0.3f, .sweep = 1.6f, .tau_p = 0.026f, .drive = 0.2f,
                        .click_gain = 0.25f, .tau_c = 0.0018f, .bp_hz = 2500, .bp_q = 0.35f, .hp_hz = 250,
                        .level = 0.69f);
        if (kit == KIT_909) /* short, punchy, driven; a sharp click */
            return SPEC(.f1 = 54, .g1 = 1, .tau1 = 0.13f, .sweep = 3.6f, .tau_p = 0.016f, .drive = 1.4f,
                        .click_gain = 0.7f, .tau_c = 0.0035f, .bp_hz = 4200, .bp_q = 0.45f, .hp_hz = 900,
                        .level = 0.55f);
        return SPEC(.f1 = 52, .g1 = 1, .tau1 = 0.19f, .sweep = 2.6f, .tau_p = 0.02f, .drive = 0.8f,
                    .click_gain = 0.45f, .tau_c = 0.0028f, .bp_hz = 3500, .bp_q = 0.4f, .hp_hz = 500,
                    .level = 0.6f);
    case OST_SOUND_SD:
        if (kit == KIT_808)
            return SPEC(.f1 = 185, .g1 = 0.65f, .tau1 = 0.09f, .f2 = 330, .g2 = 0.4f, .tau2 = 0.06f, .sweep = 0.25f,
                        .tau_p = 0.012f, .noise_gain = 0.55f, .tau_n = 0.15f, .click_gain = 0.25f, .tau_c = 0.002f,
                        .bp_hz = 5000, .bp_q = 0.45f, .hp_hz = 1400, .level = 0.41f);
        if (kit == KIT_909)
            return SPEC(.f1 = 190, .g1 = 0.55f, .tau1 = 0.07f, .f2 = 345, .g2 = 0.35f, .tau2 = 0.05f, .sweep = 0.45f,
                        .tau_p = 0.01f, .noise_gain = 0.85f, .tau_n = 0.19f, .click_gain = 0.35f, .tau_c = 0.0025f,
                        .bp_hz = 6500, .bp_q = 0.4f, .hp_hz = 1800, .level = 0.35f);
        return SPEC(.f1 = 200, .g1 = 0.6f, .tau1 = 0.08f, .f2 = 340, .g2 = 0.38f, .tau2 = 0.055f, .sweep = 0.35f,
                    .tau_p = 0.011f, .noise_gain = 0.7f, .tau_n = 0.17f, .click_gain = 0.3f, .tau_c = 0.0022f,
                    .bp_hz = 5500, .bp_q = 0.42f, .hp_hz = 1600, .level = 0.38f);
    case OST_SOUND_HH:
    case OST_SOUND_OH: {
        int open = sound == OST_SOUND_OH;
        if (kit == KIT_808)
            return SPEC(.metal_hz = 1, ALL_METALS, .metal_gain = 0.55f, .tau_m = open ? 0.3f : 0.038f,
                        .noise_gain = 0.3f, .tau_n = open ? 0.25f : 0.03f, .bp_hz = 10000, .bp_q = 0.8f,
                        .hp_hz = 7000, .level = 1.1f);
        if (kit == KIT_909)
            return SPEC(.metal_hz = 1.18f, ALL_METALS, .metal_gain = 0.3f, .tau_m = open ? 0.42f : 0.045f,
                        .noise_gain = 0.65f, .tau_n = open ? 0.38f : 0.042f, .bp_hz = 11000, .bp_q = 0.6f,
                        .hp_hz = 8000, .level = open ? 0.46f : 0.53f);
        return SPEC(.metal_hz = 1.08f, ALL_METALS, .metal_gain = 0.45f, .tau_m = open ? 0.35f : 0.042f,
                    .noise_gain = 0.45f, .tau_n = open ? 0.3f : 0.038f, .bp_hz = 10500, .bp_q = 0.7f,
                    .hp_hz = 7500, .level = 0.72f);
    }
    case OST_SOUND_CP:
        if (kit == KIT_909)
            return SPEC(.noise_gain = 1, .tau_n = 0.1f, .bursts = 3, .burst_period = 0.0095f, .burst_tau = 0.0028f,
                        .bp_hz = 1300, .bp_q = 1.2f, .hp_hz = 650, .level = 0.93f);
        return SPEC(.noise_gain = 1, .tau_n = kit == KIT_808 ? 0.15f : 0.12f, .bursts = kit == KIT_808 ? 4 : 3,
                    .burst_period = 0.0105f, .burst_tau = 0.003f, .bp_hz = kit == KIT_808 ? 1050 : 1150,
                    .bp_q = 1.5f, .hp_hz = 600, .level = kit == KIT_808 ? 1.4f : 1.2f);
    case OST_SOUND_RIM:
        return SPEC(.f1 = kit == KIT_909 ? 500 : 455, .g1 = 0.55f, .tau1 = 0.011f, .f2 = kit == KIT_909 ? 1800 : 1667,
                    .g2 = 0.6f, .tau2 = 0.009f, .sweep = 0.08f, .tau_p = 0.004f, .click_gain = 0.45f,
                    .tau_c = 0.0018f, .bp_hz = 3200, .bp_q = 0.7f, .hp_hz = 1200, .level = 0.39f);
    case OST_SOUND_LT:
    case OST_SOUND_MT:
    case OST_SOUND_HT: {
        float f = sound == OST_SOUND_LT ? 82.0f : sound == OST_SOUND_MT ? 123.0f : 175.0f;
        if (kit == KIT_909) f *= 1.18f;
        float tau = kit == KIT_808 ? 0.24f : kit == KIT_909 ? 0.15f : 0.19f;
        return SPEC(.f1 = f, .g1 = 1, .tau1 = tau, .sweep = kit == KIT_909 ? 0.75f : 0.5f, .tau_p = 0.055f,
                    .drive = 0.3f, .noise_gain = kit == KIT_909 ? 0.2f : 0.08f, .tau_n = 0.05f,
                    .click_gain = 0.2f, .tau_c = 0.002f, .bp_hz = 2200, .bp_q = 0.5f, .hp_hz = 400,
                    .level = 0.52f);
    }
    case OST_SOUND_CB:
        return SPEC(.metal_hz = kit == KIT_909 ? 1.06f : 1.0f, BELL_METALS, .metal_gain = 0.9f,
                    .tau_m = kit == KIT_808 ? 0.2f : 0.16f, .click_gain = 0.3f, .tau_c = 0.004f, .bp_hz = 1800,
                    .bp_q = 0.55f, .hp_hz = 420, .level = 0.9f);
    case OST_SOUND_CR:
        return SPEC(.metal_hz = kit == KIT_909 ? 2.6f : 2.2f, ALL_METALS, .metal_gain = 0.4f,
                    .tau_m = kit == KIT_808 ? 0.95f : 0.8f, .metal_attack = 0.0015f,
                    .noise_gain = kit == KIT_909 ? 0.7f : 0.5f, .tau_n = kit == KIT_808 ? 1.1f : 0.9f,
                    .noise_attack = 0.001f, .bp_hz = 7000, .bp_q = 0.45f, .hp_hz = 3500,
                    .level = kit == KIT_909 ? 0.45f : 0.64f);
    case OST_SOUND_RD:
        return SPEC(.metal_hz = kit == KIT_909 ? 1.9f : 1.6f, ALL_METALS, .metal_gain = 0.55f,
                    .tau_m = kit == KIT_808 ? 1.6f : 1.3f, .metal_attack = 0.001f, .noise_gain = 0.18f,
                    .tau_n = 0.7f, .bp_hz = 5500, .bp_q = 1.1f, .hp_hz = 2800, .level = kit == KIT_909 ? 0.9f : 1.1f);
    case OST_SOUND_SH:
    default:
        return SPEC(.noise_gain = 1, .tau_n = kit == KIT_909 ? 0.05f : 0.06f, .noise_attack = 0.012f,
                    .bp_hz = kit == KIT_808 ? 6500 : 7500, .bp_q = 1.0f, .hp_hz = 4000, .level = 0.55f);
    }
}

/* The levels above put a kick near -2.5 dBFS; the kit plays 6.6 dB below
   that (a kick peaks at -9.1 dBFS, -21.0 LUFS one hit a beat at 120 bpm), so
   that drums and synths at gain 1 are equally loud and a program of drums,
   bass, chords and lead leaves the master limiter idle (OST_SYNTH_LEVEL). */
#define KIT_HEADROOM 0.47f

/* Variations: pitch, decay and brightness factors, chosen by n. */
static const float VARY[OST_DRUM_VARIATIONS][3] = {
    {1.0f, 1.0f, 1.0f},
    {1.12f, 0.75f, 1.1f},
    {0.89f, 1.35f, 0.9f},
    {1.26f, 0.6f, 1.22f},
};

ost_drum_spec ost_drum_spec_for(int sound, int kit, int variation) {
    if (kit < 0 || kit >= OST_DRUM_KITS) kit = KIT_DEFAULT;
    int v = variation % OST_DRUM_VARIATIONS;
    if (v < 0) v += OST_DRUM_VARIATIONS;
    ost_drum_spec s = base(sound, kit);
    float pitch = VARY[v][0], decay = VARY[v][1], bright = VARY[v][2];
    s.f1 *= pitch, s.f2 *= pitch, s.metal_hz *= pitch;
    s.tau1 *= decay, s.tau2 *= decay, s.tau_m *= decay, s.tau_n *= decay;
    s.bp_hz *= bright, s.hp_hz *= bright;
    s.level *= KIT_HEADROOM;
    return s;
}

uint32_t ost_drum_parts(int sound) {
    switch (sound) {
    case OST_SOUND_BD: return OST_DRUM_TONE | OST_DRUM_NOISE | OST_DRUM_DRIVE;
    case OST_SOUND_SD: return OST_DRUM_TONE | OST_DRUM_TONE2 | OST_DRUM_NOISE;
    case OST_SOUND_RIM: return OST_DRUM_TONE | OST_DRUM_TONE2 | OST_DRUM_NOISE;
    case OST_SOUND_LT:
    case OST_SOUND_MT:
    case OST_SOUND_HT: return OST_DRUM_TONE | OST_DRUM_NOISE | OST_DRUM_DRIVE;
    case OST_SOUND_CP: return OST_DRUM_NOISE | OST_DRUM_BURST;
    case OST_SOUND_SH: return OST_DRUM_NOISE;
    case OST_SOUND_HH:
    case OST_SOUND_OH:
    case OST_SOUND_CB:
    case OST_SOUND_CR:
    case OST_SOUND_RD:
    default: return OST_DRUM_METAL | OST_DRUM_NOISE;
    }
}
