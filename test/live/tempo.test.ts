import { describe, expect, test } from "vitest";
import { TempoMap } from "../../server/live/tempo.ts";

describe("TempoMap", () => {
  test("cycles map to frames at rate / cps", () => {
    const t = new TempoMap(48000, 0.5);
    expect(t.frameAt(1)).toBe(96000);
    expect(t.frameAt(0.25)).toBe(24000);
    expect(t.cycleAt(48000)).toBe(0.5);
  });

  test("a tempo change starts a new piece without moving earlier frames or jumping the cycle", () => {
    const t = new TempoMap(48000, 0.5);
    t.setCps(1, 96000); // cycle 1 from frame 96000 on, now twice as fast
    expect(t.frameAt(0.5)).toBe(48000); // before the change: unchanged
    expect(t.frameAt(1)).toBe(96000); // at the change: continuous
    expect(t.frameAt(2)).toBe(144000); // after: 48000 frames per cycle
    expect(t.cycleAt(96000 + 24000)).toBe(1.5);
    expect(t.cps(0)).toBe(0.5);
    expect(t.cps()).toBe(1);
  });

  test("a change scheduled before a pending one replaces it", () => {
    const t = new TempoMap(48000, 1);
    t.setCps(2, 96000);
    t.setCps(0.5, 48000);
    expect(t.toPieces().map((p) => p.frame)).toEqual([0, 48000]);
    expect(t.cps()).toBe(0.5);
  });

  test("absurd tempi are refused with the accepted range", () => {
    const t = new TempoMap(48000, 1);
    for (const bad of [0, -1, NaN, Infinity, 1e9]) expect(() => t.setCps(bad, 0)).toThrow(/between 0.01 and 100/);
    expect(t.cps()).toBe(1);
  });

  test("pieces survive a round trip (handed to a fresh worker)", () => {
    const t = new TempoMap(44100, 0.75);
    t.setCps(1.25, 12345);
    const u = TempoMap.fromPieces(44100, t.toPieces());
    for (const f of [0, 12345, 99999]) expect(u.cycleAt(f)).toBe(t.cycleAt(f));
  });
});
