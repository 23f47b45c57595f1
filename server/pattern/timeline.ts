/**
 * Timelines (Strudel's `timeline`): a pattern on timeline `n` plays from its
 * own cycle 0 at the cycle where timeline `n` was first heard, and keeps that
 * offset afterwards, across evaluations, so a part can be cued to start from
 * its beginning. Heard negated (`-n`), a timeline starts again. The offsets
 * are the process's state, as in Strudel's REPL.
 * @module
 */
import { type Any, Pattern, reify } from "./pattern.ts";
import { type Rational, int } from "./rational.ts";
import { register } from "./register.ts";
import { lateRaw } from "./time.ts";

const offsets = new Map<number, Rational>();

/** The offset of timeline `n`, fixed the first time it is heard (at `at`, to the nearest cycle). */
function offsetOf(n: number, at: Rational): Rational {
  let off = offsets.get(n);
  if (off === undefined) {
    off = int(Math.round(at.valueOf()));
    offsets.set(n, off);
    offsets.delete(-n);
  }
  return off;
}

/**
 * Plays the pattern on timeline `n` (a number or a pattern of numbers).
 * @example
 * n("<0 1 2 3>(3,8)").sound("num").timeline("<2 -2>".slow(2))
 */
export const timeline = register(
  "timeline",
  (which: unknown, pat: Pattern<Any>) => {
    const tl = reify(which as Any);
    return new Pattern<Any>((state, out) => {
      for (const h of tl.query(state)) {
        const n = Number(h.value);
        const at = h.whole ? h.whole.begin.max(h.part.begin) : h.part.begin;
        lateRaw(offsetOf(n, at), pat).run(state.setSpan(h.part), out);
      }
    });
  },
  { args: ["raw"] },
);
