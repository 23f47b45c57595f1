// Sound quality, measured on offline renders through the real engine (issue 14):
// aliasing of every oscillator, harmonic levels, clicks at note boundaries and
// fades, the master's true peak and how often its limiter works on an
// ordinary program, the ladder's resonance, the delay's treble, the
// waveshapers' aliasing. Each assertion holds the goal where it is met, and
// where it is not yet the level measured now (so a regression fails), with
// the goal named beside it.
import { describe, expect, test } from "vitest";
import { DUR_FOREVER, Engine, EventBuffer, SLOT_ALL, soundLevel, type Controls } from "../../server/engine/index.ts";
import { channel, dB, hfBurst, loudness, rms, saveWav, truePeak, windowedAmplitude, worstAlias } from "./audio-analysis.ts";
import { renderNotes } from "./helpers.ts";

const RATE = 48000;
/** An oscillator's level at gain 1 (0.19, -14.4 dB: native/ostinato.h, OST_SYNTH_LEVEL). */
const SYNTH = soundLevel("sawtooth");
const steady = { attack: 0, decay: 0, sustain: 1, pan: 0 };
const left = (controls: Controls, frames = 40000, dur = DUR_FOREVER, config = {}) =>
  channel(renderNotes([{ controls, at: 0, dur }], frames, config), 2, 0);
/** Prints a measured figure beside its name (the README quotes these). */
const report = (name: string, value: number) => console.log(`quality: ${name}: ${value.toFixed(2)} dB`);

describe("oscillators: aliasing and harmonics", () => {
  // Fundamentals between 1 and 8 kHz that do not divide 48 kHz (C6, C#7, B7, F8, B8).
  const F0S = [1046.5, 2217.46, 3951.07, 5587.65, 7902.13];
  const waves: [string, Controls][] = [
    ["sawtooth", { s: "sawtooth" }],
    ["square", { s: "square" }],
    ["pulse 0.25", { s: "pulse", pw: 0.25 }],
    ["triangle", { s: "triangle" }],
    // detune 0: the unison voices share the pitch, so every partial is a harmonic
    ["supersaw", { s: "supersaw", detune: 0 }],
  ];
  // Goal: every alias below -90 dB re the fundamental, for every fundamental
  // up to 8 kHz. Band-limited wavetables measure -106.0, -106.7, -103.9,
  // -131.7, -100.1 dB (the 4-point BLEP: -35.3, -35.3, -35.3, -49.3, -33.9).
  const GOAL = -90;
  for (const [name, controls] of waves) {
    test(`${name}: worst alias below ${GOAL} dB re the fundamental at 1-8 kHz`, () => {
      let worst = -Infinity;
      for (const f0 of F0S) {
        const out = left({ ...steady, ...controls, freq: f0, gain: 0.1 }, 40000);
        const level = worstAlias(out, RATE, f0);
        if (level > GOAL) saveWav(`alias-${name.replace(/ /g, "")}-${Math.round(f0)}`, out, 1, RATE);
        worst = Math.max(worst, level);
      }
      report(`worst alias ${name}`, worst);
      expect(worst).toBeLessThan(GOAL);
    });
  }

  test("the alias measure sees aliasing (a naively sampled saw) and nothing in a pure sum of harmonics", () => {
    const f0 = 3951.07, naive = new Float32Array(40000), clean = new Float32Array(40000);
    for (let i = 0; i < naive.length; i++) {
      naive[i] = 0.1 * (2 * ((i * f0 / RATE) % 1) - 1);
      for (let h = 1; h * f0 < RATE / 2; h++) clean[i]! += (0.1 * Math.sin((2 * Math.PI * h * f0 * i) / RATE)) / h;
    }
    expect(worstAlias(naive, RATE, f0)).toBeGreaterThan(-20);
    expect(worstAlias(clean, RATE, f0)).toBeLessThan(-120);
  });

  // Goal: the saw's harmonics at 2 / (pi n) within 1 dB up to 18 kHz.
  // Measured: within 0.01 dB (the BLEP's droop was -8.2 dB at 15.8 kHz).
  test("sawtooth harmonics against 1/n up to 18 kHz: within 1 dB", () => {
    let worst = 0;
    for (const f0 of [440, 1046.5, 3951.07]) {
      const out = left({ ...steady, s: "sawtooth", freq: f0, gain: 0.1 }, 40000);
      for (let h = 1; h * f0 <= 18000; h++) {
        const level = dB(windowedAmplitude(out, RATE, h * f0, 4096, 32768) / ((0.1 * SYNTH * 2) / (Math.PI * h)));
        if (Math.abs(level) > Math.abs(worst)) worst = level;
      }
    }
    report("saw harmonics, worst against 1/n to 18 kHz", worst);
    expect(Math.abs(worst)).toBeLessThan(1);
  });

  test("square at exactly 4000 Hz: every period the same, no spike at the edges", () => {
    const out = left({ ...steady, s: "square", freq: 4000, gain: 0.1 }, 24000);
    let worst = 0;
    for (let i = 4800; i < 24000 - 12; i++) worst = Math.max(worst, Math.abs(out[i + 12]! - out[i]!));
    // one period (12 samples) against the next, re the amplitude: a spike of the
    // old rounding would be a full step (2 x 0.1)
    expect(worst / (0.1 * SYNTH)).toBeLessThan(0.01);
  });
});

