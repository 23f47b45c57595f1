/**
 * Patterns of patterns: the joins. Each hap of an outer pattern becomes an
 * inner pattern; the joins differ in whose structure the result keeps
 * (outer, inner, squeezed into the outer event, or retriggered by it).
 * Installed on Pattern by pattern.ts (installJoins), so that this file and
 * pattern.ts can import each other without a cycle at load time.
 * @module
 */
import { Hap, combineContexts } from "./hap.ts";
import type { Any, Pattern } from "./pattern.ts";
import { silence } from "./pattern.ts";
import { type Rational, int } from "./rational.ts";
import { TimeSpan } from "./timespan.ts";

declare module "./pattern.ts" {
  interface Pattern<T> {
    outerBind<U>(f: (v: T) => Pattern<U>): Pattern<U>;
    innerBind<U>(f: (v: T) => Pattern<U>): Pattern<U>;
    squeezeBind<U>(f: (v: T) => Pattern<U>): Pattern<U>;
    triggerBind<U>(f: (v: T) => Pattern<U>, cycleZero: boolean): Pattern<U>;
    outerJoin(this: Pattern<Pattern<Any>>): Pattern<Any>;
    innerJoin(this: Pattern<Pattern<Any>>): Pattern<Any>;
    squeezeJoin(this: Pattern<Pattern<Any>>): Pattern<Any>;
  }
}

/** Adds the joins to Pattern's prototype (called once by pattern.ts). */
export function installJoins(P: typeof Pattern): void {
  /**
   * Each hap of this pattern becomes the pattern `f(value)`; the result keeps
   * this pattern's structure (wholes) and takes values from the inner pattern
   * at the start of each outer event (Tidal's outer join).
   */
  P.prototype.outerBind = function <T, U>(this: Pattern<T>, f: (v: T) => Pattern<U>): Pattern<U> {
    const src = this;
    return new P<U>((state, out) => {
      const haps = src.query(state);
      const inner: Hap<U>[] = [];
      for (let i = 0; i < haps.length; i++) {
        const o = haps[i]!;
        const t = o.wholeOrPart().begin;
        inner.length = 0;
        f(o.value).run(state.setSpan(new TimeSpan(t, t)), inner);
        for (let j = 0; j < inner.length; j++) {
          const h = inner[j]!;
          out.push(new Hap(o.whole, o.part, h.value, combineContexts(o.context, h.context)));
        }
      }
    });
  };

  /**
   * Each hap of this pattern becomes the pattern `f(value)`, played (with its
   * own structure) only during that hap's part (Tidal's inner join). This is
   * how patterned arguments work: `fast("<1 2>")`.
   */
  P.prototype.innerBind = function <T, U>(this: Pattern<T>, f: (v: T) => Pattern<U>): Pattern<U> {
    const src = this;
    return new P<U>((state, out) => {
      const haps = src.query(state);
      for (let i = 0; i < haps.length; i++) {
        const o = haps[i]!;
        const start = out.length;
        f(o.value).run(state.setSpan(o.part), out);
        for (let j = start; j < out.length; j++) {
          const h = out[j]!;
          out[j] = new Hap(h.whole, h.part, h.value, combineContexts(o.context, h.context));
        }
      }
    });
  };

  /**
   * Each hap of this pattern becomes the pattern `f(value)` squeezed into the
   * hap's whole: one cycle of the inner pattern per outer event.
   */
  P.prototype.squeezeBind = function <T, U>(this: Pattern<T>, f: (v: T) => Pattern<U>): Pattern<U> {
    const src = this;
    return new P<U>((state, out) => {
      const haps = src.discreteOnly().query(state);
      const inner: Hap<U>[] = [];
      for (let i = 0; i < haps.length; i++) {
        const o = haps[i]!;
        const w = o.whole!;
        inner.length = 0;
        focusSpan(f(o.value), w.begin, w.end).run(state.setSpan(o.part), inner);
        for (let j = 0; j < inner.length; j++) {
          const h = inner[j]!;
          let whole: TimeSpan | undefined;
          if (h.whole) {
            whole = h.whole.intersection(w);
            if (!whole) continue;
          }
          const part = h.part.intersection(o.part);
          if (!part) continue;
          out.push(new Hap(whole, part, h.value, combineContexts(o.context, h.context)));
        }
      }
    });
  };

  /**
   * Each hap of this pattern becomes the pattern `f(value)`, restarted at the
   * hap's onset: `cycleZero` true plays the inner pattern from cycle 0
   * (restart), false from the start of the current cycle (reset).
   */
  P.prototype.triggerBind = function <T, U>(this: Pattern<T>, f: (v: T) => Pattern<U>, cycleZero: boolean): Pattern<U> {
    const src = this;
    return new P<U>((state, out) => {
      const haps = src.discreteOnly().query(state);
      const inner: Hap<U>[] = [];
      for (let i = 0; i < haps.length; i++) {
        const o = haps[i]!;
        const b = o.whole!.begin;
        const shift = cycleZero ? b : b.cyclePos();
        inner.length = 0;
        f(o.value).affine(int(1), shift.neg()).run(state.setSpan(o.part), inner);
        for (let j = 0; j < inner.length; j++) {
          const h = inner[j]!;
          const part = h.part.intersection(o.part);
          if (!part) continue;
          out.push(new Hap(h.whole, part, h.value, combineContexts(o.context, h.context)));
        }
      }
    });
  };

  /** Flattens a pattern of patterns, keeping the outer structure. */
  P.prototype.outerJoin = function (this: Pattern<Pattern<Any>>): Pattern<Any> {
    return this.outerBind((p) => p);
  };
  /** Flattens a pattern of patterns, keeping the inner structure. */
  P.prototype.innerJoin = function (this: Pattern<Pattern<Any>>): Pattern<Any> {
    return this.innerBind((p) => p);
  };
  /** Flattens a pattern of patterns, squeezing each inner cycle into its outer event. */
  P.prototype.squeezeJoin = function (this: Pattern<Pattern<Any>>): Pattern<Any> {
    return this.squeezeBind((p) => p);
  };
}

/**
 * The inner pattern with the span [b, e) made to last one cycle: inner cycle
 * `floor(b)` plays across [b, e).
 */
export function focusSpan<T>(pat: Pattern<T>, b: Rational, e: Rational): Pattern<T> {
  const d = e.sub(b);
  if (d.n <= 0) return silence as Pattern<T>;
  // Query time t maps to inner time u = (t - b)/d + sam(b).
  const inv = int(1).div(d);
  return pat.affine(inv, b.sam().sub(b.mul(inv)));
}

