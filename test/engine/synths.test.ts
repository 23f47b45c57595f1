// The richer synths, measured: supersaw, pulse width, FM, vibrato, the
// pitch envelope; and the plain voices keep their fused fast path.
import { describe, expect, test } from "vitest";
import { DUR_FOREVER, soundLevel } from "../../server/engine/index.ts";
import { channel, peakFrequency, powerSpectrum, rms, toneAmplitude } from "./audio-analysis.ts";
import { renderNotes } from "./helpers.ts";

const RATE = 48000;
/** An oscillator's level at gain 1 (native/ostinato.h, OST_SYNTH_LEVEL). */
const SYNTH = soundLevel("sawtooth");
const steady = { attack: 0, decay: 0, sustain: 1, gain: 0.2 };
const render = (controls: Record<string, unknown>, frames = 48000) => renderNotes([{ controls: { ...steady, ...controls }, at: 0, dur: DUR_FOREVER }], frames);

describe("synths", () => {
  test("supersaw: unison saws detuned around the pitch, spread across the stereo field", () => {
    const out = render({ s: "supersaw", freq: 220, unison: 5, detune: 0.5, spread: 1 }, 96000);
    const l = channel(out, 2, 0), r = channel(out, 2, 1);
    expect(peakFrequency(l, RATE, 150, 300, 65536, 4800)).toBeCloseTo(220, -1);
    // the detuned voices: energy beside the fundamental, within +-0.25 semitone, and beating in time
    const p = powerSpectrum(l, 65536, 4800), hz = RATE / 65536;
    const at = (f: number) => p[Math.round(f / hz)]!;
    expect(at(220 * Math.pow(2, 0.25 / 12)) / at(230)).toBeGreaterThan(10);
    // left and right differ (spread), and are not silent
    expect(rms(l, 4800)).toBeGreaterThan(0.05 * SYNTH);
    let diff = 0;
    for (let i = 4800; i < 9600; i++) diff += Math.abs(l[i]! - r[i]!);
    expect(diff / 4800).toBeGreaterThan(0.01 * SYNTH);
    // spread 0: both sides the same
    const mono = render({ s: "supersaw", freq: 220, spread: 0 });
    expect(Buffer.from(channel(mono, 2, 0).buffer).equals(Buffer.from(channel(mono, 2, 1).buffer))).toBe(true);
  });

  test("pulse: pw sets the width (pw 0.5 has no even harmonics, pw 0.25 has its second)", () => {
    const half = channel(render({ s: "pulse", freq: 200, pw: 0.5 }), 2, 0);
    const quarter = channel(render({ s: "pulse", freq: 200, pw: 0.25 }), 2, 0);
    const second = (x: Float32Array) => toneAmplitude(x, RATE, 400, 4800, 48000) / toneAmplitude(x, RATE, 200, 4800, 48000);
    expect(second(half)).toBeLessThan(0.01);
    expect(second(quarter)).toBeCloseTo(Math.sin(Math.PI * 0.5) / (2 * Math.sin(Math.PI * 0.25)), 1); // |sin(2 pi pw)| / (2 |sin(pi pw)|)
    // no DC offset
    let dc = 0;
    for (let i = 4800; i < 48000; i++) dc += quarter[i]!;
    expect(Math.abs(dc / 43200)).toBeLessThan(0.002);
  });

  test("FM: sidebands at the carrier +- multiples of the modulator, as deep as the index says", () => {
    // carrier 1000 Hz, fmh 0.5: modulator 500 Hz; index 1: J1(1)/J0(1) = 0.577
    const fm = channel(render({ s: "sine", freq: 1000, fmh: 0.5, fmi: 1 }), 2, 0);
    const a = (f: number) => toneAmplitude(fm, RATE, f, 4800, 48000);
    expect(a(1500) / a(1000)).toBeCloseTo(0.44005 / 0.76520, 1);
    expect(a(500) / a(1000)).toBeCloseTo(0.44005 / 0.76520, 1);
    const plain = channel(render({ s: "sine", freq: 1000 }), 2, 0);
    expect(toneAmplitude(plain, RATE, 1500, 4800, 48000)).toBeLessThan(1e-4 * SYNTH);
    // the FM envelope: index 0 after fmdecay with fmsustain 0
    const env = channel(render({ s: "sine", freq: 1000, fmh: 0.5, fmi: 2, fmdecay: 0.1, fmsustain: 0 }), 2, 0);
    expect(toneAmplitude(env, RATE, 1500, 0, 2400)).toBeGreaterThan(0.02 * SYNTH);
    expect(toneAmplitude(env, RATE, 1500, 24000, 48000)).toBeLessThan(0.002 * SYNTH);
  });

  test("vibrato: the pitch swings by vibmod semitones at vib Hz", () => {
    const out = channel(render({ s: "sine", freq: 440, vib: 4, vibmod: 1 }, 96000), 2, 0);
    // instantaneous frequency from zero crossings, over 1 s
    const freqs: number[] = [];
    let last = -1;
    for (let i = 4801; i < 52800; i++) {
      if (out[i - 1]! < 0 && out[i]! >= 0) {
        const t = i - out[i]! / (out[i]! - out[i - 1]!);
        if (last >= 0) freqs.push(RATE / (t - last));
        last = t;
      }
    }
    const hi = Math.max(...freqs), lo = Math.min(...freqs);
    expect(12 * Math.log2(hi / 440)).toBeCloseTo(1, 0);
    expect(12 * Math.log2(lo / 440)).toBeCloseTo(-1, 0);
  });

  test("pitch envelope: starts penv semitones up and falls to the pitch over pdecay", () => {
    const out = channel(render({ s: "sine", freq: 220, penv: 12, pdecay: 0.1 }), 2, 0);
    expect(peakFrequency(out, RATE, 100, 1000, 1024, 0)).toBeGreaterThan(380); // the first 20 ms: near 440
    expect(peakFrequency(out, RATE, 100, 1000, 16384, 9600)).toBeCloseTo(220, 0);
  });

  test("the plain fast path and the stage chain sound the same for the same voice", () => {
    // a send of 0 keeps the plain path; a tiny postgain change forces the chain (compare at that gain)
    const plain = channel(render({ s: "sawtooth", freq: 110, lpf: 900, postgain: 0.999 }), 2, 0);
    const chain = channel(render({ s: "sawtooth", freq: 110, lpf: 900, postgain: 0.999, vowel: 0, shape: 0, pw: 0.3, crush: 0, room: 1e-7 }), 2, 0);
    let worst = 0;
    for (let i = 0; i < plain.length; i++) worst = Math.max(worst, Math.abs(plain[i]! - chain[i]!));
    expect(worst).toBeLessThan(1e-3 * SYNTH); // the chain applies the envelope before the filter; the difference is rounding
    expect(rms(plain)).toBeGreaterThan(0.05 * SYNTH);
  });
});
