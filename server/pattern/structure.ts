/**
 * Building patterns from patterns: stacking (at once), concatenating (one
 * after the other, per cycle or within a cycle), weighted sequences,
 * polymeters and arrangements.
 * @module
 */
import { Hap } from "./hap.ts";
import { type Any, Pattern, type PatternLike, pure, reify, setSequenceBuilder, silence } from "./pattern.ts";
import { ONE, type Rational, ZERO, int, rational } from "./rational.ts";
import { addMethod, setArgSequence } from "./register.ts";
import { TimeSpan } from "./timespan.ts";

/**
 * Plays patterns at the same time.
 * @example
 * stack(s("bd*2"), s("hh*4"), note("c3 e3"))
 */
export function stack<T = Any>(...items: PatternLike<T>[]): Pattern<T> {
  const pats = items.map((x) => reify(x));
  if (pats.length === 0) return silence;
  if (pats.length === 1) return pats[0]!;
  return new Pattern<T>((state, out) => {
    for (let i = 0; i < pats.length; i++) pats[i]!.run(state, out);
  });
}

/**
 * One pattern per cycle, in turn; each keeps its own cycle count, so
 * `cat("<a b>", "c")` plays a c b c.
 * @example
 * cat(s("bd*2"), s("hh*3"))
 */
export function slowcat<T = Any>(...items: PatternLike<T>[]): Pattern<T> {
  const pats = items.map((x) => reify(x));
  const n = pats.length;
  if (n === 0) return silence;
  if (n === 1) return pats[0]!;
  return new Pattern<T>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = Math.floor(span.begin.valueOf());
      const i = ((cycle % n) + n) % n;
      // The child sees its own cycle floor(cycle / n).
      const offset = int(cycle - Math.floor(cycle / n));
      const start = out.length;
      if (offset.n === 0) {
        pats[i]!.run(state.setSpan(span), out);
        return;
      }
      pats[i]!.run(state.setSpan(new TimeSpan(span.begin.sub(offset), span.end.sub(offset))), out);
      for (let k = start; k < out.length; k++) {
        const h = out[k]!;
        const w = h.whole;
        out[k] = new Hap(
          w && new TimeSpan(w.begin.add(offset), w.end.add(offset)),
          new TimeSpan(h.part.begin.add(offset), h.part.end.add(offset)),
          h.value,
          h.context,
        );
      }
    });
  });
}

/**
 * Alias of {@link slowcat}: one pattern per cycle.
 * @example
 * cat("bd sd", "hh hh hh")
 */
export const cat = slowcat;

/**
 * Like {@link slowcat}, but the cycle picks the child and the child plays its
 * cycle of the same number (no per-child cycle count).
 * @example
 * slowcatPrime("<a b>", "c")
 */
export function slowcatPrime<T = Any>(...items: PatternLike<T>[]): Pattern<T> {
  const pats = items.map((x) => reify(x));
  const n = pats.length;
  if (n === 0) return silence;
  return new Pattern<T>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = Math.floor(span.begin.valueOf());
      pats[((cycle % n) + n) % n]!.run(state.setSpan(span), out);
    });
  });
}

/** A step of a weighted sequence. */
export interface WeightedStep<T = Any> {
  weight: Rational;
  pat: Pattern<T>;
}

/**
 * Steps sharing one cycle in proportion to their weights; each step plays
 * the cycle of the same number, squeezed into its slot. Only the steps that
 * overlap the query are queried.
 */
export function weightedSequence<T = Any>(steps: readonly WeightedStep<T>[]): Pattern<T> {
  const live = steps.filter((s) => s.weight.n > 0);
  if (live.length === 0) return silence;
  if (live.length === 1) return live[0]!.pat;
  let total = ZERO;
  for (const s of live) total = total.add(s.weight);
  const begins: Rational[] = [];
  const widths: Rational[] = [];
  let acc = ZERO;
  for (const s of live) {
    begins.push(acc.div(total));
    widths.push(s.weight.div(total));
    acc = acc.add(s.weight);
  }
  const ends = begins.map((b, i) => b.add(widths[i]!));
  const n = live.length;
  return new Pattern<T>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = span.begin.sam();
      const bp = span.begin.sub(cycle);
      const ep = span.end.sub(cycle);
      const zero = bp.eq(ep);
      for (let i = 0; i < n; i++) {
        const sb = begins[i]!;
        const se = ends[i]!;
        // Half-open slots; a zero-width query at a slot's start belongs to it.
        if (zero ? bp.lt(sb) || bp.gte(se) : ep.lte(sb) || bp.gte(se)) continue;
        const w = widths[i]!;
        const qb = bp.gt(sb) ? bp : sb;
        const qe = ep.lt(se) ? ep : se;
        const innerBegin = cycle.add(qb.sub(sb).div(w));
        const innerEnd = cycle.add(qe.sub(sb).div(w));
        const start = out.length;
        live[i]!.pat.run(state.setSpan(new TimeSpan(innerBegin, innerEnd)), out);
        const base = cycle.add(sb);
        for (let k = start; k < out.length; k++) {
          const h = out[k]!;
          const hw = h.whole;
          // back to outer time: t ↦ cycle + sb + (t - cycle)·w
          out[k] = new Hap(
            hw && new TimeSpan(base.add(hw.begin.sub(cycle).mul(w)), base.add(hw.end.sub(cycle).mul(w))),
            new TimeSpan(base.add(h.part.begin.sub(cycle).mul(w)), base.add(h.part.end.sub(cycle).mul(w))),
            h.value,
            h.context,
          );
        }
      }
    });
  });
}

