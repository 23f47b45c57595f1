/**
 * Continuous signals: patterns whose value is a function of time, with no
 * whole (no onsets). Sampled at the start of each query's span; `segment`
 * turns them into discrete steps.
 * @module
 */
import { Hap } from "./hap.ts";
import { type Any, Pattern, type PatternLike, reify } from "./pattern.ts";
import type { Rational } from "./rational.ts";
import { register } from "./register.ts";

/** A signal: `f(time in cycles)` sampled at the start of each queried span. */
export function signal<T>(f: (t: number) => T): Pattern<T> {
  return new Pattern<T>((state, out) => {
    out.push(new Hap<T>(undefined, state.span, f(state.span.begin.valueOf())));
  });
}

/** A signal reading exact time. */
export function signalExact<T>(f: (t: Rational) => T): Pattern<T> {
  return new Pattern<T>((state, out) => {
    out.push(new Hap<T>(undefined, state.span, f(state.span.begin)));
  });
}

/**
 * A constant signal (no onsets): `value` at every moment.
 * @example
 * n("0 2").add(steady(12))
 */
export function steady<T>(value: T): Pattern<T> {
  return new Pattern<T>((state, out) => {
    out.push(new Hap<T>(undefined, state.span, value));
  });
}

const frac = (t: number) => t - Math.floor(t);

/**
 * A sawtooth from 0 to 1 each cycle.
 * @example
 * n(saw.range(0, 7).segment(8)).scale("C:major")
 */
export const saw: Pattern<number> = signal(frac);
/**
 * A sawtooth from -1 to 1 each cycle.
 * @example
 * n(saw2.range(0, 7).segment(4))
 */
export const saw2: Pattern<number> = signal((t) => frac(t) * 2 - 1);
/**
 * A descending sawtooth from 1 to 0 each cycle.
 * @example
 * s("hh*8").gain(isaw)
 */
export const isaw: Pattern<number> = signal((t) => 1 - frac(t));
/**
 * A descending sawtooth from 1 to -1 each cycle.
 * @example
 * s("hh*8").pan(isaw2.fromBipolar())
 */
export const isaw2: Pattern<number> = signal((t) => (1 - frac(t)) * 2 - 1);
/**
 * A sine wave from 0 to 1, one period per cycle.
 * @example
 * s("hh*8").gain(sine)
 */
export const sine: Pattern<number> = signal((t) => 0.5 + 0.5 * Math.sin(2 * Math.PI * t));
/**
 * A sine wave from -1 to 1.
 * @example
 * s("hh*8").pan(sine2.fromBipolar())
 */
export const sine2: Pattern<number> = signal((t) => Math.sin(2 * Math.PI * t));
/**
 * A cosine wave from 0 to 1 (a sine a quarter cycle earlier).
 * @example
 * s("hh*8").gain(cosine)
 */
export const cosine: Pattern<number> = signal((t) => 0.5 + 0.5 * Math.sin(2 * Math.PI * (t + 0.25)));
/**
 * A cosine wave from -1 to 1.
 * @example
 * s("hh*8").pan(cosine2.fromBipolar())
 */
export const cosine2: Pattern<number> = signal((t) => Math.sin(2 * Math.PI * (t + 0.25)));
/**
 * A square wave: 0 for the first half of each cycle, 1 for the second.
 * @example
 * s("hh*8").gain(square)
 */
export const square: Pattern<number> = signal((t) => Math.floor(frac(t) * 2));
/**
 * A square wave between -1 and 1.
 * @example
 * s("hh*8").pan(square2.fromBipolar())
 */
export const square2: Pattern<number> = signal((t) => Math.floor(frac(t) * 2) * 2 - 1);
/**
 * A triangle wave from 0 up to 1 and back, each cycle.
 * @example
 * s("hh*8").gain(tri)
 */
export const tri: Pattern<number> = signal((t) => {
  const x = frac(t);
  return x < 0.5 ? x * 2 : 2 - x * 2;
});
/**
 * A triangle wave between -1 and 1.
 * @example
 * s("hh*8").pan(tri2.fromBipolar())
 */
export const tri2: Pattern<number> = signal((t) => {
  const x = frac(t);
  return (x < 0.5 ? x * 2 : 2 - x * 2) * 2 - 1;
});
/**
 * An inverted triangle: from 1 down to 0 and back.
 * @example
 * s("hh*8").gain(itri)
 */
export const itri: Pattern<number> = signal((t) => {
  const x = frac(t);
  return 1 - (x < 0.5 ? x * 2 : 2 - x * 2);
});
/**
 * Time itself, in cycles.
 * @example
 * n(time.segment(4))
 */
export const time: Pattern<number> = signal((t) => t);

/**
 * Scales values from 0..1 to `min`..`max`.
 * @example
 * s("hh*8").lpf(sine.range(500, 4000))
 */
export const range = register("range", (min: unknown, max: unknown, pat: Pattern<Any>) => {
  const lo = Number(min);
  const hi = Number(max);
  return pat.fmap((v: number) => v * (hi - lo) + lo);
}, { args: ["p", "p"] });

