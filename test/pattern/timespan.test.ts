import { describe, expect, it } from "vitest";
import { TimeSpan } from "../../server/pattern/timespan.ts";

const s = (a: number | string, b: number | string) => TimeSpan.of(a, b);

describe("TimeSpan", () => {
  it("cuts at cycle boundaries", () => {
    expect(s(0.5, 2.25).spanCycles().map((x) => x.show())).toEqual(["1/2 → 1", "1 → 2", "2 → 9/4"]);
    expect(s(1, 1).spanCycles().map((x) => x.show())).toEqual(["1 → 1"]);
    expect(s(0, 1).spanCycles().map((x) => x.show())).toEqual(["0 → 1"]);
  });
  it("intersects, keeping zero-width spans only where they belong", () => {
    expect(s(0, 1).intersection(s(0.5, 2))!.show()).toBe("1/2 → 1");
    expect(s(0, 1).intersection(s(1, 2))).toBeUndefined();
    expect(s(0, 1).intersection(s(0.5, 0.5))!.show()).toBe("1/2 → 1/2");
    expect(s(0, 1).intersection(s(2, 3))).toBeUndefined();
    expect(() => s(0, 1).intersectionOrThrow(s(2, 3))).toThrow(/do not overlap/);
  });
  it("maps time and cycles", () => {
    expect(s(1.25, 1.5).cycleArc().show()).toBe("1/4 → 1/2");
    expect(s(1.25, 1.5).withCycle((t) => t.mul(TimeSpan.of(2, 2).begin)).show()).toBe("3/2 → 2");
    expect(s(0, 1).midpoint().toString()).toBe("1/2");
  });
});
