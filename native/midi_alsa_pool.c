/*
 * midi_alsa_pool.c — the ALSA client's pending messages (see midi_alsa_pool.h).
 *
 * A CUT (a slot stops, a hush) moves the slot's pending note-offs to the cut
 * frame and drops the rest, as JACK's process callback does; but a note-on
 * of the slot may already be in the kernel's queue (handed over up to 40 ms
 * ahead, where JACK keeps everything until its cycle), so a note-off never
 * moves before the latest frame handed over: it still comes after its note-on.
 */
#include "midi_alsa_pool.h"

#include <math.h>

void alsa_pool_init(alsa_pool *p) {
    p->count = 0;
    p->seq_no = 0;
    p->handed_frame = -INFINITY;
}

static void apply_cut(alsa_pool *p, const midi_record *cut) {
    double at = cut->frame > p->handed_frame ? cut->frame : p->handed_frame;
    for (uint32_t i = 0; i < p->count;) {
        midi_record *r = &p->pool[i];
        int mine = cut->tag == OST_SLOT_ALL || r->tag == cut->tag;
        if (mine && r->frame >= cut->frame) {
            if (midi_is_note_off(r)) {
                r->frame = at;
            } else {
                p->pool[i] = p->pool[--p->count];
                continue;
            }
        }
        i++;
    }
}

int alsa_pool_add(alsa_pool *p, const midi_record *r) {
    if (r->kind == KIND_CUT) {
        apply_cut(p, r);
        return 1;
    }
    if (p->count >= MIDI_POOL) return 0;
    p->pool[p->count] = *r;
    p->pool[p->count].seq = p->seq_no++;
    p->count++;
    return 1;
}

uint32_t alsa_pool_due(alsa_pool *p, double f0, double t0, double spf, double horizon) {
    uint32_t ndue = 0;
    for (uint32_t i = 0; i < p->count; i++)
        if (t0 + (p->pool[i].frame - f0) * spf < horizon) p->due[ndue++] = i;
    for (uint32_t i = 1; i < ndue; i++) {
        uint32_t x = p->due[i], j = i;
        int64_t fx = (int64_t)llround(p->pool[x].frame);
        while (j > 0) {
            const midi_record *y = &p->pool[p->due[j - 1]];
            if (midi_goes_before(y, (int64_t)llround(y->frame), &p->pool[x], fx)) break;
            p->due[j] = p->due[j - 1];
            j--;
        }
        p->due[j] = x;
    }
    return ndue;
}

void alsa_pool_handed(alsa_pool *p, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        midi_record *r = &p->pool[p->due[i]];
        if (r->frame > p->handed_frame) p->handed_frame = r->frame;
        r->kind = KIND_WRITTEN;
    }
    uint32_t kept = 0;
    for (uint32_t i = 0; i < p->count; i++)
        if (p->pool[i].kind != KIND_WRITTEN) p->pool[kept++] = p->pool[i];
    p->count = kept;
}