describe("clicks: high-frequency bursts at note boundaries and fades", () => {
  // A tone with nothing above 8 kHz (a sine, or a lowpassed oscillator);
  // the burst is the loudest 1 ms above 8 kHz near the boundary, re the tone.
  const NOTE = 12000; // 250 ms
  const burstAt = (out: Float32Array, at: number) => hfBurst(out, RATE, at - 96, at + 4800, rms(out, 2400, NOTE - 480));

  // low notes, low cutoffs: the steady tone leaves nothing above 8 kHz (checked below)
  const voices: [string, Controls][] = [
    ["sine", { s: "sine", freq: 220 }],
    ["saw, 12 dB lowpass", { s: "sawtooth", freq: 55, lpf: 300 }],
    ["saw, ladder", { s: "sawtooth", freq: 55, lpf: 300, ftype: 1 }],
    ["saw, 24 dB", { s: "sawtooth", freq: 55, lpf: 300, ftype: 2 }],
    ["saw, lowpass envelope", { s: "sawtooth", freq: 55, lpf: 200, lpenv: 1, lpsustain: 0.5 }],
    ["square, lowpass", { s: "square", freq: 55, lpf: 300 }],
    ["pulse, lowpass", { s: "pulse", freq: 55, pw: 0.3, lpf: 300 }],
    ["triangle, lowpass", { s: "triangle", freq: 55, lpf: 300 }],
    ["supersaw, lowpass", { s: "supersaw", freq: 55, lpf: 300 }],
    ["saw, vibrato, lowpass", { s: "sawtooth", freq: 55, vib: 5, vibmod: 0.5, lpf: 300 }],
  ];
  // Goal: below -70 dB at the note's end with the default envelope. The
  // chain's voices keep their lane, silent, until their filters have rung
  // down (they measured -41 to -49 dB when the voice was freed mid-ring);
  // the plain path applies its envelope after its filter, so its linear
  // release corners set its level. Measured: sine -76.3, 12 dB -80.0,
  // ladder -116.5, 24 dB -122.2, lowpass envelope -83.3, square -78.5,
  // pulse -86.0, triangle -74.7, supersaw -82.3, vibrato -80.4.
  const endLimit: Record<string, number> = {
    sine: -75,
    "saw, 12 dB lowpass": -78,
    "saw, ladder": -100,
    "saw, 24 dB": -100,
    "saw, lowpass envelope": -80,
    "square, lowpass": -76,
    "pulse, lowpass": -80,
    "triangle, lowpass": -72,
    "supersaw, lowpass": -78,
    "saw, vibrato, lowpass": -78,
  };
  // The start (the default 1 ms linear attack), measured: sine -56.0, the
  // plain 12 dB path's saw -57.5, square -61.9 and triangle -77.8 (their
  // envelope follows the filter, so the attack's corners pass unfiltered),
  // the chain's voices (envelope before the filters) -72.3 to -135.5. Not in
  // issue 14's table; asserted so that it does not get worse.
  const START_LIMIT: Record<string, number> = {
    sine: -54,
    "saw, 12 dB lowpass": -55,
    "saw, ladder": -120,
    "saw, 24 dB": -120,
    "saw, lowpass envelope": -70,
    "square, lowpass": -59,
    "pulse, lowpass": -78,
    "triangle, lowpass": -75,
    "supersaw, lowpass": -77,
    "saw, vibrato, lowpass": -74,
  };
  for (const [name, controls] of voices) {
    test(`${name}, default envelope: the note's end below ${endLimit[name]} dB, its start below ${START_LIMIT[name]} dB`, () => {
      const out = left({ ...controls, gain: 0.3, pan: 0 }, NOTE + 24000, NOTE);
      const end = burstAt(out, NOTE);
      const tone = hfBurst(out, RATE, 4800, 9600, rms(out, 2400, NOTE - 480));
      const start = hfBurst(out, RATE, 0, 2400, rms(out, 2400, NOTE - 480));
      report(`note end burst, ${name}`, end);
      report(`note start burst, ${name}`, start);
      expect(start).toBeLessThan(START_LIMIT[name]!);
      expect(tone).toBeLessThan(-76); // the steady tone is well below the goal: the measure sees the boundary
      if (end > endLimit[name]!) saveWav(`click-end-${name.replace(/[ ,]+/g, "-")}`, out, 1, RATE);
      expect(end).toBeLessThan(endLimit[name]!);
    });
  }

  /** A held 220 Hz sine stopped at frame AT by `stop` (pushing more events). */
  const AT = 12000;
  const faded = (stop: (buf: EventBuffer) => void, first: Controls = {}, config = {}) => {
    const engine = Engine.open({ backend: "offline", ...config });
    try {
      const buf = new EventBuffer(4);
      buf.add({ ...steady, s: "sine", freq: 220, gain: 0.3, ...first }, 0, DUR_FOREVER, 1);
      stop(buf);
      engine.push(buf);
      return channel(engine.render(AT + 9600), 2, 0);
    } finally {
      engine.close();
    }
  };
  // Goal: below -85 dB for the 5 ms fades of mute, hush and a stolen voice.
  // Every fade is a raised cosine: measured -112.3, -112.3, -112.1 dB (the
  // linear fades were -74.5), and the 0.8 ms cut -77.0 (linear: -55.0).
  const fades: [string, () => Float32Array, number][] = [
    ["release of its slot (mute)", () => faded((b) => b.addRelease(1, AT)), -100],
    ["hush (every slot)", () => faded((b) => b.addRelease(SLOT_ALL, AT)), -100],
    ["a stolen voice", () => faded((b) => b.add({ ...steady, s: "sine", freq: 220, gain: 0 }, AT, DUR_FOREVER, 2), {}, { maxVoices: 1 }), -100],
    // a cut fades in 0.8 ms (a hi-hat choke must be quick)
    ["a voice cut by its group", () => faded((b) => b.add({ ...steady, s: "sine", freq: 220, gain: 0, cut: 1 }, AT, DUR_FOREVER, 2), { cut: 1 }), -75],
  ];
  for (const [name, render, limit] of fades) {
    test(`fade of ${name}: below ${limit} dB`, () => {
      const out = render();
      const level = hfBurst(out, RATE, AT - 96, AT + 4800, rms(out, 2400, AT - 480));
      report(`fade burst, ${name}`, level);
      expect(rms(out, AT + 1200, AT + 9600)).toBe(0); // and it did stop
      expect(level).toBeLessThan(limit);
    });
  }
});

