/**
 * The Pattern: a function from a query (a span of time) to the haps inside it.
 * This file holds the class, the ways to query it, and the few combinators
 * everything else is built from: mapping values, mapping time, splitting
 * queries at cycles, combining two patterns (app*) and flattening patterns of
 * patterns (the joins).
 *
 * Queries write into an output array instead of returning fresh arrays, so a
 * stack of 16 layers makes one array, not 16 concatenated ones; a transform
 * that maps haps rewrites its slice of the output in place.
 * @module
 */
import { Hap, combineContexts, mapTimesFrom, type HapContext } from "./hap.ts";
import { type Rational, type TimeLike, ZERO, int, rational } from "./rational.ts";
import { State } from "./state.ts";
import { TimeSpan } from "./timespan.ts";
import { installJoins } from "./join.ts";

const ONE_STEP = int(1);

/** A query: append the haps of `state.span` to `out`. */
export type Query<T> = (state: State, out: Hap<T>[]) => void;

/** A pattern's value is anything; controls are objects such as `{ s: "bd", n: 3 }`. */
// biome-ignore lint: values are dynamic in a live-coding language.
export type Any = any;

/** A pattern of values over rational time. Immutable. */
export class Pattern<T = Any> {
  /** Appends the haps of a state's span to `out`. */
  readonly run: Query<T>;
  /**
   * Set when the pattern is `pure(value)` (one event per cycle, no context):
   * operators whose argument is a pure pattern skip the join.
   */
  _pure?: { value: T };
  /**
   * Steps per cycle, where known (Strudel's "tactus"): a mini-notation
   * sequence has one per element. Kept by value maps and by the left side of
   * a combination; the stepwise functions (take, drop, pace, stepcat ...)
   * read it. Undefined when unknown.
   */
  _steps?: Rational;

  // Operators are attached to the prototype by their families (see register.ts).
  [method: string]: Any;

  constructor(run: Query<T>) {
    this.run = run;
  }

  /** The haps of a state's span (Strudel's `query`). */
  query(state: State): Hap<T>[] {
    const out: Hap<T>[] = [];
    this.run(state, out);
    return out;
  }

  /**
   * The haps between `begin` and `end` cycles: `whole` is the event's full
   * extent (undefined for signals), `part` the fragment inside the query.
   * @example
   * s("bd sd").queryArc(0, 1) // two haps: bd in [0, 1/2), sd in [1/2, 1)
   */
  queryArc(begin: TimeLike, end: TimeLike, controls?: Record<string, unknown>): Hap<T>[] {
    return this.query(new State(TimeSpan.of(begin, end), controls));
  }

  /**
   * Only the haps that start in [begin, end): `whole.begin` lies in the span.
   * This is what a scheduler plays; signals (no whole) are left out. The
   * result is filtered in place, so it costs no more than `queryArc`.
   * @example
   * s("bd sd").queryOnsets(0.25, 1) // just sd: bd began before 1/4
   */
  queryOnsets(begin: TimeLike, end: TimeLike, controls?: Record<string, unknown>): Hap<T>[] {
    const out = this.queryArc(begin, end, controls);
    let k = 0;
    for (let i = 0; i < out.length; i++) {
      const h = out[i]!;
      if (h.whole !== undefined && h.whole.begin.eq(h.part.begin)) out[k++] = h;
    }
    out.length = k;
    return out;
  }

  // ---------------------------------------------------------------- values

  /** A pattern with every value through `f` (Strudel's `fmap`/`withValue`). */
  fmap<U>(f: (v: T) => U): Pattern<U> {
    const src = this;
    return new Pattern<U>((state, out) => {
      const start = out.length;
      src.run(state, out as unknown as Hap<T>[]);
      for (let i = start; i < out.length; i++) {
        const h = out[i] as unknown as Hap<T>;
        out[i] = new Hap(h.whole, h.part, f(h.value), h.context);
      }
    }).withSteps(src._steps);
  }

