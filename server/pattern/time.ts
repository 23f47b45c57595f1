/**
 * Operators on time: speed, shift, reverse, zoom, repeat and delay patterns.
 * @module
 */
import { Hap, mapTimesFrom } from "./hap.ts";
import { type Any, Pattern, focusSpan, pure, reify, silence } from "./pattern.ts";
import { ONE, type Rational, ZERO, fromFloat, int, rational } from "./rational.ts";
import { register } from "./register.ts";
import { fastcat } from "./structure.ts";
import { TimeSpan } from "./timespan.ts";

type Fn = (p: Pattern<Any>) => Pattern<Any>;

/** A plain argument as time (floats become simple fractions). */
export function t(x: unknown): Rational {
  if (typeof x === "number") return Number.isInteger(x) ? int(x) : fromFloat(x);
  return rational(x as number);
}

/** Calls a transformation given as a function or a curried operator. */
export function callFn(f: unknown, pat: Pattern<Any>, ...rest: unknown[]): Pattern<Any> {
  if (typeof f !== "function") throw new TypeError(`expected a function of a pattern, got ${typeof f}`);
  return reify((f as (...a: unknown[]) => Any)(pat, ...rest));
}

/** Speeds up by a plain factor (0 is silence, negative plays reversed). */
export function fastRaw(factor: unknown, pat: Pattern<Any>): Pattern<Any> {
  const f = t(factor);
  if (f.n === 0) return silence;
  if (f.n < 0) return revRaw(pat.affine(f.neg(), ZERO));
  return pat.affine(f, ZERO);
}

/** Speeds up by a patterned factor (used by mini-notation's `*`). */
export function fastPattern(factor: Pattern<Any>, pat: Pattern<Any>): Pattern<Any> {
  if (factor._pure) return fastRaw(factor._pure.value, pat);
  return factor.innerBind((f: unknown) => fastRaw(f, pat));
}

/** Slows down by a patterned factor (mini-notation's `/`). */
export function slowPattern(factor: Pattern<Any>, pat: Pattern<Any>): Pattern<Any> {
  if (factor._pure) return slowRaw(factor._pure.value, pat);
  return factor.innerBind((f: unknown) => slowRaw(f, pat));
}

/** Slows down by a plain factor. */
export function slowRaw(factor: unknown, pat: Pattern<Any>): Pattern<Any> {
  const f = t(factor);
  if (f.n === 0) return silence;
  return fastRaw(ONE.div(f), pat);
}

/** Shifts earlier by a plain amount of cycles. */
export function earlyRaw(amount: unknown, pat: Pattern<Any>): Pattern<Any> {
  return pat.affine(ONE, t(amount));
}

/** Shifts later by a plain amount of cycles. */
export function lateRaw(amount: unknown, pat: Pattern<Any>): Pattern<Any> {
  return pat.affine(ONE, t(amount).neg());
}

/** Reverses each cycle. */
export function revRaw(pat: Pattern<Any>): Pattern<Any> {
  return new Pattern<Any>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = span.begin.sam();
      const mirror = cycle.add(cycle).add(ONE); // t ↦ 2·cycle + 1 − t
      const start = out.length;
      pat.run(state.setSpan(new TimeSpan(mirror.sub(span.end), mirror.sub(span.begin))), out);
      for (let i = start; i < out.length; i++) {
        const h = out[i]!;
        const w = h.whole;
        out[i] = new Hap(
          w && new TimeSpan(mirror.sub(w.end), mirror.sub(w.begin)),
          new TimeSpan(mirror.sub(h.part.end), mirror.sub(h.part.begin)),
          h.value,
          h.context,
        );
      }
    });
  });
}

/** Each cycle squeezed into its first 1/factor, silence after. */
export function fastGapRaw(factor: unknown, pat: Pattern<Any>): Pattern<Any> {
  const f = t(factor);
  if (f.n <= 0) return silence;
  return new Pattern<Any>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = span.begin.sam();
      const bpos = span.begin.sub(cycle).mul(f);
      let epos = span.end.sub(cycle).mul(f);
      if (bpos.gt(ONE) || (bpos.eq(ONE) && !span.begin.eq(span.end))) return;
      if (epos.gt(ONE)) epos = ONE;
      const start = out.length;
      pat.run(state.setSpan(new TimeSpan(cycle.add(bpos), cycle.add(epos))), out);
      let k = start;
      for (let i = start; i < out.length; i++) {
        const h = out[i]!;
        const back = (x: Rational) => cycle.add(x.sub(cycle).div(f));
        const w = h.whole;
        const part = new TimeSpan(back(h.part.begin), back(h.part.end)).intersection(span);
        if (!part) continue;
        out[k++] = new Hap(w && new TimeSpan(back(w.begin), back(w.end)), part, h.value, h.context);
      }
      out.length = k;
    });
  });
}

/** Each cycle squeezed into [b, e) of the cycle (0 ≤ b ≤ e ≤ 1). */
export function compressRaw(b: unknown, e: unknown, pat: Pattern<Any>): Pattern<Any> {
  const rb = t(b);
  const re = t(e);
  if (rb.gt(re) || rb.lt(ZERO) || re.gt(ONE) || rb.eq(re)) return silence;
  return lateRaw(rb, fastGapRaw(ONE.div(re.sub(rb)), pat));
}

