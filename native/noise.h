/*
 * noise.h — seeded noise sources, one sample of OST_LANES voices at a time.
 * xorshift32 per lane: deterministic for a given seed, so offline renders
 * of noise are bit-identical run after run.
 */
#ifndef OST_NOISE_H
#define OST_NOISE_H

#include "dsp.h"

/** A non-zero lane seed from the engine seed and a voice's serial number.
 *  Thread: any (pure). */
uint32_t ost_noise_seed(uint64_t engine_seed, uint64_t voice_serial);

/** Uniform white noise in [-1, 1); advances the state. Thread: audio. */
OST_INLINE ost_vf ost_noise_white(ost_vu *state) {
    ost_vu x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return __builtin_convertvector((ost_vi)x, ost_vf) * (1.0f / 2147483648.0f);
}

/** Pink (-3 dB/octave) noise: white through three one-pole lowpasses in
 *  parallel (Paul Kellet's economy method), scaled to about white's RMS.
 *  Thread: audio. */
OST_INLINE ost_vf ost_noise_pink(ost_vu *state, ost_vf *b0, ost_vf *b1, ost_vf *b2) {
    ost_vf w = ost_noise_white(state);
    *b0 = 0.99765f * *b0 + w * 0.0990460f;
    *b1 = 0.96300f * *b1 + w * 0.2965164f;
    *b2 = 0.57000f * *b2 + w * 1.0526913f;
    return (*b0 + *b1 + *b2 + w * 0.1848f) * 0.25f;
}

/** Brown (-6 dB/octave) noise: white through a leaky integrator. Thread: audio. */
OST_INLINE ost_vf ost_noise_brown(ost_vu *state, ost_vf *b) {
    ost_vf w = ost_noise_white(state);
    *b = 0.995f * *b + 0.05f * w;
    return *b;
}

#endif
