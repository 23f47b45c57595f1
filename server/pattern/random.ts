/**
 * Randomness as a function of time: the same query always gives the same
 * values, so a pattern replays identically and renders deterministically.
 *
 * The seed of a moment t is the remainder of t/300 by 1 (negative before 0) scaled to 29 bits,
 * mixed by Marsaglia's xorshift32 (shifts 13, 17, 5); this reproduces the
 * random numbers of Tidal and Strudel (checked against Strudel 1.2.6 in
 * test/pattern/differential.test.ts).
 * @module
 */
import { type Any, Pattern, pure, reify, type PatternLike, silence } from "./pattern.ts";
import { int } from "./rational.ts";
import { register } from "./register.ts";
import { signal } from "./signal.ts";
import { fastcat } from "./structure.ts";
import { earlyRaw, fastRaw, zoomRaw } from "./time.ts";

const SCALE = 536870912; // 2^29

function xorshift(x: number): number {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

/** Cycles added to the time of every random draw while a `.seed(n)` pattern is queried. */
let seedOffset = 0;

/** The integer seed of time `t` (cycles). */
export function timeToIntSeed(t: number): number {
  const x = (t + seedOffset) / 300;
  // The remainder keeps the sign: before time 0 the seed is negative, as in Strudel 1.2.6 (checked by running it).
  return xorshift(Math.trunc((x % 1) * SCALE));
}

/** A number in [0, 1) from an integer seed. */
export function intSeedToRand(seed: number): number {
  return Math.abs((seed % SCALE) / SCALE);
}

/** The random number in [0, 1) of time `t`. */
export function timeToRand(t: number): number {
  return intSeedToRand(timeToIntSeed(t));
}

/** `n` random numbers in [0, 1) from time `t`, each from the previous by one more xorshift step. */
export function timeToRands(t: number, n: number): number[] {
  let seed = timeToIntSeed(t);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(intSeedToRand(seed));
    seed = xorshift(seed);
  }
  return out;
}

/**
 * A continuous random signal in [0, 1).
 * @example
 * s("hh*8").gain(rand)
 */
export const rand: Pattern<number> = signal(timeToRand);

/**
 * A continuous random signal in [-1, 1).
 * @example
 * s("hh*8").pan(rand2.fromBipolar())
 */
export const rand2: Pattern<number> = signal((t) => timeToRand(t) * 2 - 1);

/**
 * Random booleans, true with probability 0.5.
 * @example
 * s("hh*8").struct(brand.segment(8))
 */
export const brand: Pattern<boolean> = signal((t) => timeToRand(t) < 0.5);

/**
 * Random booleans, true with probability `p`.
 * @example
 * s("hh*16").struct(brandBy(0.3).segment(16))
 */
export function brandBy(p: PatternLike<number>): Pattern<boolean> {
  return reify(p).innerBind((prob: number) => signal((t) => timeToRand(t) < Number(prob)));
}

/**
 * Random integers from 0 to n-1.
 * @example
 * n(irand(8).segment(4)).scale("C:minor")
 */
export function irand(n: PatternLike<number>): Pattern<number> {
  return reify(n).innerBind((k: number) => signal((t) => Math.floor(timeToRand(t) * Number(k))));
}

/**
 * Smooth random noise: random values at each cycle start, eased between.
 * @example
 * s("hh*8").lpf(perlin.range(500, 4000))
 */
export const perlin: Pattern<number> = signal((t) => {
  const a = timeToRand(Math.floor(t));
  const b = timeToRand(Math.floor(t) + 1);
  const x = t - Math.floor(t);
  const ease = 6 * x ** 5 - 15 * x ** 4 + 10 * x ** 3;
  return a + ease * (b - a);
});

/**
 * The random signal for the n-th `?` or `|` of a mini-notation string:
 * shifted 0.0003·n cycles earlier, which is what Strudel does (found by
 * running it: the k-th random operator of a string samples rand at t + 0.0003·k).
 */
export function seededRand(seed: number): Pattern<number> {
  return seed === 0 ? rand : earlyRaw(int(3 * seed).div(int(10000)), rand);
}

