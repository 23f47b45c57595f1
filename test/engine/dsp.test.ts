// The sound itself: band-limited oscillators, filter responses, noise colours.
import { describe, expect, test } from "vitest";
import { aliasLevel, channel, powerSpectrum, rms, saveWav, toneAmplitude } from "./audio-analysis.ts";
import { renderNotes } from "./helpers.ts";
import { soundLevel } from "../../server/engine/index.ts";

const RATE = 48000;
/** Gain 1 of an oscillator or noise: full scale x 0.19 (-14.4 dB; native/ostinato.h, OST_SYNTH_LEVEL). */
const SYNTH = soundLevel("sine");
const mono = (controls: Record<string, unknown>, frames = 40000) =>
  channel(renderNotes([{ controls: { attack: 0, decay: 0, sustain: 1, pan: 0, ...controls }, at: 0, dur: 1e6 }], frames), 2, 0);
/** Gain through a filter: amplitude of a sine at `freq` (played at gain 0.1, under the limiter) re its level unfiltered. */
const through = (freq: number, filter: Record<string, unknown>) =>
  toneAmplitude(mono({ s: "sine", freq, gain: 0.1, ...filter }), RATE, freq, 8000, 40000) / (0.1 * SYNTH);

describe("oscillators", () => {
  // C8 (4186 Hz): 48000 / 4186 is not a whole number, so folded partials fall
  // between the harmonics where the measure can see them. A naive saw there
  // has aliases at -15 dB overall and -27 dB below 5 kHz.
  const F0 = 4186.01;
  // Measured with the band-limited wavetables: every wave at this measure's
  // floor (-95 dB beside the fundamental, the Blackman-Harris window's;
  // quality.test.ts measures below it) up to 5, 10 and 15 kHz. The 4-point
  // BLEP/BLAMP measured saw -95 / -88 / -52, square -95 / -95 / -66, triangle
  // -95 / -95 / -85; the 2-point polyBLEP saw -75 / -54 / -35.
  const limits = {
    sawtooth: [-90, -90, -90],
    square: [-90, -90, -90],
    triangle: [-90, -90, -90],
    sine: [-90, -90, -90],
  } as const;
  for (const [s, [to5k, to10k, to15k]] of Object.entries(limits)) {
    test(`${s} at a 4 kHz fundamental: aliases below ${to5k} dB up to 5 kHz, ${to10k} dB up to 10 kHz, ${to15k} dB up to 15 kHz`, () => {
      const out = mono({ s, freq: F0, gain: 0.1 });
      const levels = [5000, 10000, 15000].map((hi) => aliasLevel(out, RATE, F0, 0, hi));
      if (levels[0]! > to5k || levels[1]! > to10k || levels[2]! > to15k) saveWav(`alias-${s}`, out, 1, RATE);
      expect(levels[0]).toBeLessThan(to5k);
      expect(levels[1]).toBeLessThan(to10k);
      expect(levels[2]).toBeLessThan(to15k);
    });
  }

  test("the alias measure does see aliasing (a naively sampled saw)", () => {
    const naive = new Float32Array(40000);
    for (let i = 0; i < naive.length; i++) naive[i] = 0.1 * (2 * ((i * F0 / RATE) % 1) - 1);
    expect(aliasLevel(naive, RATE, F0)).toBeGreaterThan(-20);
    expect(aliasLevel(naive, RATE, F0, 0, 5000)).toBeGreaterThan(-30);
  });

  test("levels: at gain 1 every oscillator is its ideal full-scale shape x 0.19 (-14.4 dB): sine amplitude 0.19, saw, square and triangle RMS to match", () => {
    expect(20 * Math.log10(SYNTH)).toBeCloseTo(-14.42, 2);
    for (const s of ["sawtooth", "square", "triangle", "pulse", "supersaw", "white", "pink", "brown"]) expect(soundLevel(s)).toBe(SYNTH);
    for (const s of ["bd", "sd", "hh"]) expect(soundLevel(s)).toBe(1); // drums: their kit's own levels (drums.test.ts)
    const g = 0.1 / SYNTH; // a sine of amplitude 0.1: below the master limiter's threshold
    expect(rms(mono({ s: "sine", freq: 440, gain: g }), 1000) / 0.1).toBeCloseTo(Math.SQRT1_2, 3);
    expect(rms(mono({ s: "sawtooth", freq: 110, gain: g }), 1000) / 0.1).toBeCloseTo(1 / Math.sqrt(3), 2);
    expect(rms(mono({ s: "square", freq: 110, gain: g }), 1000) / 0.1).toBeCloseTo(1, 1);
    expect(rms(mono({ s: "triangle", freq: 110, gain: g }), 1000) / 0.1).toBeCloseTo(1 / Math.sqrt(3), 2);
    expect(toneAmplitude(mono({ s: "sine", freq: 1000, gain: g }), RATE, 1000, 0, 48000 - 8000) / 0.1).toBeCloseTo(1, 3);
  });
});