  /** Keeps the haps for which `pred` is true. */
  filterHaps(pred: (h: Hap<T>) => boolean): Pattern<T> {
    const src = this;
    return new Pattern<T>((state, out) => {
      const start = out.length;
      src.run(state, out);
      let k = start;
      for (let i = start; i < out.length; i++) {
        const h = out[i]!;
        if (pred(h)) out[k++] = h;
      }
      out.length = k;
    });
  }

  /** Keeps the haps whose value passes `pred`. */
  filterValuesRaw(pred: (v: T) => boolean): Pattern<T> {
    return this.filterHaps((h) => pred(h.value));
  }

  /** Keeps only the fragments that contain their event's onset. */
  onsetsOnly(): Pattern<T> {
    return this.filterHaps((h) => h.hasOnset());
  }

  /** Keeps only events with a whole (drops signal fragments). */
  discreteOnly(): Pattern<T> {
    return this.filterHaps((h) => h.whole !== undefined);
  }

  /** Every hap through `f` (may change anything). */
  withHaps<U>(f: (haps: Hap<T>[], state: State) => Hap<U>[]): Pattern<U> {
    const src = this;
    return new Pattern<U>((state, out) => {
      const got = f(src.query(state), state);
      for (let i = 0; i < got.length; i++) out.push(got[i]!);
    });
  }

  /** Every hap's context through `f`. */
  withContext(f: (c: HapContext) => HapContext): Pattern<T> {
    const src = this;
    return new Pattern<T>((state, out) => {
      const start = out.length;
      src.run(state, out);
      for (let i = start; i < out.length; i++) {
        const h = out[i]!;
        out[i] = new Hap(h.whole, h.part, h.value, f(h.context));
      }
    });
  }

  // ------------------------------------------------------------------ time

  /** Queries with the span through `f` (haps untouched). */
  withQuerySpan(f: (span: TimeSpan) => TimeSpan): Pattern<T> {
    const src = this;
    return new Pattern<T>((state, out) => src.run(state.setSpan(f(state.span)), out));
  }

  /** Queries with both ends of the span through `f`. */
  withQueryTime(f: (t: Rational) => Rational): Pattern<T> {
    return this.withQuerySpan((span) => span.withTime(f));
  }

  /** Every hap's whole and part through `f`. */
  withHapSpan(f: (span: TimeSpan) => TimeSpan): Pattern<T> {
    const src = this;
    return new Pattern<T>((state, out) => {
      const start = out.length;
      src.run(state, out);
      for (let i = start; i < out.length; i++) {
        const h = out[i]!;
        out[i] = new Hap(h.whole && f(h.whole), f(h.part), h.value, h.context);
      }
    });
  }

  /** Every hap's times through `f`. */
  withHapTime(f: (t: Rational) => Rational): Pattern<T> {
    return this.withHapSpan((span) => span.withTime(f));
  }

  /** Queries one cycle at a time, so cycle-relative transforms see whole cycles only. */
  splitQueries(): Pattern<T> {
    const src = this;
    return new Pattern<T>((state, out) => {
      const { begin, end } = state.span;
      // One cycle or less: the common case of a scheduler slice.
      if (begin.eq(end) || end.lte(begin.nextSam())) {
        src.run(state, out);
        return;
      }
      state.span.eachCycle((span) => src.run(state.setSpan(span), out));
    });
  }

  /**
   * Maps time affinely: the query span goes through t ↦ t·scale + shift and
   * the haps come back through the inverse. `fast`, `slow`, `early` and
   * `late` are this, in one pass with no closure per hap.
   */
  affine(scale: Rational, shift: Rational): Pattern<T> {
    const src = this;
    const one = scale.n === 1 && scale.d === 1;
    const noShift = shift.n === 0;
    if (one && noShift) return this;
    const fwd = (t: Rational) => (one ? t.add(shift) : noShift ? t.mul(scale) : t.mul(scale).add(shift));
    const back = (t: Rational) => (one ? t.sub(shift) : noShift ? t.div(scale) : t.sub(shift).div(scale));
    return new Pattern<T>((state, out) => {
      const { begin, end } = state.span;
      const start = out.length;
      src.run(state.setSpan(new TimeSpan(fwd(begin), fwd(end))), out);
      mapTimesFrom(out, start, back);
    });
  }

