import { describe, expect, test } from "vitest";
import { blockAt, evalRange, lineAt, selectionRange, wholeBuffer } from "../../web/editor/eval-range.ts";

const buffer = ["setcps(0.5)", "", "$: s(\"bd sd\")", "  .fast(2)", "   ", "bass: note(\"c2\")", ""].join("\n");
const at = (needle: string) => buffer.indexOf(needle);

describe("blockAt", () => {
  test("the lines between blank lines around the cursor", () => {
    const r = blockAt(buffer, at(".fast") + 2);
    expect(r.text).toBe('$: s("bd sd")\n  .fast(2)');
    expect(buffer.slice(r.from, r.to)).toBe(r.text);
    expect(r.from).toBe(at("$:"));
  });
  test("a whitespace-only line separates blocks", () => {
    expect(blockAt(buffer, at("bass")).text).toBe('bass: note("c2")');
  });
  test("on a blank line: the block above; at the top: the block below", () => {
    expect(blockAt(buffer, at("   ") + 1).text).toBe('$: s("bd sd")\n  .fast(2)');
    expect(blockAt(buffer, buffer.length).text).toBe('bass: note("c2")');
    expect(blockAt("\n\nx()\n", 0).text).toBe("x()");
  });
  test("an empty or blank buffer gives an empty range at the cursor", () => {
    expect(blockAt("", 0)).toEqual({ text: "", from: 0, to: 0 });
    expect(blockAt("  \n \n", 3)).toEqual({ text: "", from: 3, to: 3 });
  });
  test("the cursor at the very end of a block's last line", () => {
    expect(blockAt(buffer, at("c2\")") + 4).text).toBe('bass: note("c2")');
  });
  test("CRLF line endings: the \\r stays out of the text", () => {
    const crlf = "a()\r\nb()\r\n\r\nc()";
    expect(blockAt(crlf, 1).text).toBe("a()\r\nb()");
    expect(lineAt(crlf, 1).text).toBe("a()");
  });
  test("out-of-range cursors are clamped", () => {
    expect(blockAt(buffer, -5).text).toBe("setcps(0.5)");
    expect(blockAt(buffer, 1e9).text).toBe('bass: note("c2")');
  });
});

describe("lineAt, wholeBuffer, selectionRange", () => {
  test("the line holding the cursor", () => {
    const r = lineAt(buffer, at(".fast"));
    expect(r.text).toBe("  .fast(2)");
    expect(buffer.slice(r.from, r.to)).toBe(r.text);
    expect(lineAt("only", 2)).toEqual({ text: "only", from: 0, to: 4 });
  });
  test("whole buffer", () => {
    expect(wholeBuffer(buffer)).toEqual({ text: buffer, from: 0, to: buffer.length });
  });
  test("a selection in either direction; empty is undefined", () => {
    expect(selectionRange(buffer, 5, 2)).toEqual({ text: buffer.slice(2, 5), from: 2, to: 5 });
    expect(selectionRange(buffer, 3, 3)).toBeUndefined();
  });
  test("evalRange dispatches on the kind", () => {
    const c = at(".fast");
    expect(evalRange("line", buffer, c)).toEqual(lineAt(buffer, c));
    expect(evalRange("block", buffer, c)).toEqual(blockAt(buffer, c));
    expect(evalRange("all", buffer, c)).toEqual(wholeBuffer(buffer));
  });
});