describe("the master: true peak and headroom", () => {
  // At gain 1 white noise peaks at -12 dBTP (the synth level); played at
  // full scale (gain 1 / 0.19) it is what the master's ceiling must hold.
  test("white noise at full scale: true peak at most -1 dBTP", () => {
    const out = renderNotes([{ controls: { ...steady, s: "white", gain: 1 / SYNTH, pan: 0.5 }, at: 0, dur: DUR_FOREVER }], 24000);
    const l = channel(out, 2, 0);
    const tp = dB(truePeak(l.subarray(2400)));
    report("white noise at full scale, true peak (dBTP)", tp);
    // Goal: -1 dBTP. The limiter watches true peaks (4x interpolated): -1.10
    // dBTP measured (it watched sample peaks at 0.95 before: +2.1 dBTP).
    expect(tp).toBeLessThanOrEqual(-1);
  });

  /** Share of 10 ms blocks in which the limiter turned the master down; the mix's true peak and loudness. */
  const limiterShare = (notes: { controls: Controls; at: number; dur: number }[], seconds: number) => {
    const engine = Engine.open({ backend: "offline" });
    try {
      const buf = new EventBuffer(notes.length);
      for (const n of notes) buf.add(n.controls, n.at, n.dur);
      engine.push(buf);
      let limited = 0, blocks = 0, lowest = 1;
      const out = new Float32Array(seconds * RATE * 2);
      for (let f = 0; f < seconds * RATE; f += 480, blocks++) {
        out.set(engine.render(480), 2 * f);
        const g = engine.telemetry().limiterGain;
        if (g < 1) limited++;
        lowest = Math.min(lowest, g);
      }
      const peak = Math.max(truePeak(channel(out, 2, 0)), truePeak(channel(out, 2, 1)));
      return { share: limited / blocks, lowest: dB(lowest), peak: dB(peak), lufs: loudness(out) };
    } finally {
      engine.close();
    }
  };

  test("a typical 4-layer program at default gains (drums, saw bass, triangle chords, square lead)", () => {
    const notes: { controls: Controls; at: number; dur: number }[] = [];
    const beat = 12000; // 120 bpm
    for (let b = 0; b < 16; b++) {
      const at = b * beat;
      notes.push({ controls: { s: b % 2 ? "sd" : "bd" }, at, dur: DUR_FOREVER });
      notes.push({ controls: { s: "hh" }, at: at + beat / 2, dur: DUR_FOREVER });
      notes.push({ controls: { s: "sawtooth", note: 36 + (b % 4 === 3 ? 7 : 0), lpf: 800 }, at, dur: beat / 2 });
      notes.push({ controls: { s: "square", note: [72, 74, 76, 79][b % 4], lpf: 3000 }, at: at + beat / 4, dur: beat / 4 });
      if (b % 4 === 0) for (const n of [60, 64, 67]) notes.push({ controls: { s: "triangle", note: n }, at, dur: beat * 4 - 480 });
    }
    const { share, lowest, peak, lufs } = limiterShare(notes, 8);
    report("4-layer program, limiter share (%)", 100 * share);
    report("4-layer program, lowest limiter gain", lowest);
    report("4-layer program, true peak (dBTP)", peak);
    report("4-layer program, loudness (LUFS)", lufs);
    // Goal: the limiter idle on ordinary material (at most 5 % of the time).
    // With every synth at gain 1 = full scale it worked 56.6 % of the time,
    // down to -10.3 dB; with synths at 0.19 (-14.4 dB) and the kit 2.9 dB
    // lower than it was, it is idle: the program peaks at -4.0 dBTP (3 dB of
    // headroom under the -1 dBTP ceiling) and reads -16.0 LUFS.
    expect(share).toBeLessThanOrEqual(0.05);
    expect(lowest).toBeGreaterThan(-1);
    expect(peak).toBeLessThan(-2);
  });

  // The other dense cases at gain 1: one supersaw (it limited by
  // -4.7 dB; now peaks at -9.2 dBTP), a three-note saw chord (-6.7 dB; now
  // -7.2 dBTP).
  test("a supersaw, and a three-note saw chord, at gain 1: the limiter idle", () => {
    const held = (notes: number[], s: string) => notes.map((note) => ({ controls: { s, note }, at: 0, dur: 3 * RATE }));
    for (const [name, notes] of [["supersaw", held([48], "supersaw")], ["saw chord", held([48, 52, 55], "sawtooth")]] as const) {
      const { share, peak } = limiterShare([...notes], 3);
      report(`${name} at gain 1, limiter share (%)`, 100 * share);
      report(`${name} at gain 1, true peak (dBTP)`, peak);
      expect(share).toBe(0);
    }
  });

  // What gain 1 means, as loudness: each voice kind plays the same figure,
  // one note a beat at 120 bpm for 2 s (synths held half a beat with the
  // default envelope, drums let ring), and its BS.1770 loudness (K-weighted,
  // ungated) is compared with the kit's kick. Measured (LUFS): kick -21.0;
  // sine -21.8, saw -23.0, square and pulse -18.4, triangle -23.5, supersaw
  // -20.9, white -19.0, pink -24.9; snare -28.9, clap -30.6, hi-hat -37.1
  // (quieter by design, as in a kit). With synths at full scale the saw read
  // -8.5 LUFS, 9.5 dB over the kick.
  test("loudness at gain 1: every oscillator within 3 dB of the drum kit's kick", () => {
    const figure = (controls: Controls, held: boolean) =>
      loudness(renderNotes(Array.from({ length: 4 }, (_, b) => ({ controls, at: b * 24000, dur: held ? 12000 : DUR_FOREVER })), 4 * 24000));
    const kick = figure({ s: "bd" }, false);
    report("loudness (LUFS), bd", kick);
    for (const s of ["sd", "hh", "cp"]) report(`loudness (LUFS), ${s}`, figure({ s }, false));
    for (const s of ["white", "pink"]) report(`loudness (LUFS), ${s}`, figure({ s }, true));
    for (const s of ["sine", "sawtooth", "square", "pulse", "triangle", "supersaw"]) {
      const level = figure({ s, note: 48 }, true);
      report(`loudness (LUFS), ${s}`, level);
      expect(Math.abs(level - kick)).toBeLessThan(3);
    }
  });
});

