/*
 * shaper.h — the waveshapers `shape` and `distort`, without audible
 * aliasing.
 *
 * A waveshaper's harmonics reach far above Nyquist; sampled at 48 kHz they
 * fold back into the band (shape 0.9 on a 1.3 kHz sine: -40.5 dB, distort 3:
 * -35.3 dB). So the shapers run 4x oversampled (192 kHz): the signal is
 * interpolated by two polyphase half-band FIR stages (48 -> 96 -> 192 kHz),
 * shaped, and decimated through the same two stages. The half-bands pass
 * 0-20 kHz flat (0.0001 dB ripple) and stop 28 kHz and up by 103 dB (the
 * first stage, 75 taps) and 76 kHz and up by 105 dB (the second, 19 taps):
 * images of the input, and harmonics that would fold below 20 kHz at the
 * end, are that far down. Designed by Parks-McClellan (scipy.signal.remez,
 * bands [0, 20k] and [fs/2 - 20k, fs/2], every other tap forced to 0, the
 * centre to 1/2, the rest normalised to unity gain at DC).
 *
 * `shape`'s curve (1 + k) x / (1 + k |x|) has a corner in its second
 * derivative at 0, so its harmonics fall off only as 1/n^3 and 4x is not
 * enough by itself (-72.7 dB); it is also antiderivative-antialiased
 * (first order, ADAA): each 192 kHz output is the mean of the curve over
 * the segment between two input samples, (F(x1) - F(x0)) / (x1 - x0),
 * written so that it is well-conditioned in float (no difference of nearly
 * equal antiderivatives is ever divided by a small step; see shaper.c).
 * `distort`'s soft clip (ost_vf_tanh) is smooth enough at 4x alone.
 *
 * The cost is a delay: a shaped voice is heard 41.5 frames (0.86 ms) after
 * its event. Every loop is branch-free over the lanes; nothing allocates;
 * the stage exists only in voices that shape (see chain.c).
 *
 * Thread: audio, except where noted.
 */
#ifndef OST_SHAPER_H
#define OST_SHAPER_H

#include <stdint.h>

#include "dsp.h"

/* History each filter keeps between spans (frames at its input's rate). */
#define OST_OS_A_TAPS 38  /**< nonzero off-centre taps of the 48 <-> 96 kHz half-band (75 long) */
#define OST_OS_B_TAPS 10  /**< the same for 96 <-> 192 kHz (19 long) */
#define OST_OS_A_UP (OST_OS_A_TAPS - 1)
#define OST_OS_B_UP (OST_OS_B_TAPS - 1)
#define OST_OS_B_DOWN (2 * OST_OS_B_TAPS - 2)
#define OST_OS_A_DOWN (2 * OST_OS_A_TAPS - 2)

/** One channel's oversampler: the four filters' histories and the ADAA's
 *  previous input and antiderivative. All zero is silence. */
typedef struct ost_shaper_state {
    ost_vf a_up[OST_OS_A_UP], b_up[OST_OS_B_UP], b_down[OST_OS_B_DOWN], a_down[OST_OS_A_DOWN];
    ost_vf x1, f1; /**< the last 192 kHz input to `shape` and its antiderivative */
} ost_shaper_state;

/** Per-lane parameters: `shape`'s k (0 when off) and `distort`'s drive (0 when off). */
typedef struct ost_shaper_params {
    ost_vf shape_k, distort_g;
} ost_shaper_params;

/** x[0..n) through shape, then distort (4x oversampled, in place). */
void ost_shaper_shape(ost_shaper_state *s, const ost_shaper_params *p, ost_vf *x, uint32_t n);
void ost_shaper_distort(ost_shaper_state *s, const ost_shaper_params *p, ost_vf *x, uint32_t n);
void ost_shaper_both(ost_shaper_state *s, const ost_shaper_params *p, ost_vf *x, uint32_t n);

/** The largest magnitude lane l's state holds (the voice is not over until
 *  its oversampler has emptied). */
float ost_shaper_level(const ost_shaper_state *s, int l);
/** Lanes whose state is finite. */
ost_vi ost_shaper_finite(const ost_shaper_state *s);

#endif
