/* env.c — segment transitions of the linear ADSR (see env.h). */
#include "env.h"

#include <math.h>

uint32_t ost_env_frames(float seconds, float rate) {
    double f = (double)seconds * rate + 0.5;
    if (!(f > 0.0)) return 0;
    if (f >= 4294967294.0) return UINT32_MAX - 1;
    return (uint32_t)f;
}

static ost_env_step idle(void) { return (ost_env_step){OST_ENV_IDLE, UINT32_MAX, 0.0f, 0.0f, 0.0f, 0.0f}; }

ost_env_step ost_env_release(float level, uint32_t frames) {
    if (frames == 0 || !(level > 0.0f)) return idle();
    return (ost_env_step){OST_ENV_RELEASE, frames, level, -level / (float)frames, 0.0f, 0.0f};
}

/* level(k) = L (1 + cos(pi k / n)) / 2 for k = 0..n satisfies
   level(k+1) - 2 cos(w) level(k) + level(k-1) = (2 - 2 cos(w)) L / 2, w = pi / n;
   as step(k+1) = step(k) + a level(k) + b with a = 2 cos(w) - 2, b = -a L / 2,
   starting from step(0) = level(0) - level(-1). */
ost_env_step ost_env_fade(float level, uint32_t frames) {
    if (frames == 0 || !(level > 0.0f)) return idle();
    double w = M_PI / (double)frames, c = cos(w), a = 2.0 * c - 2.0;
    return (ost_env_step){OST_ENV_RELEASE, frames, level, (float)(0.5 * level * (1.0 - c)), (float)a,
                          (float)(-a * 0.5 * level)};
}

ost_env_step ost_env_next(const ost_env_shape *s, ost_env_segment segment, float level) {
    switch (segment) {
    case OST_ENV_IDLE: /* a voice starts */
        if (s->attack_frames > 0)
            return (ost_env_step){OST_ENV_ATTACK, s->attack_frames, 0.0f, 1.0f / (float)s->attack_frames, 0.0f, 0.0f};
        /* no attack: start at full level */
        __attribute__((fallthrough));
    case OST_ENV_ATTACK:
        if (s->decay_frames > 0)
            return (ost_env_step){OST_ENV_DECAY, s->decay_frames, 1.0f, (s->sustain - 1.0f) / (float)s->decay_frames, 0.0f,
                                  0.0f};
        __attribute__((fallthrough));
    case OST_ENV_DECAY:
        if (!(s->sustain > 0.0f)) return idle(); /* silent from here on: the voice is over */
        return (ost_env_step){OST_ENV_SUSTAIN, UINT32_MAX, s->sustain, 0.0f, 0.0f, 0.0f};
    case OST_ENV_SUSTAIN:
        return (ost_env_step){OST_ENV_SUSTAIN, UINT32_MAX, level, 0.0f, 0.0f, 0.0f};
    case OST_ENV_RELEASE:
    case OST_ENV_TAIL:
    default:
        return idle();
    }
}