/** The span [b, e) of each cycle stretched to fill the cycle. */
export function zoomRaw(b: unknown, e: unknown, pat: Pattern<Any>): Pattern<Any> {
  const rb = t(b);
  const re = t(e);
  const d = re.sub(rb);
  if (d.n <= 0) return silence;
  return new Pattern<Any>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = span.begin.sam();
      // outer t ↦ inner cycle + (t − cycle)·d + b
      const fwd = (x: Rational) => cycle.add(x.sub(cycle).mul(d)).add(rb);
      const back = (x: Rational) => cycle.add(x.sub(cycle).sub(rb).div(d));
      const start = out.length;
      pat.run(state.setSpan(new TimeSpan(fwd(span.begin), fwd(span.end))), out);
      mapTimesFrom(out, start, back);
    });
  });
}

/** Each event repeated `n` times within its own span. */
export function plyRaw(n: unknown, pat: Pattern<Any>): Pattern<Any> {
  const factor = t(n);
  return pat.squeezeBind((v) => fastRaw(factor, pure(v)));
}

/**
 * Speeds up a pattern by a factor. Used by `*` in mini-notation. (`density` is a control in Strudel 1.2.6, not an alias.)
 * @example
 * s("bd sd").fast(2) // s("[bd sd]*2")
 * @example
 * s("bd sd").fast("<1 2>")
 */
export const fast = register("fast", fastRaw);

/**
 * Slows down a pattern by a factor (alias `sparsity`). Used by `/` in mini-notation.
 * @example
 * s("bd sd hh cp").slow(2)
 */
export const slow = register(["slow", "sparsity"], slowRaw);

/**
 * Speeds up like `fast`, and multiplies the playback `speed` by the same factor.
 * @example
 * s("bd sd").hurry("<1 2>")
 */
export const hurry = register("hurry", (r: unknown, pat: Pattern<Any>) =>
  fastRaw(r, pat).fmap((v: Any) => {
    const obj = v !== null && typeof v === "object" && !Array.isArray(v) ? v : { value: v };
    return { ...obj, speed: (obj.speed ?? 1) * Number(r) };
  }),
);

/**
 * Shifts a pattern earlier in time by a number of cycles (Tidal's `<~`).
 * @example
 * s("bd sd hh cp").early(0.25)
 */
export const early = register("early", earlyRaw);

/**
 * Shifts a pattern later in time by a number of cycles (Tidal's `~>`).
 * @example
 * s("bd sd hh cp").late("<0 0.25>")
 */
export const late = register("late", lateRaw);

/**
 * Squeezes each cycle into the span [begin, end) of the cycle, silence elsewhere.
 * @example
 * s("bd sd").compress(0.25, 0.75)
 */
export const compress = register("compress", compressRaw, { args: ["p", "p"] });

/**
 * Speeds up each cycle by a factor but leaves the rest of the cycle silent.
 * @example
 * s("bd sd").fastGap(2)
 */
export const fastGap = register(["fastGap", "fastgap"], fastGapRaw);

/**
 * Plays only the span [begin, end) of each cycle, stretched to a whole cycle.
 * @example
 * s("bd*2 hh*3 [~ bd] cp").zoom(0.25, 0.75)
 */
export const zoom = register(["zoom", "zoomArc"], zoomRaw, { args: ["p", "p"] });

/**
 * Reverses each cycle.
 * @example
 * note("c3 d3 e3 g3").rev()
 */
export const rev = register("rev", revRaw, { args: [] });

/**
 * Applies `f` to the pattern slowed down by `factor`, then speeds the result back up: `f` works inside each 1/factor of a cycle.
 * @example
 * note("0 1 2 3 4 3 2 1").inside(4, rev)
 */
export const inside = register("inside", (n: unknown, f: Fn, pat: Pattern<Any>) => fastRaw(n, callFn(f, slowRaw(n, pat))), {
  args: ["p", "raw"],
});

/**
 * Applies `f` to the pattern sped up by `factor`, then slows the result back down: `f` works across `factor` cycles.
 * @example
 * note("<[0 1] 2 [3 4] 5>").outside(2, rev)
 */
export const outside = register("outside", (n: unknown, f: Fn, pat: Pattern<Any>) => slowRaw(n, callFn(f, fastRaw(n, pat))), {
  args: ["p", "raw"],
});

/**
 * Repeats the first `fraction` of each cycle to fill the cycle (negative: the last part).
 * @example
 * s("bd sd hh cp lt mt ht oh").linger("<0.25 0.5>")
 */
export const linger = register("linger", (fraction: unknown, pat: Pattern<Any>) => {
  const f = t(fraction);
  if (f.n === 0) return silence;
  if (f.n < 0) return slowRaw(f.neg(), zoomRaw(ONE.add(f), ONE, pat));
  return slowRaw(f, zoomRaw(ZERO, f, pat));
});