/** Mini-notation `|`: one of the layers at random each cycle. */
export function chooseLayers(pats: Pattern<Any>[], seed: number): Pattern<Any> {
  if (pats.length === 0) return silence;
  const n = pats.length;
  const picker = segment1(seededRand(seed)).fmap((r: number) => pats[Math.floor(r * n)]!);
  return picker.innerJoin();
}

function segment1<T>(sig: Pattern<T>): Pattern<T> {
  return pure(true).appLeft(sig, (_a: boolean, b: T) => b);
}

/**
 * A random choice among the values, continuously (use `segment` for steps).
 * @example
 * s(choose("bd", "sd", "hh").segment(4))
 */
export function choose<T>(...xs: T[]): Pattern<T> {
  return chooseWith(rand, xs);
}

/** Chooses from `xs` with a signal in [0, 1). */
export function chooseWith<T>(sig: Pattern<number>, xs: readonly T[]): Pattern<T> {
  if (xs.length === 0) return silence;
  const chosen = sig.fmap((r: number): T => xs[Math.min(xs.length - 1, Math.floor(r * xs.length))] as T);
  return joinIfPatterns(chosen, xs);
}

/** When the choices are patterns (or mini-notation), the chosen one plays: its value at each event's start. */
function joinIfPatterns<T>(chosen: Pattern<T>, xs: readonly unknown[]): Pattern<T> {
  if (!xs.some((x) => x instanceof Pattern || typeof x === "string" || Array.isArray(x))) return chosen;
  return chosen.outerBind((x: unknown) => reify(x as Any));
}

/**
 * A random choice with weights: `[value, weight]` pairs.
 * @example
 * s(wchoose(["bd", 3], ["sd", 1]).segment(8))
 */
export function wchoose<T>(...pairs: readonly (readonly [T, number])[]): Pattern<T> {
  const total = pairs.reduce((a, [, w]) => a + Number(w), 0);
  const chosen = rand.fmap((r: number) => {
    let acc = 0;
    const target = r * total;
    for (const [v, w] of pairs) {
      acc += Number(w);
      if (target < acc) return v;
    }
    return pairs[pairs.length - 1]![0];
  });
  return joinIfPatterns(chosen, pairs.map(([v]) => v));
}

/**
 * One of the patterns at random, each cycle.
 * @example
 * chooseCycles(s("bd*2"), s("hh*4"), s("sd"))
 */
export function chooseCycles<T>(...pats: PatternLike<T>[]): Pattern<T> {
  const ps = pats.map((p) => reify(p));
  return chooseLayers(ps, 0);
}

/**
 * Alias of {@link chooseCycles}.
 * @example
 * randcat("bd*2", "hh*4", "sd")
 */
export const randcat = chooseCycles;

/**
 * Plays the n slices of each cycle in a random order (each slice once per cycle).
 * @example
 * note("0 1 2 3").shuffle(4)
 */
export const shuffle = register("shuffle", (n: unknown, pat: Pattern<Any>) => {
  const k = Math.max(1, Math.floor(Number(n)));
  const slices = Array.from({ length: k }, (_, i) => zoomRaw(int(i).div(int(k)), int(i + 1).div(int(k)), pat));
  return new Pattern<Any>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = Math.floor(span.begin.valueOf());
      const order = randomOrder(cycle, k);
      fastcat(...order.map((i) => slices[i]!)).run(state.setSpan(span), out);
    });
  });
});

/**
 * The order 0…n-1 that cycle `cycle` shuffles to: n signed draws from the
 * middle of the cycle, one xorshift step apart, sorted ascending (found by
 * running Strudel 1.2.6's randrun and shuffle: the draws keep their sign,
 * unlike rand's, and come from cycle + 0.5).
 */
function randomOrder(cycle: number, n: number): number[] {
  let seed = timeToIntSeed(cycle + 0.5);
  const draws: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    draws.push([(seed % SCALE) / SCALE, i]);
    seed = xorshift(seed);
  }
  return draws.sort((a, b) => a[0] - b[0]).map(([, i]) => i);
}

/**
 * A random permutation of 0…n-1 each cycle, as a sequence of n steps.
 * @example
 * n(randrun(8)).scale("C:minor")
 */
export function randrun(n: unknown): Pattern<number> {
  const k = Math.max(0, Math.floor(Number(n)));
  if (k === 0) return silence;
  return new Pattern<number>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = Math.floor(span.begin.valueOf());
      fastcat(...randomOrder(cycle, k).map((i) => pure(i))).run(state.setSpan(span), out);
    });
  });
}

