/**
 * Operators between two patterns (add, sub, mul, …, keep, keepif, set) and
 * their alignments: where the result's structure (its events) comes from.
 *
 * - `in` (the default): from the left pattern, values sampled from the right.
 * - `out`: from the right pattern.
 * - `mix`: from both: events where they overlap.
 * - `squeeze`: a cycle of the right squeezed into each left event.
 * - `squeezeout`: a cycle of the left squeezed into each right event.
 * - `reset` / `restart`: right events retrigger the left pattern from their
 *   cycle position / from cycle zero.
 *
 * Values: numbers combine as numbers; note names become MIDI numbers
 * (`"c3".add(12)` is 60); control objects combine key by key
 * (`note("c3").add(note(12))`). Like Strudel, a control object and a plain
 * number do not combine: the object is kept unchanged.
 * @module
 */
import { isNoteName, noteToMidi } from "./note.ts";
import { type Any, Pattern, type PatternLike, mapSplitAtCycles, reify } from "./pattern.ts";
import { OPERATORS, register } from "./register.ts";
import { fastcat } from "./structure.ts";
import { isControlObject, unionControls } from "./controls.ts";

/** Where a combined pattern's structure comes from. */
export type Alignment = "in" | "out" | "mix" | "squeeze" | "squeezeout" | "reset" | "restart";

/** The alignments, in documentation order. */
export const ALIGNMENTS: readonly Alignment[] = ["in", "out", "mix", "squeeze", "squeezeout", "reset", "restart"];

/** A value as a number: note names become MIDI numbers. */
export function num(v: unknown): unknown {
  if (typeof v === "string" && isNoteName(v)) return noteToMidi(v);
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return v;
}

type Op = (a: Any, b: Any) => Any;

/** A numeric operator lifted over note names and control objects. */
function numeric(f: (a: number, b: number) => unknown): Op {
  const lifted: Op = (a, b) => {
    const aObj = isControlObject(a);
    const bObj = isControlObject(b);
    if (aObj && bObj) {
      const out: Record<string, unknown> = { ...a };
      for (const k of Object.keys(b)) out[k] = k in a ? lifted(a[k], b[k]) : b[k];
      return out;
    }
    if (aObj || bObj) return a;
    if (Array.isArray(a)) return a.map((x) => lifted(x, b));
    const x = num(a);
    const y = num(b);
    if (typeof x === "number" && typeof y === "number") return f(x, y);
    if (typeof x === "string" || typeof y === "string") return f(x as number, y as number);
    return f(Number(x), Number(y));
  };
  return lifted;
}

/** A drop marker for keepif. */
const DROP = Symbol("drop");

const OPS: Record<string, Op> = {
  add: numeric((a, b) => a + b),
  sub: numeric((a, b) => a - b),
  mul: numeric((a, b) => a * b),
  div: numeric((a, b) => a / b),
  mod: numeric((a, b) => ((a % b) + b) % b),
  pow: numeric((a, b) => a ** b),
  band: numeric((a, b) => a & b),
  bor: numeric((a, b) => a | b),
  bxor: numeric((a, b) => a ^ b),
  blshift: numeric((a, b) => a << b),
  brshift: numeric((a, b) => a >> b),
  lt: numeric((a, b) => a < b),
  gt: numeric((a, b) => a > b),
  lte: numeric((a, b) => a <= b),
  gte: numeric((a, b) => a >= b),
  eq: (a, b) => a === b,
  eqt: (a, b) => a == b,
  ne: (a, b) => a !== b,
  net: (a, b) => a != b,
  and: (a, b) => a && b,
  or: (a, b) => a || b,
  keep: (a) => a,
  keepif: (a, b) => (b ? a : DROP),
  // Like Strudel: a plain value does not replace a control object.
  set: (a, b) => (isControlObject(b) ? unionControls(a, b) : isControlObject(a) ? a : b),
};