/**
 * Repeats each event `n` times within its own span.
 * @example
 * s("bd ~ sd cp").ply("<1 2 3>")
 */
export const ply = register("ply", plyRaw);

/**
 * Divides each cycle into `n` slices and delays the second half of each slice by `amount`/2 of a slice (Strudel's swing).
 * @example
 * s("hh*8").swingBy(1/3, 4)
 */
export const swingBy = register(
  "swingBy",
  (amount: unknown, n: unknown, pat: Pattern<Any>) => fastRaw(n, lateSeq(Number(amount) / 2, slowRaw(n, pat))),
  { args: ["p", "p"] },
);

function lateSeq(amount: unknown, pat: Pattern<Any>): Pattern<Any> {
  return fastcat(pure(0), pure(amount)).innerBind((a: unknown) => lateRaw(a, pat));
}

/**
 * Swing: `swingBy(1/3, n)`.
 * @example
 * s("hh*8").swing(4)
 */
export const swing = register("swing", (n: unknown, pat: Pattern<Any>) => fastRaw(n, lateSeq(1 / 6, slowRaw(n, pat))));

/**
 * Samples the pattern `n` times per cycle: turns signals into discrete events.
 * @example
 * n(saw.range(0, 7).segment(8)).scale("C:minor")
 */
export const segment = register(["segment", "seg"], (n: unknown, pat: Pattern<Any>) =>
  fastRaw(n, pure(true)).appLeft(pat, (_a: unknown, b: unknown) => b),
);

/**
 * Squeezes each event into the latter `r` of its span (syncopation): `pressBy(0.5)` is `press`.
 * @example
 * s("hh*4").pressBy("<0 0.5 0.25>")
 */
export const pressBy = register("pressBy", (r: unknown, pat: Pattern<Any>) =>
  pat.squeezeBind((v: unknown) => compressRaw(r, 1, pure(v))),
);

/**
 * Squeezes each event into the second half of its span.
 * @example
 * s("hh*4").press()
 */
export const press = register("press", (pat: Pattern<Any>) => pat.squeezeBind((v: unknown) => compressRaw(HALF_T, 1, pure(v))), {
  args: [],
});
const HALF_T = int(1).div(int(2));

export { focusSpan };

/**
 * Plays the pattern at a tempo in cycles per minute, relative to one cycle per second: `cpm(90)` is `fast(1.5)`.
 * @example
 * s("<bd sd>, hh*2").cpm(90)
 */
export const cpm = register("cpm", (x: unknown, pat: Pattern<Any>) => fastRaw(t(x).div(int(60)), pat));

/**
 * Plays the span from `b` to `e` (in cycles) of each cycle, stretched to the whole cycle, without the gaps of `compress`.
 * @example
 * s("bd hh sd hh").focus(1/4, 3/4)
 */
export const focus = register("focus", (b: unknown, e: unknown, pat: Pattern<Any>) => focusSpan(pat, t(b), t(e)), {
  args: ["p", "p"],
});

/**
 * Reverses the whole pattern in time (`rev` reverses each cycle): cycle -1 plays backwards in cycle 0.
 * @example
 * note("<[c d] [e g]>").revv()
 */
export const revv = register(
  "revv",
  (pat: Pattern<Any>) =>
    pat
      .withQuerySpan((span) => new TimeSpan(span.end.neg(), span.begin.neg()))
      .withHapSpan((span) => new TimeSpan(span.end.neg(), span.begin.neg())),
  { args: [] },
);

/** Each event of `trigger` plays `pat` from its start (restart) or from the start of the trigger's cycle (reset). */
function triggered(trigger: unknown, pat: Pattern<Any>, fromCycleZero: boolean): Pattern<Any> {
  const trig = reify(trigger as Any);
  return new Pattern<Any>((state, out) => {
    for (const h of trig.query(state)) {
      if (!h.whole) continue;
      const offset = fromCycleZero ? h.whole.begin : h.whole.begin.sub(h.whole.begin.sam());
      const shifted = lateRaw(offset, pat);
      for (const x of shifted.query(state.setSpan(h.part))) {
        // The trigger's event bounds what plays: wholes are cut at its end too, as in Strudel.
        const part = x.part.intersection(h.part);
        const whole = x.whole ? x.whole.intersection(h.whole) : undefined;
        if (part && (whole || !x.whole)) out.push(new Hap(whole, part, x.value, x.context));
      }
    }
  });
}

/**
 * Restarts the pattern at each event of `trigger`, from the start of the trigger's cycle position (Tidal's reset).
 * @example
 * s("[<bd lt> sd]*2, hh*8").reset("<x@3 x(5,8)>")
 */
export const reset = register("reset", (trigger: unknown, pat: Pattern<Any>) => triggered(trigger, pat, false), { args: ["raw"] });

/**
 * Restarts the pattern from its cycle 0 at each event of `trigger`.
 * @example
 * s("[<bd lt> sd]*2, hh*8").restart("<x@3 x(5,8)>")
 */
export const restart = register("restart", (trigger: unknown, pat: Pattern<Any>) => triggered(trigger, pat, true), { args: ["raw"] });
