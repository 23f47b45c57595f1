import { describe, expect, it } from "vitest";
import { drawLine, morph, mini, parray, s, seqPLoop, zip } from "../../server/pattern/index.ts";

const onsets = (p: any, e = 1) => p.queryArc(0, e).filter((h: any) => h.hasOnset()).map((h: any) => h.whole.begin.toString());
const values = (p: any, e = 1) => p.queryArc(0, e).map((h: any) => h.value);

describe("rhythms between rhythms", () => {
  it("morph moves each onset of the first rhythm towards the second's by the fraction", () => {
    expect(onsets(morph([1, 0, 1, 0], [1, 1, 0], 0))).toEqual(["0", "1/2"]);
    expect(onsets(morph([1, 0, 1, 0], [1, 1, 0], 1))).toEqual(["0", "1/3"]);
    expect(onsets(morph([1, 0, 1, 0], [1, 1, 0], 0.5))).toEqual(["0", "5/12"]);
    // The events keep the first rhythm's step.
    expect(morph([1, 0, 1, 0], [1, 1, 0], 0.5).queryArc(0, 1).map((h: any) => h.whole.end.toString())).toEqual(["1/4", "2/3"]);
  });
  it("euclidish goes from euclid to evenly spaced", () => {
    expect(onsets(s("hh").euclidish(3, 8, 0))).toEqual(onsets(s("hh").euclid(3, 8)));
    expect(onsets(s("hh").euclidish(3, 8, 1))).toEqual(["0", "1/3", "2/3"]);
  });
});

describe("arranging", () => {
  it("zip takes a step of each pattern in turn", () => {
    expect(values(zip("a b", "c d e"), 2)).toEqual(["a", "c", "b", "d", "a", "e", "b", "c", "a", "d", "b", "e"]);
  });
  it("seqPLoop plays each pattern from its start to its stop cycle, looped, at its own time", () => {
    const p = seqPLoop([0, 2, "<a b c>"], [1, 3, "<x y z w>"]);
    expect(values(p, 7)).toEqual(["a", "b", "y", "z", "a", "b", "x", "y", "a"]);
  });
  it("parray makes one pattern of lists", () => {
    expect(values(parray(["a b", "c"]))).toEqual([["a", "c"], ["b", "c"]]);
  });
  it("timeline starts a pattern from its own cycle 0 where the timeline is first heard, again when negated", () => {
    const p = mini("<0 1 2 3>").timeline(mini("<7 -7>").slow(2));
    expect(values(p, 4)).toEqual([0, 1, 0, 1]);
  });
  it("drawLine shows a pattern as text", () => {
    expect(drawLine("0 [1 2 3]", 10)).toBe("|0--123|0--123");
    expect(drawLine("a ~ b@2", 4)).toBe("|a.b-");
  });
});
