/**
 * Rhythms between rhythms: `morph` moves the onsets of one binary rhythm
 * towards those of another (the k-th onset of the first towards the k-th of
 * the second, by a fraction), and `euclidish` morphs a euclidean rhythm
 * towards the same number of evenly spaced onsets. The events keep the
 * first rhythm's step length.
 * @module
 */
import { Hap } from "./hap.ts";
import { type Any, Pattern, pure, reify } from "./pattern.ts";
import { type Rational, int, rational } from "./rational.ts";
import { register } from "./register.ts";
import { TimeSpan } from "./timespan.ts";
import { bjorklund } from "./euclid.ts";

/** The onset positions (in cycles) of the true steps of a binary list. */
function onsets(bits: readonly unknown[]): Rational[] {
  const out: Rational[] = [];
  bits.forEach((b, i) => {
    if (b && b !== "0" && b !== "~") out.push(int(i).div(int(bits.length)));
  });
  return out;
}

/** One cycle of the morph between two lists, repeated every cycle. */
function morphCycle(from: readonly unknown[], to: readonly unknown[], by: number): Pattern<boolean> {
  const a = onsets(from);
  const b = onsets(to);
  const f = rational(Number(by));
  const step = int(1).div(int(Math.max(1, from.length)));
  const starts = a.slice(0, Math.min(a.length, b.length)).map((pa, k) => pa.add(b[k]!.sub(pa).mul(f)));
  return new Pattern<boolean>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = span.begin.floor();
      for (const s of starts) {
        const whole = new TimeSpan(cycle.add(s), cycle.add(s).add(step));
        const part = whole.intersection(span);
        if (part) out.push(new Hap(whole, part, true));
      }
    });
  });
}

/** A list argument: a JavaScript array as it is, else a pattern (of lists, such as "1:0:1"). */
function listPattern(x: unknown): Pattern<unknown[]> {
  return Array.isArray(x) ? pure(x) : reify(x as Any).fmap((v: unknown) => (Array.isArray(v) ? v : [v]));
}

/**
 * Morphs between two binary rhythms (lists of 1s and 0s with the same number
 * of 1s) by `by`, from 0 (the first) to 1 (the second); `by` may be a signal,
 * read once per cycle.
 * @example
 * sound("hh").struct(morph([1,0,1,0,1,0,1,0], [1,1,0,1,0,1,0], 0.25))
 */
export function morph(from: unknown, to: unknown, by: unknown): Pattern<boolean> {
  const joined = listPattern(from).innerBind((a) =>
    listPattern(to).innerBind((b) => reify(by as Any).innerBind((f: unknown) => morphCycle(a, b, Number(f)))),
  );
  return new Pattern<boolean>((state, out) => {
    state.span.eachCycle((span) => joined.run(state.setSpan(span), out));
  });
}

/**
 * A euclidean rhythm of `pulses` in `steps`, morphed by `groove` from 0
 * (straight euclid) to 1 (the pulses evenly spaced).
 * @example
 * sound("hh").euclidish(7, 12, sine.slow(8))
 */
export const euclidish = register(
  ["euclidish", "eish"],
  (pulses: unknown, steps: unknown, groove: unknown, pat: Pattern<Any>) => {
    const k = Math.trunc(Number(pulses));
    const rhythm = bjorklund(k, Math.trunc(Number(steps)));
    return pat.struct(morph(rhythm, new Array(Math.abs(k)).fill(1), groove));
  },
  { args: ["p", "p", "raw"] },
);