/** Combines `a` and `b` with `op` under an alignment. */
export function combine(alignment: Alignment, op: Op, a: Pattern<Any>, b: Pattern<Any>): Pattern<Any> {
  let out: Pattern<Any>;
  switch (alignment) {
    case "in":
      out = b._pure ? fmapPure(a, op, b._pure.value) : a.appLeft(b, op);
      break;
    case "out":
      out = a.appRight(b, op);
      break;
    case "mix":
      out = a.appBoth(b, op);
      break;
    case "squeeze":
      out = a.squeezeBind((x: unknown) => b.fmap((y: unknown) => op(x, y)));
      break;
    case "squeezeout":
      out = b.squeezeBind((y: unknown) => a.fmap((x: unknown) => op(x, y)));
      break;
    case "reset":
      out = b.triggerBind((y: unknown) => a.fmap((x: unknown) => op(x, y)), false);
      break;
    case "restart":
      out = b.triggerBind((y: unknown) => a.fmap((x: unknown) => op(x, y)), true);
      break;
  }
  return op === OPS.keepif ? out.filterValuesRaw((v) => v !== DROP) : out;
}

function fmapPure(a: Pattern<Any>, op: Op, y: unknown): Pattern<Any> {
  return mapSplitAtCycles(a, (x: unknown) => op(x, y));
}

function argPattern(args: PatternLike[]): Pattern<Any> {
  return args.length === 1 ? reify(args[0]!) : fastcat(...args);
}

/** A function with one property per alignment: `add`, `add.out`, `add.squeeze`, … */
type Aligned<F> = F & { [K in Alignment]: F };

function makeMethod(op: Op): (pat: Pattern<Any>) => Aligned<(...args: PatternLike[]) => Pattern<Any>> {
  return (pat) => {
    const f = ((...args: PatternLike[]) => combine("in", op, pat, argPattern(args))) as Aligned<(...a: PatternLike[]) => Pattern<Any>>;
    for (const al of ALIGNMENTS) f[al] = (...args: PatternLike[]) => combine(al, op, pat, argPattern(args));
    return f;
  };
}

function makeTop(name: string, op: Op): Aligned<(...args: Any[]) => Any> {
  const build = (al: Alignment) => (value: PatternLike, pat?: PatternLike) =>
    pat === undefined ? (p: PatternLike) => combine(al, op, reify(p), reify(value)) : combine(al, op, reify(pat), reify(value));
  const f = build("in") as Aligned<(...args: Any[]) => Any>;
  for (const al of ALIGNMENTS) f[al] = build(al);
  Object.defineProperty(f, "name", { value: name });
  return f;
}

for (const [name, op] of Object.entries(OPS)) {
  const method = makeMethod(op);
  Object.defineProperty(Pattern.prototype, name, {
    configurable: true,
    get(this: Pattern<Any>) {
      return method(this);
    },
  });
  OPERATORS.set(name, { args: ["p"] });
}

/**
 * Adds numbers (note names count as MIDI numbers). Alignments: `add.out`, `add.mix`, `add.squeeze`, `add.squeezeout`, `add.reset`, `add.restart`.
 * @example
 * n("0 2 4".add("<0 3 4 0>")).scale("C:major")
 * @example
 * n("0 2".add.squeeze("0 12"))
 */
export const add = makeTop("add", OPS.add!);
/**
 * Subtracts numbers.
 * @example
 * n("7 9 11".sub("<0 2>")).scale("C:minor")
 */
export const sub = makeTop("sub", OPS.sub!);
/**
 * Multiplies numbers.
 * @example
 * s("hh*4").gain("0.5".mul("1 2"))
 */
export const mul = makeTop("mul", OPS.mul!);
/**
 * Divides numbers.
 * @example
 * n("8 16".div(4))
 */
export const div = makeTop("div", OPS.div!);
/**
 * Modulo (always non-negative for a positive divisor).
 * @example
 * n("0 2 4 6 8".mod(5))
 */
export const mod = makeTop("mod", OPS.mod!);
/**
 * Raises to a power.
 * @example
 * n("1 2 3".pow(2))
 */
export const pow = makeTop("pow", OPS.pow!);
/**
 * True where the value is below the argument.
 * @example
 * s("hh*8").struct(sine.segment(8).lt(0.5))
 */
export const lt = makeTop("lt", OPS.lt!);
/**
 * True where the value is above the argument.
 * @example
 * s("hh*8").struct(sine.segment(8).gt(0.5))
 */
export const gt = makeTop("gt", OPS.gt!);
/**
 * True where the value is at most the argument.
 * @example
 * s("hh*8").struct(saw.segment(8).lte(0.5))
 */
export const lte = makeTop("lte", OPS.lte!);
/**
 * True where the value is at least the argument.
 * @example
 * s("hh*8").struct(saw.segment(8).gte(0.5))
 */
