/**
 * Strudel's stepwise functions (experimental in Strudel 1.2.6): they read a
 * pattern's steps per cycle (`_steps`, one per mini-notation element) and
 * work in steps rather than cycles. `take(2)` keeps the first two steps,
 * `stepcat` concatenates in proportion to steps, `pace(4)` plays four steps
 * per cycle. A patterned argument gives one result per event of the
 * argument, concatenated in the cycle by their steps (Strudel's step join).
 * A pattern whose steps are unknown is left as it is.
 * @module
 */
import { type Any, Pattern, type PatternLike, reify, silence } from "./pattern.ts";
import { type Rational, ZERO, int, rational } from "./rational.ts";
import { addMethod, register } from "./register.ts";
import { weightedSequence } from "./structure.ts";
import { fastRaw, zoomRaw } from "./time.ts";
import { TimeSpan } from "./timespan.ts";

/** The results of `f` for each event of `arg` in a cycle, side by side in proportion to their steps. */
function stepJoin(arg: unknown, pat: Pattern<Any>, f: (v: unknown, pat: Pattern<Any>) => Pattern<Any>): Pattern<Any> {
  const a = reify(arg as Any);
  if (a._pure) return f(a._pure.value, pat);
  const resultsIn = (cycle: number) =>
    a
      .queryArc(cycle, cycle + 1)
      .filter((h) => h.whole && h.whole.begin.eq(h.part.begin))
      .sort((x, y) => x.whole!.begin.compare(y.whole!.begin))
      .map((h) => f(h.value, pat));
  const joined = new Pattern<Any>((state, out) => {
    state.span.eachCycle((span) => {
      const results = resultsIn(Math.floor(span.begin.valueOf())).filter((r) => r._steps && r._steps.n > 0);
      if (results.length === 0) return;
      weightedSequence(results.map((r) => ({ weight: r._steps!, pat: r }))).run(state.setSpan(span), out);
    });
  });
  const first = resultsIn(0).reduce((acc: Rational, r) => acc.add(r._steps ?? ZERO), ZERO);
  return joined.withSteps(first.n > 0 ? first : undefined);
}

function takeSteps(k: number, pat: Pattern<Any>): Pattern<Any> {
  const steps = pat._steps;
  if (!steps || k === 0) return k === 0 ? silence : pat;
  const n = rational(Math.min(Math.abs(k), steps.valueOf()));
  const frac = n.div(steps);
  const zoomed = k > 0 ? zoomRaw(ZERO, frac, pat) : zoomRaw(int(1).sub(frac), int(1), pat);
  return zoomed.withSteps(n);
}

/**
 * Keeps the first `n` steps of each cycle (the last ones for a negative `n`).
 * @example
 * "bd cp ht mt".take("1 2 3").sound()
 */
export const take = register("take", (n: unknown, pat: Pattern<Any>) => stepJoin(n, pat, (k, p) => takeSteps(Number(k), p)), {
  args: ["raw"],
});

/**
 * Drops the first `n` steps of each cycle (the last ones for a negative `n`).
 * @example
 * "tha dhi thom nam".drop("0 1 2 3").sound().bank("mridangam")
 */
export const drop = register(
  "drop",
  (n: unknown, pat: Pattern<Any>) =>
    stepJoin(n, pat, (k, p) => {
      const steps = p._steps;
      const d = Number(k);
      if (!steps) return p;
      const keep = steps.valueOf() - Math.abs(d);
      if (keep <= 0) return silence;
      return takeSteps(d >= 0 ? -keep : keep, p);
    }),
  { args: ["raw"] },
);

/**
 * Plays `n` steps per cycle: speeds the pattern up or down to fit.
 * @example
 * sound("bd sd cp").pace(4)
 */
export const pace = register(
  "pace",
  (n: unknown, pat: Pattern<Any>) =>
    stepJoin(n, pat, (k, p) => {
      const steps = p._steps;
      if (!steps || steps.n === 0) return p;
      const target = rational(Number(k));
      return fastRaw(target.div(steps), p).withSteps(target);
    }),
  { args: ["raw"] },
);

/**
 * Like `fast`, but the steps grow with it: `stepcat("a b".extend(2), "c d")` is `"a b a b c d"`.
 * @example
 * stepcat(sound("bd bd - cp").extend(2), sound("bd - sd -")).pace(8)
 */
export const extend = register(
  "extend",
  (n: unknown, pat: Pattern<Any>) => stepJoin(n, pat, (k, p) => fastRaw(Number(k), p).withSteps(p._steps?.mul(rational(Number(k))))),
  { args: ["raw"] },
);

