import { describe, expect, it } from "vitest";
import { saw, sine, square, tri, steady } from "../../server/pattern/index.ts";

const at = (p: any, t: number) => p.queryArc(t, t + 0.001)[0].value;

describe("signals", () => {
  it("have no whole and sample at the start of the query", () => {
    const h = sine.queryArc(0.25, 0.5)[0]!;
    expect(h.whole).toBeUndefined();
    expect(h.value).toBeCloseTo(1);
  });
  it("shapes", () => {
    expect(at(saw, 0.25)).toBeCloseTo(0.25);
    expect(at(tri, 0.25)).toBeCloseTo(0.5);
    expect(at(tri, 0.75)).toBeCloseTo(0.5);
    expect(at(square, 0.75)).toBe(1);
    expect(at(steady(3), 5.5)).toBe(3);
  });
  it("range and segment", () => {
    expect(saw.range(100, 200).segment(2).queryArc(0, 1).map((h: any) => h.value)).toEqual([100, 150]);
    expect(sine.segment(4).queryArc(0, 1).map((h: any) => h.whole!.show())).toEqual(["0 → 1/4", "1/4 → 1/2", "1/2 → 3/4", "3/4 → 1"]);
  });
});
