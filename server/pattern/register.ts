/**
 * How operators become both top-level functions and methods, Strudel's way:
 *
 * - `fast(2, pat)` applies directly; `fast(2)` returns a function of a
 *   pattern, so it can be passed where a transformation is expected
 *   (`every(2, fast(2))`); `pat.fast(2)` is the method.
 * - Arguments of kind "p" may be patterns: strings are mini-notation, arrays
 *   sequences. A patterned argument is joined (inner join by default), so
 *   `fast("<1 2>")` is fast 1 in even cycles and fast 2 in odd ones. Plain
 *   values (and pure patterns) skip the join entirely.
 * - A method with one patternable argument given several arguments treats
 *   them as a sequence: `.fast(1, 2)` is `.fast(seq(1, 2))`.
 * @module
 */
import { type Any, Pattern, reify } from "./pattern.ts";

/** "p": patternable value; "raw": passed as given (functions, lists, objects). */
export type ArgKind = "p" | "raw";

/** How a patterned argument is flattened into the result. */
export type JoinKind = "inner" | "outer" | "squeeze";

/** Every registered name (aliases included) to its top-level function. */
export const TOP_BY_NAME = new Map<string, Operator>();

/** The registry of operators, for documentation and completion. */
export const OPERATORS = new Map<string, { args: readonly ArgKind[]; aliasOf?: string; params?: string[] }>();

/** The parameter names of an implementation, without the final pattern. */
function paramNames(impl: (...a: Any[]) => unknown, arity: number): string[] | undefined {
  const m = /^(?:function\s*[\w$]*\s*)?\(([^)]*)\)/.exec(impl.toString());
  if (!m) return undefined;
  const names = m[1]!.split(",").map((p) => p.trim().replace(/[=:].*$/, "").trim()).filter(Boolean);
  return names.length >= arity ? names.slice(0, arity) : undefined;
}

let sequenceOfArgs: ((items: readonly unknown[]) => Pattern<Any>) | undefined;
/** Installs the sequence builder for several arguments (structure.ts). */
export function setArgSequence(builder: (items: readonly unknown[]) => Pattern<Any>): void {
  sequenceOfArgs = builder;
}

/** Plain value of an argument when it needs no join, else undefined with `needs` set. */
function plainArg(a: unknown): { plain: true; value: unknown } | { plain: false; pat: Pattern<Any> } {
  if (a instanceof Pattern) return a._pure ? { plain: true, value: a._pure.value } : { plain: false, pat: a };
  if (typeof a === "string" || Array.isArray(a)) {
    const p = reify(a);
    return p._pure ? { plain: true, value: p._pure.value } : { plain: false, pat: p };
  }
  return { plain: true, value: a };
}

/**
 * Applies `impl(...args, pat)`, joining patterned arguments. `args` must have
 * one entry per kind.
 */
export function applyPatterned(
  impl: (...a: Any[]) => Pattern<Any>,
  kinds: readonly ArgKind[],
  args: readonly unknown[],
  pat: Pattern<Any>,
  join: JoinKind = "inner",
): Pattern<Any> {
  const values: unknown[] = new Array(kinds.length);
  let patterned: number[] | undefined;
  const pats: Pattern<Any>[] = [];
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] === "raw") {
      values[i] = args[i];
      continue;
    }
    const got = plainArg(args[i]);
    if (got.plain) values[i] = got.value;
    else {
      (patterned ??= []).push(i);
      pats.push(got.pat);
    }
  }
  if (!patterned) return impl(...values, pat);
  const idx = patterned;
  let tuples: Pattern<unknown[]> = pats[0]!.fmap((v) => [v]);
  for (let k = 1; k < pats.length; k++) tuples = tuples.appLeft(pats[k]!, (xs: unknown[], y) => xs.concat([y]));
  const make = (vs: unknown[]) => {
    const all = values.slice();
    for (let k = 0; k < idx.length; k++) all[idx[k]!] = vs[k];
    return impl(...all, pat);
  };
  if (join === "outer") return tuples.outerBind(make);
  if (join === "squeeze") return tuples.squeezeBind(make);
  return tuples.innerBind(make);
}

/** Options of {@link register}. */
export interface RegisterOptions {
  /** Kinds of the arguments before the pattern; default one "p". */
  args?: readonly ArgKind[];
  /** How patterned arguments are flattened; default "inner". */
  join?: JoinKind;
  /** Do not add a method (top-level only). */
  noMethod?: boolean;
  /** Keep the plain argument list as is, even for one-argument operators. */
  noArgSequence?: boolean;
  /** How many arguments a method call needs at least (the rest are optional); default all. */
  minArgs?: number;
}

/** A top-level operator: direct with all arguments and the pattern, curried without the pattern. */
export type Operator = ((...args: Any[]) => Any) & { opName: string };

/**
 * Registers `impl(arg1, …, pat)` under one or more names, as a method of
 * every pattern and as the returned top-level function.
 */
export function register(
  names: string | readonly string[],
  impl: (...a: Any[]) => Pattern<Any>,
  options: RegisterOptions = {},
): Operator {
  const kinds = options.args ?? (["p"] as const);
  const join = options.join ?? "inner";
  const list = typeof names === "string" ? [names] : names;
  const arity = kinds.length;
  const seqArgs = arity === 1 && kinds[0] === "p" && !options.noArgSequence;

  const method = function (this: Pattern<Any>, ...args: unknown[]): Pattern<Any> {
    if (seqArgs && args.length > 1) {
      if (!sequenceOfArgs) throw new Error("no sequence builder installed");
      args = [sequenceOfArgs(args)];
    }
    if (args.length < (options.minArgs ?? arity)) {
      throw new TypeError(`.${list[0]}() expects ${arity} argument${arity === 1 ? "" : "s"}, got ${args.length}`);
    }
    return applyPatterned(impl, kinds, args, this, join);
  };

  const top = function (...args: unknown[]): Any {
    if (args.length === arity + 1) return method.apply(reify(args[arity] as Any), args.slice(0, arity));
    if (args.length === arity) return (pat: unknown) => method.apply(reify(pat as Any), args);
    if (arity === 0 && args.length === 0) return (pat: unknown) => method.call(reify(pat as Any));
    throw new TypeError(
      `${list[0]}() takes ${arity} argument${arity === 1 ? "" : "s"} and then optionally a pattern, got ${args.length}`,
    );
  } as Operator;
  top.opName = list[0]!;

  for (const name of list) {
    if (!options.noMethod) (Pattern.prototype as Any)[name] = method;
    OPERATORS.set(name, { args: kinds, aliasOf: name === list[0] ? undefined : list[0], params: paramNames(impl, arity) });
    TOP_BY_NAME.set(name, top);
  }
  return top;
}

/** Adds a plain method (no patterning, no top-level) to every pattern. */
export function addMethod(name: string, f: (this: Pattern<Any>, ...args: Any[]) => Any): void {
  (Pattern.prototype as Any)[name] = f;
}
