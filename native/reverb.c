/* reverb.c — see reverb.h. */
#include "reverb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Line lengths at size 2 (the default), ms: spread over 29..97 ms so the
   first reflections are not bunched; made mutually prime in frames when
   set. */
static const float BASE_MS[OST_REVERB_LINES] = {29.3f, 31.9f, 35.7f, 38.9f, 42.1f, 45.7f, 49.3f, 53.1f,
                                                 57.7f, 61.3f, 66.1f, 71.3f, 76.9f, 83.3f, 89.9f, 97.1f};
/* Input diffusers, ms, per channel (different on each side: a wide image). */
static const float DIFF_MS[2][OST_REVERB_DIFFUSERS] = {{1.31f, 2.71f, 4.93f, 7.19f}, {1.53f, 3.07f, 5.41f, 6.83f}};
static const float DIFF_G = 0.62f;
/* Signs of the input into each line: spread over the lines, so the
   Hadamard mix does not gather it into one. */
static const float IN_SIGN[OST_REVERB_LINES] = {1, -1, 1, 1, -1, 1, -1, -1, 1, 1, -1, 1, -1, -1, -1, 1};
/* The largest size scales the lines by this much. */
static const float MAX_SCALE = 2.6f;
/* Wet level: about the dry level's loudness for a default room. */
static const float OUT_GAIN = 0.6f;

static float scale_for(float size) { return 0.35f + 0.225f * size; } /* 0 -> 0.35, 2 -> 0.8, 10 -> 2.6 */

ost_result ost_reverb_init(ost_reverb *r, float rate) {
    memset(r, 0, sizeof *r);
    r->rate = rate;
    r->line_size = (uint32_t)ceilf(97.1f * 1e-3f * MAX_SCALE * rate + 0.0004f * 2.0f * rate) + 64;
    for (int i = 0; i < OST_REVERB_LINES; i++) {
        r->lines[i] = calloc(r->line_size, sizeof(float));
        if (!r->lines[i]) goto fail;
        memset(r->lines[i], 0, r->line_size * sizeof(float)); /* no page faults later */
        /* slow, unrelated modulation rates between 0.07 and 0.9 Hz */
        r->lfo_inc[i] = (float)(2.0 * M_PI * (0.07 + 0.83 * fmod(i * 0.618034, 1.0)) / rate);
        r->lfo_phase[i] = (float)(2.0 * M_PI * fmod(i * 0.381966, 1.0));
    }
    for (int c = 0; c < 2; c++)
        for (int k = 0; k < OST_REVERB_DIFFUSERS; k++) {
            r->diff_len[c][k] = (uint32_t)(DIFF_MS[c][k] * 1e-3f * rate) + 1;
            r->diff[c][k] = calloc(r->diff_len[c][k], sizeof(float));
            if (!r->diff[c][k]) goto fail;
        }
    r->mod_depth = 0.0004f * rate; /* 0.4 ms */
    r->sleeping = 1;
    ost_reverb_set(r, 2.0f, 0.0f, 15000.0f, 5000.0f);
    for (int i = 0; i < OST_REVERB_LINES; i++) r->len[i] = r->target[i];
    return OST_OK;
fail:
    ost_reverb_free(r);
    return OST_OUT_OF_MEMORY;
}

void ost_reverb_free(ost_reverb *r) {
    for (int i = 0; i < OST_REVERB_LINES; i++) {
        free(r->lines[i]);
        r->lines[i] = NULL;
    }
    for (int c = 0; c < 2; c++)
        for (int k = 0; k < OST_REVERB_DIFFUSERS; k++) {
            free(r->diff[c][k]);
            r->diff[c][k] = NULL;
        }
}

static int coprime_to_all(uint32_t x, const uint32_t *taken, int count) {
    for (int i = 0; i < count; i++) {
        uint32_t a = x, b = taken[i];
        while (b) {
            uint32_t t = a % b;
            a = b;
            b = t;
        }
        if (a != 1) return 0;
    }
    return 1;
}

static float one_pole_coef(float hz, float rate) {
    float c = 1.0f - expf(-2.0f * (float)M_PI * hz / rate);
    return c < 0.0f ? 0.0f : (c > 1.0f ? 1.0f : c);
}

void ost_reverb_set(ost_reverb *r, float size, float fade, float lp_hz, float dim_hz) {
    if (!(size >= 0.0f)) size = 0.0f;
    if (size > 10.0f) size = 10.0f;
    float rt60 = fade > 0.0f ? fade : size;
    if (rt60 < 0.1f) rt60 = 0.1f;
    float scale = scale_for(size);
    uint32_t taken[OST_REVERB_LINES];
    for (int i = 0; i < OST_REVERB_LINES; i++) {
        uint32_t len = (uint32_t)(BASE_MS[i] * 1e-3f * scale * r->rate);
        if (len < 8) len = 8;
        while (!coprime_to_all(len, taken, i)) len++;
        if (len + r->mod_depth + 4 >= r->line_size) len = r->line_size - (uint32_t)r->mod_depth - 5;
        taken[i] = len;
        r->target[i] = (float)len;
        /* RT60: the level falls 60 dB in rt60 seconds, len frames per pass. */
        r->gain[i] = powf(10.0f, -3.0f * (float)len / (rt60 * r->rate));
    }
    r->in_lp_coef = one_pole_coef(lp_hz, r->rate);
    r->damp_coef = one_pole_coef(dim_hz, r->rate);
    r->rt60 = rt60;
    r->size = size;
    if (r->sleeping)
        for (int i = 0; i < OST_REVERB_LINES; i++) r->len[i] = r->target[i];
}

