/**
 * Runs a transpiled program and collects what it plays. The program sees the
 * whole pattern library and the live helpers as plain names; its own
 * declarations live in an inner scope, so `const n = 4` shadows the library's
 * `n` instead of failing. Errors come back as {@link ProgramError}s placed in
 * the user's code.
 * @module
 */
import { ProgramError, PROGRAM_URL, programUrl } from "./errors.ts";
import { transpile, type Transpiled } from "./transpile.ts";
import type { PositionMap } from "./position-map.ts";

/** What the evaluator needs from the pattern library. */
export type PatternHooks<P> = {
  /** Parses a mini-notation string found at `offset` in the program. */
  mini(source: string, offset: number): P;
  isPattern(x: unknown): x is P;
  /** Turns a plain value (number, string, array) into a pattern; throws for what cannot be one. */
  reify(x: unknown): P;
  /**
   * Switches the library to REPL strings (plain values) while the program
   * runs; returns the previous setting. Optional: a library without the
   * distinction leaves it out.
   */
  plainStrings?(on: boolean): boolean;
  /** Method names of patterns, for "did you mean" in error messages. */
  methodNames?(): Iterable<string>;
};

/** One pattern the program asked to play. */
export type PlayedPattern<P> = {
  /** `$` for anonymous labels, `name` for named ones, undefined for the last expression. */
  label?: string;
  pattern: P;
  /** Labelled with a leading underscore (`_$:`, `_bass:`): kept but silent. */
  muted: boolean;
};

export type ProgramOutput<P> = {
  played: PlayedPattern<P>[];
  transpiled: Transpiled;
};

/** Live helpers a program may call (setcps, hush ...), bound per evaluation. */
export type ProgramHelpers = Record<string, unknown>;

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

/** Lines the engine's function wrapper puts before the body, plus our inner wrapper's one. */
const LINE_OFFSET = measureLineOffset() + 1;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Evaluates a program. `library` is every top-level name of the pattern
 * library; `helpers` are the live helpers, which win over library names.
 */
export async function evaluateProgram<P>(
  source: string,
  library: Record<string, unknown>,
  helpers: ProgramHelpers,
  hooks: PatternHooks<P>,
  /** Names this evaluation's code in stack traces (see programUrl), so errors caught later find their program. */
  id?: number,
): Promise<ProgramOutput<P>> {
  const transpiled = transpile(source);
  const played: PlayedPattern<P>[] = [];
  const scope: Record<string, unknown> = { ...library, ...helpers };
  scope.__mini = (str: string, offset: number) => {
    try {
      return hooks.mini(str, offset);
    } catch (err) {
      // A syntax error inside the string: place it at the user's character, with the parser's words only.
      const pos = (err as { position?: unknown }).position;
      if (typeof pos !== "number") throw err;
      const reason = (err as Error).message.split("\n")[0]!.replace(/ at position \d+/, "").replace(/ \(?at position \d+\)?/g, "");
      throw ProgramError.at(reason, source, offset + pos);
    }
  };
  scope.__play = (label: string, value: unknown) => {
    const muted = label.startsWith("_");
    played.push({ label: muted ? label.slice(1) : label, pattern: asPattern(value, hooks, label), muted });
  };
  const names = Object.keys(scope).filter((n) => IDENTIFIER.test(n));
  const body = `return (async () => {\n${transpiled.code}\n})()\n//# sourceURL=${programUrl(id)}`;
  let fn: (...a: unknown[]) => Promise<unknown>;
  try {
    fn = new AsyncFunction(...names, body);
  } catch (err) {
    // The transpiler parsed it, so this is rare (e.g. a duplicate declaration the parser allows).
    throw new ProgramError(`syntax error: ${(err as Error).message}`, "syntax");
  }
  let last: unknown;
  const was = hooks.plainStrings?.(true);
  try {
    last = await fn(...names.map((n) => scope[n]));
  } catch (err) {
    const known = () => [...names, ...(hooks.methodNames?.() ?? [])];
    throw ProgramError.fromRuntime(err, "evaluate", transpiled.map, LINE_OFFSET, undefined, known);
  } finally {
    if (was !== undefined) hooks.plainStrings!(was);
  }
  if (last !== undefined) played.push({ pattern: asPattern(last, hooks), muted: false });
  return { played, transpiled };
}

/** Places an exception the worker caught outside an evaluation (a timer, a rejection) in the user's code. */
export function runtimeError(err: unknown, phase: "evaluate" | "query", map: PositionMap | undefined): ProgramError {
  return ProgramError.fromRuntime(err, phase, map, LINE_OFFSET);
}

/** Places a query-time exception of one slot in the user's code. */
export function queryError(err: unknown, map: PositionMap | undefined, slot: string): ProgramError {
  const e = ProgramError.fromRuntime(err, "query", map, LINE_OFFSET, slot);
  return e.slot === slot ? e : new ProgramError(e.reason, "query", e.line, e.column, slot);
}

function asPattern<P>(value: unknown, hooks: PatternHooks<P>, label?: string): P {
  if (hooks.isPattern(value)) return value;
  const what = label === undefined ? "the last expression" : `"${label}:"`;
  if (typeof value === "function") {
    throw new ProgramError(`${what} is a function, not a pattern: did you forget to call it?`, "evaluate");
  }
  try {
    return hooks.reify(value);
  } catch {
    const shown = value === null ? "null" : typeof value === "object" ? "an object" : `${typeof value} ${String(value).slice(0, 40)}`;
    throw new ProgramError(`${what} is ${shown}, not a pattern`, "evaluate");
  }
}

/** How many lines the engine puts before a function body (2 in JavaScriptCore), measured once. */
function measureLineOffset(): number {
  let probe: Error | undefined;
  void new AsyncFunction("__probe", `__probe(new Error("probe"))\n//# sourceURL=${PROGRAM_URL}`)((e: Error) => (probe = e));
  const m = new RegExp(`${PROGRAM_URL.replace(/\./g, "\\.")}:(\\d+):`).exec(probe?.stack ?? "");
  return m ? Number(m[1]) - 1 : 2;
}
