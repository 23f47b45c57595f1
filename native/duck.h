/*
 * duck.h — side-chain ducking of an orbit: an event with `duckorbit` set
 * (one orbit or a list, 0-23) pulls each such orbit's gain (after its effects) down to 1 - duckdepth over
 * duckonset seconds from the event's own frame, then back up to 1 over
 * duckattack seconds, both linear in gain. A trigger while the orbit is
 * still ducked starts from where the gain is. An orbit at gain 1 with no
 * trigger waiting costs nothing.
 *
 * Triggers arrive during a render step (with their frame within it) and are
 * applied in ost_duck_process at those frames, so ducking is
 * sample-accurate. Thread: audio.
 */
#ifndef OST_DUCK_H
#define OST_DUCK_H

#include <stdint.h>

/** Triggers one orbit can take per render step (more in one step: the later ones are dropped). */
#define OST_DUCK_TRIGGERS 8

typedef struct ost_duck_trigger {
    uint32_t at;          /**< frame within the step */
    float floor;          /**< 1 - depth */
    uint32_t onset, attack; /**< frames */
} ost_duck_trigger;

typedef struct ost_duck {
    float gain;           /**< now (1 = not ducked) */
    float step;           /**< per frame, in the current segment */
    uint32_t left;        /**< frames left in the current segment (0: at rest, gain 1) */
    int going_down;       /**< the segment is the onset (the recovery follows) */
    float floor;
    uint32_t attack;
    ost_duck_trigger pending[OST_DUCK_TRIGGERS];
    uint32_t n_pending;
    uint64_t dropped;     /**< triggers that did not fit in a step */
} ost_duck;

/** At rest (gain 1). Thread: control. */
void ost_duck_init(ost_duck *d);
/** Queues a trigger at frame `at` of the current step; depth 0..1, times in
 *  seconds (sanitised here: NaN and negatives as 0, depth clamped). */
void ost_duck_trigger_at(ost_duck *d, uint32_t at, float depth, float onset_s, float attack_s, float rate);
/** Whether the orbit needs ost_duck_process this step (ducked, or a trigger waits). */
static inline int ost_duck_active(const ost_duck *d) { return d->left != 0 || d->n_pending != 0; }
/** Multiplies l and r (n frames) by the ducking gain and advances it; NULL
 *  buffers only advance it (an orbit that played nothing). */
void ost_duck_process(ost_duck *d, float *l, float *r, uint32_t n);

#endif