/* In-place fast Walsh-Hadamard transform of 16 values, scaled by 1/4: the
   orthonormal 16x16 Hadamard mix (energy preserving). */
static inline void hadamard16(float *x) {
    for (int h = 1; h < 16; h <<= 1)
        for (int i = 0; i < 16; i += h << 1)
            for (int j = i; j < i + h; j++) {
                float a = x[j], b = x[j + h];
                x[j] = a + b;
                x[j + h] = a - b;
            }
    for (int i = 0; i < 16; i++) x[i] *= 0.25f;
}

static void clear(ost_reverb *r) {
    for (int i = 0; i < OST_REVERB_LINES; i++) {
        memset(r->lines[i], 0, r->line_size * sizeof(float));
        r->damp_state[i] = 0.0f;
        r->len[i] = r->target[i];
    }
    for (int c = 0; c < 2; c++)
        for (int k = 0; k < OST_REVERB_DIFFUSERS; k++) memset(r->diff[c][k], 0, r->diff_len[c][k] * sizeof(float));
    r->in_lp_l = r->in_lp_r = 0.0f;
}

void ost_reverb_clear(ost_reverb *r) {
    clear(r);
    r->sleeping = 1;
    r->idle = 0;
}

static inline float diffuse(ost_reverb *r, int c, float x) {
    for (int k = 0; k < OST_REVERB_DIFFUSERS; k++) {
        float *buf = r->diff[c][k];
        uint32_t p = r->diff_pos[c][k];
        float delayed = buf[p];
        float v = x + DIFF_G * delayed;
        buf[p] = v;
        x = delayed - DIFF_G * v;
        if (++p == r->diff_len[c][k]) p = 0;
        r->diff_pos[c][k] = p;
    }
    return x;
}

void ost_reverb_process(ost_reverb *r, const float *in_l, const float *in_r, float *out_l, float *out_r,
                        uint32_t n, int silent) {
    if (silent) {
        if (r->sleeping) return;
        r->idle += n;
        /* -100 dB after 100/60 RT60, plus the longest line */
        if ((float)r->idle > r->rt60 * 1.67f * r->rate + (float)r->line_size) {
            ost_reverb_clear(r);
            return;
        }
    } else {
        r->idle = 0;
        r->sleeping = 0;
    }
    const uint32_t size = r->line_size;
    const float glide = 0.0005f, lp = r->in_lp_coef, damp = r->damp_coef, depth = r->mod_depth;
    float offs[OST_REVERB_LINES];
    uint32_t done = 0;
    while (done < n) {
        uint32_t chunk = n - done < 16 ? n - done : 16;
        /* modulation at control rate: the offsets move by far less than a
           frame per chunk */
        for (int i = 0; i < OST_REVERB_LINES; i++) {
            r->len[i] += (r->target[i] - r->len[i]) * (glide * (float)chunk);
            r->lfo_phase[i] += r->lfo_inc[i] * (float)chunk;
            if (r->lfo_phase[i] > (float)(2.0 * M_PI)) r->lfo_phase[i] -= (float)(2.0 * M_PI);
            offs[i] = r->len[i] + depth * (1.0f + sinf(r->lfo_phase[i]));
        }
        for (uint32_t j = 0; j < chunk; j++) {
            uint32_t i_in = done + j;
            float xl = silent ? 0.0f : in_l[i_in], xr = silent ? 0.0f : in_r[i_in];
            r->in_lp_l += (xl - r->in_lp_l) * lp;
            r->in_lp_r += (xr - r->in_lp_r) * lp;
            float dl = diffuse(r, 0, r->in_lp_l), dr = diffuse(r, 1, r->in_lp_r);
            float v[OST_REVERB_LINES];
            uint32_t w = r->write;
            for (int i = 0; i < OST_REVERB_LINES; i++) {
                float pos = (float)w - offs[i];
                if (pos < 0.0f) pos += (float)size;
                uint32_t a = (uint32_t)pos;
                if (a >= size) a = 0, pos = 0.0f; /* a tiny negative plus size can round up to size */
                float f = pos - (float)a;
                uint32_t b = a + 1 == size ? 0 : a + 1;
                float y = r->lines[i][a] + (r->lines[i][b] - r->lines[i][a]) * f;
                r->damp_state[i] += (y - r->damp_state[i]) * damp;
                v[i] = r->damp_state[i] * r->gain[i];
            }
            /* outputs: alternate signs over even lines (left) and odd lines (right) */
            float ol = v[0] - v[2] + v[4] - v[6] + v[8] - v[10] + v[12] - v[14];
            float orr = v[1] - v[3] + v[5] - v[7] + v[9] - v[11] + v[13] - v[15];
            hadamard16(v);
            for (int i = 0; i < OST_REVERB_LINES; i++) r->lines[i][w] = v[i] + ((i & 1) ? dr : dl) * (0.5f * IN_SIGN[i]);
            r->write = w + 1 == size ? 0 : w + 1;
            out_l[i_in] += ol * (OUT_GAIN * 0.35f);
            out_r[i_in] += orr * (OUT_GAIN * 0.35f);
        }
        done += chunk;
    }
}
