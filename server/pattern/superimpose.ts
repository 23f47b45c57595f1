/**
 * Playing a pattern together with transformed copies of itself: delayed
 * echoes (echo, stut, echoWith, off) and layers (superimpose, layer).
 * @module
 */
import { type Any, Pattern, type PatternLike, mapSplitAtCycles, pure, reify } from "./pattern.ts";
import { int } from "./rational.ts";
import { addMethod, register } from "./register.ts";
import { fastcat, stack } from "./structure.ts";
import { callFn, lateRaw, t } from "./time.ts";

type Fn = (p: Pattern<Any>) => Pattern<Any>;

/**
 * Superimposes `count` copies, each `time` cycles later than the previous and with `gain` multiplied by `feedback`.
 * @example
 * s("bd sd").echo(3, 1/8, 0.5)
 */
export const echo = register(
  "echo",
  (count: unknown, time: unknown, feedback: unknown, pat: Pattern<Any>) => {
    const k = Math.floor(Number(count));
    const fb = Number(feedback);
    return stack(...Array.from({ length: Math.max(0, k) }, (_, i) => setGain(lateRaw(t(time).mul(int(i)), pat), fb ** i)));
  },
  { args: ["p", "p", "p"] },
);

function setGain(pat: Pattern<Any>, gain: number): Pattern<Any> {
  return mapSplitAtCycles(pat, (v: Any) => (v !== null && typeof v === "object" && !Array.isArray(v) ? { ...v, gain } : { value: v, gain }));
}

/**
 * `stut(count, feedback, time)`: Tidal's older name for `echo`, with the arguments in another order.
 * @example
 * s("bd sd").stut(3, 0.5, 1/8)
 */
export const stut = register(
  "stut",
  (count: unknown, feedback: unknown, time: unknown, pat: Pattern<Any>) => echo(count, time, feedback, pat),
  { args: ["p", "p", "p"] },
);

/**
 * Superimposes `count` copies of the pattern, the i-th delayed by i·`time` cycles, each passed through `f`.
 * @example
 * note("c3 e3").echoWith(3, 1/8, add(12))
 */
export const echoWith = register(
  ["echoWith", "echowith", "stutWith", "stutwith"],
  (count: unknown, time: unknown, f: Fn, pat: Pattern<Any>) => {
    const k = Math.floor(Number(count));
    // Strudel passes the echo's index to f as its second argument.
    return stack(...Array.from({ length: Math.max(0, k) }, (_, i) => callFn(f, lateRaw(t(time).mul(int(i)), pat), i)));
  },
  { args: ["p", "p", "raw"] },
);

/**
 * Superimposes a copy shifted later by `time` and passed through `f`.
 * @example
 * note("c3 e3 g3").off(1/8, add(12))
 */
export const off = register("off", (time: unknown, f: Fn, pat: Pattern<Any>) => stack(pat, callFn(f, lateRaw(time, pat))), {
  args: ["p", "raw"],
});

/** Plays the pattern together with the results of each function applied to it. */
export function superimposeRaw(fs: Fn[], pat: Pattern<Any>): Pattern<Any> {
  return stack(pat, ...fs.map((f) => callFn(f, pat)));
}

/** Plays the results of each function applied to the pattern (without the original). */
export function layerRaw(fs: Fn[], pat: Pattern<Any>): Pattern<Any> {
  return stack(...fs.map((f) => callFn(f, pat)));
}


/**
 * Repeats each event `factor` times within its span, applying `f` once more to each repeat (the first plays as it is).
 * @example
 * "<0 [2 4]>".plyWith(4, (p) => p.add(2)).scale("C:minor").note()
 */
export const plyWith = register(
  ["plyWith", "plywith"],
  (factor: unknown, f: unknown, pat: Pattern<Any>) => {
    const n = Math.max(0, Math.floor(Number(factor)));
    return pat.squeezeBind((v: unknown) => {
      const copies: Pattern<Any>[] = [];
      let p: Pattern<Any> = pure(v);
      for (let k = 0; k < n; k++) {
        copies.push(p);
        p = callFn(f, p);
      }
      return fastcat(...copies);
    });
  },
  { args: ["p", "raw"] },
);

/**
 * Cross-fades two patterns by `pos` from 0 (only `a`) through 0.5 (both at full gain) to 1 (only `b`).
 * @example
 * xfade(s("bd*2"), "<0 .25 .5 .75 1>", s("hh*8"))
 */
export function xfade(a: PatternLike, pos: PatternLike, b: PatternLike): Pattern<Any> {
  const p = reify(pos);
  const gainA = p.fmap((x: number) => Math.min(1, 2 * (1 - Number(x))));
  const gainB = p.fmap((x: number) => Math.min(1, 2 * Number(x)));
  return stack(reify(a).gain(gainA), reify(b).gain(gainB));
}

/**
 * Like {@link plyWith}, with `f` given the repeat's index: the i-th repeat is `f(event, i)`.
 * @example
 * "<0 [2 4]>".plyForEach(4, (p, n) => p.add(n * 2)).scale("C:minor").note()
 */
export const plyForEach = register(
  ["plyForEach", "plyforeach"],
  (factor: unknown, f: unknown, pat: Pattern<Any>) => {
    const n = Math.max(0, Math.floor(Number(factor)));
    return pat.squeezeBind((v: unknown) => fastcat(...Array.from({ length: n }, (_, i) => callFn(f, pure(v), i))));
  },
  { args: ["p", "raw"] },
);

// `a.xfade(pos, b)` is xfade(a, pos, b).
addMethod("xfade", function (this: Pattern<Any>, pos: PatternLike, b: PatternLike) {
  return xfade(this, pos, b);
});