/**
 * Multiplies the steps per cycle by a factor, leaving the events where they are.
 * @example
 * sound("tha dhi thom nam").bank("mridangam").expand("3 2 1 1 2 3").pace(8)
 */
export const expand = register(
  "expand",
  (n: unknown, pat: Pattern<Any>) => stepJoin(n, pat, (k, p) => withSteps(p, p._steps?.mul(rational(Number(k))))),
  { args: ["raw"] },
);

/**
 * Divides the steps per cycle by a factor (see {@link expand}).
 * @example
 * sound("tha dhi thom nam").bank("mridangam").contract("3 2 1 1 2 3").pace(8)
 */
export const contract = register(
  "contract",
  (n: unknown, pat: Pattern<Any>) => stepJoin(n, pat, (k, p) => withSteps(p, p._steps?.div(rational(Number(k))))),
  { args: ["raw"] },
);

/** The same events with other steps per cycle (a new pattern: patterns are immutable). */
function withSteps(p: Pattern<Any>, steps: Rational | undefined): Pattern<Any> {
  return new Pattern<Any>(p.run).withSteps(steps);
}

/**
 * Concatenates patterns within a cycle in proportion to their steps (`[steps, pattern]` pairs give them).
 * @example
 * stepcat([3, "e3"], [1, "g3"]).note()
 */
export function stepcat(...items: readonly (readonly [number, PatternLike] | PatternLike)[]): Pattern<Any> {
  const parts = items.map((it) => {
    if (Array.isArray(it) && it.length === 2 && typeof it[0] === "number") return { weight: rational(it[0]), pat: reify(it[1] as PatternLike) };
    const pat = reify(it as PatternLike);
    return { weight: pat._steps ?? int(1), pat };
  });
  const total = parts.reduce((acc: Rational, p) => acc.add(p.weight), ZERO);
  return weightedSequence(parts).withSteps(total);
}

/** `n` or `n:times` (mini-notation list) as the step size and how many results. */
function stepAndTimes(v: unknown): { k: number; times?: number } {
  if (Array.isArray(v)) return { k: Number(v[0]), times: v[1] === undefined ? undefined : Number(v[1]) };
  return { k: Number(v) };
}

/** Results side by side in one cycle, in proportion to their steps. */
function stepsInCycle(results: Pattern<Any>[]): Pattern<Any> {
  const parts = results.filter((r) => r._steps && r._steps.n > 0);
  if (parts.length === 0) return silence;
  const total = parts.reduce((acc: Rational, r) => acc.add(r._steps!), ZERO);
  return weightedSequence(parts.map((r) => ({ weight: r._steps!, pat: r }))).withSteps(total);
}

/**
 * Plays the pattern, then again without its first `n` steps, and so on until nothing is left (or `n:times` times),
 * all in one cycle; a negative `n` drops steps from the end.
 * @example
 * "tha dhi thom nam".shrink("1").sound().bank("mridangam")
 */
export const shrink = register(
  "shrink",
  (n: unknown, pat: Pattern<Any>) =>
    stepJoin(n, pat, (v, p) => {
      const steps = p._steps?.valueOf();
      const { k, times } = stepAndTimes(v);
      if (!steps || k === 0) return p;
      const out: Pattern<Any>[] = [];
      for (let i = 0; steps - i * Math.abs(k) > 0 && (times === undefined || i < times); i++) {
        const keep = steps - i * Math.abs(k);
        out.push(takeSteps(k > 0 ? -keep : keep, p));
      }
      return stepsInCycle(out);
    }),
  { args: ["raw"] },
);

/**
 * Plays the first `n` steps, then the first 2n, and so on until the whole pattern plays (or `n:times` times), all in one
 * cycle; a negative `n` grows from the end.
 * @example
 * "tha dhi thom nam".grow("1").sound().bank("mridangam")
 */
export const grow = register(
  "grow",
  (n: unknown, pat: Pattern<Any>) =>
    stepJoin(n, pat, (v, p) => {
      const steps = p._steps?.valueOf();
      const { k, times } = stepAndTimes(v);
      if (!steps || k === 0) return p;
      const out: Pattern<Any>[] = [];
      for (let i = 1; i * Math.abs(k) <= steps && (times === undefined || i <= times); i++) out.push(takeSteps(i * k, p));
      return stepsInCycle(out);
    }),
  { args: ["raw"] },
);

