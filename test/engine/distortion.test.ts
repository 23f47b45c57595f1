// The distortion types (distorttype, issue 19's family, shaped in native/shaper.c):
// each type's transfer curve, read from the harmonics of a shaped sine
// against the curve's own Fourier series, and its worst alias below 12 kHz
// (goal -90 dB re the fundamental, like the other shapers; where a type is
// not there yet, its level today is asserted and the goal named). All through
// the real engine, offline; distortvol is the gain after the curve.
import { describe, expect, test } from "vitest";
import { DUR_FOREVER, soundLevel, type Controls } from "../../server/engine/index.ts";
import { channel, dB, windowedAmplitude, worstAlias } from "./audio-analysis.ts";
import { renderNotes } from "./helpers.ts";

const RATE = 48000;
const SYNTH = soundLevel("sine");
const report = (name: string, value: number) => console.log(`distortion: ${name}: ${value.toFixed(2)} dB`);
const shaped = (f0: number, controls: Controls, frames = 40000) =>
  channel(renderNotes([{ controls: { attack: 0, decay: 0, sustain: 1, pan: 0, s: "sine", freq: f0, gain: 0.5, ...controls }, at: 0, dur: DUR_FOREVER }], frames), 2, 0);

/** The curves as the engine defines them (native/shaper_curves.h), at drive y. */
const tri = (y: number) => Math.abs((((y - 1) % 4) + 4) % 4 - 2) - 1;
const CURVES: Record<string, (y: number) => number> = {
  soft: Math.tanh,
  hard: (y) => Math.max(-1, Math.min(1, y)),
  cubic: (y) => (Math.abs(y) < 1 ? 1.5 * y - 0.5 * y ** 3 : Math.sign(y)),
  diode: (y) => { const t = Math.tanh(y); return 0.5 * t * (1 + t); },
  asym: (y) => Math.tanh(y + 0.5) - Math.tanh(0.5),
  fold: tri,
  sinefold: Math.sin,
  chebyshev: (y) => { const t = Math.tanh(y); return t * (5 + t * t * (-20 + 16 * t * t)); },
  scurve: (y) => y / Math.sqrt(1 + y * y),
};
/** distort's amount as a drive: e^amount, 1 + amount for the folders. */
const drive = (type: string, amount: number) => (type === "fold" || type === "sinefold" ? 1 + amount : Math.exp(amount));

/** Harmonic h's amplitude of f(sin) (numerically, in double). */
function harmonic(f: (x: number) => number, h: number): number {
  const steps = 1 << 14;
  let a = 0, b = 0;
  for (let i = 0; i < steps; i++) {
    const th = (2 * Math.PI * i) / steps, y = f(Math.sin(th));
    a += y * Math.sin(h * th);
    b += y * Math.cos(h * th);
  }
  return (2 * Math.hypot(a, b)) / steps;
}

// Worst alias below 12 kHz at distort 3 (folders: drive 4), measured:
//   type        1318.5 Hz   3951.1 Hz
const ALIAS: Record<string, [number, number]> = {
  soft: [-125.8, -111.0],
  hard: [-102.8, -85.8],
  cubic: [-121.1, -100.7],
  diode: [-122.0, -67.8],
  asym: [-127.8, -83.5],
  fold: [-107.6, -84.2],
  sinefold: [-104.0, -102.3],
  chebyshev: [-103.1, -32.1],
  scurve: [-126.5, -104.1],
};
const GOAL = -90;

describe("distortion types", () => {
  for (const type of Object.keys(CURVES)) {
    test(`${type}: the transfer curve (harmonics 1-5 of a 440 Hz sine within 0.05 dB of the curve's)`, () => {
      const out = shaped(440, { distort: 1, distorttype: type });
      const f = (x: number) => CURVES[type]!(drive(type, 1) * x);
      const fund = harmonic(f, 1);
      let worst = 0;
      for (let h = 1; h <= 5; h++) {
        const want = harmonic(f, h);
        if (want < fund * 1e-3) continue; // below -60 dB re the fundamental: not a shape to compare
        const got = windowedAmplitude(out, RATE, 440 * h, 4096, 32768) / (0.5 * SYNTH);
        worst = Math.max(worst, Math.abs(dB(got / want)));
      }
      report(`${type}, harmonics against the curve (worst)`, worst);
      expect(worst).toBeLessThan(0.05);
    });
    for (const [i, f0] of [1318.51, 3951.07].entries()) {
      const measured = ALIAS[type]![i]!, limit = measured <= GOAL ? GOAL : measured + 3;
      test(`${type}: worst alias below 12 kHz on a ${f0} Hz sine under ${limit.toFixed(1)} dB (goal ${GOAL})`, () => {
        const level = worstAlias(shaped(f0, { distort: 3, distorttype: type }), RATE, f0, 12000);
        report(`${type} at ${f0} Hz, worst alias below 12 kHz`, level);
        expect(level).toBeLessThan(limit);
      });
    }
  }

  test("a type by index is the type by name; distortvol scales the output; an unknown value is clamped to the table", () => {
    const byName = shaped(440, { distort: 2, distorttype: "fold" }, 8000);
    const byIndex = shaped(440, { distort: 2, distorttype: 5 }, 8000);
    expect(Array.from(byIndex)).toEqual(Array.from(byName));
    const half = shaped(440, { distort: 2, distorttype: "fold", distortvol: 0.5 }, 8000);
    let worst = 0;
    for (let i = 0; i < half.length; i++) worst = Math.max(worst, Math.abs(half[i]! - 0.5 * byName[i]!));
    expect(worst).toBeLessThan(1e-6);
    const far = shaped(440, { distort: 2, distorttype: 99 }, 8000);
    expect(Array.from(far)).toEqual(Array.from(shaped(440, { distort: 2, distorttype: "scurve" }, 8000)));
    for (const x of far) expect(Number.isFinite(x)).toBe(true);
  });

  test("two types in one group: each voice keeps its own curve", () => {
    const both = channel(renderNotes([
      { controls: { attack: 0, decay: 0, sustain: 1, pan: 0, s: "sine", freq: 440, gain: 0.5, distort: 1, distorttype: "hard" }, at: 0, dur: DUR_FOREVER },
      { controls: { attack: 0, decay: 0, sustain: 1, pan: 0, s: "sine", freq: 440, gain: 0.5, distort: 1, distorttype: "sinefold" }, at: 0, dur: DUR_FOREVER },
    ], 8000), 2, 0);
    const a = shaped(440, { distort: 1, distorttype: "hard" }, 8000), b = shaped(440, { distort: 1, distorttype: "sinefold" }, 8000);
    let worst = 0;
    for (let i = 0; i < both.length; i++) worst = Math.max(worst, Math.abs(both[i]! - a[i]! - b[i]!));
    expect(worst).toBeLessThan(1e-5);
  });
});
