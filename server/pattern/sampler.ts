/**
 * Sample slicing and stereo tricks: chop, striate, slice, splice, loopAt,
 * jux, juxBy. They write the controls Strudel writes (begin, end, speed,
 * unit, pan), so a sampler plays the right part of the sample.
 * @module
 */
import { type Any, Pattern, pure, reify } from "./pattern.ts";
import type { State } from "./state.ts";
import { register } from "./register.ts";
import { fastcat, stack } from "./structure.ts";
import { callFn, fastRaw, slowRaw } from "./time.ts";
import { isControlObject } from "./controls.ts";

/** Strudel's default tempo, used where Strudel's sampler functions assume it (loopAt). */
export const DEFAULT_CPS = 0.5;

/** A plain value as controls: Strudel keeps it under `value` (slice and splice under `s`). */
function asControls(v: unknown): Record<string, Any> {
  return isControlObject(v) ? v : { value: v };
}

function asSound(v: unknown): Record<string, Any> {
  return isControlObject(v) ? v : { s: v };
}

/**
 * Cuts each event into `n` parts, each playing the next part of the sample (sets begin and end).
 * @example
 * s("breaks").chop(4)
 */
export const chop = register("chop", (n: unknown, pat: Pattern<Any>) => {
  const k = Math.max(1, Math.floor(Number(n)));
  return pat.squeezeBind((v: unknown) => {
    // Like Strudel, the parts are of the whole sample (an earlier begin/end is replaced).
    const o = asControls(v);
    return fastcat(...Array.from({ length: k }, (_, i) => pure({ ...o, begin: i / k, end: (i + 1) / k })));
  });
});

/**
 * Plays the pattern `n` times per cycle, the i-th time with the i-th part of each sample (granular interleaving).
 * @example
 * s("breaks hh").striate(4)
 */
export const striate = register("striate", (n: unknown, pat: Pattern<Any>) => {
  const k = Math.max(1, Math.floor(Number(n)));
  return fastcat(
    ...Array.from({ length: k }, (_, i) => pat.fmap((v: unknown) => ({ ...asControls(v), begin: i / k, end: (i + 1) / k }))),
  );
});

/** The tempo a query carries (the scheduler passes `_cps`, as Strudel's does), or `fallback`. */
function cpsOf(state: State, fallback: number): number {
  const cps = state.controls._cps;
  return typeof cps === "number" && cps > 0 ? cps : fallback;
}

function sliceWith(n: unknown, indices: unknown, pat: Pattern<Any>, fitSpeed: boolean): Pattern<Any> {
  // A list of positions ([0, .25, .5]) gives the slices' starts; a slice ends where the next starts (or at 1).
  const positions = Array.isArray(n) ? n.map(Number) : undefined;
  const k = positions ? positions.length : Number(n);
  const bounds = (idx: number): [number, number] => {
    if (!positions) return [idx / k, (idx + 1) / k];
    const i = ((Math.floor(idx) % k) + k) % k;
    return [positions[i]!, positions[i + 1] ?? 1];
  };
  return reify(indices as Any).outerBind((i: unknown) =>
    pat.fmap((v: unknown) => {
      const [begin, end] = bounds(Number(i));
      const o: Record<string, Any> = { ...asSound(v), begin, end, _slices: positions ?? k };
      if (positions && Number(i) % k === k - 1) delete o.end; // the last position's slice runs to the sample's end
      return o;
    }),
  ).withHaps((haps, state) => {
    if (!fitSpeed) return haps;
    // Strudel: speed = cps / slices / event duration (cps 1 when the query carries none)
    const cps = cpsOf(state, 1);
    return haps.map((h) => {
      const d = h.duration().valueOf();
      const o = h.value as Record<string, Any>;
      return h.setValue({ ...o, speed: (cps / k / d) * (typeof o.speed === "number" ? o.speed : 1), unit: "c" });
    });
  });
}

/**
 * Cuts each sample into `n` slices and plays the slices given by the index pattern (structure from the indices).
 * @example
 * s("breaks").slice(4, "0 2 1 3")
 */
export const slice = register(
  "slice",
  (n: unknown, indices: unknown, pat: Pattern<Any>) => {
    if (Array.isArray(n)) return sliceWith(n, indices, pat, false);
    return reify(n as Any).innerBind((k: unknown) => sliceWith(k, indices, pat, false));
  },
  { args: ["raw", "raw"] },
);

/**
 * Like `slice`, but sets the speed so each slice fills its event exactly (unit "c").
 * @example
 * s("breaks").splice(4, "0 2 1 3")
 */