  // ------------------------------------------------- combining two patterns

  /**
   * Structure from this pattern: each of its haps takes values from the haps
   * of `other` that overlap it, through `op`; the whole stays this one's.
   */
  appLeft<U, V>(other: Pattern<U>, op: (a: T, b: U) => V): Pattern<V> {
    const left = this;
    return withStepsOf(left, new Pattern<V>((state, out) => {
      const haps = left.query(state);
      const inner: Hap<U>[] = [];
      for (let i = 0; i < haps.length; i++) {
        const l = haps[i]!;
        inner.length = 0;
        other.run(state.setSpan(l.wholeOrPart()), inner);
        for (let j = 0; j < inner.length; j++) {
          const r = inner[j]!;
          const part = l.part.intersection(r.part);
          if (!part) continue;
          out.push(new Hap(l.whole, part, op(l.value, r.value), combineContexts(l.context, r.context)));
        }
      }
    }));
  }

  /** Structure from `other`: the mirror of {@link appLeft}. */
  appRight<U, V>(other: Pattern<U>, op: (a: T, b: U) => V): Pattern<V> {
    const left = this;
    return new Pattern<V>((state, out) => {
      const haps = other.query(state);
      const inner: Hap<T>[] = [];
      for (let i = 0; i < haps.length; i++) {
        const r = haps[i]!;
        inner.length = 0;
        left.run(state.setSpan(r.wholeOrPart()), inner);
        for (let j = 0; j < inner.length; j++) {
          const l = inner[j]!;
          const part = l.part.intersection(r.part);
          if (!part) continue;
          out.push(new Hap(r.whole, part, op(l.value, r.value), combineContexts(l.context, r.context)));
        }
      }
    });
  }

  /** Structure from both: events where haps of both overlap, wholes intersected. */
  appBoth<U, V>(other: Pattern<U>, op: (a: T, b: U) => V): Pattern<V> {
    const left = this;
    return new Pattern<V>((state, out) => {
      const ls = left.query(state);
      const rs = other.query(state);
      for (let i = 0; i < ls.length; i++) {
        const l = ls[i]!;
        for (let j = 0; j < rs.length; j++) {
          const r = rs[j]!;
          const part = l.part.intersection(r.part);
          if (!part) continue;
          let whole: TimeSpan | undefined;
          if (l.whole && r.whole) {
            whole = l.whole.intersection(r.whole);
            if (!whole) continue;
          }
          out.push(new Hap(whole, part, op(l.value, r.value), combineContexts(l.context, r.context)));
        }
      }
    });
  }

  /** Sets the steps per cycle (on a pattern just built); undefined leaves them unknown. */
  withSteps(steps: Rational | undefined): this {
    if (steps !== undefined) this._steps = steps;
    return this;
  }

  /** Marks this as a pure value (used by {@link pure}). */
  withPure(value: T): this {
    this._pure = { value };
    return this;
  }

  /** Short text of the first cycle's haps, for debugging. */
  show(): string {
    return this.queryArc(0, 1)
      .map((h) => h.show())
      .join(" ");
  }
}

/**
 * Maps values like `fmap`, and cuts each fragment at cycle boundaries: the
 * result of combining with a pure pattern (one event per cycle) through
 * `appLeft`, without querying it. Controls set to plain values use this, so
 * events that cross a cycle boundary fragment exactly as in Strudel.
 */
export function mapSplitAtCycles<T, U>(pat: Pattern<T>, f: (v: T) => U): Pattern<U> {
  return withStepsOf(pat, new Pattern<U>((state, out) => {
    const start = out.length;
    pat.run(state, out as unknown as Hap<T>[]);
    const end = out.length;
    let extra: Hap<U>[] | undefined;
    for (let i = start; i < end; i++) {
      const h = out[i] as unknown as Hap<T>;
      const v = f(h.value);
      const { begin, end: e } = h.part;
      const next = begin.nextSam();
      if (e.lte(next) || !h.whole) {
        out[i] = new Hap(h.whole, h.part, v, h.context);
        continue;
      }
      out[i] = new Hap(h.whole, new TimeSpan(begin, next), v, h.context);
      for (let b = next; b.lt(e); b = b.add(int(1))) {
        const stop = b.add(int(1)).min(e);
        (extra ??= []).push(new Hap(h.whole, new TimeSpan(b, stop), v, h.context));
      }
    }
    if (extra) for (const h of extra) out.push(h);
  }));
}

