import { describe, expect, it } from "vitest";
import { Hap, combineContexts } from "../../server/pattern/hap.ts";
import { TimeSpan } from "../../server/pattern/timespan.ts";

describe("Hap", () => {
  const whole = TimeSpan.of(0, 1);
  it("knows whether its fragment holds the onset", () => {
    expect(new Hap(whole, TimeSpan.of(0, 0.5), "a").hasOnset()).toBe(true);
    expect(new Hap(whole, TimeSpan.of(0.5, 1), "a").hasOnset()).toBe(false);
    expect(new Hap(undefined, TimeSpan.of(0, 1), "a").hasOnset()).toBe(false);
  });
  it("shows whole and part", () => {
    expect(new Hap(whole, whole, "a").show()).toBe("[ 0 → 1 | a ]");
    expect(new Hap(whole, TimeSpan.of(0.5, 1), "a").show()).toBe("[ 0 ⇜ (1/2 → 1) | a ]");
    expect(new Hap(undefined, whole, 1).show()).toBe("[ ~0 → 1 | 1 ]");
  });
  it("maps values and spans, keeping context", () => {
    const h = new Hap(whole, whole, 2, { locations: [{ start: 1, end: 2 }] });
    expect(h.withValue((x) => x * 3).value).toBe(6);
    expect(h.withValue((x) => x).context.locations).toEqual([{ start: 1, end: 2 }]);
    expect(h.withSpan((sp) => sp.withTime((t) => t.add(t))).whole!.show()).toBe("0 → 2");
    expect(h.duration().toString()).toBe("1");
  });
  it("joins the locations of combined contexts", () => {
    expect(combineContexts({ locations: [{ start: 0, end: 1 }] }, { locations: [{ start: 5, end: 6 }] }).locations).toEqual([
      { start: 0, end: 1 },
      { start: 5, end: 6 },
    ]);
  });
});
