// Errors in the user's words: the evaluator's messages never show the
// rewritten code (__mini(...)) nor repeat the program, name the unknown
// function with a suggestion, and point at the user's own line and column,
// for syntax errors inside mini-notation too.
import { describe, expect, test } from "vitest";
import { evaluate } from "../../server/live/program.ts";
import { ProgramError } from "../../server/live/errors.ts";
import { editDistance, suggest } from "../../server/live/messages.ts";

async function failure(src: string): Promise<ProgramError> {
  try {
    await evaluate(src);
  } catch (err) {
    expect(err).toBeInstanceOf(ProgramError);
    return err as ProgramError;
  }
  throw new Error(`expected ${JSON.stringify(src)} to fail`);
}

describe("error messages in the user's words", () => {
  test("an unknown method: its name, a suggestion, the column of the name on its own line", async () => {
    const e = await failure(`s("bd sd")\n  .room(0.5)\n  .lpx(3)`);
    expect(e.reason).toBe("unknown function .lpx; did you mean lp?");
    expect([e.line, e.column]).toEqual([3, 4]);
    expect(e.message).not.toContain("__mini");
    expect(e.message).not.toContain("room(0.5)");
  });

  test("a misspelt method and a misspelt function", async () => {
    const m = await failure(`n("0 2").scael("C:minor")`);
    expect(m.reason).toBe("unknown function .scael; did you mean scale?");
    expect([m.line, m.column]).toEqual([1, 10]);
    const f = await failure(`\n$: stak(s("bd"), s("hh"))`);
    expect(f.reason).toBe("unknown name stak; did you mean stack?");
    expect([f.line, f.column]).toEqual([2, 4]);
  });

  test("no suggestion when nothing is close", async () => {
    const e = await failure(`s("bd").zzqqxx()`);
    expect(e.reason).toBe("unknown function .zzqqxx");
  });

  test("a mini-notation syntax error is placed in the program, in the parser's words", async () => {
    const e = await failure(`$: s("bd sd")\n$: note("c [e g")`);
    expect(e.reason).toBe(`mini-notation: unexpected end of input; expected "]" to close the "["`);
    // the end of the string, where the "]" is missing
    expect([e.line, e.column]).toEqual([2, 16]);
    const bad = await failure(`s("bd sd]")`);
    expect(bad.line).toBe(1);
    expect(bad.column).toBeGreaterThan(3);
    expect(bad.message).not.toMatch(/\n/);
  });

  test("an undefined property names it, not the code around it", async () => {
    const e = await failure(`note("c e").foo.bar`);
    expect(e.reason).toBe("unknown property .foo (it is undefined)");
    expect(e.message).not.toContain("__mini");
  });

  test("edit distance and suggestions", () => {
    expect(editDistance("fsat", "fast")).toBe(1);
    expect(editDistance("lpf", "lpf")).toBe(0);
    expect(suggest("sond", ["sound", "stack", "s"])).toBe("sound");
    expect(suggest("x", ["n", "s"])).toBeUndefined();
  });
});
