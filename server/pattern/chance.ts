/**
 * Chance: dropping events at random (degradeBy, the ? of mini-notation) and
 * applying a transformation to a random part of the events or cycles
 * (sometimesBy and its named probabilities, someCyclesBy). Decisions are a
 * function of time, like every random value here.
 * @module
 */
import { type Any, Pattern } from "./pattern.ts";
import { rand, seededRand, timeToRand } from "./random.ts";
import { register } from "./register.ts";
import { stack } from "./structure.ts";
import { int } from "./rational.ts";
import { callFn, earlyRaw } from "./time.ts";

function degradeWith(r: Pattern<number>, amount: number, keepAbove: boolean, pat: Pattern<Any>): Pattern<Any> {
  const structure = pat.appLeft(r, (v: unknown, x: number) => [v, x] as const);
  return structure
    .filterValuesRaw(([, x]) => (keepAbove ? x >= amount : x < amount))
    .fmap(([v]) => v);
}

/** Mini-notation `?`: drops events with probability `amount`, with the string's own seed. */
export function degradeSeeded(pat: Pattern<Any>, amount: number, seed: number, copy?: readonly [number, number]): Pattern<Any> {
  const r = copy ? earlyRaw(int(copy[0]).div(int(copy[1])), seededRand(seed)) : seededRand(seed);
  return degradeWith(r, amount, true, pat);
}

/**
 * Randomly drops events with probability `amount` (decided per event, from time).
 * @example
 * s("hh*8").degradeBy(0.3)
 */
export const degradeBy = register("degradeBy", (amount: unknown, pat: Pattern<Any>) => degradeWith(rand, Number(amount), true, pat));

/**
 * Drops about `amount` of the events, the complement of `degradeBy(1 - amount)` (so `undegradeBy(0.5)` keeps what `degrade` drops).
 * @example
 * s("hh*8").undegradeBy(0.3)
 */
export const undegradeBy = register("undegradeBy", (amount: unknown, pat: Pattern<Any>) =>
  // Strudel's undegradeBy(x) drops about x of the events: the ones degradeBy(1 - x) keeps.
  degradeWith(rand, 1 - Number(amount), false, pat),
);

/**
 * Randomly drops half of the events.
 * @example
 * s("hh*8").degrade()
 */
export const degrade = register("degrade", (pat: Pattern<Any>) => degradeWith(rand, 0.5, true, pat), { args: [] });

/**
 * Applies `f` to a random part (probability `p`) of the events, per event.
 * @example
 * s("hh*8").sometimesBy(0.4, (x) => x.speed(2))
 */
export const sometimesBy = register(
  "sometimesBy",
  (p: unknown, f: unknown, pat: Pattern<Any>) => {
    const x = Number(p);
    // The two halves partition the events: degradeBy(x) keeps r >= x, undegradeBy(x) keeps r < x.
    return stack(degradeWith(rand, x, true, pat), callFn(f, degradeWith(rand, x, false, pat)));
  },
  { args: ["p", "raw"] },
);

function sometimesAlias(name: string, p: number, doc: string): (...a: Any[]) => Any {
  void doc;
  return register(name, (f: unknown, pat: Pattern<Any>) => pat.sometimesBy(p, f), { args: ["raw"] });
}

/**
 * Applies `f` to about half of the events.
 * @example
 * s("hh*8").sometimes((x) => x.speed(2))
 */
export const sometimes = sometimesAlias("sometimes", 0.5, "");
/**
 * Applies `f` to about 75% of the events.
 * @example
 * s("hh*8").often((x) => x.speed(2))
 */
export const often = sometimesAlias("often", 0.75, "");
/**
 * Applies `f` to about 25% of the events.
 * @example
 * s("hh*8").rarely((x) => x.speed(2))
 */
export const rarely = sometimesAlias("rarely", 0.25, "");
/**
 * Applies `f` to about 10% of the events.
 * @example
 * s("hh*8").almostNever((x) => x.speed(2))
 */
export const almostNever = sometimesAlias("almostNever", 0.1, "");
/**
 * Applies `f` to about 90% of the events.
 * @example
 * s("hh*8").almostAlways((x) => x.speed(2))
 */
export const almostAlways = sometimesAlias("almostAlways", 0.9, "");
/**
 * Applies `f` to every event.
 * @example
 * s("hh*8").always((x) => x.speed(2))
 */
export const always = register("always", (f: unknown, pat: Pattern<Any>) => callFn(f, pat), { args: ["raw"] });
/**
 * Never applies `f`: the pattern unchanged.
 * @example
 * s("hh*8").never((x) => x.speed(2))
 */
export const never = register("never", (_f: unknown, pat: Pattern<Any>) => pat, { args: ["raw"] });

/**
 * Applies `f` in a random part (probability `p`) of the cycles, per cycle.
 * @example
 * s("bd*4").someCyclesBy(0.3, (x) => x.speed(2))
 */
export const someCyclesBy = register(
  "someCyclesBy",
  (p: unknown, f: unknown, pat: Pattern<Any>) => {
    const x = Number(p);
    // The cycles are chosen before f runs, in the pattern's own time: f sees only the chosen
    // cycles (fast(2) then plays them squeezed), as Strudel 1.2.6 does (found by running it).
    const chosen = (keep: boolean) =>
      pat.filterHaps((h) => (timeToRand(Math.floor(h.wholeOrPart().begin.valueOf())) < x) === keep);
    return stack(chosen(false), callFn(f, chosen(true)));
  },
  { args: ["p", "raw"] },
);

/**
 * Applies `f` in about half of the cycles.
 * @example
 * s("bd*4").someCycles((x) => x.speed(2))
 */
export const someCycles = register("someCycles", (f: unknown, pat: Pattern<Any>) => pat.someCyclesBy(0.5, f), { args: ["raw"] });


/**
 * Keeps exactly the half of the events that `degrade` drops.
 * @example
 * s("hh*8").undegrade()
 */
export const undegrade = register("undegrade", (pat: Pattern<Any>) => degradeWith(rand, 0.5, false, pat), { args: [] });