/**
 * Patterns squeezed into one cycle, one step each.
 * @example
 * fastcat("bd", "sd", "hh")
 */
export function fastcat<T = Any>(...items: PatternLike<T>[]): Pattern<T> {
  return weightedSequence(items.map((x) => ({ weight: ONE, pat: reify(x) })));
}

/**
 * A sequence: the items share one cycle. Arrays nest.
 * @example
 * seq("bd", ["sd", "sd"], "hh")
 */
export function seq<T = Any>(...items: PatternLike<T>[]): Pattern<T> {
  return fastcat(...items);
}

/**
 * Alias of {@link seq}.
 * @example
 * sequence(0, 2, [4, 5])
 */
export const sequence = seq;

/**
 * A sequence whose steps take time in proportion to their weights: `[weight, pattern]` pairs.
 * @example
 * timeCat([3, "bd*4"], [1, "hh*2"])
 */
export function timeCat<T = Any>(...items: readonly (readonly [number | string, PatternLike<T>] | PatternLike<T>)[]): Pattern<T> {
  return weightedSequence(
    items.map((it) =>
      Array.isArray(it) && it.length === 2 && (typeof it[0] === "number" || typeof it[0] === "string")
        ? { weight: rational(it[0] as number), pat: reify(it[1] as PatternLike<T>) }
        : { weight: ONE, pat: reify(it as PatternLike<T>) },
    ),
  );
}

/**
 * Alias of {@link timeCat}.
 * @example
 * timecat([1, "bd"], [2, "hh hh"])
 */
export const timecat = timeCat;

/**
 * Patterns in turn, each for a number of cycles: `[cycles, pattern]` pairs.
 * @example
 * arrange([2, s("bd*2")], [1, s("hh*4")])
 */
export function arrange<T = Any>(...sections: readonly (readonly [number, PatternLike<T>])[]): Pattern<T> {
  let total = ZERO;
  const steps: WeightedStep<T>[] = [];
  for (const [cycles, p] of sections) {
    const c = rational(cycles);
    total = total.add(c);
    // A section of c cycles is one step of weight c holding c cycles.
    steps.push({ weight: c, pat: reify(p).affine(c, ZERO) });
  }
  if (steps.length === 0) return silence;
  return weightedSequence(steps).affine(ONE.div(total), ZERO);
}

/**
 * Layers with different step counts played step for step. Patterns (Strudel 1.2.6:
 * `polymeter("c eb g", "c2 g2")`) all play at the least common multiple of their steps per cycle;
 * lists (`polymeter(["a","b","c"], ["d","e"])`) at the speed of the first.
 * @example
 * polymeter("c eb g", "c2 g2").note()
 */
export function polymeter<T = Any>(...layers: readonly (readonly PatternLike<T>[] | PatternLike<T>)[]): Pattern<T> {
  if (layers.length > 0 && layers.every((l) => !Array.isArray(l))) {
    const pats = layers.map((l) => reify(l as PatternLike<T>));
    const steps = pats.map((p) => p._steps).filter((x): x is Rational => x !== undefined && x.n > 0);
    if (steps.length !== pats.length) return stack(...pats);
    const lcm = steps.reduce((a, b) => lcmRational(a, b));
    return stack(...pats.map((p) => p.affine(lcm.div(p._steps!), ZERO))).withSteps(lcm);
  }
  const ls = (layers as readonly (readonly PatternLike<T>[])[]).filter((l) => l.length > 0);
  if (ls.length === 0) return silence;
  return polymeterSteps(ls[0]!.length, ...ls);
}

/**
 * Layers with different step counts, each at `steps` steps per cycle (Tidal's `{ }%steps`).
 * @example
 * polymeterSteps(4, ["a", "b", "c"])
 */
export function polymeterSteps<T = Any>(steps: number | Rational, ...layers: readonly (readonly PatternLike<T>[])[]): Pattern<T> {
  const perCycle = rational(steps as number);
  const pats = layers
    .filter((l) => l.length > 0)
    .map((l) => fastcat(...l).affine(perCycle.div(int(l.length)), ZERO));
  return stack(...pats);
}

/**
 * Alias of {@link stack}: layers that each fill a cycle, whatever their step count.
 * @example
 * polyrhythm(["a", "b", "c"], ["d", "e"])
 */
