import { describe, expect, test } from "vitest";
import { evaluateProgram, queryError, type PatternHooks } from "../../server/live/evaluate.ts";
import { ProgramError } from "../../server/live/errors.ts";

// The evaluator is generic over the pattern type; here a minimal one that
// records where each mini-notation string was found. (The full pattern
// library is exercised through the evaluator in the live runtime's tests.)
class Pat {
  constructor(readonly src: string, readonly offset: number) {}
  fast(): Pat {
    return this;
  }
}
const hooks: PatternHooks<Pat> = {
  mini: (src, offset) => new Pat(src, offset),
  isPattern: (x): x is Pat => x instanceof Pat,
  reify: (x) => {
    if (typeof x === "number" || typeof x === "string") return new Pat(String(x), -1);
    throw new TypeError("not patternable");
  },
};
const library = { s: (p: Pat) => p, n: (p: Pat) => p };

describe("evaluateProgram", () => {
  test("labels and the last expression are played, with mini strings located", async () => {
    const src = `$: s("bd")\nbass: s("c2")\n_hats: s("hh")\ns("cp")`;
    const { played } = await evaluateProgram(src, library, {}, hooks);
    expect(played.map((p) => [p.label, p.muted, p.pattern.src, src.slice(p.pattern.offset, p.pattern.offset + p.pattern.src.length)])).toEqual([
      ["$", false, "bd", "bd"],
      ["bass", false, "c2", "c2"],
      ["hats", true, "hh", "hh"],
      [undefined, false, "cp", "cp"],
    ]);
  });

  test("the program's declarations shadow library names", async () => {
    const { played } = await evaluateProgram(`const n = 4\ns(String(n))`, library, {}, hooks);
    expect(played[0]!.pattern.src).toBe("4");
  });

  test("helpers are called with the program's arguments", async () => {
    const calls: number[] = [];
    await evaluateProgram(`setcps(0.75)`, library, { setcps: (x: number) => calls.push(x) }, hooks);
    expect(calls).toEqual([0.75]);
  });

  test("a runtime error is placed at the user's line and column", async () => {
    const err = await failure(evaluateProgram(`$: s("bd")\nconst x = 1\n  s("a b").nothere()`, library, {}, hooks));
    expect(err).toBeInstanceOf(ProgramError);
    expect(err.phase).toBe("evaluate");
    expect(err.line).toBe(3);
    // JavaScriptCore points at or just after the failing member access on that line
    expect(err.column).toBeGreaterThanOrEqual(3);
    expect(err.column).toBeLessThanOrEqual(`  s("a b").nothere()`.length + 1);
    expect(err.message).toMatch(/nothere/);
  });

  test("a function where a pattern belongs is a clear error", async () => {
    const err = await failure(evaluateProgram(`s`, library, {}, hooks));
    expect(err.message).toMatch(/function, not a pattern: did you forget to call it/);
  });

  test("a query-time error is placed in the user's function and names its slot", async () => {
    // a pattern that calls back into user code later, as .fmap(f) does at query time
    const lib = { ...library, later: (f: () => unknown) => Object.assign(new Pat("x", 0), { f }) };
    const { played, transpiled } = await evaluateProgram(`const f = () => ({}).a.b\nlater(f)`, lib, {}, hooks);
    let thrown: unknown;
    try {
      (played[0]!.pattern as Pat & { f: () => unknown }).f();
    } catch (e) {
      thrown = e;
    }
    const e = queryError(thrown, transpiled.map, "main");
    expect([e.slot, e.phase, e.line]).toEqual(["main", "query", 1]);
    expect(e.column).toBeGreaterThan(`const f = () => `.length);
  });
});

/** The error an evaluation fails with; a test fails if it succeeds. */
async function failure(evaluation: Promise<unknown>): Promise<ProgramError> {
  try {
    await evaluation;
  } catch (e) {
    return e as ProgramError;
  }
  throw new Error("expected the evaluation to fail");
}
