import { describe, expect, it } from "vitest";
import { irand, mini, rand, s as sound, timeToRand, useRNG } from "../../server/pattern/index.ts";

describe("randomness is a function of time", () => {
  it("matches Strudel's numbers", () => {
    expect(timeToRand(0.25)).toBe(0.36975969187915325);
    expect(timeToRand(0.5)).toBe(0.2604806162416935);
    // Before time 0 (rand.late(0.1) at 0) the seed keeps its sign, as in Strudel 1.2.6.
    expect(timeToRand(-0.1)).toBe(0.1525841262191534);
  });
  it("seed(n) draws as n cycles later, only inside the seeded pattern", () => {
    const at = (p: any) => p.queryArc(0, 1).map((h: any) => h.value);
    expect(at(rand.segment(4).seed(1))).toEqual([1, 1.25, 1.5, 1.75].map(timeToRand));
    const kept = (p: any) => p.queryArc(0, 4).map((h: any) => h.whole.begin.toString());
    expect(kept(mini("a*16").degrade().seed(1))).not.toEqual(kept(mini("a*16").degrade()));
    expect(kept(mini("a*16").degrade().seed(300))).toEqual(kept(mini("a*16").degrade()));
    expect(at(rand.segment(2))).toEqual([0, 0.5].map(timeToRand));
  });
  it("useRNG knows only the legacy generator, and says so", () => {
    expect(useRNG("legacy")).toBeUndefined();
    expect(() => useRNG("precise")).toThrow(/only 'legacy'/);
    expect(sound("bd").queryArc(0, 1)).toHaveLength(1);
  });
  it("is deterministic and in range", () => {
    const a = rand.segment(64).queryArc(0, 4).map((h: any) => h.value);
    const b = rand.segment(64).queryArc(0, 4).map((h: any) => h.value);
    expect(a).toEqual(b);
    expect(a.every((v: any) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(200);
    const ints = irand(4).segment(64).queryArc(0, 4).map((h: any) => h.value);
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3]));
  });
  it("degradeBy(x) and undegradeBy(1 - x) split the events between them (Strudel's undegradeBy drops about x)", () => {
    const all = mini("a*16").queryArc(0, 4).length;
    const kept = mini("a*16").degradeBy(0.3).queryArc(0, 4).length;
    const rest = mini("a*16").undegradeBy(0.7).queryArc(0, 4).length;
    expect(kept + rest).toBe(all);
    expect(kept).toBeGreaterThan(all * 0.5);
    expect(mini("a*16").undegradeBy(0.3).queryArc(0, 4).length).toBeGreaterThan(all * 0.5);
  });
});