/**
 * Alias of {@link extend}.
 * @example
 * stepcat(sound("bd bd - cp").replicate(2), sound("bd - sd -")).pace(8)
 */
export const replicate = register(
  "replicate",
  (n: unknown, pat: Pattern<Any>) => stepJoin(n, pat, (k, p) => fastRaw(Number(k), p).withSteps(p._steps?.mul(rational(Number(k))))),
  { args: ["raw"] },
);

/**
 * `n` silent steps (`gap(3)` is `"~@3"` in a stepwise concatenation).
 * @example
 * stepcat("bd sd", gap(2)).sound()
 */
export function gap(n: number): Pattern<Any> {
  return new Pattern<Any>(() => {}).withSteps(rational(Number(n)));
}

/**
 * Like {@link stepcat}, where a list alternates: `stepalt(["bd cp", "mt"], "bd")` is `stepcat("bd cp", "bd", "mt", "bd")`
 * (each list gives its next element in each repeat; the lists' lengths' least common multiple of repeats).
 * @example
 * stepalt(["bd cp", "mt"], "bd").sound()
 */
export function stepalt(...items: readonly (PatternLike | readonly PatternLike[])[]): Pattern<Any> {
  const lists = items.map((it) => (Array.isArray(it) ? (it as readonly PatternLike[]) : [it as PatternLike]));
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const repeats = lists.reduce((n, l) => (l.length > 0 ? (n / gcd(n, l.length)) * l.length : n), 1);
  const flat: PatternLike[] = [];
  for (let i = 0; i < repeats; i++) for (const l of lists) if (l.length > 0) flat.push(l[i % l.length]!);
  return stepcat(...flat);
}

/**
 * Tours the pattern through a list, stepwise, all in one cycle: first after the list, then one place earlier each
 * repeat, until it leads (`"x".tour("a", "b")` is `stepcat("a", "b", "x", "a", "x", "b", "x", "a", "b")`).
 * @example
 * "[c g]".tour("e f", "e f g", "g f e c").note().sound("folkharp").pace(8)
 */
export function tour(pat: PatternLike, ...list: PatternLike[]): Pattern<Any> {
  const p = reify(pat);
  const items = list.map((x) => reify(x));
  const parts: Pattern<Any>[] = [];
  for (let at = items.length; at >= 0; at--) parts.push(...items.slice(0, at), p, ...items.slice(at));
  return stepcat(...parts);
}

addMethod("tour", function (this: Pattern<Any>, ...list: PatternLike[]) {
  return tour(this, ...list);
});

/**
 * Zips the steps of the patterns: the first step of each, then the second of
 * each, and so on, each pattern's steps cycling, until every pattern has
 * ended together (after the least common multiple of their step counts).
 * That many steps play per cycle, so the whole runs over as many cycles as
 * there are patterns; `pace` sets another speed. A pattern's steps after its
 * first cycle are its later cycles (`<a b>` alternates).
 * @example
 * zip("e f", "e f g", "g [f e] a f4 c").note().sound("folkharp").pace(8)
 */
export function zip(...items: readonly PatternLike[]): Pattern<Any> {
  const pats = items.map((it) => reify(it));
  const steps = pats.map((p) => p._steps ?? int(1));
  if (pats.length === 0) return silence;
  if (steps.some((s) => s.d !== 1 || s.n <= 0)) throw new Error("zip: every pattern needs a whole number of steps");
  const counts = steps.map((s) => s.n);
  const perCycle = counts.reduce((a, b) => (a / gcdInt(a, b)) * b);
  const n = pats.length;
  const L = int(perCycle);
  return new Pattern<Any>((state, out) => {
    const { begin, end } = state.span;
    const first = Math.floor(begin.mul(L).valueOf());
    const last = end.eq(begin) ? first : Math.ceil(end.mul(L).valueOf()) - 1;
    for (let g = first; g <= last; g++) {
      const i = ((g % n) + n) % n;
      const k = Math.floor(g / n);
      const s = int(counts[i]!);
      const stepBegin = int(g).div(L);
      const stepEnd = int(g + 1).div(L);
      const qb = begin.max(stepBegin);
      const qe = end.min(stepEnd);
      if (qb.gt(qe) || (qb.eq(qe) && !begin.eq(end))) continue;
      const placed = pats[i]!.affine(L.div(s), int(k - g).div(s));
      placed.run(state.setSpan(new TimeSpan(qb, qe)), out);
    }
  }).withSteps(L);
}

function gcdInt(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