export function polyrhythm<T = Any>(...layers: PatternLike<T>[]): Pattern<T> {
  return stack(...layers);
}

/**
 * The numbers 0 to n-1 as a sequence.
 * @example
 * n(run(4)) // 0 1 2 3
 */
export function run(n: number | string | Pattern<number>): Pattern<number> {
  return reify(n as PatternLike<number>).innerBind((k: number) => {
    const count = Math.max(0, Math.floor(Number(k)));
    return fastcat(...Array.from({ length: count }, (_, i) => pure(i)));
  });
}

/**
 * The bits of a number as a sequence of 1s and 0s (as many bits as needed).
 * @example
 * s("hh").struct(binary(5)) // 1 0 1
 */
export function binary(n: number | string | Pattern<number>): Pattern<number> {
  return reify(n as PatternLike<number>).innerBind((k: number) => {
    const v = Math.floor(Number(k));
    const bits = v > 0 ? Math.floor(Math.log2(v)) + 1 : 1;
    return binaryBits(v, bits);
  });
}

/**
 * The lowest `bits` bits of a number as a sequence of 1s and 0s.
 * @example
 * s("hh").struct(binaryN(5, 4)) // 0 1 0 1
 */
export function binaryN(n: number | string | Pattern<number>, bits: number | string | Pattern<number> = 16): Pattern<number> {
  return reify(n as PatternLike<number>).innerBind((k: number) =>
    reify(bits as PatternLike<number>).innerBind((b: number) => binaryBits(Math.floor(Number(k)), Math.floor(Number(b)))),
  );
}

function binaryBits(v: number, bits: number): Pattern<number> {
  const steps: Pattern<number>[] = [];
  for (let i = bits - 1; i >= 0; i--) steps.push(pure(Math.floor(v / 2 ** i) % 2));
  return fastcat(...steps);
}

setSequenceBuilder((items) => fastcat(...(items as PatternLike[])));
setArgSequence((items) => fastcat(...(items as PatternLike[])));

/** Least common multiple of two positive rationals (of whole numbers, in practice). */
function lcmRational(a: Rational, b: Rational): Rational {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  const x = a.valueOf();
  const y = b.valueOf();
  if (!Number.isInteger(x) || !Number.isInteger(y)) return a.mul(b);
  return int((x / gcd(x, y)) * y);
}

/**
 * Alias of {@link stack} (Strudel's `pr`, short for polyrhythm).
 * @example
 * pr(s("bd*2"), s("hh*3"))
 */
export const pr = stack;

/**
 * Alias of {@link polymeter}.
 * @example
 * pm("c eb g", "c2 g2").note()
 */
export const pm = polymeter;

// Concatenations as methods, the pattern first: `a.fastcat(b)` is fastcat(a, b), as in Strudel.
addMethod("fastcat", function (this: Pattern<Any>, ...others: PatternLike[]) {
  return fastcat(this, ...others);
});
addMethod("sequence", function (this: Pattern<Any>, ...others: PatternLike[]) {
  return fastcat(this, ...others);
});
addMethod("slowcat", function (this: Pattern<Any>, ...others: PatternLike[]) {
  return slowcat(this, ...others);
});

/**
 * Patterns placed by start and stop cycle, `[start, stop, pattern]`, looped:
 * like `arrange` but sections may overlap. Each plays at its own time
 * (not restarted) from cycle `start` to `stop` of every loop, and the loop
 * is as long as the latest stop.
 * @example
 * seqPLoop([0, 2, "bd(3,8)"], [1, 3, "cp(3,8)"]).sound()
 */
export function seqPLoop<T = Any>(...sections: readonly (readonly [number, number, PatternLike<T>])[]): Pattern<T> {
  if (sections.length === 0) return silence;
  const parts = sections.map(([b, e, p]) => ({ begin: rational(b), end: rational(e), pat: reify(p) }));
  const first = parts.reduce((acc, p) => acc.min(p.begin), parts[0]!.begin);
  const length = parts.reduce((acc, p) => acc.max(p.end), parts[0]!.end).sub(first);
  if (length.n <= 0) return silence;
  return new Pattern<T>((state, out) => {
    state.span.eachCycle((span) => {
      const loop = span.begin.sub(first).div(length).floor().mul(length);
      const local = span.begin.floor().sub(loop);
      for (const p of parts) if (local.gte(p.begin) && local.lt(p.end)) p.pat.run(state.setSpan(span), out);
    });
  });
}

/**
 * A list of patterns as one pattern of lists: the structure of the first, each value the list of the patterns' values then.
 * @example
 * parray(["a b", "c"]).fmap((xs) => xs.join("")).s()
 */
export function parray<T = Any>(pats: readonly PatternLike<T>[]): Pattern<T[]> {
  if (pats.length === 0) return silence;
  let out: Pattern<T[]> = reify(pats[0]!).fmap((v: T) => [v]);
  for (const p of pats.slice(1)) out = out.appLeft(reify(p), (xs: T[], y: T) => [...xs, y]);
  return out;
}
