/**
 * Euclidean rhythms: k onsets spread as evenly as possible over n steps
 * (Bjorklund's algorithm, as in Toussaint's "The Euclidean Algorithm
 * Generates Traditional Musical Rhythms"), rotated and optionally legato.
 * @module
 */
import { Hap } from "./hap.ts";
import { type Any, Pattern, pure, silence } from "./pattern.ts";
import { int, rational } from "./rational.ts";
import { register } from "./register.ts";
import { fastcat } from "./structure.ts";
import { TimeSpan } from "./timespan.ts";

const cache = new Map<string, boolean[]>();

/**
 * The Bjorklund sequence of `k` onsets in `n` steps, rotated right by
 * `rotation` steps. Negative `k` gives the complement (the rests become the
 * onsets). `bjorklund(3, 8)` is x..x..x.
 */
export function bjorklund(k: number, n: number, rotation = 0): boolean[] {
  n = Math.floor(Math.abs(n));
  if (n === 0) return [];
  const invert = k < 0;
  k = Math.min(Math.floor(Math.abs(k)), n);
  const key = `${k},${n}`;
  let base = cache.get(key);
  if (!base) {
    let a: boolean[][] = Array.from({ length: k }, () => [true]);
    let b: boolean[][] = Array.from({ length: n - k }, () => [false]);
    while (b.length > 1 && a.length > 0) {
      const m = Math.min(a.length, b.length);
      const paired = a.slice(0, m).map((x, i) => x.concat(b[i]!));
      const rest = a.length > m ? a.slice(m) : b.slice(m);
      a = paired;
      b = rest;
    }
    base = a.concat(b).flat();
    if (cache.size < 4096) cache.set(key, base);
  }
  const r = (((Math.floor(rotation) % n) + n) % n);
  const rotated = r === 0 ? base.slice() : base.slice(n - r).concat(base.slice(0, n - r));
  return invert ? rotated.map((x) => !x) : rotated;
}

function boolSequence(bits: boolean[]): Pattern<boolean> {
  return fastcat(...bits.map((b) => (b ? pure(true) : silence)));
}

/** The pattern restricted to the onsets of a euclidean rhythm (values from the pattern). */
function euclidRaw(k: unknown, n: unknown, r: unknown, pat: Pattern<Any>): Pattern<Any> {
  const bits = bjorklund(Number(k), Number(n), Number(r));
  if (bits.length === 0) return silence;
  return boolSequence(bits).appLeft(pat, (_a: unknown, b: unknown) => b);
}

/** For mini-notation `a(k,n,r)`: all three may be patterns. */
export function euclidRotPattern(k: Pattern<Any>, n: Pattern<Any>, r: Pattern<Any>, pat: Pattern<Any>): Pattern<Any> {
  return euclidRot(k, n, r, pat);
}

/**
 * Plays the pattern on the onsets of a euclidean rhythm of `pulses` in `steps` (mini-notation `(3,8)`).
 * @example
 * s("bd").euclid(3, 8)
 */
export const euclid = register("euclid", (k: unknown, n: unknown, pat: Pattern<Any>) => euclidRaw(k, n, 0, pat), {
  args: ["p", "p"],
});

/**
 * Like `euclid`, rotated by `rotation` steps (mini-notation `(3,8,2)`).
 * @example
 * s("bd").euclidRot(3, 8, 2)
 */
export const euclidRot = register(["euclidRot", "euclidrot"], euclidRaw, { args: ["p", "p", "p"] });

/**
 * Like `euclid`, but each onset lasts until the next one.
 * @example
 * note("c3").euclidLegato(3, 8)
 */
export const euclidLegato = register("euclidLegato", (k: unknown, n: unknown, pat: Pattern<Any>) => legatoRaw(k, n, 0, pat), {
  args: ["p", "p"],
});

/**
 * Like `euclidLegato`, rotated by `rotation` steps.
 * @example
 * note("c3").euclidLegatoRot(3, 8, 2)
 */
export const euclidLegatoRot = register(
  "euclidLegatoRot",
  // Rotation shifts structure and values together (as Strudel does).
  (k: unknown, n: unknown, r: unknown, pat: Pattern<Any>) =>
    legatoRaw(k, n, 0, pat).affine(int(1), int(Number(r)).div(int(Math.abs(Number(n)) || 1)).neg()),
  { args: ["p", "p", "p"] },
);

function legatoRaw(k: unknown, n: unknown, r: unknown, pat: Pattern<Any>): Pattern<Any> {
  const bits = bjorklund(Number(k), Number(n), Number(r));
  const steps = bits.length;
  const onsets: number[] = [];
  bits.forEach((b, i) => b && onsets.push(i));
  if (onsets.length === 0) return silence;
  // Each onset lasts until the next one, wrapping into the next cycle.
  const spans = onsets.map((o, i) => {
    const nextOnset = i + 1 < onsets.length ? onsets[i + 1]! : onsets[0]! + steps;
    return [int(o).div(int(steps)), int(nextOnset).div(int(steps))] as const;
  });
  const structure = new Pattern<boolean>((state, out) => {
    const { begin, end } = state.span;
    const first = begin.sam().sub(int(1));
    for (let c = first; c.lt(end) || (begin.eq(end) && c.lte(begin)); c = c.add(int(1))) {
      for (const [b, e] of spans) {
        const whole = new TimeSpan(c.add(b), c.add(e));
        const part = whole.intersection(state.span);
        if (part && (part.begin.lt(part.end) || begin.eq(end))) out.push(new Hap(whole, part, true));
      }
    }
  });
  return structure.appLeft(pat, (_a: unknown, b: unknown) => b);
}

/**
 * A rhythm from positions on a grid of `div` steps per cycle: `beat("0,7,10", 16)` plays steps 0, 7 and 10.
 * @example
 * s("bd").beat("0,7,10", 16)
 */
export const beat = register(
  "beat",
  (step: unknown, div: unknown, pat: Pattern<Any>) => {
    const d = Number(div);
    const k = Number(step);
    if (!(d > 0) || !Number.isFinite(k)) return silence;
    const at = rational(k).div(rational(d));
    const len = int(1).div(rational(d));
    const structure = new Pattern<boolean>((state, out) => {
      state.span.eachCycle((span) => {
        const b = span.begin.sam().add(at);
        const whole = new TimeSpan(b, b.add(len));
        const part = whole.intersection(span);
        if (part) out.push(new Hap(whole, part, true));
      });
    });
    return pat.struct(structure);
  },
  { args: ["p", "p"] },
);