describe("filters and delay", () => {
  // Goals: the ladder's gain at the cutoff the same at any level (0.5 dB) and
  // the 12 dB filter's for the same resonance (1 dB); a delay's echo losing
  // at most 0.1 dB to 10 kHz. Measured: the ladder is linear now, and its
  // feedback is set for the 12 dB filter's gain at the cutoff (it measured
  // 17.8 dB level dependence and 5.7 dB mismatch with a soft clip at its input
  // and k = 4 (1 - 0.5 / q)); the delay reads with an 8-point Lagrange
  // interpolator (linear interpolation lost 2.0 dB per echo at 10 kHz).
  const LADDER_LEVEL_DEPENDENCE = 0.5, LADDER_MISMATCH = 1, DELAY_LOSS = -0.1;
  /** Gain through a filter at 1 kHz of a sine fed to it at `level` (the envelope comes before the filters; gain after them). */
  const sineThrough = (controls: Controls, level: number) =>
    windowedAmplitude(left({ ...steady, s: "sine", freq: 1000, gain: 0.05, sustain: level, ...controls }, 40000), RATE, 1000, 4096, 32768) / (0.05 * level);

  test("the ladder's resonance does not depend on the level, and means the 12 dB filter's peak", () => {
    let levelDependence = 0, mismatch = 0;
    for (const q of [2, 8]) {
      // fed at full scale, as an oscillator feeds it, and 26 dB lower
      const quiet = dB(sineThrough({ lpf: 1000, resonance: q, ftype: 1 }, 0.05));
      const loud = dB(sineThrough({ lpf: 1000, resonance: q, ftype: 1 }, 1));
      const svf = dB(sineThrough({ lpf: 1000, resonance: q }, 1));
      levelDependence = Math.max(levelDependence, Math.abs(loud - quiet));
      mismatch = Math.max(mismatch, Math.abs(quiet - svf));
    }
    report("ladder, gain at the cutoff, quiet against loud (worst)", levelDependence);
    report("ladder against the 12 dB filter at the cutoff, same resonance (worst)", mismatch);
    expect(levelDependence).toBeLessThan(LADDER_LEVEL_DEPENDENCE);
    expect(mismatch).toBeLessThan(LADDER_MISMATCH);
  });

  test("a fractional delay time keeps the treble: each echo loses at most 0.1 dB up to 10 kHz", () => {
    let worst = 0;
    for (const hz of [4000, 8000, 10000]) {
      // a 40 ms tone, echoes every 4800.5 frames
      const out = left({ s: "sine", freq: hz, gain: 0.3, pan: 0, attack: 0.005, decay: 0, sustain: 1, release: 0.005, delay: 1, delaytime: 4800.5 / RATE, delayfeedback: 0.5, dry: 0 }, 4 * 4801 + 2400, 1920);
      const echo = (k: number) => windowedAmplitude(out, RATE, hz, Math.round(4800.5 * k) + 480, 1024);
      worst = Math.min(worst, dB(echo(2) / echo(1) / 0.5));
    }
    report("delay, worst loss per echo to 10 kHz", worst);
    expect(worst).toBeGreaterThan(DELAY_LOSS);
  });
});

