import { describe, expect, test } from "vitest";
import { transpile } from "../../server/live/transpile.ts";
import { ProgramError } from "../../server/live/errors.ts";

describe("transpile", () => {
  test("double-quoted and backtick strings become located mini-notation", () => {
    const src = `s("bd sd").fast(\`<1 2>\`)`;
    const { code } = transpile(src);
    expect(code).toBe(`return s(__mini("bd sd", 3)).fast(__mini(\`<1 2>\`, 17))`);
    // the offsets point at the first character inside the quotes
    expect(src.slice(3, 8)).toBe("bd sd");
    expect(src.slice(17, 22)).toBe("<1 2>");
  });

  test("single quotes, property keys, templates with expressions and plain-string helpers stay strings", () => {
    const src = [
      `samples("github:tidalcycles/dirt-samples", { bd: "bd/kick.wav" })`,
      `console.log("hello")`,
      `const o = { "key": 1 }`,
      `const t = \`a \${1}\``,
      `s('bd sd')`,
    ].join("\n");
    const { code } = transpile(src);
    expect(code).not.toContain("__mini");
  });

  test("a pattern inside a plain-string helper's call is still located", () => {
    const { code } = transpile(`console.log(s("bd"))`);
    expect(code).toContain(`s(__mini("bd", 15))`);
  });

  test("strings in contexts that cannot be patterns stay strings; variables are located", () => {
    const src = [`throw new Error("boom")`, `if (x === "bd" || "a" + y) {}`, `switch (v) { case "sd": break }`, `const drums = "bd sd"`].join("\n");
    const { code } = transpile(src);
    const lines = code.split("\n");
    expect(lines.slice(0, 3).join("\n")).not.toContain("__mini");
    expect(lines[3]).toBe(`const drums = __mini("bd sd", ${src.indexOf("bd sd")})`);
  });

  test("labels become slots, underscore-prefixed ones included", () => {
    const src = `$: s("bd")\nbass: note("c2")\n_hats: s("hh*8")`;
    const { code, labels } = transpile(src);
    expect(labels).toEqual(["$", "bass", "_hats"]);
    expect(code.split("\n")[0]).toBe(`__play("$", s(__mini("bd", 6)))`);
    expect(code.split("\n")[1]).toMatch(/^__play\("bass", note\(__mini\("c2", \d+\)\)\)$/);
    expect(code.split("\n")).toHaveLength(3);
  });

  test("the last expression statement is returned; a declaration is not", () => {
    expect(transpile(`const a = 1\na + 1`).code).toBe(`const a = 1\nreturn a + 1`);
    expect(transpile(`const a = 1`).code).toBe(`const a = 1`);
  });

  test("TypeScript types are blanked without moving anything", () => {
    const src = `const f = (x: number): number => x * 2\nnote(f(3) as number)`;
    const { code } = transpile(src);
    expect(code.split("\n")[1]).toBe(`return note(f(3)          )`);
  });

  test("generated positions map back to the user's columns", () => {
    const src = `s("bd sd").oops()`;
    const t = transpile(src);
    const genCol = t.code.indexOf(".oops") + 1; // 1-based
    expect(t.map.toSourceLineColumn({ line: 1, column: genCol })).toEqual({ line: 1, column: src.indexOf(".oops") + 1 });
  });

  test("a JavaScript syntax error carries the user's line and column", () => {
    const err = catchError(() => transpile(`s("bd")\nconst x = ;\n`));
    expect(err).toBeInstanceOf(ProgramError);
    expect(err.phase).toBe("syntax");
    expect([err.line, err.column]).toEqual([2, 11]);
  });

  test("a TypeScript-only construct the stripper refuses is reported at its place", () => {
    const err = catchError(() => transpile(`s("bd")\nenum E { A }`));
    expect(err.phase).toBe("syntax");
    expect(err.message).toMatch(/enum/);
    expect(err.line).toBe(2);
  });
});

function catchError(fn: () => unknown): ProgramError {
  try {
    fn();
  } catch (e) {
    return e as ProgramError;
  }
  throw new Error("expected an error");
}

describe("the transpiler cannot be poisoned", () => {
  const nest = (open: string, close: string, n: number) => `note(${open.repeat(n)}1${close.repeat(n)})`;

  test("brackets nested past the limit get a clear error at the bracket that goes too deep; the next program transpiles", () => {
    for (const [open, close] of [["(", ")"], ["[", "]"], ["{a:", "}"]] as const) {
      const source = `// deep\n${nest(open, close, 180)}`;
      let error: ProgramError | undefined;
      try {
        transpile(source);
      } catch (err) {
        error = err as ProgramError;
      }
      expect(error, open).toBeInstanceOf(ProgramError);
      expect(error!.message).toMatch(/brackets nest 101 deep here; the limit is 100/);
      expect(error!.line).toBe(2);
      expect(error!.column).toBe(5 + 99 * open.length + 1); // note( is the first level
      expect(transpile(`let x: number = 1\nx`).code).toContain("let x");
    }
  });

  test("nesting up to the limit, with strings, comments and templates around it, still transpiles", () => {
    const source = `const s = "(((" + '[[[' + \`\${"{"}\` // ((((\n/* [[[[ */ x = ${"(".repeat(98)}1${")".repeat(98)}`;
    expect(() => transpile(source)).not.toThrow();
  });

  test("a stripper trap on a construct the depth guard does not count fails that program alone", () => {
    const chain = `x = ${"a?b:".repeat(2000)}1`;
    expect(() => transpile(chain)).toThrow(ProgramError);
    expect(transpile(`let y: string = "a"\ny`).code).toContain("let y");
  });
});

describe("Strudel's REPL forms", () => {
  test("a last expression that starts with a string is returned, the string a pattern", () => {
    expect(transpile(`"c3 e3".note()`).code).toBe(`return __mini("c3 e3", 1).note()`);
    expect(transpile("`<c e>`.note()").code).toBe("return __mini(`<c e>`, 1).note()");
  });

  test("a program that is only a string is a pattern, not a directive", () => {
    expect(transpile(`"bd sd"`).code).toBe(`return __mini("bd sd", 1)`);
    expect(transpile(`$: "bd sd"`).code).toBe(`__play("$", __mini("bd sd", 4))`);
  });

  test("a directive inside a function stays a directive", () => {
    expect(transpile(`function f() { "use strict"; return 1 }`).code).toBe(`function f() { "use strict"; return 1 }`);
  });
});