export const gte = makeTop("gte", OPS.gte!);
/**
 * Keeps the values of the left pattern; with an alignment, takes the structure from elsewhere (`keep.out` is the right's structure).
 * @example
 * note("c3 e3").keep.out("1 1 1")
 */
export const keep = makeTop("keep", OPS.keep!);
/**
 * Keeps left events where the right pattern is true (`keepif.out` is `struct`).
 * @example
 * note("c3 e3 g3 b3").keepif("1 0 1 1")
 */
export const keepif = makeTop("keepif", OPS.keepif!);
/**
 * Sets the right pattern's controls on the left's events (right wins on shared keys).
 * @example
 * s("bd sd").set(n("<0 1>"))
 */
export const set = makeTop("set", OPS.set!);

/**
 * `pat.out(x)` is `pat.set.out(x)`: the structure of `x`, the values of both.
 * @example
 * s("bd").out(n("0 1 2"))
 */
export function out(value: PatternLike, pat?: PatternLike): Any {
  return set.out(value, pat);
}
(Pattern.prototype as Any).out = function (this: Pattern<Any>, ...args: PatternLike[]) {
  return combine("out", OPS.set!, this, argPattern(args));
};
OPERATORS.set("out", { args: ["p"] });

/**
 * `pat.mix(x)` is `pat.set.mix(x)`: events where both have events.
 * @example
 * s("bd*2").mix(n("0 1 2"))
 */
export function mix(value: PatternLike, pat?: PatternLike): Any {
  return set.mix(value, pat);
}
(Pattern.prototype as Any).mix = function (this: Pattern<Any>, ...args: PatternLike[]) {
  return combine("mix", OPS.set!, this, argPattern(args));
};
OPERATORS.set("mix", { args: ["p"] });

/**
 * Bitwise and of integers.
 * @example
 * n("6 7".band(3))
 */
export const band = makeTop("band", OPS.band!);
/**
 * Bitwise or of integers.
 * @example
 * n("4 2".bor(1))
 */
export const bor = makeTop("bor", OPS.bor!);
/**
 * Bitwise exclusive or of integers.
 * @example
 * n("6 5".bxor(3))
 */
export const bxor = makeTop("bxor", OPS.bxor!);
/**
 * Shifts integers left by bits.
 * @example
 * n("1 2".blshift(2))
 */
export const blshift = makeTop("blshift", OPS.blshift!);
/**
 * Shifts integers right by bits.
 * @example
 * n("8 16".brshift(2))
 */
export const brshift = makeTop("brshift", OPS.brshift!);
/**
 * True where the values are equal (strictly).
 * @example
 * s("hh*4").struct("0 1 2 1".eq(1))
 */
export const eq = makeTop("eq", OPS.eq!);
/**
 * True where the values are equal after type conversion ("1" equals 1).
 * @example
 * s("hh*4").struct("0 1 2 1".eqt("1"))
 */
export const eqt = makeTop("eqt", OPS.eqt!);
/**
 * True where the values differ (strictly).
 * @example
 * s("hh*4").struct("0 1 2 1".ne(1))
 */
export const ne = makeTop("ne", OPS.ne!);
/**
 * True where the values differ after type conversion.
 * @example
 * s("hh*4").struct("0 1 2 1".net("1"))
 */
export const net = makeTop("net", OPS.net!);
/**
 * Logical and: the right value where the left is truthy, else the left.
 * @example
 * s("hh*4").struct("1 0 1 1".and("1 1 0 1"))
 */
export const and = makeTop("and", OPS.and!);
/**
 * Logical or: the left value where it is truthy, else the right.
 * @example
 * s("hh*4").struct("1 0 0 1".or("0 1 0 0"))
 */
export const or = makeTop("or", OPS.or!);

/**
 * Reads `a:b` values as the ratio a / b (`a:b:c` as a / b / c); plain numbers stay. In a program this is `ratio`.
 * @example
 * ratio("1, 5:4, 3:2").mul(110).freq().s("piano")
 */
export const ratioValues = register(
  "ratio",
  (pat: Pattern<Any>) =>
    pat.fmap((v: unknown) => (Array.isArray(v) ? v.slice(1).reduce((acc: number, x) => acc / Number(x), Number(v[0])) : v)),
  { args: [] },
);
