/* duck.c — side-chain ducking of an orbit (see duck.h). Real-time code: no
   allocation, no locks, no I/O. */
#include "duck.h"

#include <string.h>

void ost_duck_init(ost_duck *d) {
    memset(d, 0, sizeof *d);
    d->gain = 1.0f;
}

static uint32_t frames_of(float s, float rate) {
    if (!(s > 0.0f)) return 0;
    float f = s * rate;
    return f > 3e9f ? 3000000000u : (uint32_t)f;
}

void ost_duck_trigger_at(ost_duck *d, uint32_t at, float depth, float onset_s, float attack_s, float rate) {
    if (d->n_pending >= OST_DUCK_TRIGGERS) {
        d->dropped++;
        return;
    }
    if (!(depth > 0.0f)) depth = 0.0f;
    if (depth > 1.0f) depth = 1.0f;
    ost_duck_trigger *t = &d->pending[d->n_pending++];
    t->at = at;
    t->floor = 1.0f - depth;
    t->onset = frames_of(onset_s, rate);
    t->attack = frames_of(attack_s, rate);
}

/* Starts the segments of a trigger from the gain as it is. */
static void start(ost_duck *d, const ost_duck_trigger *t) {
    d->floor = t->floor;
    d->attack = t->attack;
    if (t->onset) {
        d->going_down = 1;
        d->left = t->onset;
        d->step = (t->floor - d->gain) / (float)t->onset;
    } else {
        d->gain = t->floor;
        d->going_down = 0;
        d->left = t->attack;
        d->step = t->attack ? (1.0f - t->floor) / (float)t->attack : 0.0f;
        if (!t->attack) d->gain = 1.0f;
    }
}

/* Ends the current segment: the onset turns into the recovery, the recovery
   into rest. */
static void next_segment(ost_duck *d) {
    if (d->going_down && d->attack) {
        d->gain = d->floor;
        d->going_down = 0;
        d->left = d->attack;
        d->step = (1.0f - d->floor) / (float)d->attack;
    } else {
        d->gain = 1.0f;
        d->going_down = 0;
        d->left = 0;
        d->step = 0.0f;
    }
}

/* n frames of the current segment (n <= left, or any n at rest). */
static void run(ost_duck *d, float *l, float *r, uint32_t from, uint32_t n) {
    if (d->left == 0) return; /* at rest: gain 1, nothing to do */
    float g = d->gain, step = d->step;
    if (l) {
        for (uint32_t i = from; i < from + n; i++) {
            g += step;
            l[i] *= g;
            r[i] *= g;
        }
    } else {
        g += step * (float)n;
    }
    d->gain = g;
    d->left -= n;
    if (d->left == 0) next_segment(d);
}

void ost_duck_process(ost_duck *d, float *l, float *r, uint32_t n) {
    uint32_t i = 0, k = 0;
    while (i < n) {
        uint32_t end = n;
        if (k < d->n_pending && d->pending[k].at < end) end = d->pending[k].at > i ? d->pending[k].at : i;
        if (end == i && k < d->n_pending) {
            start(d, &d->pending[k++]);
            continue;
        }
        /* up to the next trigger or the segment's end, whichever is first */
        uint32_t span = end - i;
        if (d->left && d->left < span) span = d->left;
        run(d, l, r, i, span);
        i += span;
    }
    while (k < d->n_pending) start(d, &d->pending[k++]); /* a trigger at the step's very end */
    d->n_pending = 0;
}
