import { describe, expect, test } from "vitest";
import { isAtomLocation, literalHolding, stringLiterals } from "../../web/editor/literals.ts";

describe("stringLiterals", () => {
  test("the three quote kinds, escapes, and no strings in comments", () => {
    const code = `s("bd \\" sd") // "not"\n/* 'no' */ n('0 1').x(\`<a b>\`)`;
    const lits = stringLiterals(code).map((l) => code.slice(l.start, l.end));
    expect(lits).toEqual([`"bd \\" sd"`, `'0 1'`, "`<a b>`"]);
  });
  test("strings inside template expressions, in order", () => {
    const code = "`a ${f(\"x\")} b` + \"y\"";
    expect(stringLiterals(code).map((l) => code.slice(l.start, l.end))).toEqual(["`a ${f(\"x\")} b`", '"x"', '"y"']);
  });
  test("an unterminated string ends at its line", () => {
    const code = 's("bd\nn("0")';
    expect(stringLiterals(code).map((l) => code.slice(l.start, l.end))).toEqual(['"bd', '"0"']);
  });
});

describe("atom locations", () => {
  const code = 's("bd sd:3 hh*2").n("<0 12>")';
  const lits = stringLiterals(code);
  const loc = (atom: string) => [code.indexOf(atom), code.indexOf(atom) + atom.length] as const;
  test("a whole atom inside a literal is accepted", () => {
    for (const a of ["bd", "sd:3", "hh", "12"]) expect(isAtomLocation(code, lits, ...loc(a)), a).toBe(true);
  });
  test("ranges outside literals, across quotes, cutting words, or empty are refused", () => {
    expect(isAtomLocation(code, lits, 0, 1)).toBe(false); // s
    expect(isAtomLocation(code, lits, code.indexOf('"bd'), code.indexOf('"bd') + 3)).toBe(false); // the quote
    expect(isAtomLocation(code, lits, code.indexOf("bd") + 1, code.indexOf("bd") + 2)).toBe(false); // d of bd
    expect(isAtomLocation(code, lits, code.indexOf("hh"), code.indexOf("hh") + 1)).toBe(false); // h of hh
    expect(isAtomLocation(code, lits, 4, 4)).toBe(false);
    expect(isAtomLocation(code, lits, code.length - 1, code.length + 3)).toBe(false);
  });
  test("literalHolding finds the literal by binary search", () => {
    expect(literalHolding(lits, ...loc("sd:3"))).toBe(0);
    expect(literalHolding(lits, ...loc("12"))).toBe(1);
    expect(literalHolding(lits, 1, 2)).toBe(-1);
  });
});