/**
 * Scales values from -1..1 to `min`..`max`.
 * @example
 * s("hh*8").lpf(sine2.range2(500, 4000))
 */
export const range2 = register("range2", (min: unknown, max: unknown, pat: Pattern<Any>) => {
  const lo = Number(min);
  const hi = Number(max);
  return pat.fmap((v: number) => ((v + 1) / 2) * (hi - lo) + lo);
}, { args: ["p", "p"] });

/**
 * Scales values from 0..1 exponentially to `min`..`max` (for frequencies).
 * @example
 * s("hh*8").lpf(sine.rangex(200, 8000))
 */
export const rangex = register("rangex", (min: unknown, max: unknown, pat: Pattern<Any>) => {
  const lo = Math.log(Number(min));
  const hi = Math.log(Number(max));
  return pat.fmap((v: number) => Math.exp(v * (hi - lo) + lo));
}, { args: ["p", "p"] });

/**
 * Values from -1..1 to 0..1.
 * @example
 * s("hh*8").pan(sine2.fromBipolar())
 */
export const fromBipolar = register("fromBipolar", (pat: Pattern<Any>) => pat.fmap((v: number) => (v + 1) / 2), { args: [] });

/**
 * Values from 0..1 to -1..1.
 * @example
 * n(sine.toBipolar().range2(0, 7).segment(4))
 */
export const toBipolar = register("toBipolar", (pat: Pattern<Any>) => pat.fmap((v: number) => v * 2 - 1), { args: [] });

/**
 * The length of the events it is combined with, in cycles: it takes its structure from the other side (`.note(cyclesPer.range(50, 100))`).
 * @example
 * sound("saw saw [saw saw] saw").note(cyclesPer.range(50, 100))
 */
export const cyclesPer: Pattern<number> = new Pattern<number>((state, out) => {
  out.push(new Hap(undefined, state.span, state.span.end.sub(state.span.begin).valueOf()));
});

/**
 * How many of the events it is combined with fit in a cycle (the reciprocal of {@link cyclesPer}); alias `perCycle`.
 * @example
 * n("0 0*2 0 0*2").sound("bd").distort(per.div(2))
 */
export const per: Pattern<number> = new Pattern<number>((state, out) => {
  const d = state.span.end.sub(state.span.begin).valueOf();
  out.push(new Hap(undefined, state.span, d === 0 ? 0 : 1 / d));
});

/**
 * Alias of {@link per}.
 * @example
 * n("0 0*2").sound("bd").distort(perCycle)
 */
export const perCycle = per;

/**
 * The mouse's horizontal position in Strudel's browser window, from 0 to 1. Headless there is no mouse: 0.
 * @example
 * n(mousex.segment(4).range(0, 7)).scale("C:minor")
 */
export const mousex: Pattern<number> = new Pattern<number>((state, out) => void out.push(new Hap(undefined, state.span, 0)));

/**
 * The mouse's vertical position, from 0 to 1 (see {@link mousex}). Headless: 0.
 * @example
 * n(mousey.segment(4).range(0, 7)).scale("C:minor")
 */
export const mousey: Pattern<number> = mousex;

/**
 * True while the given keys are held down in Strudel's browser window (`"Control:j"`). Headless no key is down: false.
 * @example
 * keyDown("Control:j").pick([s("bd(5,8)"), s("cp(3,8)")])
 */
export function keyDown(_keys: unknown): Pattern<boolean> {
  return new Pattern<boolean>((state, out) => void out.push(new Hap(undefined, state.span, false)));
}

/**
 * Applies `f` while the given keys are held down (see {@link keyDown}). Headless no key is down: unchanged.
 * @example
 * s("bd(5,8)").whenKey("Control:j", (x) => x.fast(2))
 */
export const whenKey = register("whenKey", (_keys: unknown, _f: unknown, pat: Pattern<Any>) => pat, { args: ["raw", "raw"] });

/**
 * The bits of a number as a list, most significant first (`binaryL(6)` is `[1, 1, 0]`), for list controls.
 * @example
 * s("saw").seg(8).partials(binaryL(irand(256).add(1)))
 */
export function binaryL(n: PatternLike<number>): Pattern<number[]> {
  return reify(n).fmap((v: unknown) => {
    const x = Math.max(0, Math.floor(Number(v)));
    return x === 0 ? [0] : [...x.toString(2)].map(Number);
  });
}

/**
 * The bits of a number as a list of `bits` places, most significant first (`binaryNL(5, 4)` is `[0, 1, 0, 1]`).
 * @example
 * s("saw").seg(8).partials(binaryNL(irand(16), 4))
 */
export function binaryNL(n: PatternLike<number>, bits: PatternLike<number> = 16): Pattern<number[]> {
  return reify(n).appLeft(reify(bits), (v: unknown, b: unknown) => {
    const x = Math.max(0, Math.floor(Number(v)));
    const k = Math.max(0, Math.floor(Number(b)));
    return Array.from({ length: k }, (_, i) => (x >> (k - 1 - i)) & 1);
  });
}
