/**
 * Every name a program may call, in one object: the named exports of the
 * pattern language plus every control under each of its aliases (`lpf`,
 * `ctf`, `size`, …, which are not all named exports). The evaluator puts
 * these in a program's scope.
 * @module
 */
import * as pattern from "./index.ts";

/** Name → function or pattern, for a program's scope. */
/**
 * Strudel's top-level `pick(indices, list)` (and pickmod, inhabit, squeeze)
 * takes the indices first; `pick(list, indices)`, the operator order, still works.
 */
function indicesFirst(name: string, op: (...a: unknown[]) => unknown): (...a: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const [a, b] = args;
    const isLookup = (x: unknown) => Array.isArray(x) || (x !== null && typeof x === "object" && !(x instanceof pattern.Pattern));
    if (args.length === 2 && isLookup(b) && !isLookup(a)) return (pattern.reify(a as pattern.PatternLike) as pattern.Pattern)[name](b);
    return op(...args);
  };
}

// `ratio` in a program is Strudel's ratio of list values, not the rational-number constructor.
export const library: Readonly<Record<string, unknown>> = Object.freeze({
  // Every alias of an operator is a function too (`echowith`, `juxby`, `iterback` ...), as in Strudel.
  ...Object.fromEntries(pattern.TOP_BY_NAME),
  ...pattern,
  ...pattern.controls,
  ratio: pattern.ratioValues,
  pick: indicesFirst("pick", pattern.pick),
  pickmod: indicesFirst("pickmod", pattern.pickmod),
  inhabit: indicesFirst("inhabit", pattern.inhabit),
  squeeze: indicesFirst("squeeze", pattern.squeeze),
});
