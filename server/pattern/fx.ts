/**
 * Strudel's effect chains: `.FX(a, b, …)` records an ordered list of effect
 * settings (each a pattern of controls, such as `lpf(500).lpe(4)`) under the
 * `FX` key of every event; chained calls append, so the first call is the
 * first effect. The list is carried as a value: the engine applies its fixed
 * effect order and reads the ordinary controls.
 * @module
 */
import { type Any, Pattern, reify } from "./pattern.ts";
import { addMethod } from "./register.ts";

type Controls = Record<string, unknown>;

/** Appends the effect settings, sampled at each event's start, to the event's FX list. */
function fxChain(pat: Pattern<Any>, fxs: readonly unknown[]): Pattern<Any> {
  let out: Pattern<Any> = pat;
  for (const fx of fxs) {
    const settings = reify(fx as Any);
    out = out.appLeft(settings, (v: Controls, s: Controls) => ({ ...v, FX: [...((v?.FX as unknown[]) ?? []), s] }));
  }
  return out.withSteps(pat._steps);
}

/**
 * An effect chain: each argument is one effect's settings, applied in order after the sound; `.FX(a).FX(b)` is `.FX(a, b)`.
 * `fxr` sets the chain's release. As a function, `FX(a, b)` is the transformation (for `every`, `when`, …).
 * @example
 * s("saw").fm(0.5).FX(coarse(4)).FX(lpf(500).lpe(4), distort(1)).fxr(1.7)
 */
export function FX(...fxs: unknown[]): (pat: Pattern<Any>) => Pattern<Any> {
  return (pat) => fxChain(reify(pat), fxs);
}

addMethod("FX", function (this: Pattern<Any>, ...fxs: unknown[]) {
  return fxChain(this, fxs);
});
