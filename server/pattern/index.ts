/**
 * The pattern language: Strudel/TidalCycles-compatible patterns over exact
 * rational time. Everything a program may call is a named export here; every
 * operator is also a method of {@link Pattern}.
 *
 * Strings given to pattern functions are mini-notation, arrays are
 * sequences, other values are pure. Query a pattern with `queryArc(begin,
 * end)` (all haps) or `queryOnsets(begin, end)` (the haps that start in the
 * span: what a scheduler plays).
 * @module
 */
export * from "./rational.ts";
export * from "./timespan.ts";
export * from "./hap.ts";
export * from "./state.ts";
export * from "./pattern.ts";
export * from "./register.ts";
export * from "./structure.ts";
export * from "./time.ts";
export * from "./superimpose.ts";
export * from "./cycles.ts";
export * from "./signal.ts";
export * from "./random.ts";
export * from "./chance.ts";
export * from "./euclid.ts";
export * from "./controls.ts";
export * from "./arithmetic.ts";
export * from "./unary.ts";
export * from "./mini/index.ts";
export * from "./note.ts";
export * from "./conditional.ts";
export * from "./select.ts";
export * from "./sampler.ts";
export * from "./tonal.ts";
export * from "./voicings.ts";
export * from "./visual.ts";
export * from "./fx.ts";
export * from "./morph.ts";
export * from "./timeline.ts";
export * from "./stepwise.ts";
export * from "./modulators.ts";
export * from "./external.ts";
