/**
 * Exact rational time. Pattern time is counted in cycles and must be exact:
 * three events in a cycle start at 0, 1/3 and 2/3, and a query for [1/3, 2/3)
 * must find the second one and nothing of its neighbours. Floats cannot do
 * that, so time is a normalised fraction of two JavaScript integers.
 *
 * Numerator and denominator stay within 2^53 for every time a musician can
 * reach; when an operation would overflow that, the result is rounded to the
 * nearest fraction with a denominator below 2^26 (precision is then about 1e-8
 * of a cycle, far below a sample) instead of silently losing exactness.
 * @module
 */

const SAFE = Number.MAX_SAFE_INTEGER;
const APPROX_DENOMINATOR = 1 << 26;

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** An exact fraction `n / d` with `d > 0` and `gcd(n, d) = 1`. Immutable. */
export class Rational {
  /** Numerator (an integer, carries the sign). */
  readonly n: number;
  /** Denominator (a positive integer). */
  readonly d: number;

  /** Use {@link rational} or {@link ratio}: this constructor trusts its caller that n/d is normalised. */
  constructor(n: number, d: number) {
    this.n = n;
    this.d = d;
  }

  /** This fraction plus `b`. */
  add(b: Rational): Rational {
    if (this.d === 1 && b.d === 1) return int(this.n + b.n);
    if (this.d === b.d) return ratio(this.n + b.n, this.d);
    return ratio(this.n * b.d + b.n * this.d, this.d * b.d);
  }

  /** This fraction minus `b`. */
  sub(b: Rational): Rational {
    if (this.d === 1 && b.d === 1) return int(this.n - b.n);
    if (this.d === b.d) return ratio(this.n - b.n, this.d);
    return ratio(this.n * b.d - b.n * this.d, this.d * b.d);
  }

  /** This fraction times `b`. */
  mul(b: Rational): Rational {
    if (this.d === 1 && b.d === 1) return int(this.n * b.n);
    return ratio(this.n * b.n, this.d * b.d);
  }

  /** This fraction divided by `b` (throws on division by zero). */
  div(b: Rational): Rational {
    if (b.n === 0) throw new RangeError("division of time by zero");
    return ratio(this.n * b.d, this.d * b.n);
  }

  /** Negation. */
  neg(): Rational {
    return new Rational(-this.n, this.d);
  }

  /** Compare: negative, zero or positive as this is below, equal to or above `b`. */
  compare(b: Rational): number {
    if (this.d === b.d) return this.n - b.n;
    return this.n * b.d - b.n * this.d;
  }
  lt(b: Rational): boolean {
    return this.compare(b) < 0;
  }
  lte(b: Rational): boolean {
    return this.compare(b) <= 0;
  }
  gt(b: Rational): boolean {
    return this.compare(b) > 0;
  }
  gte(b: Rational): boolean {
    return this.compare(b) >= 0;
  }
  eq(b: Rational): boolean {
    return this.n === b.n && this.d === b.d;
  }