export const splice = register("splice", (n: unknown, indices: unknown, pat: Pattern<Any>) => sliceWith(n, indices, pat, true), {
  args: ["p", "raw"],
});

/**
 * Fits a sample to `n` cycles: slows the pattern by `n` and sets speed (unit "c") from the tempo (Strudel's default 0.5 cycles per second when the query carries none).
 * @example
 * s("breaks").loopAt(2)
 */
export const loopAt = register(["loopAt", "loopat"], (n: unknown, pat: Pattern<Any>) => {
  const factor = Number(n);
  return slowRaw(n, pat).withHaps((haps, state) => {
    const cps = cpsOf(state, DEFAULT_CPS);
    return haps.map((h) => h.setValue({ ...asControls(h.value), speed: (1 / factor) * cps, unit: "c" }));
  });
});

/**
 * Makes each sample fill its event: sets speed (unit "c") from the event's length, the part of the sample played (begin, end) and the tempo.
 * @example
 * s("breaks").fit()
 */
export const fit = register(
  "fit",
  (pat: Pattern<Any>) =>
    pat.withHaps((haps, state) => {
      const cps = cpsOf(state, 1);
      return haps.map((h) => {
        if (!h.whole) return h;
        const o = asControls(h.value);
        const part = (typeof o.end === "number" ? o.end : 1) - (typeof o.begin === "number" ? o.begin : 0);
        return h.setValue({ ...o, speed: (cps / h.whole.duration().valueOf()) * part, unit: "c" });
      });
    }),
  { args: [] },
);

function juxWith(by: number, f: unknown, pat: Pattern<Any>): Pattern<Any> {
  const shift = (d: number) => (v: unknown) => {
    const o = asControls(v);
    return { ...o, pan: (typeof o.pan === "number" ? o.pan : 0.5) + d };
  };
  return stack(pat.fmap(shift(-by / 2)), callFn(f, pat.fmap(shift(by / 2))));
}

/**
 * Plays the pattern on the left and `f` of it on the right.
 * @example
 * s("bd sd hh cp").jux(rev)
 */
export const jux = register("jux", (f: unknown, pat: Pattern<Any>) => juxWith(1, f, pat), { args: ["raw"] });

/**
 * Like `jux`, with the two sides `by` apart (1 is full left and right).
 * @example
 * s("bd sd hh cp").juxBy(0.5, fast(2))
 */
export const juxBy = register(["juxBy", "juxby"], (by: unknown, f: unknown, pat: Pattern<Any>) => juxWith(Number(by), f, pat), {
  args: ["p", "raw"],
});

export { fastRaw };

/**
 * Like {@link loopAt}, with the tempo given (cycles per second) instead of read from the scheduler.
 * @example
 * s("rhodes").loopAtCps(4, 0.5)
 */
export const loopAtCps = register(
  ["loopAtCps", "loopatcps"],
  (n: unknown, cps: unknown, pat: Pattern<Any>) => {
    const factor = Number(n);
    const c = Number(cps);
    return slowRaw(n, pat).fmap((v: unknown) => ({ ...asControls(v), speed: (1 / factor) * c, unit: "c" }));
  },
  { args: ["p", "p"] },
);

/**
 * Plays a sample from positions like a tape loop, with the positions' rhythm: `scrub("pos:speed")` sets begin, clip 1, and multiplies the speed.
 * @example
 * s("swpad:0").scrub("{0.1!2 .25@3 0.7!2 <0.8:1.5>}%8")
 */
export const scrub = register(
  "scrub",
  (arg: unknown, pat: Pattern<Any>) =>
    // Structure from the positions; a speed multiplies the event's own (fit's, say).
    reify(arg as Any).appLeft(pat, (v: unknown, x: unknown) => {
      const [begin, speed] = Array.isArray(v) ? v : [v];
      const c = asControls(x);
      return { ...c, begin, clip: 1, speed: Number(c.speed ?? 1) * Number(speed ?? 1) };
    }),
  { args: ["raw"] },
);

/**
 * Plays the notes on the piano: the sample bank named `piano` (Strudel's
 * default library has one: `ostinato sounds fetch --strudel-defaults`
 * fetches it, and then it plays offline). Without that bank it plays
 * nothing, and the evaluation names the sound and says how to get it.
 * @example
 * note("c3 e3 g3 c4").piano()
 */
export const piano = register("piano", (pat: Pattern<Any>) => pat.fmap((v) => ({ ...asSound(v), s: "piano" })), { args: [] });
