import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import reference from "../../server/pattern/docs/reference.json";
import { controlNames } from "../../web/build.ts";
import { LIVE_HELPERS, parseParams, patternDts, type ReferenceEntry } from "../../web/editor/dts.ts";

const ref = reference as ReferenceEntry[];
const controls = controlNames();
const dts = patternDts(ref, controls);
const root = join(import.meta.dirname, "..", "..");

describe("pattern .d.ts", () => {
  test("declares every documented name and alias, as a function, a method or a value, with its doc", () => {
    for (const e of ref) {
      for (const name of [e.name, ...e.aliases]) {
        if (e.kinds.includes("value")) expect(dts, name).toContain(`declare const ${name}: Pattern;`);
        if (e.kinds.includes("function")) expect(dts, name).toMatch(new RegExp(`declare function ${name.replace(/\$/g, "\\$")}\\b`));
        if (e.kinds.includes("method")) expect(dts, name).toMatch(new RegExp(`\\n  ${name.replace(/\$/g, "\\$")}(<T = any>)?\\(`));
      }
      const firstLine = e.doc.split("\n")[0]!.replace(/\{@link\s+([^}\s]+)\s*\}/g, "`$1`");
      expect(dts).toContain(firstLine.replaceAll("*/", "*\\/"));
    }
  });
  test("the live helpers match the evaluator's", () => {
    const src = readFileSync(join(root, "server/live/program.ts"), "utf8");
    const block = /const helpers = \{([\s\S]*?)\n  \};/.exec(src)?.[1] ?? "";
    const names = [...block.matchAll(/^\s*(\w+):/gm)].map((m) => m[1]);
    expect(names.sort()).toEqual(LIVE_HELPERS.map((h) => h.name).sort());
  });
  test("compiles under strict TypeScript, and typical programs type-check against it", () => {
    const dir = mkdtempSync(join(tmpdir(), "ostinato-dts-"));
    writeFileSync(join(dir, "patterns.d.ts"), dts);
    writeFileSync(
      join(dir, "use.ts"),
      [
        'const a: Pattern = s("bd*2 [~ bd] sd").bank("tr909").lpf(800);',
        'const b: Pattern = "0 2 4".add("<0 3>").scale("C:minor");',
        'const c: Pattern = stack(s("bd*2"), note("c3 e3")).every(4, fast(2));',
        "const d: Pattern = n(\"0 2\").off(1/8, add(n(12)));",
        'const e: number = midiToFreq(noteToMidi("a4"));',
        "const f: Pattern = sine.range(300, 2000).segment(8);",
        "setcps(0.5); hush();",
        "// a control called with a value is a pattern; an operator without its pattern is a transformation",
        'const g: Pattern = s("sine").gain(0.5); const h: Pattern = lpf(800);',
        "// @ts-expect-error: fast(2) is a transformation, not a pattern",
        "const i: Pattern = fast(2);",
        "// @ts-expect-error: not a pattern function",
        "notAFunction(1);",
      ].join("\n"),
    );
    const tsc = join(root, "node_modules", ".bin", "tsc");
    const r = spawnSync(tsc, ["--noEmit", "--strict", "--target", "es2022", "--lib", "es2022", "patterns.d.ts", "use.ts"], { cwd: dir, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
  test("controls are known by every alias, from the library", () => {
    for (const name of ["s", "sound", "n", "note", "gain", "pan", "lpf", "cutoff"]) expect(controls.has(name), name).toBe(true);
    expect(controls.has("fast")).toBe(false);
    expect(dts).toMatch(/declare function s\(arg1: Patternable\): Pattern;/);
    expect(dts).toMatch(/declare function fast\(factor: Patternable\): Transform;/);
  });
  test("signatures: typed, untyped, defaults, rest, and cut-short ones", () => {
    expect(parseParams("(n: Patternable, f)")).toEqual([
      { name: "n", type: "Patternable", rest: false, optional: false },
      { name: "f", type: "Transform", rest: false, optional: false },
    ]);
    expect(parseParams("(source: string, options: MiniOptions = {})")[1]).toEqual({ name: "options", type: "MiniOptions", rest: false, optional: true });
    expect(parseParams("(...pairs: readonly (readonly [T, number])")).toEqual([{ name: "pairs", type: "any[]", rest: true, optional: false }]);
    expect(parseParams("(x: Weird<Thing>)")[0]!.type).toBe("any");
    expect(parseParams("")).toEqual([]);
  });
});
