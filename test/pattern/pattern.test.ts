import { describe, expect, it } from "vitest";
import { Pattern, fastcat, mini, pure, s, sine, silence, stack } from "../../server/pattern/index.ts";

const show = (p: Pattern, b = 0, e = 1) => p.queryArc(b, e).map((h) => h.show());

describe("Pattern queries", () => {
  it("queryArc returns wholes and parts with exact times", () => {
    expect(show(mini("a b c"), 0, 0.5)).toEqual(["[ 0 → 1/3 | a ]", "[ (1/3 → 1/2) ⇝ 2/3 | b ]"]);
  });
  it("queryOnsets keeps only events starting in the span", () => {
    const pat = s("bd sd hh");
    expect(pat.queryOnsets(0.25, 1).map((h) => h.value.s)).toEqual(["sd", "hh"]);
    expect(pat.queryOnsets(0, 0.3).map((h) => h.value.s)).toEqual(["bd"]);
    // consecutive slices give every onset exactly once
    let count = 0;
    for (let i = 0; i < 40; i++) count += pat.queryOnsets(i / 20, (i + 1) / 20).length;
    expect(count).toBe(6);
    expect(sine.queryOnsets(0, 1)).toEqual([]);
  });
  it("pure has one event per cycle, silence none", () => {
    expect(show(pure(1), 0.5, 2)).toEqual(["[ 0 ⇜ (1/2 → 1) | 1 ]", "[ 1 → 2 | 1 ]"]);
    expect(silence.queryArc(0, 10)).toEqual([]);
  });
  it("a query's cost scales with what it returns, not with the pattern's history", () => {
    const pat = stack(...Array.from({ length: 8 }, () => fastcat("a", "b", "c")));
    expect(pat.queryArc(1000000, 1000000 + 1 / 3).length).toBe(8);
  });
});
