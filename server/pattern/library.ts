/**
 * Every name a program may call, in one object: the named exports of the
 * pattern language plus every control under each of its aliases (`lpf`,
 * `ctf`, `size`, …, which are not all named exports). The evaluator puts
 * these in a program's scope.
 * @module
 */
import * as pattern from "./index.ts";

/** Name → function or pattern, for a program's scope. */
// `ratio` in a program is Strudel's ratio of list values, not the rational-number constructor.
export const library: Readonly<Record<string, unknown>> = Object.freeze({ ...pattern, ...pattern.controls, ratio: pattern.ratioValues });