/**
 * Plays n random slices of each cycle (slices may repeat).
 * @example
 * note("0 1 2 3").scramble(4)
 */
export const scramble = register("scramble", (n: unknown, pat: Pattern<Any>) => {
  const k = Math.max(1, Math.floor(Number(n)));
  const picks = fastRaw(k, pure(true)).appLeft(rand, (_a: boolean, r: number) => Math.floor(r * k));
  return picks.squeezeBind((i: number) => zoomRaw(int(i).div(int(k)), int(i + 1).div(int(k)), pat));
});

/**
 * Berlin noise: like perlin, with sawtooth ramps between random heights, in [0, 1).
 * @example
 * n("0!16".add(berlin.fast(4).mul(14))).scale("d:minor")
 */
export const berlin: Pattern<number> = signal((t) => {
  const c = Math.floor(t);
  return (timeToRand(c) + (t - c) * timeToRand(c + 1)) / 2;
});

/** A weight's value at the start of a cycle (weights may be patterns). */
function weightAt(w: unknown, cycle: number): number {
  if (typeof w === "number") return w;
  const h = reify(w as Any).queryArc(cycle, cycle + 1).find((x) => x.whole?.begin.valueOf() === cycle) ?? reify(w as Any).queryArc(cycle, cycle + 1)[0];
  return Number(h?.value ?? 0);
}

/**
 * Picks one of the patterns each cycle at random, by weight: `[pattern, weight]` pairs (weights may be patterns).
 * @example
 * wchooseCycles(["bd", 10], ["hh", 1], ["sd", 1]).s().fast(8)
 */
export function wchooseCycles<T>(...pairs: readonly (readonly [PatternLike<T>, unknown])[]): Pattern<T> {
  const pats = pairs.map(([p]) => reify(p));
  return new Pattern<T>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = Math.floor(span.begin.valueOf());
      const weights = pairs.map(([, w]) => weightAt(w, cycle));
      const total = weights.reduce((a, b) => a + b, 0);
      const target = timeToRand(cycle) * total;
      let acc = 0;
      let k = pats.length - 1;
      for (let i = 0; i < weights.length; i++) {
        acc += weights[i]!;
        if (target < acc) {
          k = i;
          break;
        }
      }
      pats[k]?.run(state.setSpan(span), out);
    });
  });
}

/**
 * Alias of {@link wchooseCycles}.
 * @example
 * wrandcat(["bd", 3], ["sd", 1]).s()
 */
export const wrandcat = wchooseCycles;

/**
 * A continuous signal of lists of `n` random numbers in [0, 1) (for list controls such as partials).
 * @example
 * s("saw").seg(16).n(irand(12)).scale("F1:minor").partials(randL(8))
 */
export function randL(n: number): Pattern<number[]> {
  const k = Math.max(0, Math.floor(Number(n)));
  return signal((t) => timeToRands(t, k));
}

/**
 * Another random seed for the pattern: its random draws (rand, degrade,
 * sometimes, `?`, …) are those of `n` cycles later, so two patterns at the
 * same time draw differently (found by running Strudel 1.2.6: `.seed(n)`
 * reads rand at t + n).
 * @example
 * stack(s("hh*4").degrade(), s("bd*4").degrade().seed(1))
 */
export const seed = register("seed", (n: unknown, pat: Pattern<Any>) => {
  const by = Number(n);
  if (!Number.isFinite(by)) throw new Error(`seed: expected a number, got ${String(n)}`);
  if (by === 0) return pat;
  return new Pattern<Any>((state, out) => {
    const was = seedOffset;
    seedOffset = was + by;
    try {
      pat.run(state, out);
    } finally {
      seedOffset = was;
    }
  }).withSteps(pat._steps);
});

/**
 * Chooses the random generator. Only Strudel's historical one ('legacy', its
 * default and ours) is here; 'precise' is refused with a clear error.
 * @example
 * (useRNG('legacy'), n(irand(8).seg(4)))
 */
export function useRNG(mode: string): void {
  if (mode === "legacy") return;
  throw new Error(`useRNG('${String(mode)}'): only 'legacy' (the default) is here`);
}
