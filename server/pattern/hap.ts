/**
 * A hap is one event of a pattern (Tidal's Event; "Event" is taken in
 * JavaScript). `whole` is the event's full extent, undefined for continuous
 * signals; `part` is the fragment inside the query. An event whose `whole`
 * begins inside `part` has its onset in this query: it is the one to play.
 * @module
 */
import type { Rational } from "./rational.ts";
import { TimeSpan } from "./timespan.ts";

/** A range of the program's source, for highlighting: character offsets [start, end). */
export interface Location {
  start: number;
  end: number;
}

/** Metadata that travels with a hap: the source locations of the atoms it came from. */
export interface HapContext {
  locations?: Location[];
  [key: string]: unknown;
}

const NO_CONTEXT: HapContext = Object.freeze({}) as HapContext;

/** One event. Immutable: transformations make new haps. */
export class Hap<T = unknown> {
  readonly whole: TimeSpan | undefined;
  readonly part: TimeSpan;
  readonly value: T;
  readonly context: HapContext;

  constructor(whole: TimeSpan | undefined, part: TimeSpan, value: T, context: HapContext = NO_CONTEXT) {
    this.whole = whole;
    this.part = part;
    this.value = value;
    this.context = context;
  }

  /** The whole when there is one, else the part. */
  /** True when the event was tagged `tag` (by `.tag(...)`). */
  hasTag(tag: unknown): boolean {
    const tags = this.context.tags;
    return Array.isArray(tags) && tags.includes(tag);
  }

  wholeOrPart(): TimeSpan {
    return this.whole ?? this.part;
  }

  /** True when the event starts inside this fragment (the fragment to play). */
  hasOnset(): boolean {
    return this.whole !== undefined && this.whole.begin.eq(this.part.begin);
  }

  /** The start of the whole (or the part, for signals). */
  get begin(): Rational {
    return (this.whole ?? this.part).begin;
  }

  /** Length of the whole (or the part, for signals). */
  duration(): Rational {
    const w = this.whole ?? this.part;
    return w.end.sub(w.begin);
  }

  /** The same event with another value. */
  withValue<U>(f: (v: T) => U): Hap<U> {
    return new Hap(this.whole, this.part, f(this.value), this.context);
  }

  /** The same value with another value. */
  setValue<U>(value: U): Hap<U> {
    return new Hap(this.whole, this.part, value, this.context);
  }

  /** Both spans through `f`. */
  withSpan(f: (span: TimeSpan) => TimeSpan): Hap<T> {
    return new Hap(this.whole && f(this.whole), f(this.part), this.value, this.context);
  }

  /** The same event with a context merged over this one's; locations concatenate. */
  combineContext(other: Hap<unknown>): HapContext {
    return combineContexts(this.context, other.context);
  }

  /** True when both spans and the value are the same (values compared by JSON). */
  equals(other: Hap<unknown>): boolean {
    const sameWhole =
      this.whole === other.whole || (this.whole !== undefined && other.whole !== undefined && this.whole.equals(other.whole));
    return sameWhole && this.part.equals(other.part) && JSON.stringify(this.value) === JSON.stringify(other.value);
  }

  /** "[ 0 → 1/2 | bd ]", with the whole around the part when they differ. */
  show(): string {
    const v = typeof this.value === "object" ? JSON.stringify(this.value) : String(this.value);
    if (!this.whole) return `[ ~${this.part.show()} | ${v} ]`;
    if (this.whole.equals(this.part)) return `[ ${this.whole.show()} | ${v} ]`;
    const { whole, part } = this;
    const pre = whole.begin.eq(part.begin) ? "" : `${whole.begin.toString()} ⇜ `;
    const post = whole.end.eq(part.end) ? "" : ` ⇝ ${whole.end.toString()}`;
    return `[ ${pre}(${part.show()})${post} | ${v} ]`;
  }
}

/** Merge two contexts: keys of `b` win, location lists are joined. */
/**
 * Rewrites `out[start..]` in place with every time of both spans mapped
 * through `back`: how a pattern that transformed its query's time returns
 * the haps it got in the caller's time, with no array or closure per hap.
 */
export function mapTimesFrom<T>(out: Hap<T>[], start: number, back: (t: Rational) => Rational): void {
  for (let i = start; i < out.length; i++) {
    const h = out[i]!;
    const w = h.whole;
    out[i] = new Hap(w && new TimeSpan(back(w.begin), back(w.end)), new TimeSpan(back(h.part.begin), back(h.part.end)), h.value, h.context);
  }
}

export function combineContexts(a: HapContext, b: HapContext): HapContext {
  if (a === b || b === NO_CONTEXT) return a;
  if (a === NO_CONTEXT) return b;
  const locations = a.locations && b.locations ? a.locations.concat(b.locations) : (a.locations ?? b.locations);
  return { ...a, ...b, locations };
}

/** The empty context (shared). */
export const EMPTY_CONTEXT: HapContext = NO_CONTEXT;
