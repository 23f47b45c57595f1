// Effects through the real engine, measured on the output: filters, the
// per-voice effects, the orbits' delay, reverb, phaser and compressor, orbit
// routing, and the master limiter.
import { describe, expect, test } from "vitest";
import { DUR_FOREVER, Engine, EventBuffer, soundLevel } from "../../server/engine/index.ts";
import { channel, peak, peakFrequency, powerSpectrum, rms, rmsEnvelope, saveWav, toneAmplitude, truePeak } from "./audio-analysis.ts";
import { renderNotes } from "./helpers.ts";

const RATE = 48000;
/** An oscillator's or noise's level at gain 1 (native/ostinato.h, OST_SYNTH_LEVEL). */
const SYNTH = soundLevel("sine");
const left = (controls: Record<string, unknown>, frames: number, dur = DUR_FOREVER, config = {}) =>
  channel(renderNotes([{ controls, at: 0, dur }], frames, config), 2, 0);

/** Mean power in [lo, hi) Hz of a steady signal (Welch: averaged 8192-point spectra). */
function bandPower(x: Float32Array, lo: number, hi: number, from = 4800): number {
  const n = 8192;
  let total = 0, count = 0;
  for (let s = from; s + n <= x.length; s += n / 2, count++) {
    const p = powerSpectrum(x, n, s);
    for (let k = Math.ceil((lo * n) / RATE); k < (hi * n) / RATE; k++) total += p[k]!;
  }
  return total / count;
}

/** Normalised echo density (Abel and Huang): the share of samples beyond one standard deviation in each window, over a Gaussian's share (0.3173). 1 = as dense as noise; a sparse, metallic echo pattern is far below. */
function echoDensity(x: Float32Array, from: number, to: number, win = 960): number[] {
  const out: number[] = [];
  for (let s = from; s + win <= to; s += win) {
    const sd = rms(x, s, s + win);
    let beyond = 0;
    for (let i = s; i < s + win; i++) if (Math.abs(x[i]!) > sd) beyond++;
    out.push(beyond / win / 0.3173);
  }
  return out;
}

