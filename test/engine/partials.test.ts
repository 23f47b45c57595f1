// partials([...]) and phases([...]): the basic waveforms built from their
// harmonics (Strudel's additive control), through the real engine, measured
// on the output spectrum: each listed harmonic at the wave's own amplitude x
// its partial, at its phase; nothing beyond the list, nothing above Nyquist.
import { describe, expect, test } from "vitest";
import { DUR_FOREVER, soundLevel, type Controls } from "../../server/engine/index.ts";
import { allFinite, channel, kaiserWindow, windowedAmplitude, worstAlias } from "./audio-analysis.ts";
import { renderNotes } from "./helpers.ts";
import { s } from "../../server/pattern/index.ts";

const RATE = 48000;
const SYNTH = soundLevel("sawtooth");
const steady = { attack: 0, decay: 0, sustain: 1, release: 0.01, pan: 0 };
const render = (controls: Controls, frames = 40000) =>
  channel(renderNotes([{ controls: { ...steady, gain: 0.5, ...controls }, at: 0, dur: DUR_FOREVER }], frames), 2, 0);
/** The left channel's gain at pan 0 (equal power: 1). */
const amp = (h: number, x: Float32Array, f0: number) => windowedAmplitude(x, RATE, h * f0, 4096, 32768);
/** The phase (cycles, of sine) of the component at `freq`: Kaiser-windowed correlation from frame `from`. */
function phaseOf(x: Float32Array, freq: number, from: number, n = 32768): number {
  const w = kaiserWindow(n, 14);
  let re = 0, im = 0;
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * freq * (from + i)) / RATE;
    re += w[i]! * x[from + i]! * Math.sin(t);
    im += w[i]! * x[from + i]! * Math.cos(t);
  }
  return ((Math.atan2(im, re) / (2 * Math.PI)) % 1 + 1) % 1;
}

describe("partials: the basic waveforms from their listed harmonics", () => {
  const f0 = 440;
  const waves: Record<string, (h: number) => number> = {
    sawtooth: (h) => 2 / (Math.PI * h),
    square: (h) => (h % 2 ? 4 / (Math.PI * h) : 0),
    triangle: (h) => (h % 2 ? 8 / (Math.PI * Math.PI * h * h) : 0),
    sine: (h) => (h === 1 ? 1 : 0),
  };
  const list = [1, 0.5, 0, 0.25, 1, 0.1, 1];
  for (const [wave, base] of Object.entries(waves)) {
    test(`${wave}: harmonic k at the wave's amplitude x partial k (within 0.01 dB), none listed as 0 or past the list`, () => {
      const out = render({ s: wave, freq: f0, partials: list });
      expect(allFinite(out)).toBe(true);
      for (let h = 1; h <= 12; h++) {
        const want = 0.5 * SYNTH * base(h) * (list[h - 1] ?? 0), got = amp(h, out, f0);
        if (want > 0) expect(Math.abs(20 * Math.log10(got / want))).toBeLessThan(0.01);
        else expect(got).toBeLessThan(1e-6 * 0.5 * SYNTH); // -120 dB re full scale: not there
      }
    });
  }

  test("user: the partials are the harmonics' magnitudes themselves (Strudel's sound source of its own); without them a sine", () => {
    const out = render({ s: "user", freq: f0, partials: [1, 0, 0.3, 0, 0.1, 0, 0, 0.3] });
    const want = [1, 0, 0.3, 0, 0.1, 0, 0, 0.3, 0, 0];
    for (let h = 1; h <= want.length; h++) {
      const got = amp(h, out, f0), w = 0.5 * SYNTH * want[h - 1]!;
      if (w > 0) expect(Math.abs(20 * Math.log10(got / w))).toBeLessThan(0.01);
      else expect(got).toBeLessThan(1e-6 * 0.5 * SYNTH);
    }
    const bare = render({ s: "user", freq: f0 });
    expect(Math.abs(20 * Math.log10(amp(1, bare, f0) / (0.5 * SYNTH)))).toBeLessThan(0.01);
    expect(amp(2, bare, f0)).toBeLessThan(1e-6 * 0.5 * SYNTH);
  });

  test("through a pattern: s('sawtooth').partials([...]) as a whole list, the same samples as the controls", () => {
    const value = (s("sawtooth") as any).freq(f0).partials([1, 0, 1]).queryArc(0, 1)[0].value as Controls;
    expect(value.partials).toEqual([1, 0, 1]);
    expect(Array.from(render(value, 4000))).toEqual(Array.from(render({ s: "sawtooth", freq: f0, partials: [1, 0, 1] }, 4000)));
  });

  test("phases: harmonic k starts at its listed phase (cycles); the magnitudes stay", () => {
    const phases = [0, 0.25, 0.5, 0.125];
    const out = render({ s: "sine", freq: f0, partials: [1], phases: [0.3] });
    // frame i plays the oscillator's phase after i + 1 steps (as every oscillator here): 0.3 + f0 / RATE at frame 0
    expect(Math.abs(phaseOf(out, f0, 4096) - (0.3 + f0 / RATE))).toBeLessThan(1e-3); // the float phase drifts by a few 1e-4 over 0.4 s
    const saw = render({ s: "sawtooth", freq: f0, partials: [1, 1, 1, 1], phases }), flat = render({ s: "sawtooth", freq: f0, partials: [1, 1, 1, 1] });
    for (let h = 1; h <= 4; h++) {
      expect(Math.abs(20 * Math.log10(amp(h, saw, f0) / amp(h, flat, f0)))).toBeLessThan(0.01);
      // the shift of harmonic h between the two is its listed phase
      const shift = (((phaseOf(saw, h * f0, 4096) - phaseOf(flat, h * f0, 4096)) % 1) + 1) % 1;
      expect(Math.min(Math.abs(shift - phases[h - 1]!), 1 - Math.abs(shift - phases[h - 1]!))).toBeLessThan(1e-3);
    }
  });

  test("band-limited: listed harmonics at or above Nyquist are not played (worst alias below -110 dB at 1-8 kHz)", () => {
    const all = Array.from({ length: 32 }, () => 1);
    let worst = -Infinity;
    for (const f of [1046.5, 2217.46, 3951.07, 7902.13]) worst = Math.max(worst, worstAlias(render({ s: "sawtooth", freq: f, partials: all }), RATE, f));
    console.log(`partials: worst alias of a 32-partial saw at 1-8 kHz: ${worst.toFixed(1)} dB`);
    expect(worst).toBeLessThan(-110);
  });

  test("absurd lists are sanitised: NaN, huge values, more than 32 entries; other sounds ignore partials", () => {
    const out = render({ s: "sawtooth", freq: 200, partials: [Number.NaN, 1e9, -1e9, ...Array.from({ length: 40 }, () => 1)], phases: [Number.NaN, 1e9] }, 4000);
    expect(allFinite(out)).toBe(true);
    const white = render({ s: "white", partials: [1, 0, 1] }, 4000), plain = render({ s: "white" }, 4000);
    expect(Array.from(white)).toEqual(Array.from(plain));
  });
});
