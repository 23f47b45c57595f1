import { describe, expect, it } from "vitest";
import { add, mini } from "../../server/pattern/index.ts";

const count = (p: any, n = 8) => p.queryArc(0, n).length;

describe("chance", () => {
  it("degradeBy keeps about 1 - amount of the events, the same ones every time", () => {
    const kept = count(mini("a*16").degradeBy(0.25));
    expect(kept).toBeGreaterThan(128 * 0.6);
    expect(kept).toBeLessThan(128 * 0.9);
    expect(mini("a*16").degradeBy(0.25).queryArc(0, 8).map((h: any) => h.show())).toEqual(
      mini("a*16").degradeBy(0.25).queryArc(0, 8).map((h: any) => h.show()),
    );
    expect(count(mini("a*16").degradeBy(0))).toBe(128);
    expect(count(mini("a*16").degradeBy(1))).toBe(0);
  });
  it("sometimesBy transforms exactly the events degradeBy drops", () => {
    const all = mini("1*16").sometimesBy(0.5, add(10)).queryArc(0, 8);
    expect(all.length).toBe(128);
    const changed = all.filter((h: any) => h.value === 11).length;
    expect(changed).toBe(128 - count(mini("1*16").degradeBy(0.5)));
    expect(mini("1*4").always(add(1)).queryArc(0, 1).every((h: any) => h.value === 2)).toBe(true);
    expect(mini("1*4").never(add(1)).queryArc(0, 1).every((h: any) => h.value === 1)).toBe(true);
  });
  it("someCyclesBy decides per cycle", () => {
    for (let c = 0; c < 16; c++) {
      const vals = new Set(mini("1*4").someCyclesBy(0.5, add(1)).queryArc(c, c + 1).map((h: any) => h.value));
      expect(vals.size).toBe(1);
    }
  });
});
