/*
 * tremolo.h — the per-voice tremolo stage: the voice's gain follows a
 * low-frequency wave (lfo.h), between 1 (the wave's bottom) and 1 - depth
 * (its top), after the distortions, in Strudel's order. The wave starts at
 * tremolophase (periods) and runs at tremolo Hz, or tremolosync periods per
 * cycle. Thread: audio.
 */
#ifndef OST_TREMOLO_H
#define OST_TREMOLO_H

#include "chain.h"

/** Sets lane l's tremolo from an event's (sanitised) parameters. */
void ost_tremolo_start(ost_chain_lanes *v, int l, const float *params, float rate);
/** The stage: one branch-free loop over the span, on each channel (the
 *  last channel keeps the advanced phase, so both get the same gain). */
void ost_tremolo_stage(ost_chain *c, ost_chain_channel *ch, ost_vf *x, uint32_t n);

#endif
