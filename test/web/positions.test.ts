import { describe, expect, test } from "vitest";
import { lineColumnAt, offsetAt, toBufferPosition } from "../../web/editor/positions.ts";
import { blockAt } from "../../web/editor/eval-range.ts";

describe("positions", () => {
  test("offsetAt and lineColumnAt are inverse", () => {
    const text = "ab\ncde\n\nf";
    for (let o = 0; o <= text.length; o++) expect(offsetAt(text, lineColumnAt(text, o))).toBe(o);
    expect(lineColumnAt(text, 4)).toEqual({ line: 2, column: 2 });
  });
  test("clamped to the line and to the text", () => {
    expect(offsetAt("ab\ncd", { line: 1, column: 99 })).toBe(2);
    expect(offsetAt("ab\ncd", { line: 9, column: 1 })).toBe(5);
  });
  test("an error in a sent block lands on the buffer's line", () => {
    const buffer = 'setcps(1)\n\ns("bd")\nnote("c3" +)\n';
    const block = blockAt(buffer, buffer.indexOf("note"));
    // the server says: line 2, column 11 of the code it got
    expect(toBufferPosition(buffer, block.from, block.text, { line: 2, column: 11 })).toEqual({ line: 4, column: 11 });
  });
  test("a block that starts mid-line (a selection) shifts the first line's column only", () => {
    const buffer = "xx s(1)\ny";
    expect(toBufferPosition(buffer, 3, "s(1)\ny", { line: 1, column: 3 })).toEqual({ line: 1, column: 6 });
    expect(toBufferPosition(buffer, 3, "s(1)\ny", { line: 2, column: 1 })).toEqual({ line: 2, column: 1 });
  });
});
