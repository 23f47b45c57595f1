/**
 * Operators on single values: rounding numbers (floor, ceil, round) and
 * inverting booleans (invert, inv). Note names count as MIDI numbers.
 * @module
 */
import { num } from "./arithmetic.ts";
import { isControlObject } from "./controls.ts";
import { type Any, Pattern, type PatternLike, reify } from "./pattern.ts";
import { OPERATORS } from "./register.ts";

function mapNumbers(pat: Pattern<Any>, f: (x: number) => number): Pattern<Any> {
  const g = (v: unknown): unknown => {
    if (typeof v === "number") return f(v);
    if (typeof v === "string") {
      const x = num(v);
      return typeof x === "number" ? f(x) : v;
    }
    if (isControlObject(v)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v)) o[k] = typeof v[k] === "number" ? f(v[k] as number) : v[k];
      return o;
    }
    return v;
  };
  return pat.fmap(g);
}

function unary(name: string, f: (p: Pattern<Any>) => Pattern<Any>): (pat: PatternLike) => Pattern<Any> {
  (Pattern.prototype as Any)[name] = function (this: Pattern<Any>) {
    return f(this);
  };
  OPERATORS.set(name, { args: [] });
  return (pat: PatternLike) => f(reify(pat));
}

/**
 * Rounds numbers down.
 * @example
 * n(saw.range(0, 8).segment(8).floor())
 */
export const floor = unary("floor", (p) => mapNumbers(p, Math.floor));
/**
 * Rounds numbers up.
 * @example
 * n(saw.range(0, 8).segment(8).ceil())
 */
export const ceil = unary("ceil", (p) => mapNumbers(p, Math.ceil));
/**
 * Rounds numbers to the nearest integer.
 * @example
 * n(sine.range(0, 7).segment(8).round()).scale("C:minor")
 */
export const round = unary("round", (p) => mapNumbers(p, Math.round));
/**
 * Inverts booleans: true values (1, "t", true) become false, false ones true.
 * @example
 * s("hh*4").struct("1 0 1 1".invert())
 */
export const invert = unary("invert", (p) =>
  p.fmap((v: unknown) => !(v === "f" || v === "false" || v === "0" ? false : Boolean(v))),
);
/**
 * Alias of {@link invert}.
 * @example
 * s("hh*4").struct("1 0 1 1".inv())
 */
export const inv = unary("inv", (p) => p.invert());
