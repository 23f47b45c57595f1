/*
 * shaper.h — the waveshapers `shape` and `distort` (with `distorttype`),
 * without audible aliasing.
 *
 * A waveshaper's harmonics reach far above Nyquist; sampled at 48 kHz they
 * fold back into the band (shape 0.9 on a 1.3 kHz sine: -40.5 dB, distort 3:
 * -35.3 dB; crush's steps alias the same way). So the shapers run 8x
 * oversampled (384 kHz): the signal is
 * interpolated by three polyphase IIR half-band stages (48 -> 96 -> 192 ->
 * 384 kHz), shaped, and decimated through three more. Each half-band is an
 * odd-order elliptic lowpass split into two chains of first-order allpasses
 * in z^-2 (its poles lie on the imaginary axis, so each allpass costs one
 * multiply at the lower rate): 7 coefficients for 48 <-> 96 kHz (order 15,
 * flat to 20 kHz within 3e-11 dB, 112 dB down from 28 kHz), 3 for 96 <-> 192
 * (order 7, 102 dB from 76 kHz), 2 for 192 <-> 384 (order 5, 102 dB from
 * 172 kHz): 24 multiplies per frame each way, where the FIR half-bands
 * before needed 116 (and only reached 4x). Designed with scipy.signal.ellip
 * (the stop-band attenuation searched until the stop edge is fs/2 minus the
 * pass edge; the coefficients are the poles' squared magnitudes, taken in
 * turn by the two chains). The phase is not linear: the group delay is 2.6
 * frames at DC and 6.5 at 20 kHz each way, 5.2 frames (0.11 ms) in all at
 * low frequencies.
 *
 * Which curve needs what, measured with ideal filters on a full-scale sine
 * at 3951 Hz (the highest fundamental the tests use), worst alias below
 * 12 kHz: tanh at drive 20 (distort 3) -81 dB at 8x, -114 at 8x with
 * first-order antiderivative antialiasing (ADAA); `shape` 0.9 (a corner in
 * its second derivative at 0) -86 dB at 4x with ADAA, -107 at 8x with it.
 * So `shape`, `soft`, `scurve` (its mean has a closed form, nearly free),
 * the curves with corners (`hard`, `cubic`, `fold`) and `crush` (a
 * staircase) are ADAA'd: each 384 kHz output is the mean of
 * the curve between two inputs, written so that it is well-conditioned (no
 * difference of nearly equal antiderivatives is ever divided by a small
 * step in float: closed forms with the step divided out, or double where
 * the antiderivative is a bounded or growing polynomial); the other smooth
 * curves are not (oversampling alone takes them most of the way: see
 * test/engine/distortion.test.ts for each type's figure).
 *
 * Every loop is branch-free over the lanes; nothing allocates; the stage
 * exists only in voices that shape (see chain.c). A group whose lanes use
 * several distortion types computes each type present and selects per lane
 * (one pass in the usual case of one type).
 *
 * Thread: audio, except where noted.
 */
#ifndef OST_SHAPER_H
#define OST_SHAPER_H

#include <stdint.h>

#include "dsp.h"

/** Oversampling factor (three half-band stages). */
#define OST_OS_FACTOR 8

/** The distortion types, in Strudel's order (`distorttype` by name or index). */
#define OST_DISTORT_TYPES(X) X(SOFT, "soft") X(HARD, "hard") X(CUBIC, "cubic") X(DIODE, "diode") X(ASYM, "asym") \
    X(FOLD, "fold") X(SINEFOLD, "sinefold") X(CHEBYSHEV, "chebyshev") X(SCURVE, "scurve")
typedef enum ost_distort_type {
#define OST_X(id, name) OST_DISTORT_##id,
    OST_DISTORT_TYPES(OST_X)
#undef OST_X
    OST_DISTORT_TYPE_COUNT
} ost_distort_type;

/** One allpass chain's states: s[i] is section i's previous input, s[m]
 *  the last section's previous output. */
typedef struct ost_os_halfband {
    ost_vf p0[5], p1[4]; /**< the two chains (4 and 3 sections at most) */
    ost_vf odd;          /**< decimators: the odd-phase sample held for the next pair */
} ost_os_halfband;

/** One channel's oversampler: six half-bands, the curves' previous inputs,
 *  and `shape`'s antiderivative there (kept last: it is not a signal
 *  level). All zero is silence. */
typedef struct ost_shaper_state {
    ost_os_halfband up[3], down[3];
    ost_vf x1, xd1, xc1; /**< the last 384 kHz inputs to `shape`, `distort` and `crush` */
    ost_vf f1;           /**< shape's antiderivative at x1 */
} ost_shaper_state;

/** Per-lane parameters: `crush`'s steps per unit and their inverse,
 *  `shape`'s k, `distort`'s drive, and its type + 1 per lane as a float
 *  (0: lane unused). `types` has bit t set when some lane uses type t. */
typedef struct ost_shaper_params {
    ost_vf crush_s, crush_inv, shape_k, distort_g, distort_t;
    uint32_t types;
} ost_shaper_params;

/** Which stages run in the oversampler, in Strudel's order. */
enum { OST_SHAPER_CRUSH = 1, OST_SHAPER_SHAPE = 2, OST_SHAPER_DISTORT = 4, OST_SHAPER_ALL = 7 };

/** x[0..n) through crush, shape, then distort, those `what` names (8x
 *  oversampled, in place; each combination its own specialised loop). */
void ost_shaper_process(ost_shaper_state *s, const ost_shaper_params *p, ost_vf *x, uint32_t n, uint32_t what);

/** The drive a `distort` amount means for a type (e^amount, 1 + amount
 *  for the folders), sanitised (NaN and negatives are 0 = off). Thread: any. */
float ost_distort_drive(int type, float amount);
/** The type a `distorttype` value names (rounded, clamped to the table). Thread: any. */
int ost_distort_type_of(float value);

/** The largest magnitude lane l's state holds (the voice is not over until
 *  its oversampler has emptied). */
float ost_shaper_level(const ost_shaper_state *s, int l);
/** Lanes whose state is finite. */
ost_vi ost_shaper_finite(const ost_shaper_state *s);

#endif
