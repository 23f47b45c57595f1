/*
 * transient.h — the per-voice transient shaper (`transient`, `transsustain`,
 * both -1..1). Two envelope followers on |x|, a fast one (0.5 ms up, 20 ms
 * down) and a slow one (20 ms up, 300 ms down): while the fast one is above
 * (an attack) the gain is (fast / slow)^transient, while it is below (the
 * tail) (slow / fast)^transsustain, within ±12 dB. Positive amounts bring out
 * the attack or the sustain, negative ones tame them; 0 and 0 leave the
 * sound as it is (the stage is not on). It runs after the voice's other
 * stages. Thread: audio.
 */
#ifndef OST_TRANSIENT_H
#define OST_TRANSIENT_H

#include "chain.h"

/** Sets lane l's amounts and followers' coefficients. */
void ost_transient_start(ost_chain_lanes *v, int l, const float *params, float rate);
/** The stage: one branch-free loop over the span, per channel (each its own followers). */
void ost_transient_stage(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n);

#endif
