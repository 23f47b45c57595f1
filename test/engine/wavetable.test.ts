// Wavetables through the real engine (issue 19): a sample in a wt_ folder
// plays as a band-limited oscillator at the note's pitch. The cycles are made
// here (a saw of 2048 points, a saw of 600 points, a two-cycle file of sines),
// and everything is measured on the offline render.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DUR_FOREVER, Engine, EventBuffer, SampleLibrary, type Controls, type SampleResolver } from "../../server/engine/index.ts";
import { allFinite, channel, peakFrequency, windowedAmplitude, worstAlias } from "./audio-analysis.ts";

const RATE = 48000;
const dir = mkdtempSync(join(tmpdir(), "ostinato-wt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a mono float WAV at `folder/name` and returns its path. */
function file(folder: string, name: string, data: Float32Array): string {
  mkdirSync(join(dir, folder), { recursive: true });
  const path = join(dir, folder, name);
  Engine.writeAudioFile(path, "wav-float", 1, RATE, data);
  return path;
}

/** One cycle of a naive saw (-1 -> +1) of n points: every harmonic up to n / 2. */
function sawCycle(n: number): Float32Array {
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = (2 * i) / n - 1;
  return d;
}

/** `cycles` cycles of 2048 points; cycle c is a sine at harmonic c + 1. */
function sineCycles(cycles: number): Float32Array {
  const d = new Float32Array(2048 * cycles);
  for (let c = 0; c < cycles; c++) for (let i = 0; i < 2048; i++) d[c * 2048 + i] = Math.sin((2 * Math.PI * (c + 1) * i) / 2048);
  return d;
}

const files = {
  wt_saw: file("wt_saw", "saw.wav", sawCycle(2048)),
  wt_saw600: file("wt_saw600", "saw.wav", sawCycle(600)),
  wt_sines: file("wt_sines", "sines.wav", sineCycles(2)),
  plain_saw: file("plain", "saw.wav", sawCycle(2048)), // the same cycle outside a wt_ folder: a plain sample
};

/** Renders one held note of each given controls (in a fresh engine) and returns the left channel. */
function render(controls: Controls, frames = 40000): Float32Array {
  const engine = Engine.open({ backend: "offline" });
  try {
    const ids: Record<string, number> = {};
    for (const [name, path] of Object.entries(files)) ids[name] = engine.loadSample(path);
    expect(engine.waitSamples(20)).toBe(true);
    const resolver: SampleResolver = { resolve: (name) => (ids[name] === undefined ? undefined : { id: ids[name]!, baseMidi: 36 }) };
    const buf = new EventBuffer(1, { samples: resolver });
    buf.add({ attack: 0, decay: 0, sustain: 1, release: 0.01, pan: 0, gain: 0.25, ...controls }, 0, DUR_FOREVER);
    expect(engine.push(buf)).toBe(buf.length); // a note, and its extension record when it has one (warp)
    return channel(engine.render(frames), 2, 0);
  } finally {
    engine.close();
  }
}

const report = (name: string, value: number, unit = "dB") => console.log(`wavetable: ${name}: ${value.toFixed(2)} ${unit}`);

describe("wavetables: band-limited, at pitch", () => {
  // Fundamentals between 1 and 8 kHz that do not divide 48 kHz (as quality.test.ts).
  const F0S = [1046.5, 2217.46, 3951.07, 5587.65, 7902.13];
  const GOAL = -90;
  for (const name of ["wt_saw", "wt_saw600"]) {
    test(`${name}: worst alias below ${GOAL} dB re the fundamental at 1-8 kHz`, () => {
      let worst = -Infinity;
      for (const f0 of F0S) worst = Math.max(worst, worstAlias(render({ s: name, freq: f0 }), RATE, f0));
      report(`worst alias ${name}`, worst);
      expect(worst).toBeLessThan(GOAL);
    });
  }

  for (const mode of ["asym", "bendp", "bendm", "bendmp"]) {
    test(`warp ${mode}: the warped wave keeps its pitch, changes its harmonics, and its worst alias stays below ${GOAL} dB at 1-8 kHz`, () => {
      let worst = -Infinity;
      for (const f0 of F0S) worst = Math.max(worst, worstAlias(render({ s: "wt_saw", freq: f0, warp: 1, warpmode: mode }), RATE, f0));
      report(`worst alias warp ${mode}`, worst);
      expect(worst).toBeLessThan(GOAL);
      // a sine cycle (wt_sines at 0) read through the map grows harmonics: the strongest of 2-4 within 20 dB of the fundamental
      const plain = render({ s: "wt_sines", freq: 440 }), warped = render({ s: "wt_sines", freq: 440, warp: 1, warpmode: mode });
      expect(Math.abs(peakFrequency(warped, RATE, 350, 550, 32768, 4096) - 440)).toBeLessThan(0.05);
      const rel = (x: Float32Array, h: number) => 20 * Math.log10(windowedAmplitude(x, RATE, 440 * h, 4096, 32768) / windowedAmplitude(x, RATE, 440, 4096, 32768));
      expect(Math.max(rel(warped, 2), rel(warped, 3), rel(warped, 4))).toBeGreaterThan(-20);
      expect(Math.max(rel(plain, 2), rel(plain, 3), rel(plain, 4))).toBeLessThan(-100);
    });
  }

  test("warp 0 (or an unknown mode) is the plain table, sample for sample; a half warp lies between", () => {
    const plain = render({ s: "wt_saw", freq: 440 }, 8000);
    expect(Array.from(render({ s: "wt_saw", freq: 440, warp: 0, warpmode: "bendp" }, 8000))).toEqual(Array.from(plain));
    expect(Array.from(render({ s: "wt_saw", freq: 440, warp: 1, warpmode: "spin" }, 8000))).toEqual(Array.from(plain));
    const h2 = (c: Controls) => windowedAmplitude(render({ s: "wt_sines", freq: 440, warpmode: "bendm", ...c }), RATE, 880, 4096, 32768);
    const [none, half, full] = [h2({ warp: 0 }), h2({ warp: 0.5 }), h2({ warp: 1 })];
    expect(none).toBeLessThan(1e-5);
    expect(half).toBeGreaterThan(none);
    expect(full).toBeGreaterThan(1.5 * half); // more warp, more harmonics (J1 of the index, 0.45 then 0.9)
  });

  test("the same cycle outside a wt_ folder is a plain sample: it aliases and plays at another pitch", () => {
    // a sample plays at freq / c2 x its rate: a 2048-point cycle at 48 kHz, looped, is 23.4375 Hz at c2
    const f0 = 1046.5, speed = f0 / (RATE / 2048);
    const out = render({ s: "plain_saw", loop: 1, freq: 65.406395 * speed });
    expect(Math.abs(peakFrequency(out, RATE, f0 * 0.8, f0 * 1.2, 32768, 4096) / f0 - 1)).toBeLessThan(1e-3);
    expect(worstAlias(out, RATE, f0)).toBeGreaterThan(-60);
  });

  test("plays at the note's pitch with the cycle's own harmonics (a saw's 2 / (pi h))", () => {
    for (const f0 of [65.406395, 440, 1046.5]) {
      const out = render({ s: "wt_saw", freq: f0 });
      const hz = peakFrequency(out, RATE, f0 * 0.8, f0 * 1.2, 32768, 4096);
      report(`pitch at ${f0} Hz`, hz, "Hz");
      expect(Math.abs(hz / f0 - 1)).toBeLessThan(1e-4);
      for (const h of [1, 2, 3, 5]) {
        // 2048 points sampling the ideal saw: harmonic h of the naive cycle is (2 / (pi h)) x (pi h / n) / sin(pi h / n)
        const n = 2048, want = 0.25 * (2 / (Math.PI * h)) * ((Math.PI * h) / n / Math.sin((Math.PI * h) / n));
        const got = windowedAmplitude(out, RATE, h * f0, 4096, 32768);
        expect(Math.abs(20 * Math.log10(got / want))).toBeLessThan(0.05);
      }
    }
    // the note's pitch follows `note` as the oscillators do
    const a4 = render({ s: "wt_saw", note: 69 });
    expect(Math.abs(peakFrequency(a4, RATE, 350, 550, 32768, 4096) - 440)).toBeLessThan(0.05);
  });

  test("wt picks the position between cycles: 0 the first, 1 the last, 0.5 half of each", () => {
    const f0 = 440;
    const level = (wt: number, h: number) => windowedAmplitude(render({ s: "wt_sines", freq: f0, wt }), RATE, h * f0, 4096, 32768);
    expect(level(0, 1)).toBeCloseTo(0.25, 3);
    expect(level(0, 2)).toBeLessThan(1e-5);
    expect(level(1, 2)).toBeCloseTo(0.25, 3);
    expect(level(1, 1)).toBeLessThan(1e-5);
    expect(level(0.5, 1)).toBeCloseTo(0.125, 3);
    expect(level(0.5, 2)).toBeCloseTo(0.125, 3);
  });

  // harmonic h's amplitude (at 440 Hz) in a 1024-frame window centred on `t` seconds
  const at = (out: Float32Array, h: number, t: number) => windowedAmplitude(out, RATE, 440 * h, Math.round(t * RATE) - 512, 1024);

  test("wtenv moves the position along its envelope: an attack of 0.5 s sweeps from the first cycle to the last", () => {
    const out = render({ s: "wt_sines", freq: 440, wt: 0, wtenv: 1, wtattack: 0.5, wtdecay: 0, wtsustain: 1 }, 48000);
    for (const t of [0.1, 0.25, 0.4, 0.7]) {
      const pos = Math.min(1, t / 0.5);
      expect(at(out, 1, t)).toBeCloseTo(0.25 * (1 - pos), 2);
      expect(at(out, 2, t)).toBeCloseTo(0.25 * pos, 2);
    }
    // a negative depth sweeps down from wt
    const down = render({ s: "wt_sines", freq: 440, wt: 1, wtenv: -1, wtattack: 0.5, wtdecay: 0, wtsustain: 1 }, 48000);
    expect(at(down, 1, 0.7)).toBeCloseTo(0.25, 2);
  });

  test("warpenv and warprate move the warp: its harmonics follow the envelope and swing with the LFO", () => {
    const mode = { s: "wt_sines", freq: 440, warpmode: "bendm" };
    const held = at(render({ ...mode, warp: 1 }, 48000), 2, 0.7);
    const env = render({ ...mode, warp: 0, warpenv: 1, warpattack: 0.5, warpdecay: 0, warpsustain: 1 }, 48000);
    expect(at(env, 2, 0.1)).toBeLessThan(at(env, 2, 0.3));
    expect(at(env, 2, 0.3)).toBeLessThan(at(env, 2, 0.45));
    expect(Math.abs(20 * Math.log10(at(env, 2, 0.7) / held))).toBeLessThan(0.5); // at the top: as warp 1
    // an LFO at 2 Hz from its bottom: warp 0.5 - 0.5 cos(2 pi 2 t): full at 0.25 and 0.75 s, none at 0.5 s
    const lfo = render({ ...mode, warp: 0.5, warpdepth: 0.5, warprate: 2 }, 48000);
    expect(Math.abs(20 * Math.log10(at(lfo, 2, 0.25) / held))).toBeLessThan(1);
    expect(at(lfo, 2, 0.5)).toBeLessThan(0.05 * held);
  });

  test("wtrate and wtsync swing the position at their rate, wtdepth either side of wt", () => {
    const hz = (c: Controls) => render({ s: "wt_sines", freq: 440, wt: 0.5, wtdepth: 0.5, ...c }, 48000);
    for (const out of [hz({ wtrate: 2 }), hz({ wtsync: 4, cps: 0.5 })]) {
      // the sine LFO starts at its bottom (as the filter LFOs, lfo.h): position 0.5 - 0.5 cos(2 pi 2 t),
      // the last cycle at 0.25 and 0.75 s, the first at 0.5 s, half of each at 0.125 s
      expect(at(out, 2, 0.25)).toBeCloseTo(0.25, 2);
      expect(at(out, 1, 0.25)).toBeLessThan(0.01);
      expect(at(out, 1, 0.5)).toBeCloseTo(0.25, 2);
      expect(at(out, 2, 0.5)).toBeLessThan(0.01);
      expect(at(out, 1, 0.75)).toBeLessThan(0.01);
      expect(at(out, 1, 0.125)).toBeCloseTo(0.125, 2);
      expect(at(out, 2, 0.125)).toBeCloseTo(0.125, 2);
    }
  });

  test("wtphaserand moves the start phase; 0 starts every note the same", () => {
    const a = render({ s: "wt_saw", freq: 440 }, 2000), b = render({ s: "wt_saw", freq: 440 }, 2000);
    expect(Array.from(a)).toEqual(Array.from(b));
    const r = render({ s: "wt_saw", freq: 440, wtphaserand: 1 }, 2000);
    expect(Array.from(r)).not.toEqual(Array.from(a));
    expect(windowedAmplitude(r, RATE, 440, 0, 1900)).toBeCloseTo(windowedAmplitude(a, RATE, 440, 0, 1900), 3);
  });

  test("absurd values stay finite and in range", () => {
    for (const c of [{ freq: 1e9 }, { freq: -5 }, { wt: 1e9 }, { wt: -1 }, { wtphaserand: Number.NaN }, { speed: -3, freq: 300 }]) {
      const out = render({ s: "wt_saw", ...c }, 4000);
      expect(allFinite(out)).toBe(true);
      expect(Math.max(...out.map(Math.abs))).toBeLessThan(1);
    }
  });

  test("a sample map's wt_ bank is a wavetable wherever its files are; the same file in another bank stays a sample", () => {
    const engine = Engine.open({ backend: "offline" });
    try {
      const library = new SampleLibrary(engine);
      library.add({ wt_mapped: [files.plain_saw], plainbank: [files.plain_saw] }, dir);
      const f0 = 3951.07;
      const buf = new EventBuffer(2, { samples: library });
      const base = { attack: 0, decay: 0, sustain: 1, pan: 0, gain: 0.25 };
      buf.add({ ...base, s: "wt_mapped", freq: f0 }, 0, DUR_FOREVER);
      buf.add({ ...base, s: "plainbank", freq: f0, pan: 1 }, 0, DUR_FOREVER); // right channel
      expect(engine.waitSamples(20)).toBe(true);
      buf.clear();
      const again = new EventBuffer(2, { samples: library });
      again.add({ ...base, s: "wt_mapped", freq: f0 }, 0, DUR_FOREVER);
      again.add({ ...base, s: "plainbank", freq: f0, pan: 1 }, 0, DUR_FOREVER);
      expect(engine.push(again)).toBe(2);
      const out = engine.render(40000);
      const left = channel(out, 2, 0), right = channel(out, 2, 1);
      expect(worstAlias(left, RATE, f0)).toBeLessThan(-90);
      expect(Math.abs(peakFrequency(left, RATE, f0 * 0.8, f0 * 1.2, 32768, 4096) / f0 - 1)).toBeLessThan(1e-4);
      // the plain sample: one 2048-frame cycle played 60 times too fast (capped at 64), over in a few ms
      expect(Math.max(...right.slice(4096).map(Math.abs))).toBe(0);
      expect(Math.max(...right.slice(0, 64).map(Math.abs))).toBeGreaterThan(0.01);
    } finally {
      engine.close();
    }
  });
});
