/* scope.c — the output tap (see scope.h). */
#include "scope.h"

#include "bus.h" /* OST_MIX_BLOCK: the most the writer adds before publishing */

_Static_assert((OST_SCOPE_CAPACITY & (OST_SCOPE_CAPACITY - 1)) == 0, "the scope ring is a power of two");
_Static_assert(OST_SCOPE_MAX_READ + OST_MIX_BLOCK < OST_SCOPE_CAPACITY, "a reader's margin covers one write");

void ost_scope_init(ost_scope *s) {
    for (uint32_t i = 0; i < OST_SCOPE_CAPACITY; i++) atomic_init(&s->ring[i], 0.0f);
    OST_INIT(&s->written, 0);
}

void ost_scope_write(ost_scope *s, const float *out, uint32_t frames, uint32_t channels) {
    uint64_t pos = OST_LOAD(&s->written, OST_RELAXED); /* only this thread writes it */
    float scale = 1.0f / (float)channels;
    /* Release fence: a reader whose relaxed load sees one of the samples
       below also sees, after its acquire fence, the position published before
       them (the seqlock's "odd" mark is our previous publish). */
    atomic_thread_fence(memory_order_release);
    for (uint32_t i = 0; i < frames; i++) {
        const float *f = out + (size_t)i * channels;
        float x = 0.0f;
        for (uint32_t c = 0; c < channels; c++) x += f[c];
        /* Relaxed: readers validate what they copied against `written`. */
        atomic_store_explicit(&s->ring[(pos + i) & (OST_SCOPE_CAPACITY - 1)], x * scale, memory_order_relaxed);
    }
    /* Release: the samples above are visible before the new position. */
    OST_STORE(&s->written, pos + frames, OST_RELEASE);
}

uint32_t ost_scope_read(const ost_scope *s, float *out, uint32_t frames) {
    if (frames > OST_SCOPE_MAX_READ) frames = OST_SCOPE_MAX_READ;
    for (;;) {
        /* Acquire: pairs with the writer's release; everything before `end`
           is written. */
        uint64_t end = OST_LOAD(&s->written, OST_ACQUIRE);
        uint64_t start = end >= frames ? end - frames : 0;
        uint32_t missing = (uint32_t)(frames - (end - start));
        for (uint32_t i = 0; i < missing; i++) out[i] = 0.0f;
        for (uint64_t p = start; p < end; p++)
            out[missing + (p - start)] =
                atomic_load_explicit(&s->ring[p & (OST_SCOPE_CAPACITY - 1)], memory_order_relaxed);
        /* Acquire fence: the copies above complete before `written` is read
           again. If the writer has since got so far that its next block may
           reach the oldest frame we copied, the copy may be torn: retry. */
        atomic_thread_fence(memory_order_acquire);
        uint64_t now = OST_LOAD(&s->written, OST_RELAXED);
        if (now + OST_MIX_BLOCK <= start + OST_SCOPE_CAPACITY) return frames;
    }
}
