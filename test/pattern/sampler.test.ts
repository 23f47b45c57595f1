import { describe, expect, it } from "vitest";
import { type Pattern, rev, s } from "../../server/pattern/index.ts";

const vals = (p: Pattern) =>
  p
    .queryArc(0, 1)
    .sort((x, y) => x.part.begin.compare(y.part.begin) || String(x.value.pan).localeCompare(String(y.value.pan)))
    .map((h) => h.value);

describe("sample slicing", () => {
  it("chop and striate set begin and end", () => {
    expect(vals(s("x").chop(2))).toEqual([
      { s: "x", begin: 0, end: 0.5 },
      { s: "x", begin: 0.5, end: 1 },
    ]);
    expect(vals(s("x").striate(2)).map((v) => v.begin)).toEqual([0, 0.5]);
  });
  it("slice and splice take slices by index; splice fits the speed", () => {
    expect(vals(s("x").slice(4, "3"))).toEqual([{ s: "x", begin: 0.75, end: 1, _slices: 4 }]);
    expect(vals(s("x").splice(4, "3 1"))[0]).toEqual({ s: "x", begin: 0.75, end: 1, _slices: 4, speed: 0.5, unit: "c" });
  });
  it("loopAt slows and sets speed in cycles", () => {
    expect(s("x").loopAt(2).queryArc(0, 2)[0]!.value).toEqual({ s: "x", speed: 0.25, unit: "c" });
  });
  it("jux pans the original left and the transformed right", () => {
    expect(vals(s("x").jux(rev)).map((v) => v.pan)).toEqual([0, 1]);
    expect(vals(s("x").juxBy(0.5, rev)).map((v) => v.pan)).toEqual([0.25, 0.75]);
  });
});
