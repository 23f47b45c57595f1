import { describe, expect, test } from "vitest";
import { ClockEstimator } from "../../web/live/clock.ts";

const RATE = 48000;

/** Pushes every 25 ms, received after a delay drawn by `delay(i)`. */
function feed(clock: ClockEstimator, pushes: number, delay: (i: number) => number, t0 = 1000, frame0 = 0) {
  for (let i = 0; i < pushes; i++) {
    const sentMs = t0 + i * 25;
    clock.observe({ frame: frame0 + ((sentMs - t0) / 1000) * RATE, cycle: 0, cps: 0.5, sampleRate: RATE }, sentMs + delay(i));
  }
  return t0 + pushes * 25;
}

describe("ClockEstimator", () => {
  test("with jittery delays, the estimate follows the least-delayed pushes", () => {
    const clock = new ClockEstimator();
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const end = feed(clock, 200, (i) => (i % 10 === 0 ? 1 : 1 + rnd() * 30));
    // true frame at local time t is (t - 1000) / 1000 * RATE; error under 1.5 ms
    const err = clock.frameAt(end) - ((end - 1000) / 1000) * RATE;
    expect(Math.abs(err)).toBeLessThan(0.0015 * RATE);
    expect(err).toBeLessThanOrEqual(0); // never ahead of the engine
  });
  test("between pushes the estimate advances at the sample rate", () => {
    const clock = new ClockEstimator();
    feed(clock, 10, () => 2);
    expect(clock.frameAt(2000) - clock.frameAt(1500)).toBeCloseTo(RATE / 2, 6);
  });
  test("the cycle moves with the tempo of the last push", () => {
    const clock = new ClockEstimator();
    clock.observe({ frame: 0, cycle: 4, cps: 0.5, sampleRate: RATE }, 0);
    expect(clock.cycleAt(1000)).toBeCloseTo(4.5, 9);
  });
  test("an engine clock that jumps back (a server restart) resets the estimate", () => {
    const clock = new ClockEstimator();
    feed(clock, 40, () => 1);
    expect(clock.frameAt(2000)).toBeGreaterThan(RATE * 0.9);
    const end = feed(clock, 4, () => 1, 3000, 0);
    expect(Math.abs(clock.frameAt(end) - ((end - 3000) / 1000) * RATE)).toBeLessThan(0.002 * RATE);
  });
  test("a slower local clock is tracked through the leak", () => {
    const clock = new ClockEstimator();
    // the engine runs 0.1 % slower than the local clock for 20 s
    for (let i = 0; i < 800; i++) {
      const t = i * 25;
      clock.observe({ frame: t * 0.999 * (RATE / 1000), cycle: 0, cps: 1, sampleRate: RATE }, t + 1);
    }
    const t = 799 * 25;
    expect(Math.abs(clock.frameAt(t + 1) - t * 0.999 * (RATE / 1000))).toBeLessThan(0.002 * RATE);
  });
});