  /** The largest integer not above this (the start of its cycle: Tidal's `sam`). */
  floor(): Rational {
    return this.d === 1 ? this : int(Math.floor(this.n / this.d));
  }
  /** The smallest integer not below this. */
  ceil(): Rational {
    return this.d === 1 ? this : int(Math.ceil(this.n / this.d));
  }
  /** The start of the cycle this time is in (Tidal's `sam`). */
  sam(): Rational {
    return this.floor();
  }
  /** The start of the next cycle. */
  nextSam(): Rational {
    return int(Math.floor(this.n / this.d) + 1);
  }
  /** The position within the cycle, in [0, 1). */
  cyclePos(): Rational {
    return this.d === 1 ? ZERO : this.sub(this.floor());
  }
  /** The smaller of this and `b`. */
  min(b: Rational): Rational {
    return this.compare(b) <= 0 ? this : b;
  }
  /** The larger of this and `b`. */
  max(b: Rational): Rational {
    return this.compare(b) >= 0 ? this : b;
  }
  /** The nearest JavaScript number. */
  valueOf(): number {
    return this.n / this.d;
  }
  /** "n/d", or "n" for integers. */
  toString(): string {
    return this.d === 1 ? String(this.n) : `${this.n}/${this.d}`;
  }
  /** Always "n/d" (Strudel's `toFraction`). */
  toFraction(): string {
    return `${this.n}/${this.d}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

const SMALL: Rational[] = [];
for (let i = -16; i <= 256; i++) SMALL[i + 16] = new Rational(i, 1);

/** The integer `i` as a rational (small integers are shared). */
export function int(i: number): Rational {
  if (i >= -16 && i <= 256 && Number.isInteger(i)) return SMALL[i + 16]!;
  if (!Number.isSafeInteger(i)) return fromFloat(i);
  return new Rational(i === 0 ? 0 : i, 1);
}

/** The normalised fraction `n / d` of two integers. */
export function ratio(n: number, d: number): Rational {
  if (d === 0) throw new RangeError(`time ${n}/0 has a zero denominator`);
  if (d < 0) {
    n = -n;
    d = -d;
  }
  if (n === 0) return ZERO;
  if (Math.abs(n) > SAFE || d > SAFE) return fromFloat(n / d);
  const g = gcd(n, d);
  if (g !== 1) {
    n /= g;
    d /= g;
  }
  if (d === 1) return int(n);
  return new Rational(n, d);
}

/**
 * The simplest fraction within 1e-9 relative distance of `x` (continued
 * fractions), so that `1/3`, `0.1` and `2/3` written as floats become exactly
 * one third, one tenth and two thirds. Denominators stay below 2^26.
 */
export function fromFloat(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`time must be a finite number, got ${x}`);
  if (Number.isInteger(x) && Number.isSafeInteger(x)) return int(x);
  const sign = x < 0 ? -1 : 1;
  let v = Math.abs(x);
  const whole = Math.floor(v);
  if (whole > SAFE / APPROX_DENOMINATOR) return int(sign * Math.round(v));
  const eps = Math.max(1e-9 * v, 1e-12);
  // Convergents h/k of the continued fraction of v.
  let h0 = 1, h1 = whole, k0 = 0, k1 = 1;
  let frac = v - whole;
  while (Math.abs(h1 / k1 - v) > eps && frac > 1e-15) {
    const inv = 1 / frac;
    const a = Math.floor(inv);
    frac = inv - a;
    const h2 = a * h1 + h0;
    const k2 = a * k1 + k0;
    if (k2 > APPROX_DENOMINATOR) break;
    h0 = h1; h1 = h2; k0 = k1; k1 = k2;
  }
  return ratio(sign * h1, k1);
}

/** Anything that can be read as time: a rational, a number, "n/d" or "n". */
export type TimeLike = Rational | number | string;

/** Reads time written as a rational, a number (floats become simple fractions) or a string "3/4". */
export function rational(x: TimeLike): Rational {
  if (x instanceof Rational) return x;
  if (typeof x === "number") return Number.isInteger(x) ? int(x) : fromFloat(x);
  if (typeof x === "string") {
    const m = /^\s*(-?\d+)\s*\/\s*(-?\d+)\s*$/.exec(x);
    if (m) return ratio(Number(m[1]), Number(m[2]));
    const v = Number(x);
    if (x.trim() !== "" && Number.isFinite(v)) return fromFloat(v);
  }
  if (typeof x === "bigint") return int(Number(x));
  if (x !== null && typeof x === "object" && "n" in (x as object) && "d" in (x as object)) {
    const o = x as { n: number; d: number; s?: number };
    return ratio((o.s ?? 1) * Number(o.n), Number(o.d));
  }
  throw new TypeError(`cannot read ${JSON.stringify(x)} as time (expected a number or a fraction such as "3/4")`);
}

/** Zero. */
export const ZERO: Rational = SMALL[16]!;
/** One. */
export const ONE: Rational = SMALL[17]!;
/** One half. */
export const HALF: Rational = new Rational(1, 2);