describe("waveshapers: aliasing and the curve", () => {
  // Goal: aliases <= -90 dB below 12 kHz. The shapers run 8x oversampled
  // (three IIR half-band stages each way), shape and distort (soft) also
  // antiderivative-antialiased (native/shaper.h). Measured on a full-scale
  // sine (the shaper sees the envelope, the gain comes after it), worst below
  // 12 kHz, up to 3951 Hz (B7, the highest fundamental these tests use):
  //   f0        shape 0.5  shape 0.9  distort 1  distort 3  distort 6
  //   440 Hz     -131.1     -131.1     -131.1     -131.1     -100.9
  //   1318.5 Hz  -130.0     -121.3     -129.9     -125.8      -81.5
  //   2217.5 Hz  -143.2     -109.9     -147.1     -120.7      -77.4
  //   3951.1 Hz  -128.9      -96.9     -134.2     -111.0      -72.5
  // (at 1 sample per frame: shape 0.9 -40.5, distort 3 -35.3; 4x FIR
  // half-bands before: shape 0.9 -77.5 and distort 3 -49.0 at 3951 Hz).
  // distort 6 (a drive of e^6 = 403, nearly a hard clip) is asserted at
  // today's level: its harmonics reach past 2 MHz.
  const GOAL = -90;
  const shaped = (f0: number, controls: Controls) =>
    left({ ...steady, s: "sine", freq: f0, gain: 0.5, ...controls }, 40000);
  const cases: [number, Controls, number][] = [];
  for (const f0 of [440, 1318.51, 2217.46, 3951.07])
    for (const c of [{ shape: 0.5 }, { shape: 0.9 }, { distort: 1 }, { distort: 3 }, { shape: 0.5, distort: 1 }]) cases.push([f0, c, GOAL]);
  cases.push([440, { distort: 6 }, -97], [1318.51, { distort: 6 }, -78], [3951.07, { distort: 6 }, -69]);
  // crush runs in the same oversampler, its staircase ADAA'd (in double):
  //   f0        crush 4   crush 8   (1 sample per frame: crush 4 -41.3 / -36.0 / -35.0, crush 8 -68.3 / -68.7 / -68.8)
  //   440 Hz     -95.1    -111.7
  //   1318.5 Hz  -88.2    -105.3
  //   3951.1 Hz  -74.2    -105.6
  // crush 4 (8 steps a side) is asserted at today's level above 440 Hz.
  for (const f0 of [440, 1318.51, 3951.07]) cases.push([f0, { crush: 8 }, GOAL]);
  cases.push([440, { crush: 4 }, GOAL], [1318.51, { crush: 4 }, -85], [3951.07, { crush: 4 }, -71]);
  for (const [f0, controls, limit] of cases) {
    const name = Object.entries(controls).map(([k, v]) => `${k} ${v}`).join(", ");
    test(`${name} on a ${f0} Hz sine: worst alias below 12 kHz under ${limit} dB`, () => {
      const level = worstAlias(shaped(f0, controls), RATE, f0, 12000);
      report(`${name} at ${f0} Hz, worst alias below 12 kHz`, level);
      expect(level).toBeLessThan(limit);
    });
  }

  // The oversampler must not change the curve: the first harmonics of a
  // shaped sine against the curve's own Fourier series (numerically, in
  // double), within 0.05 dB (the half-bands are flat to 3e-11 dB; ADAA's
  // mean over 1/384000 s dulls 2.2 kHz by 0.0003 dB).
  test("the curves are kept: harmonics 1, 3 and 5 of a shaped 440 Hz sine within 0.05 dB of the curve's (crushed: 0.2 dB)", () => {
    const curves: [Controls, (x: number) => number][] = [
      [{ shape: 0.9 }, (x) => (19 * x) / (1 + 18 * Math.abs(x))],
      [{ distort: 1 }, (x) => Math.tanh(x * Math.E)],
      [{ crush: 4 }, (x) => Math.round(x * 8) / 8],
    ];
    let worst = 0, crushed = 0;
    for (const [controls, f] of curves) {
      const out = shaped(440, controls);
      for (const h of [1, 3, 5]) {
        let c = 0;
        const steps = 1 << 16;
        for (let i = 0; i < steps; i++) c += f(Math.sin((2 * Math.PI * i) / steps)) * Math.sin((2 * Math.PI * h * i) / steps);
        const want = Math.abs((2 * c) / steps) * 0.5 * SYNTH;
        const off = Math.abs(dB(windowedAmplitude(out, RATE, 440 * h, 4096, 32768) / want));
        if (controls.crush) crushed = Math.max(crushed, off);
        else worst = Math.max(worst, off);
      }
    }
    report("shaped sine's harmonics against the curve (worst)", worst);
    report("crushed sine's harmonics against the staircase (worst)", crushed);
    expect(worst).toBeLessThan(0.05);
    expect(crushed).toBeLessThan(0.2);
  });
});