/** Spectral flatness of the power spectrum over its 1/3-octave trend, 200 Hz to 8 kHz: noise ~0.56, a comb's resonances ~0. */
function flatness(x: Float32Array, from: number): number {
  const n = 16384, p = powerSpectrum(x, n, from), hz = RATE / n;
  const rel: number[] = [];
  for (let k = Math.round(200 / hz); k < Math.round(8000 / hz); k++) {
    const lo = Math.round(k / Math.pow(2, 1 / 6)), hi = Math.round(k * Math.pow(2, 1 / 6));
    let m = 0;
    for (let j = lo; j <= hi; j++) m += p[j]!;
    rel.push(p[k]! / (m / (hi - lo + 1)));
  }
  const am = rel.reduce((a, b) => a + b) / rel.length;
  return Math.exp(rel.reduce((a, r) => a + Math.log(r + 1e-30), 0) / rel.length) / am;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const db = (x: number) => 10 * Math.log10(x);

describe("lowpass filters lower the energy above the cutoff by their slope", () => {
  // White noise through each lowpass at 1 kHz; the power in 4-8 kHz against
  // the unfiltered noise, and against the filter's own response (bilinear
  // transform of the analog prototype: |H|^2 at the pre-warped frequency).
  const warp = (f: number, fc: number) => Math.tan((Math.PI * f) / RATE) / Math.tan((Math.PI * fc) / RATE);
  const butter = (order: number) => (f: number) => 1 / (1 + Math.pow(warp(f, 1000), 2 * order));
  const ladder = (k: number) => (f: number) => {
    // 1 / ((1 + s)^4 + k) at s = j w
    const w = warp(f, 1000);
    let re = 1, im = 0;
    for (let i = 0; i < 4; i++) [re, im] = [re - im * w, im + re * w];
    return Math.pow(1 + k, 2) / ((re + k) ** 2 + im ** 2); // x (1 + k): the ladder's passband made up
  };
  const expected = (h: (f: number) => number) => {
    let s = 0;
    for (let f = 4000; f < 8000; f += 5) s += h(f);
    return s / 800;
  };
  const noise = left({ s: "white", gain: 0.2, attack: 0, decay: 0, sustain: 1 }, 96000);
  const reference = bandPower(noise, 4000, 8000);
  for (const [name, ftype, h, slope] of [
    ["12 dB state-variable", 0, butter(2), 12],
    ["24 dB (two stages, Butterworth)", 2, butter(4), 24],
    ["24 dB ladder", 1, ladder((4 * 0.70710678 - 1) / (0.70710678 + 1)), 24], // k for the default resonance (chain.c's ladder_k)
  ] as [string, number, (f: number) => number, number][]) {
    test(`${name}: 4-8 kHz as the response says (about ${slope} dB/octave)`, () => {
      const out = left({ s: "white", gain: 0.2, attack: 0, decay: 0, sustain: 1, lpf: 1000, ftype }, 96000);
      const measured = db(bandPower(out, 4000, 8000) / reference);
      const theory = db(expected(h));
      // within 0.5 dB of the linear response (the ladder is linear too)
      expect(Math.abs(measured - theory)).toBeLessThan(0.5);
      expect(measured).toBeLessThan(-slope * 2 + 3); // two octaves above: at least the slope's worth
      // and the passband is untouched (below 300 Hz, within 1 dB; the ladder's bass loss is made up)
      expect(Math.abs(db(bandPower(out, 50, 300) / bandPower(noise, 50, 300)))).toBeLessThan(1);
    });
  }

  test("the lowpass envelope sweeps the cutoff: bright at the attack, dark after the decay", () => {
    const out = left({ s: "sawtooth", freq: 110, lpf: 300, lpenv: 4, lpattack: 0.01, lpdecay: 0.2, lpsustain: 0, gain: 0.2, attack: 0, decay: 0, sustain: 1 }, 48000);
    const early = bandPower(out.subarray(0, 9600), 2000, 6000, 480), late = bandPower(out.subarray(24000), 2000, 6000, 0);
    expect(db(early / late)).toBeGreaterThan(20);
  });
});

describe("per-voice effects", () => {
  const saw = { s: "sawtooth", freq: 110, gain: 0.2, attack: 0, decay: 0, sustain: 1 };
  test("vowel: formants where the vowel has them (a: 800 and 1150 Hz; i: 270 and 2140 Hz)", () => {
    const a = left({ ...saw, vowel: "a" }, 48000), i = left({ ...saw, vowel: "i" }, 48000);
    expect(db(bandPower(a, 700, 900) / bandPower(i, 700, 900))).toBeGreaterThan(6);
    expect(db(bandPower(i, 2000, 2300) / bandPower(a, 2000, 2300))).toBeGreaterThan(6);
  });
  test("coarse holds every n-th sample; crush leaves 2^(bits-1) levels per unit", () => {
    const c = left({ s: "sine", freq: 200, gain: 0.5, attack: 0, decay: 0, sustain: 1, coarse: 8 }, 4800);
    // the voice starts at frame 0, which is held first: every frame 8k + j repeats frame 8k
    for (let k = 96; k < 4700; k += 8) for (let j = 1; j < 8; j++) expect(c[k + j]).toBe(c[k]);
    expect(c[104]).not.toBe(c[96]);
    const q = left({ s: "sine", freq: 200, gain: 0.5, attack: 0, decay: 0, sustain: 1, crush: 4 }, 4800);
    // crush acts before the output gain (0.5 x the synth level) and the pan (0.707 each side)
    const steps = (x: number) => (x * 8) / (0.5 * SYNTH * Math.SQRT1_2);
    // crush is antialiased (native/shaper.h): its steps are band-limited (they
    // ring for a few frames), so only frames away from a step sit on a level.
    // On a 200 Hz sine 59 % are within 10 % of a step of one (a signal that
    // ignores the levels: 20 %); its harmonics against the staircase's are
    // in quality.test.ts.
    const held = Array.from(q.subarray(100)).filter((x) => Math.abs(steps(x) - Math.round(steps(x))) < 0.1);
    console.log(`crush 4: ${((100 * held.length) / (q.length - 100)).toFixed(1)} % of frames within 10 % of a step of a level`);
    expect(held.length).toBeGreaterThan(0.45 * (q.length - 100));
    expect(new Set(held.map((x) => Math.round(steps(x)))).size).toBeLessThanOrEqual(17);
  });
  test("shape and distort add harmonics; postgain scales after them", () => {
    const sine = { s: "sine", freq: 220, gain: 0.5, attack: 0, decay: 0, sustain: 1 };
    const clean = left(sine, 24000), shaped = left({ ...sine, shape: 0.7 }, 24000), driven = left({ ...sine, distort: 2 }, 24000);
    const third = (x: Float32Array) => toneAmplitude(x, RATE, 660, 4800, 24000) / toneAmplitude(x, RATE, 220, 4800, 24000);
    expect(third(clean)).toBeLessThan(1e-4);
    expect(third(shaped)).toBeGreaterThan(0.05);
    expect(third(driven)).toBeGreaterThan(0.05);
    expect(rms(left({ ...sine, shape: 0.7, postgain: 0.5 }, 24000), 4800) / rms(shaped, 4800)).toBeCloseTo(0.5, 3);
  });
});

describe("orbit effects", () => {
  /** A 5 ms 1 kHz blip at frame 0. */
  const blip = { s: "sine", freq: 1000, gain: 0.5, attack: 0, decay: 0.005, sustain: 0, release: 0 };
  const peakIn = (x: Float32Array, from: number, to: number) => peak(x.subarray(from, to));

  test("delay: the echoes come every delaytime, each one delayfeedback times the last", () => {
    const out = left({ ...blip, delay: 0.8, delaytime: 0.1, delayfeedback: 0.5 }, 48000);
    const dry = peakIn(out, 0, 240);
    const echoes = [1, 2, 3, 4].map((k) => peakIn(out, 4800 * k, 4800 * k + 240));
    expect(echoes[0]! / dry).toBeCloseTo(0.8, 2);
    for (let k = 1; k < 4; k++) expect(echoes[k]! / echoes[k - 1]!).toBeCloseTo(0.5, 2);
    // and nothing between the echoes
    for (let k = 0; k < 4; k++) expect(peakIn(out, 4800 * k + 300, 4800 * (k + 1))).toBe(0);
  });

  test("delay with lock: delaytime in cycles at the event's tempo (0.25 cycle at 0.5 cps = 0.5 s)", () => {
    const out = left({ ...blip, delay: 1, delaytime: 0.25, lock: 1, cps: 0.5, delayfeedback: 0.3 }, 60000);
    expect(peakIn(out, 24000, 24240)).toBeGreaterThan(0.3 * SYNTH);
    expect(peakIn(out, 300, 23990)).toBe(0);
  });

  test("delayspeed: each repeat sounds at speed x the pitch of the one before, at the delay time", () => {
    // A 0.4 s 440 Hz tone into a 0.6 s delay: the first repeat (0.6-1.0 s) and the second (1.2-1.6 s).
    // The two crossfaded read heads amplitude-modulate the repeat at their sweep rate (10-20 Hz here), a
    // comb of lines around the shifted tone, so the pitch is the power-weighted mean frequency within
    // +-15 % of the expected one.
    const tone = { s: "sine", freq: 440, gain: 0.5, attack: 0.005, sustain: 1, release: 0.005 };
    const pitch = (x: Float32Array, from: number, f0: number) => {
      const n = 16384, p = powerSpectrum(x, n, from);
      let moment = 0, total = 0;
      for (let k = Math.round((0.85 * f0 * n) / RATE); k < (1.15 * f0 * n) / RATE; k++) moment += p[k]! * ((k * RATE) / n), total += p[k]!;
      return moment / total;
    };
    for (const speed of [1.5, 0.75, 2]) {
      const out = left({ ...tone, delay: 1, delaytime: 0.6, delayfeedback: 0.6, delayspeed: speed }, 84000, 0.4 * RATE);
      const dry = peakFrequency(out, RATE, 100, 4000, 8192, 4800);
      expect(dry).toBeCloseTo(440, 0);
      expect(Math.abs(pitch(out, 0.62 * RATE, dry * speed) / dry / speed - 1)).toBeLessThan(0.002);
      expect(Math.abs(pitch(out, 1.22 * RATE, dry * speed * speed) / dry / speed / speed - 1)).toBeLessThan(0.01);
      // the repeat comes at the delay time (less the heads' half window, 25 ms): silence before it, about as loud as a plain echo
      expect(peakIn(out, 0.45 * RATE, 0.57 * RATE)).toBe(0);
      const level = rms(out, 0.66 * RATE, 0.9 * RATE) / rms(out, 0.1 * RATE, 0.35 * RATE);
      expect(Math.abs(20 * Math.log10(level))).toBeLessThan(2);
    }
  });

  test("each orbit has its own delay: orbit 1's echo at its own time", () => {
    const engine = Engine.open({ backend: "offline" });
    try {
      const buf = new EventBuffer(2);
      buf.add({ ...blip, pan: 0, delay: 1, delaytime: 0.1, delayfeedback: 0 }, 0, DUR_FOREVER);
      buf.add({ ...blip, pan: 1, orbit: 1, delay: 1, delaytime: 0.3, delayfeedback: 0 }, 0, DUR_FOREVER);
      engine.push(buf);
      const out = engine.render(24000);
      const l = channel(out, 2, 0), r = channel(out, 2, 1);
      expect(peakIn(l, 4800, 5040)).toBeGreaterThan(0.3 * SYNTH);
      expect(peakIn(r, 4800, 5040)).toBe(0);
      expect(peakIn(r, 14400, 14640)).toBeGreaterThan(0.3 * SYNTH);
    } finally {
      engine.close();
    }
  });

  test("reverb: a smooth tail, as dense as noise (echo density ~1 from 100 ms on), no comb ringing, decaying at its RT60", () => {
    const burst = { s: "white", gain: 0.5, attack: 0, decay: 0.0002, sustain: 0, release: 0, dry: 0, room: 1 };
    for (const roomsize of [0.5, 2, 6]) {
      const ir = left({ ...burst, roomsize }, 96000);
      const density = echoDensity(ir, 4800, 48000);
      if (mean(density) < 0.9) saveWav(`reverb-size-${roomsize}`, ir, 1, RATE);
      // measured: mean 0.997-1.011, lowest window 0.73-0.84
      expect(mean(density), `size ${roomsize}`).toBeGreaterThan(0.9);
      expect(mean(density)).toBeLessThan(1.1);
      expect(Math.min(...density)).toBeGreaterThan(0.6);
      // measured 0.47-0.55 (white noise: 0.59)
      expect(flatness(ir, 9600), `size ${roomsize}`).toBeGreaterThan(0.4);
    }
    // the measures do see a metallic tail: a noise burst through one feedback comb
    const comb = new Float32Array(96000);
    for (let i = 0; i < comb.length; i++) comb[i] = (i < 24 ? Math.sin(i * 12.9898) : 0) + (i >= 523 ? 0.95 * comb[i - 523]! : 0);
    expect(mean(echoDensity(comb, 4800, 48000))).toBeLessThan(0.3);
    expect(flatness(comb, 9600)).toBeLessThan(0.1);
    // RT60 2 s (roomsize 2): the level falls 60 dB in about 2 s (fitted from -5 to -35 dB)
    const ir = left({ ...burst, roomsize: 2 }, 3 * RATE);
    const env = rmsEnvelope(ir, 2400).map((x) => 20 * Math.log10(x + 1e-12));
    const top = Math.max(...env.slice(0, 10));
    const t5 = env.findIndex((v, i) => i > 2 && v < top - 5), t35 = env.findIndex((v, i) => i > 2 && v < top - 35);
    const rt60 = ((t35 - t5) * 2400 / RATE) * 2;
    expect(rt60).toBeGreaterThan(1.5);
    expect(rt60).toBeLessThan(2.6);
  });

  test("phaser: notches sweep through the spectrum of a voice played through it", () => {
    const noise = { s: "white", gain: 0.3, attack: 0, decay: 0, sustain: 1, phaserrate: 0.5, phaserdepth: 1, phasercenter: 1000, phasersweep: 1600 };
    const out = left(noise, 96000);
    const spectrumAt = (from: number) => {
      const p = powerSpectrum(out, 2048, from);
      return Array.from(p.subarray(Math.round((200 * 2048) / RATE), Math.round((3000 * 2048) / RATE)));
    };
    const a = spectrumAt(4800), b = spectrumAt(4800 + RATE);
    // a notch: a deep dip against its neighbourhood, and at another place half a period later
    const deepest = (p: number[]) => p.indexOf(Math.min(...p));
    expect(Math.abs(deepest(a) - deepest(b))).toBeGreaterThan(3);
    expect(rms(out)).toBeGreaterThan(0.05 * SYNTH);
  });

  test("compressor: a steady tone above the threshold comes out at threshold + excess / ratio", () => {
    // a sine peaking at 0.5 (-6 dBFS: gain 0.5 over the synth level); threshold -20 dB, ratio 4, hard
    // knee: -20 + 14/4 = -16.5 dBFS (a peak detector with a slow release holds the level between the sine's peaks)
    const out = left({ s: "sine", freq: 500, gain: 0.5 / SYNTH, pan: 0, attack: 0, decay: 0, sustain: 1, compressor: -20, compressorRatio: 4, compressorKnee: 0, compressorAttack: 0.001, compressorRelease: 0.5 }, 48000);
    const level = 20 * Math.log10(peak(out.subarray(24000)));
    expect(level).toBeCloseTo(-16.5, 0);
  });

  test("an orbit goes to its own pair of channels on a multi-channel output", () => {
    const render = (orbit: number) => {
      const engine = Engine.open({ backend: "offline", channels: 4 });
      try {
        engine.routeOrbit(1, 2);
        const buf = new EventBuffer(1);
        buf.add({ s: "sine", freq: 300, gain: 0.3, orbit, room: 0.3 }, 0, DUR_FOREVER);
        engine.push(buf);
        return engine.render(9600);
      } finally {
        engine.close();
      }
    };
    const one = render(1), zero = render(0);
    for (const c of [0, 1]) expect(rms(channel(one, 4, c))).toBe(0);
    for (const c of [2, 3]) expect(rms(channel(one, 4, c))).toBeGreaterThan(0.1 * SYNTH);
    for (const c of [0, 1]) expect(rms(channel(zero, 4, c))).toBeGreaterThan(0.1 * SYNTH);
    for (const c of [2, 3]) expect(rms(channel(zero, 4, c))).toBe(0);
    const engine = Engine.open({ backend: "offline", channels: 4 });
    expect(() => engine.routeOrbit(1, 4)).toThrow(/firstChannel must be an even channel with a pair/);
    expect(() => engine.routeOrbit(99, 0)).toThrow(/orbit must be/);
    engine.close();
  });
});

describe("the master limiter", () => {
  test("never lets a peak through: a 12 dB overshoot out of silence stays below -1 dBTP from its first sample", () => {
    // gain 4 over the synth level: a full-scale square 12 dB up
    const out = renderNotes([{ controls: { s: "square", freq: 100, gain: 4 / SYNTH, attack: 0, decay: 0, sustain: 1 }, at: 1000, dur: 20000 }], 24000);
    for (const c of [0, 1]) expect(20 * Math.log10(truePeak(channel(out, 2, c)))).toBeLessThanOrEqual(-1);
    expect(peak(out)).toBeGreaterThan(0.8);
  });

  test("material below the threshold passes bit-exact: a pad and kicks peaking near the threshold are untouched", () => {
    const engine = Engine.open({ backend: "offline" });
    try {
      const buf = new EventBuffer(8);
      // a triangle at 0.25 of full scale and kicks at 1.3 (the kit's kick 2.3 dB under -1 dBTP)
      buf.add({ s: "triangle", freq: 220, gain: 0.25 / SYNTH, attack: 0.05 }, 0, DUR_FOREVER);
      for (let k = 0; k < 4; k++) buf.add({ s: "bd", gain: 1.3 }, 12000 * k, DUR_FOREVER);
      engine.push(buf);
      let lowest = 1;
      for (let i = 0; i < 20; i++) {
        engine.render(2400);
        lowest = Math.min(lowest, engine.telemetry().limiterGain);
      }
      expect(lowest).toBe(1);
    } finally {
      engine.close();
    }
  });

  test("no pumping: a pad is turned down only around a loud hit, smoothly, and is back within 300 ms", () => {
    const notes = [
      // at 0.5 and 1.5 of full scale (gain over the synth level)
      { controls: { s: "sine", freq: 220, gain: 0.5 / SYNTH, pan: 0, attack: 0, decay: 0, sustain: 1 }, at: 0, dur: 96000 },
      { controls: { s: "sine", freq: 55, gain: 1.5 / SYNTH, pan: 0, attack: 0.002, decay: 0.05, sustain: 0, release: 0 }, at: 24000, dur: 2400 },
    ];
    const out = channel(renderNotes(notes, 96000), 2, 0);
    const pad = channel(renderNotes([notes[0]!], 96000), 2, 0);
    // before the hit's lookahead window, bit-exact
    expect(Buffer.from(out.buffer, 0, 4 * (24000 - 48)).equals(Buffer.from(pad.buffer, 0, 4 * (24000 - 48)))).toBe(true);
    // 300 ms after the hit ended the pad is back within 0.1 dB
    const later = toneAmplitude(out, RATE, 220, 24000 + 2400 + 14400, 24000 + 2400 + 19200);
    expect(20 * Math.log10(later / toneAmplitude(pad, RATE, 220, 48000, 52800))).toBeGreaterThan(-0.1);
    // and the gain never jumped: no step bigger than a smooth ramp between neighbouring samples
    let worst = 0;
    for (let i = 24000; i < 30000; i++) worst = Math.max(worst, Math.abs(out[i + 1]! - out[i]!));
    expect(worst).toBeLessThan(0.06);
  });
});
