// Documentation that runs: every name of the language has a doc comment with
// an example; every example evaluates to a pattern whose first 4 cycles can
// be queried (and are snapshotted); REFERENCE.md and reference.json are up
// to date with the source.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as P from "../../server/pattern/index.ts";
import { library } from "../../server/pattern/library.ts";
import { REFERENCE_JSON, REFERENCE_MD } from "../../server/pattern/docs/build.ts";
import { documentedNames, extractDocs, renderJson, renderMarkdown } from "../../server/pattern/docs/extract.ts";
import { METHODS, TOP_LEVEL } from "./surface-names.ts";

const entries = extractDocs();
const documented = documentedNames(entries);
const scope: Record<string, unknown> = { ...library };
const names = Object.keys(scope).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));

/** Double-quoted strings are mini-notation in a program (the evaluator's transpiler does this). */
const PLAIN_STRING_CALLEES = /^(noteToMidi|toMidi|isNoteName)\(/;

export function asProgram(example: string): string {
  if (PLAIN_STRING_CALLEES.test(example)) return example;
  return example.replace(/"((?:[^"\\\n]|\\.)*)"/g, (_m, body: string) => `mini("${body}")`);
}

function run(example: string): unknown {
  return new Function(...names, `return (${asProgram(example)}\n);`)(...names.map((k) => scope[k]));
}

function show(pat: P.Pattern): string[] {
  return pat
    .queryArc(0, 4)
    .slice(0, 48)
    .map((h) => h.show());
}

describe("documentation", () => {
  it("covers every top-level name, method, operator and control", () => {
    const wanted = new Set([...TOP_LEVEL, ...METHODS, ...P.OPERATORS.keys()]);
    for (const spec of P.CONTROLS) for (const n of spec.names) wanted.add(n);
    const missing = [...wanted].filter((n) => !documented.has(n));
    expect(missing).toEqual([]);
  });

  it("every entry has a description and an example", () => {
    for (const e of entries) {
      expect(e.doc.length, e.name).toBeGreaterThan(10);
      expect(e.examples.length, e.name).toBeGreaterThan(0);
    }
  });

  it("REFERENCE.md and reference.json are up to date (run bun server/pattern/docs/build.ts)", () => {
    expect(readFileSync(REFERENCE_MD, "utf8")).toBe(renderMarkdown(entries));
    expect(readFileSync(REFERENCE_JSON, "utf8")).toBe(renderJson(entries));
  });
});

describe("every @example runs", () => {
  const cases = entries.flatMap((e) => e.examples.map((ex, i) => [`${e.name} #${i + 1}: ${ex.split("\n")[0]}`, ex] as const));
  it.each(cases)("%s", (_label, example) => {
    let result = run(example);
    if (typeof result === "function") result = (result as (p: unknown) => unknown)(P.mini("a b"));
    if (result instanceof P.Pattern) {
      expect(show(result)).toMatchSnapshot();
    } else {
      // queryArc/queryOnsets examples return haps; note helpers return numbers.
      expect(Array.isArray(result) || typeof result === "number").toBe(true);
      expect(result).toMatchSnapshot();
    }
  });
});