describe("filters", () => {
  test("lowpass with resonance Q: gain Q at the cutoff, as the RBJ lowpass", () => {
    for (const q of [0.7071, 2, 8]) expect(through(1200, { cutoff: 1200, resonance: q })).toBeCloseTo(q, 2);
  });

  test("lowpass passes the bass and cuts the treble at 12 dB/octave", () => {
    expect(through(100, { cutoff: 1000 })).toBeCloseTo(1, 2);
    // RBJ/bilinear lowpass at 1 kHz, Q 0.707, evaluated at 8 kHz
    const w = (f: number) => Math.tan((Math.PI * f) / RATE);
    const r = w(8000) / w(1000);
    const expected = 1 / Math.sqrt((1 - r * r) ** 2 + 2 * r * r);
    expect(through(8000, { cutoff: 1000 })).toBeCloseTo(expected, 3);
  });

  test("highpass cuts the bass, passes the treble", () => {
    expect(20 * Math.log10(through(100, { hcutoff: 1000 }))).toBeLessThan(-38);
    expect(through(8000, { hcutoff: 1000 })).toBeCloseTo(1, 1);
  });

  test("bandpass: 0 dB at the centre, falling away on both sides", () => {
    expect(through(1000, { bandf: 1000, bandq: 4 })).toBeCloseTo(1, 2);
    expect(through(250, { bandf: 1000, bandq: 4 })).toBeLessThan(0.1);
    expect(through(4000, { bandf: 1000, bandq: 4 })).toBeLessThan(0.1);
  });
});

describe("noise", () => {
  /** Energy in the octave band [f, 2f) relative to the band [1000, 2000). */
  function octaveTilt(samples: Float32Array): number {
    const n = 32768;
    const p = powerSpectrum(samples, n, 4096);
    const band = (lo: number) => {
      let e = 0;
      for (let k = Math.round((lo * n) / RATE); k < Math.round((2 * lo * n) / RATE); k++) e += p[k]!;
      return e;
    };
    return 10 * Math.log10(band(8000) / band(1000)) / 3; // dB per octave between 1-2 kHz and 8-16 kHz
  }

  test("white is flat, pink falls about 3 dB per octave, brown about 6", () => {
    expect(octaveTilt(mono({ s: "white" }))).toBeCloseTo(3, 0);  // flat spectrum: +3 dB per octave of band energy
    expect(octaveTilt(mono({ s: "pink" }))).toBeCloseTo(0, 0);
    expect(octaveTilt(mono({ s: "brown" }))).toBeCloseTo(-3, 0);
  });

  test("noise levels are in a sensible range", () => {
    for (const s of ["white", "pink", "brown"]) {
      const level = rms(mono({ s }), 4000) / SYNTH; // re full scale before the synth level
      expect(level).toBeGreaterThan(0.1);
      expect(level).toBeLessThan(0.7);
    }
  });
});

describe("channels", () => {
  const note = [{ controls: { s: "sine", freq: 440, gain: 0.2, pan: 0.25, attack: 0, decay: 0 }, at: 0, dur: 10000 }];

  test("mono is the stereo mix scaled by 1/sqrt(2)", () => {
    const stereo = renderNotes(note, 1024);
    const mono1 = renderNotes(note, 1024, { channels: 1 });
    expect(mono1.length).toBe(1024);
    for (let i = 0; i < 1024; i += 37) expect(mono1[i]).toBeCloseTo((stereo[2 * i]! + stereo[2 * i + 1]!) * Math.SQRT1_2, 6);
  });

  test("channels beyond two carry silence, and the first two the stereo mix", () => {
    const stereo = renderNotes(note, 512);
    const quad = renderNotes(note, 512, { channels: 4 });
    for (let i = 0; i < 512; i++) {
      expect(quad[4 * i]).toBe(stereo[2 * i]);
      expect(quad[4 * i + 1]).toBe(stereo[2 * i + 1]);
      expect(quad[4 * i + 2]).toBe(0);
      expect(quad[4 * i + 3]).toBe(0);
    }
  });
});
