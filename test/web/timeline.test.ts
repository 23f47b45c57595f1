import { describe, expect, test } from "vitest";
import type { EventInfo } from "../../server/http/protocol.ts";
import { Timeline } from "../../web/live/timeline.ts";

const ev = (frame: number, durFrames: number, slot = "main"): EventInfo => ({ frame, durFrames, cycle: 0, slot, locations: [], value: {} });

describe("Timeline", () => {
  test("sounding: start <= at < start + dur, in start order, batches out of order merged", () => {
    const t = new Timeline(48000);
    t.add([ev(100, 50), ev(300, 10)]);
    t.add([ev(120, 1000), ev(110, 5)]);
    expect(t.sounding(125).map((e) => e.frame)).toEqual([100, 120]);
    expect(t.sounding(300).map((e) => e.frame)).toEqual([120, 300]);
    expect(t.sounding(99)).toEqual([]);
    expect(t.sounding(150).map((e) => e.frame)).toEqual([120]);
  });
  test("a minimum duration keeps very short events visible for a frame", () => {
    const t = new Timeline(48000);
    t.add([ev(1000, 1)]);
    expect(t.sounding(1400)).toEqual([]);
    expect(t.sounding(1400, 800).map((e) => e.frame)).toEqual([1000]);
  });
  test("window: events overlapping [from, to)", () => {
    const t = new Timeline(48000);
    t.add([ev(0, 100), ev(200, 100), ev(400, 10)]);
    expect(t.window(150, 401).map((e) => e.frame)).toEqual([200, 400]);
    expect(t.window(50, 60).map((e) => e.frame)).toEqual([0]);
  });
  test("old events are pruned, future ones dropped on hush, and dead slots forgotten", () => {
    const t = new Timeline(1000);
    t.add([ev(0, 10), ev(500, 10, "a")]);
    t.add([ev(5000, 10), ev(6000, 10, "b")]);
    expect(t.window(0, 1e9).map((e) => e.frame)).toEqual([5000, 6000]);
    t.dropFrom(5500);
    expect(t.window(0, 1e9).map((e) => e.frame)).toEqual([5000]);
    t.add([ev(5100, 10, "b")]);
    t.keepSlots(new Set(["b"]));
    expect(t.window(0, 1e9).map((e) => e.slot)).toEqual(["b"]);
  });
  test("retract: a slot's events from a frame on, other slots untouched", () => {
    const t = new Timeline(1e6);
    t.add([ev(100, 10, "a"), ev(200, 10, "a"), ev(200, 10, "b"), ev(300, 10, "a")]);
    t.retract(new Set(["a"]), 150);
    expect(t.window(0, 1e9).map((e) => `${e.slot}${e.frame}`)).toEqual(["a100", "b200"]);
    t.retract((slot) => slot !== "a", 0);
    expect(t.window(0, 1e9).map((e) => `${e.slot}${e.frame}`)).toEqual(["a100"]);
  });
  test("non-finite frames are ignored", () => {
    const t = new Timeline(1000);
    t.add([ev(Number.NaN, 1), ev(5, Number.POSITIVE_INFINITY)]);
    expect(t.size).toBe(0);
  });
});