/** `made` with the steps per cycle of `src` (a value map keeps its source's steps). */
export function withStepsOf<T, U>(src: Pattern<T>, made: Pattern<U>): Pattern<U> {
  return made.withSteps(src._steps);
}

/** Anything that can stand for a pattern: a pattern, a mini-notation string, an array (a sequence) or a plain value. */
export type PatternLike<T = Any> = Pattern<T> | T | string | readonly PatternLike<T>[];

let parseString: ((s: string) => Pattern<Any>) | undefined;
/** Strudel's REPL reads a plain (single-quoted) string as a value, not as mini-notation. */
let plainStrings = false;
let sequenceOf: ((items: readonly unknown[]) => Pattern<Any>) | undefined;

/** Installs the mini-notation parser used for strings (done by mini/). */
export function setStringParser(parser: (s: string) => Pattern<Any>): void {
  parseString = parser;
}
/**
 * Whether {@link reify} reads strings as plain values (Strudel's REPL, where
 * only double-quoted and backtick strings are mini-notation and the
 * transpiler has already turned those into patterns) or as mini-notation
 * (the library called directly). Returns the previous setting, so a caller
 * can restore it.
 */
export function setPlainStrings(on: boolean): boolean {
  const was = plainStrings;
  plainStrings = on;
  return was;
}
/** Installs the sequence builder used for arrays (done by structure.ts). */
export function setSequenceBuilder(builder: (items: readonly unknown[]) => Pattern<Any>): void {
  sequenceOf = builder;
}

/**
 * Anything as a pattern: strings are mini-notation (plain values in a REPL
 * program, see {@link setPlainStrings}), arrays are sequences, other values
 * are pure.
 */
export function reify<T = Any>(x: PatternLike<T>): Pattern<T> {
  if (x instanceof Pattern) return x;
  if (typeof x === "string") {
    if (plainStrings) return pure(x as T);
    if (!parseString) throw new Error("no mini-notation parser installed (import server/pattern/index.ts)");
    return parseString(x) as Pattern<T>;
  }
  if (Array.isArray(x)) {
    if (!sequenceOf) throw new Error("no sequence builder installed (import server/pattern/index.ts)");
    return sequenceOf(x) as Pattern<T>;
  }
  return pure(x as T);
}

/** True for patterns. */
export function isPattern(x: unknown): x is Pattern<Any> {
  return x instanceof Pattern;
}

/**
 * One event per cycle, each lasting the whole cycle, with `value`.
 * @example
 * pure("bd") // "bd" every cycle
 */
export function pure<T>(value: T, context?: HapContext): Pattern<T> {
  const p = new Pattern<T>((state, out) => {
    const { begin, end } = state.span;
    if (begin.eq(end)) {
      const sam = begin.sam();
      out.push(new Hap(new TimeSpan(sam, sam.add(int(1))), state.span, value, context));
      return;
    }
    let b = begin;
    while (b.lt(end)) {
      const sam = b.sam();
      const next = sam.add(int(1));
      const e = next.lt(end) ? next : end;
      const part = b === begin && e === end ? state.span : new TimeSpan(b, e);
      out.push(new Hap(new TimeSpan(sam, next), part, value, context));
      b = next;
    }
  });
  return p.withPure(value).withSteps(ONE_STEP);
}

/**
 * The empty pattern.
 * @example
 * silence // nothing at all
 */
export const silence: Pattern<Any> = new Pattern<Any>(() => {});

/** A number or pattern read as time. */
export function toTime(x: unknown): Rational {
  return rational(x as TimeLike);
}

export { Hap, State, TimeSpan, ZERO };
export { focusSpan } from "./join.ts";

installJoins(Pattern);
