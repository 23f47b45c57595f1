/**
 * A span of time [begin, end) in cycles: what a query asks for, and the
 * `whole` and `part` of a hap.
 * @module
 */
import { type Rational, type TimeLike, rational } from "./rational.ts";

/** A half-open span of time [begin, end), in cycles. Immutable. */
export class TimeSpan {
  readonly begin: Rational;
  readonly end: Rational;

  constructor(begin: Rational, end: Rational) {
    this.begin = begin;
    this.end = end;
  }

  /** A span from anything that reads as time. */
  static of(begin: TimeLike, end: TimeLike): TimeSpan {
    return new TimeSpan(rational(begin), rational(end));
  }

  /**
   * Calls `f` with this span cut at every cycle boundary, in order. A
   * zero-width span gives itself once. No array is made: this runs in every
   * cycle-aware query.
   */
  eachCycle(f: (span: TimeSpan) => void): void {
    const { begin, end } = this;
    if (begin.eq(end)) {
      f(this);
      return;
    }
    let b = begin;
    while (b.lt(end)) {
      const next = b.nextSam();
      if (next.gte(end)) {
        f(b === begin ? this : new TimeSpan(b, end));
        return;
      }
      f(new TimeSpan(b, next));
      b = next;
    }
  }

  /** This span cut at cycle boundaries (Tidal's `arcCyclesZW`). */
  spanCycles(): TimeSpan[] {
    const out: TimeSpan[] = [];
    this.eachCycle((s) => out.push(s));
    return out;
  }

  /** Both ends through `f`. */
  withTime(f: (t: Rational) => Rational): TimeSpan {
    return new TimeSpan(f(this.begin), f(this.end));
  }

  /** Both ends relative to the start of the begin's cycle, through `f`, then back. */
  withCycle(f: (t: Rational) => Rational): TimeSpan {
    const sam = this.begin.sam();
    return new TimeSpan(sam.add(f(this.begin.sub(sam))), sam.add(f(this.end.sub(sam))));
  }

  /** The overlap of two spans, undefined when they do not touch (zero-width overlaps count). */
  intersection(other: TimeSpan): TimeSpan | undefined {
    const b = this.begin.max(other.begin);
    const e = this.end.min(other.end);
    if (b.gt(e)) return undefined;
    if (b.eq(e)) {
      // Touching at one point: only a zero-width span keeps it.
      if (b.eq(this.end) && this.begin.lt(this.end)) return undefined;
      if (b.eq(other.end) && other.begin.lt(other.end)) return undefined;
    }
    if (b === this.begin && e === this.end) return this;
    if (b === other.begin && e === other.end) return other;
    return new TimeSpan(b, e);
  }

  /** Like {@link intersection}, but throws when the spans do not overlap. */
  intersectionOrThrow(other: TimeSpan): TimeSpan {
    const s = this.intersection(other);
    if (!s) throw new RangeError(`spans ${this.show()} and ${other.show()} do not overlap`);
    return s;
  }

  /** The cycle-relative version of this span: begin in [0, 1). */
  cycleArc(): TimeSpan {
    const sam = this.begin.sam();
    return new TimeSpan(this.begin.sub(sam), this.end.sub(sam));
  }

  /** The middle of the span. */
  midpoint(): Rational {
    return this.begin.add(this.end.sub(this.begin).div(rational(2)));
  }

  /** Its length. */
  duration(): Rational {
    return this.end.sub(this.begin);
  }

  equals(other: TimeSpan): boolean {
    return this.begin.eq(other.begin) && this.end.eq(other.end);
  }

  /** "1/3 → 2/3". */
  show(): string {
    return `${this.begin.toString()} → ${this.end.toString()}`;
  }

  toJSON(): { begin: string; end: string } {
    return { begin: this.begin.toString(), end: this.end.toString() };
  }
}
