/*
 * midi_alsa_pool.h — what the ALSA client's thread holds before it hands a
 * message to the kernel (midi_alsa.c): the records pushed, the cuts applied
 * to them, and which are due in what order. Pure (no sequencer handle), so
 * the same code is tested over FFI on a machine without /dev/snd/seq
 * (ost_alsa_midi_pool_*, test/engine/midi-alsa.test.ts).
 */
#ifndef OST_MIDI_ALSA_POOL_H
#define OST_MIDI_ALSA_POOL_H

#include <stdint.h>

#include "midi_record.h"

typedef struct alsa_pool {
    midi_record pool[MIDI_POOL];
    uint32_t count;
    uint32_t seq_no;
    uint32_t due[MIDI_POOL];
    double handed_frame; /* the latest frame handed to the kernel (-inf before the first) */
} alsa_pool;

void alsa_pool_init(alsa_pool *p);
/* Takes one record as pushed: a message joins the pool (0 when it is full),
   a CUT is applied (1). */
int alsa_pool_add(alsa_pool *p, const midi_record *r);
/* The records whose time (t0 + (frame - f0) * spf) is before `horizon`, in
   the order they go out (by frame; within a frame note-offs first, then
   arrival), as indices into p->pool in p->due; returns how many. */
uint32_t alsa_pool_due(alsa_pool *p, double f0, double t0, double spf, double horizon);
/* Removes the `n` due records (after they were handed over). */
void alsa_pool_handed(alsa_pool *p, uint32_t n);

#endif
