/**
 * Rearranging whole cycles: rotate a cycle a step further each cycle (iter),
 * alternate forwards and backwards (palindrome), loop or repeat cycles
 * (ribbon, repeatCycles).
 * @module
 */
import { type Any, Pattern, silence } from "./pattern.ts";
import { type Rational, int } from "./rational.ts";
import { register } from "./register.ts";
import { slowcat } from "./structure.ts";
import { earlyRaw, lateRaw, revRaw, t } from "./time.ts";
import { TimeSpan } from "./timespan.ts";

/** Each cycle repeated `n` times. */
export function repeatCyclesRaw(n: unknown, pat: Pattern<Any>): Pattern<Any> {
  const times = Math.floor(Number(n));
  if (!(times >= 1)) return silence;
  return new Pattern<Any>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = Math.floor(span.begin.valueOf());
      const delta = int(cycle - Math.floor(cycle / times));
      const start = out.length;
      pat.run(state.setSpan(new TimeSpan(span.begin.sub(delta), span.end.sub(delta))), out);
      for (let i = start; i < out.length; i++) out[i] = out[i]!.withSpan((s) => new TimeSpan(s.begin.add(delta), s.end.add(delta)));
    });
  });
}

/**
 * Shifts the pattern earlier by 1/n of a cycle more every cycle, so each cycle starts one step further.
 * @example
 * note("0 1 2 3").iter(4)
 */
export const iter = register("iter", (n: unknown, pat: Pattern<Any>) => {
  const k = Math.floor(Number(n));
  if (!(k >= 1)) return pat;
  return slowcat(...Array.from({ length: k }, (_, i) => earlyRaw(ratioOf(i, k), pat)));
});

/**
 * Like `iter`, but shifts later: each cycle starts one step earlier in the sequence.
 * @example
 * note("0 1 2 3").iterBack(4)
 */
export const iterBack = register(["iterBack", "iterback"], (n: unknown, pat: Pattern<Any>) => {
  const k = Math.floor(Number(n));
  if (!(k >= 1)) return pat;
  return slowcat(...Array.from({ length: k }, (_, i) => lateRaw(ratioOf(i, k), pat)));
});

function ratioOf(a: number, b: number): Rational {
  return int(a).div(int(b));
}

/**
 * Plays the pattern forwards, then backwards, in alternate cycles.
 * @example
 * note("c3 d3 e3 g3").palindrome()
 */
export const palindrome = register(
  "palindrome",
  (pat: Pattern<Any>) => slowcatPrimeOf([pat, revRaw(pat)]),
  { args: [] },
);

function slowcatPrimeOf(pats: Pattern<Any>[]): Pattern<Any> {
  const n = pats.length;
  return new Pattern<Any>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = Math.floor(span.begin.valueOf());
      pats[((cycle % n) + n) % n]!.run(state.setSpan(span), out);
    });
  });
}

/**
 * Loops `cycles` cycles of the pattern starting at cycle `offset`.
 * @example
 * note("<0 1 2 3 4 5>").ribbon(2, 2)
 */
export const ribbon = register(
  ["ribbon", "rib"],
  (offset: unknown, cycles: unknown, pat: Pattern<Any>) => {
    const c = t(cycles);
    if (c.n <= 0) return silence;
    const shifted = earlyRaw(offset, pat);
    // Every loop of `cycles` cycles plays cycles [0, c) of the shifted pattern.
    return new Pattern<Any>((state, out) => {
      const { begin, end } = state.span;
      let loopStart = begin.div(c).floor().mul(c);
      while (loopStart.lt(end) || (begin.eq(end) && loopStart.lte(begin))) {
        const loopEnd = loopStart.add(c);
        const qb = begin.max(loopStart);
        const qe = end.min(loopEnd);
        if (qb.lt(qe) || (begin.eq(end) && qb.eq(qe))) {
          const start = out.length;
          shifted.run(state.setSpan(new TimeSpan(qb.sub(loopStart), qe.sub(loopStart))), out);
          for (let i = start; i < out.length; i++) out[i] = out[i]!.withSpan((s) => new TimeSpan(s.begin.add(loopStart), s.end.add(loopStart)));
        }
        if (begin.eq(end)) break;
        loopStart = loopEnd;
      }
    });
  },
  { args: ["p", "p"] },
);

/**
 * Repeats each cycle `n` times.
 * @example
 * note("<0 1 2 3>").repeatCycles(2)
 */
export const repeatCycles = register("repeatCycles", repeatCyclesRaw);

