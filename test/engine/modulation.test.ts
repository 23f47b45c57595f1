// Strudel 1.3's modulation and ducking through the real engine, measured on
// its output: side-chain ducking of an orbit from the trigger's frame, the
// filter LFOs (rate and depth from the filtered noise's spectrum over time),
// the tremolo, the orbit's chorus, the tempo-synced delay (delaysync) and the
// order of an FX(...) chain.
import { describe, expect, test } from "vitest";
import { DUR_FOREVER, Engine, EventBuffer, soundLevel, type Controls } from "../../server/engine/index.ts";
import { channel, kaiserSpectrum, powerSpectrum } from "./audio-analysis.ts";
import { renderNotes } from "./helpers.ts";
import { s } from "../../server/pattern/index.ts";
import { library } from "../../server/pattern/library.ts";

const RATE = 48000;
const SYNTH = soundLevel("sine");
const steady = { attack: 0, decay: 0, sustain: 1, release: 0 };
const left = (controls: Controls, frames: number) => channel(renderNotes([{ controls, at: 0, dur: DUR_FOREVER }], frames), 2, 0);

/** Peak |x| in consecutive windows of `win` frames. */
function peaks(x: Float32Array, win: number): number[] {
  const out: number[] = [];
  for (let s = 0; s + win <= x.length; s += win) {
    let m = 0;
    for (let i = s; i < s + win; i++) m = Math.max(m, Math.abs(x[i]!));
    out.push(m);
  }
  return out;
}

/** Indices of the local maxima of a track that are the largest within `radius` either side. */
function maxima(track: number[], radius: number): number[] {
  const out: number[] = [];
  for (let i = radius; i < track.length - radius; i++) {
    let top = true;
    for (let j = i - radius; j <= i + radius; j++) if (track[j]! > track[i]!) top = false;
    if (top) out.push(i);
  }
  return out;
}

describe("ducking: an event with duckorbit pulls another orbit down from its own frame", () => {
  // A steady sine on orbit 1 (the master pair); a kick on orbit 0, routed to channels 2-3 so it is not
  // heard on the master, ducks orbit 1 at frame T.
  const T = 24000, onset = 0.01, attack = 0.2, depth = 0.8;
  const render = (duck: boolean | number[]) => {
    const engine = Engine.open({ backend: "offline", channels: 4 });
    try {
      engine.routeOrbit(0, 2);
      const buf = new EventBuffer(2);
      buf.add({ s: "sine", freq: 500, gain: 0.5 / SYNTH, orbit: 1, pan: 0, ...steady }, 0, DUR_FOREVER);
      const kick: Controls = { s: "bd", orbit: 0 };
      if (duck) Object.assign(kick, { duckorbit: duck === true ? 1 : duck, duckdepth: depth, duckonset: onset, duckattack: attack });
      buf.add(kick, T, DUR_FOREVER);
      engine.push(buf);
      return channel(engine.render(RATE), 4, 0);
    } finally {
      engine.close();
    }
  };
  const plain = render(false), ducked = render(true);

  test("the ducked orbit is untouched before the trigger's frame and changes at it", () => {
    let first = -1;
    for (let i = 0; i < plain.length && first < 0; i++) if (ducked[i] !== plain[i]) first = i;
    expect(first).toBeGreaterThanOrEqual(T);
    expect(first).toBeLessThanOrEqual(T + 2); // the sine may cross zero at T
  });

  test("a list of orbits ducks each of them; an orbit not in it is left alone", () => {
    const listed = render([3, 1]), other = render([0, 2]);
    expect(listed.every((x, i) => x === ducked[i])).toBe(true);
    expect(other.every((x, i) => x === plain[i])).toBe(true);
  });

  test(`its gain goes to 1 - duckdepth over duckonset, back to 1 over duckattack`, () => {
    // the gain as the ratio of the two renders, where the sine is far from zero
    const gainAt = (frame: number) => {
      let best = frame;
      for (let i = frame - 48; i <= frame + 48; i++) if (Math.abs(plain[i]!) > Math.abs(plain[best]!)) best = i;
      return { gain: ducked[best]! / plain[best]!, at: best };
    };
    const on = Math.round(onset * RATE), att = Math.round(attack * RATE);
    const expected = (f: number) => {
      const t = f - T;
      if (t < 0) return 1;
      if (t < on) return 1 - (depth * (t + 1)) / on;
      if (t < on + att) return 1 - depth + (depth * (t - on + 1)) / att;
      return 1;
    };
    for (const f of [T + on, T + on + att / 4, T + on + att / 2, T + on + att - 200, T + on + att + 500, T - 500]) {
      const { gain, at } = gainAt(f);
      expect(gain).toBeCloseTo(expected(at), 2);
    }
    // the bottom is 1 - depth
    let bottom = 1;
    for (let i = T; i < T + on + att; i++) if (Math.abs(plain[i]!) > 0.3) bottom = Math.min(bottom, ducked[i]! / plain[i]!);
    expect(bottom).toBeCloseTo(1 - depth, 2);
  });
});

describe("filter LFOs: the cutoff follows the wave at the rate and depth asked for", () => {
  /** Power of a signal in [lo, hi) Hz, in windows of 2048 frames every 1024. */
  const bandTrack = (x: Float32Array, lo: number, hi: number) => {
    const n = 2048, out: number[] = [];
    for (let s = 0; s + n <= x.length; s += 1024) {
      const p = powerSpectrum(x, n, s);
      let sum = 0;
      for (let k = Math.ceil((lo * n) / RATE); k < (hi * n) / RATE; k++) sum += p[k]!;
      out.push(sum);
    }
    return out;
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const noise = { s: "white", gain: 0.2, ...steady };
  const band = [3000, 6000] as const; // above every cutoff the LFO reaches: power there tracks the cutoff
  const staticPower = (controls: Controls) => mean(bandTrack(left({ ...noise, ...controls }, RATE), ...band).slice(4));

  for (const [name, controls, rateHz] of [
    ["lprate 1 (Hz)", { cutoff: 1000, lprate: 1, lpdepth: 1 }, 1],
    ["lpsync 2 at cps 0.5", { cutoff: 1000, lpsync: 2, lpdepth: 1, cps: 0.5 }, 1],
  ] as [string, Controls, number][]) {
    test(`${name}: the lowpass swings an octave either side of its cutoff, ${rateHz} times a second`, () => {
      const track = bandTrack(left({ ...noise, ...controls }, 3 * RATE), ...band);
      // a sine from its bottom: the tops at 0.5 s, 1.5 s, 2.5 s (window centres: 1024 + 1024 k frames)
      const times = track.map((_, k) => (1024 + 1024 * k) / RATE);
      expect(maxima(track, 10).length).toBe(3);
      // the phase of the log power's component at the rate: its tops 0.5 / rate after each period's start
      const y = track.map((p) => Math.log(p)), w = 2 * Math.PI * rateHz;
      const re = y.reduce((a, v, k) => a + v * Math.cos(w * times[k]!), 0), im = y.reduce((a, v, k) => a + v * Math.sin(w * times[k]!), 0);
      const top = (((Math.atan2(im, re) / w) % (1 / rateHz)) + 1 / rateHz) % (1 / rateHz);
      expect(Math.abs(top - 0.5 / rateHz)).toBeLessThan(0.01);
      // depth: the tops as a static cutoff of 2000 Hz, the bottoms as 500 Hz (within 1.5 dB)
      const db = (x: number) => 10 * Math.log10(x);
      const high = Math.max(...track), low = Math.min(...track.slice(2));
      expect(Math.abs(db(high / staticPower({ cutoff: 2000 })))).toBeLessThan(1.5);
      expect(Math.abs(db(low / staticPower({ cutoff: 500 })))).toBeLessThan(1.5);
    });
  }

  test("hprate: the highpass's cutoff moves too (the power below it rises and falls at the rate)", () => {
    const track = bandTrack(left({ ...noise, hcutoff: 2000, hprate: 2, hpdepth: 1 }, 2 * RATE), 200, 800);
    const tops = maxima(track, 6).map((k) => (1024 + 1024 * k) / RATE);
    // the highpass lets most through at its lowest cutoff: the wave's bottom, at 0, 0.5, 1 ... s
    expect(tops.length).toBeGreaterThanOrEqual(3);
    for (const t of tops) expect(Math.abs(t * 2 - Math.round(t * 2))).toBeLessThan(0.08);
    expect(Math.max(...track) / Math.min(...track)).toBeGreaterThan(8);
  });
});

describe("tremolo: the gain dips to 1 - depth at the tremolo's rate", () => {
  const tone = { s: "sine", freq: 1000, gain: 0.5 / SYNTH, pan: 0, ...steady };
  for (const [name, controls] of [
    ["tremolo 4 (Hz)", { tremolo: 4, tremolodepth: 0.5 }],
    ["tremolosync 8 at cps 0.5", { tremolosync: 8, tremolodepth: 0.5, cps: 0.5 }],
  ] as [string, Controls][]) {
    test(name, () => {
      const env = peaks(left({ ...tone, ...controls }, RATE), 48); // one carrier period a window: 1 ms
      const top = Math.max(...env), bottom = Math.min(...env.slice(2));
      expect(top).toBeCloseTo(0.5, 2);
      expect(bottom / top).toBeCloseTo(0.5, 2);
      // the dips (the wave's tops) at 0.125, 0.375, 0.625, 0.875 s
      const dips = maxima(env.map((x) => -x), 40).map((k) => (k + 0.5) / 1000);
      expect(dips.length).toBe(4);
      dips.forEach((t, i) => expect(Math.abs(t - (0.125 + 0.25 * i))).toBeLessThan(0.004));
    });
  }

  test("a square tremolo has two levels; tremolophase moves the wave", () => {
    const env = peaks(left({ ...tone, tremolo: 2, tremolodepth: 1, tremoloshape: 2 }, RATE), 48);
    const levels = env.slice(2).filter((x) => x > 0.01 && x < 0.49);
    expect(levels.length).toBeLessThan(6); // only at the steps
    expect(Math.max(...env.slice(260, 490))).toBeLessThan(0.01); // second quarter of the period: gain 0
    const shifted = peaks(left({ ...tone, tremolo: 2, tremolodepth: 1, tremoloshape: 2, tremolophase: 0.5 }, RATE), 48);
    expect(Math.max(...shifted.slice(10, 240))).toBeLessThan(0.01); // half a period on: gain 0 from the start
  });

  test("absurd tremolo settings are sanitised: the output stays finite and bounded", () => {
    const out = left({ ...tone, tremolo: 1e30, tremolodepth: Number.NaN, tremoloskew: -5, tremoloshape: 99, tremolophase: Infinity }, 9600);
    expect(out.every((x) => Number.isFinite(x) && Math.abs(x) <= 1)).toBe(true);
  });
});

describe("delaysync: the delay time in cycles", () => {
  test("delaysync 0.25 at cps 0.5: the first echo 0.5 s after the note", () => {
    const out = left({ s: "sine", freq: 1000, gain: 0.5 / SYNTH, attack: 0, decay: 0.01, sustain: 0, release: 0, delay: 0.5, delaysync: 0.25, delayfeedback: 0.3, cps: 0.5, pan: 0 }, RATE);
    const env = peaks(out, 48);
    let echo = -1;
    for (let k = 40; k < env.length && echo < 0; k++) if (env[k]! > 0.05) echo = k;
    expect(Math.abs(echo * 48 - 0.5 * RATE)).toBeLessThanOrEqual(96);
  });
});

describe("chorus: detuned copies, decorrelated between the sides", () => {
  // a 1 kHz sine sent to the chorus only (dry 0): what comes out is the chorus
  const render = (controls: Controls) => renderNotes([{ controls: { s: "sine", freq: 1000, gain: 0.5 / SYNTH, ...steady, ...controls }, at: 0, dur: DUR_FOREVER }], 3 * RATE);
  const wet = render({ chorus: 1, dry: 0 });
  const l = channel(wet, 2, 0), r = channel(wet, 2, 1);

  test("each copy is detuned by up to about 17 cents: the tone is smeared within ±25 cents, not beyond", () => {
    const n = 65536, p = kaiserSpectrum(l, n, 9600), hz = RATE / n;
    const power = (lo: number, hi: number) => {
      let s = 0;
      for (let k = Math.ceil(lo / hz); k <= Math.floor(hi / hz); k++) s += p[k]!;
      return s;
    };
    const cents = (c: number) => 1000 * Math.pow(2, c / 1200);
    const total = power(20, 20000), inside = power(cents(-25), cents(25)), centre = power(999, 1001);
    expect(inside / total).toBeGreaterThan(0.99); // nothing beyond 25 cents
    expect(centre / total).toBeLessThan(0.3); // most of it moved off the note
    expect(power(cents(-25), cents(-8)) / total).toBeGreaterThan(0.1); // copies flat ...
    expect(power(cents(8), cents(25)) / total).toBeGreaterThan(0.1); // ... and sharp
  });

  test("the sides decorrelate (a centred dry voice's sides are identical)", () => {
    const corr = (a: Float32Array, b: Float32Array) => {
      let ab = 0, aa = 0, bb = 0;
      for (let i = 9600; i < a.length; i++) ab += a[i]! * b[i]!, aa += a[i]! * a[i]!, bb += b[i]! * b[i]!;
      return ab / Math.sqrt(aa * bb);
    };
    expect(Math.abs(corr(l, r))).toBeLessThan(0.5);
    const dry = render({});
    expect(corr(channel(dry, 2, 0), channel(dry, 2, 1))).toBeCloseTo(1, 6);
  });

  test("the dry sound is left as it is: chorus adds to it", () => {
    const both = render({ chorus: 1 }), dry = render({});
    let worst = 0;
    for (let i = 0; i < both.length; i++) worst = Math.max(worst, Math.abs(both[i]! - dry[i]! - wet[i]!));
    expect(worst).toBeLessThan(1e-5);
  });
});

describe("FX(...): the chain's effects play after the others, in its order", () => {
  // A 200 Hz sawtooth, distorted and lowpassed at 500 Hz, from patterns: distortion after the filter
  // (Strudel's own order, and FX(lpf, distort)) makes new harmonics above the cutoff; before it, the
  // filter takes them away.
  const { lpf, distort } = library as any;
  const render = (pat: any) => {
    const value = pat.queryArc(0, 1)[0].value as Controls;
    return channel(renderNotes([{ controls: { ...value, freq: 200, gain: 0.2, ...steady }, at: 0, dur: DUR_FOREVER }], RATE), 2, 0);
  };
  const high = (x: Float32Array) => {
    const n = 8192, p = powerSpectrum(x, n, 9600);
    let sum = 0;
    for (let k = Math.ceil((3000 * n) / RATE); k < (12000 * n) / RATE; k++) sum += p[k]!;
    return sum;
  };
  const plain = render((s("sawtooth") as any).lpf(500).distort(3));
  const filterFirst = render((s("sawtooth") as any).FX(lpf(500), distort(3)));
  const distortFirst = render((s("sawtooth") as any).FX(distort(3), lpf(500)));

  test("FX(lpf, distort) is Strudel's order: the same samples as .lpf().distort()", () => {
    let worst = 0;
    for (let i = 0; i < plain.length; i++) worst = Math.max(worst, Math.abs(plain[i]! - filterFirst[i]!));
    expect(worst).toBe(0);
  });

  test("FX(distort, lpf) filters the distortion's harmonics: 3-12 kHz over 20 dB lower", () => {
    expect(10 * Math.log10(high(filterFirst) / high(distortFirst))).toBeGreaterThan(20);
  });

  test("a stage named again keeps its first place; settings of later effects win", () => {
    const twice = render((s("sawtooth") as any).FX(distort(1), lpf(500), distort(3)));
    let worst = 0;
    for (let i = 0; i < twice.length; i++) worst = Math.max(worst, Math.abs(twice[i]! - distortFirst[i]!));
    expect(worst).toBe(0);
  });
});

describe("lfo({...}) on a control the engine has an LFO for", () => {
  const render = (pat: any) => {
    const value = pat.queryArc(0, 1)[0].value as Controls;
    return channel(renderNotes([{ controls: { ...value, gain: 0.2, ...steady }, at: 0, dur: DUR_FOREVER }], RATE / 2), 2, 0);
  };
  const same = (a: Float32Array, b: Float32Array) => a.every((x, i) => x === b[i]);
  test("on lpf: the lowpass's LFO (rate, depth, shape)", () => {
    const a = render((s("white") as any).lpf(1000).lfo({ r: 3, dep: 0.5, sh: 1 }));
    expect(same(a, render((s("white") as any).lpf(1000).lprate(3).lpdepth(0.5).lpshape(1)))).toBe(true);
    expect(same(a, render((s("white") as any).lpf(1000)))).toBe(false);
  });
  test("env({...}) on lpf: the lowpass envelope (depth in octaves)", () => {
    const a = render((s("white") as any).lpf(300).env({ a: 0.05, d: 0.1, s: 0.2, dep: 3 }));
    expect(same(a, render((s("white") as any).lpf(300).lpattack(0.05).lpdecay(0.1).lpsustain(0.2).lpenv(3)))).toBe(true);
    expect(same(a, render((s("white") as any).lpf(300)))).toBe(false);
  });
  test("on gain: the tremolo; sync in periods per cycle", () => {
    const a = render((s("sine") as any).gain(1).lfo({ s: 4, dep: 0.5 }));
    expect(same(a, render((s("sine") as any).gain(1).tremolosync(4).tremolodepth(0.5)))).toBe(true);
  });
});

describe("env({...}) on controls other than lpf: the modulation envelope, measured on the output", () => {
  const play = (pat: any, frames: number, dur = DUR_FOREVER) => {
    const value = pat.queryArc(0, 1)[0].value as Controls;
    return channel(renderNotes([{ controls: { ...steady, ...value }, at: 0, dur }], frames), 2, 0);
  };
  const db = (x: number) => 10 * Math.log10(x);
  /** Mean power in [lo, hi) Hz over 4096-frame windows from `from` to `to`. */
  const bandPower = (x: Float32Array, lo: number, hi: number, from: number, to: number) => {
    const n = 4096;
    let total = 0, count = 0;
    for (let at = from; at + n <= to; at += n / 2, count++) {
      const p = powerSpectrum(x, n, at);
      for (let k = Math.ceil((lo * n) / RATE); k < (hi * n) / RATE; k++) total += p[k]!;
    }
    return total / count;
  };
  const frequency = (x: Float32Array, from: number, frames = 4800) => {
    // zero crossings, interpolated: the sine's frequency to a few hundredths of a hertz over 100 ms
    let first = -1, last = -1, count = 0;
    for (let i = Math.round(from); i < from + frames; i++)
      if (x[i - 1]! < 0 && x[i]! >= 0) {
        const t = i - 1 + x[i - 1]! / (x[i - 1]! - x[i]!);
        if (first < 0) first = t;
        last = t, count++;
      }
    return ((count - 1) * RATE) / (last - first);
  };

  test("on note: the pitch moves by depth semitones x the envelope (from +12 down to +6 at sustain 0.5)", () => {
    const x = play((s("sine") as any).gain(0.5).note(69).env({ a: 0, d: 0.3, s: 0.5, dep: 12 }), RATE);
    // halfway down the decay the level is 0.75: +9 semitones (over 20 ms around it)
    expect(Math.abs(frequency(x, 0.14 * RATE, 960) / (440 * Math.pow(2, 9 / 12)) - 1)).toBeLessThan(0.003);
    expect(Math.abs(frequency(x, 0.5 * RATE) / (440 * Math.SQRT2) - 1)).toBeLessThan(0.001); // +6, held
    const plain = play((s("sine") as any).note(69).gain(0.5), RATE);
    expect(Math.abs(frequency(plain, 0.5 * RATE) / 440 - 1)).toBeLessThan(0.001);
  });

  test("on gain: the level rises over the attack and settles at 1 - depth + depth x sustain", () => {
    const env = play((s("sine") as any).freq(1000).gain(0.5).env({ a: 0.1, d: 0.1, s: 0.2, dep: 0.8 }), RATE);
    const plain = play((s("sine") as any).freq(1000).gain(0.5), RATE);
    const level = (x: Float32Array, at: number) => peaks(x.subarray(at, at + 480), 480)[0]!;
    expect(level(env, 0) / level(plain, 0)).toBeLessThan(0.3); // 0.2 at the envelope's start, rising
    expect(level(env, 0.095 * RATE) / level(plain, 0.095 * RATE)).toBeGreaterThan(0.9); // near 1 at the attack's top
    expect(level(env, 0.5 * RATE) / level(plain, 0.5 * RATE)).toBeCloseTo(0.2 + 0.8 * 0.2, 3);
  });

  test("on hpf: the highpass's cutoff moves by depth octaves x the envelope (sustain as a static cutoff 2 octaves up)", () => {
    const noise = (pat: any) => play(pat.gain(0.2), RATE);
    const env = noise((s("white") as any).hpf(400).env({ a: 0.01, d: 0.05, s: 1, dep: 2 }));
    const up = noise((s("white") as any).hpf(1600));
    const down = noise((s("white") as any).hpf(400));
    // 300-1200 Hz, below the raised cutoff: as the static 1600 Hz highpass, 10 dB or more under the 400 Hz one
    const a = bandPower(env, 300, 1200, 0.2 * RATE, RATE), b = bandPower(up, 300, 1200, 0.2 * RATE, RATE);
    expect(Math.abs(db(a / b))).toBeLessThan(1);
    expect(db(bandPower(down, 300, 1200, 0.2 * RATE, RATE) / a)).toBeGreaterThan(10);
  });

  test("on bpf: the band's centre moves (depth 1, held: as a static band an octave up)", () => {
    const noise = (pat: any) => play(pat.gain(0.2), RATE);
    const env = noise((s("white") as any).bpf(1000).env({ a: 0.02, s: 1, dep: 1 }));
    const up = noise((s("white") as any).bpf(2000));
    for (const [lo, hi] of [[1500, 2600], [500, 1200]] as const)
      expect(Math.abs(db(bandPower(env, lo, hi, 0.2 * RATE, RATE) / bandPower(up, lo, hi, 0.2 * RATE, RATE)))).toBeLessThan(1);
  });

  test("on pan: the voice moves from pan + depth to pan + depth x sustain (equal power all the way)", () => {
    const value = ((s("sine") as any).freq(1000).gain(0.5).pan(0).env({ a: 0, d: 0.5, s: 0.5, dep: 1 })).queryArc(0, 1)[0].value as Controls;
    const out = renderNotes([{ controls: { ...steady, ...value }, at: 0, dur: DUR_FOREVER }], RATE);
    const l = channel(out, 2, 0), r = channel(out, 2, 1);
    const level = (x: Float32Array, t: number) => peaks(x.subarray(Math.round(t * RATE) - 48, Math.round(t * RATE) + 48), 96)[0]!; // two periods: the pan barely moves within
    const gains = (pan: number) => [Math.sin(((1 - pan) * Math.PI) / 2), Math.sin((pan * Math.PI) / 2)];
    for (const [t, pan] of [[0.25, 0.75], [0.75, 0.5]] as const) {
      const [gl, gr] = gains(pan);
      expect(level(l, t) / level(r, t)).toBeCloseTo(gl! / gr!, 2);
      expect(Math.hypot(level(l, t), level(r, t)) / (0.5 * SYNTH)).toBeCloseTo(1, 2); // equal power
    }
    expect(level(l, 0.005)).toBeLessThan(0.05 * level(r, 0.005)); // at the start: hard right
  });

  test("release: after note-off the envelope falls to 0 over its release (the pitch back at the note)", () => {
    const x = play((s("sine") as any).release(0.5).gain(0.5).note(69).env({ a: 0, d: 0, s: 1, r: 0.1, dep: 12 }), RATE, 0.3 * RATE);
    expect(Math.abs(frequency(x, 0.1 * RATE) / 880 - 1)).toBeLessThan(0.001);
    expect(Math.abs(frequency(x, 0.45 * RATE) / 440 - 1)).toBeLessThan(0.001);
  });
});

describe("fmwave: the FM modulator's wave", () => {
  // a 1 kHz carrier, a 2 Hz modulator (fmh 0.002) deep enough (fmi 50) for ±100 Hz: the carrier's
  // frequency, from zero crossings in 10 ms windows, follows the modulator's wave
  const freqTrack = (fmwave: string) => {
    const x = left({ s: "sine", freq: 1000, fmh: 0.002, fmi: 50, fmwave, gain: 0.5 / SYNTH, pan: 0, ...steady }, RATE);
    const out: number[] = [];
    for (let s0 = 0; s0 + 480 <= x.length; s0 += 480) {
      let first = -1, last = -1, count = 0;
      for (let i = s0 + 1; i < s0 + 480; i++)
        if (x[i - 1]! < 0 && x[i]! >= 0) {
          const t = i - 1 + x[i - 1]! / (x[i - 1]! - x[i]!);
          if (first < 0) first = t;
          last = t;
          count++;
        }
      out.push(count > 1 ? ((count - 1) * RATE) / (last - first) : NaN);
    }
    return out;
  };
  test("square: the carrier jumps between 1100 and 900 Hz", () => {
    const track = freqTrack("square");
    const near = (f: number) => track.filter((x) => Math.abs(x - f) < 5).length;
    expect(near(1100) + near(900)).toBeGreaterThan(0.85 * track.length);
    expect(near(1100)).toBeGreaterThan(0.35 * track.length);
    expect(near(900)).toBeGreaterThan(0.35 * track.length);
  });
  test("sawtooth: it glides up from 900 to 1100 Hz each period; sine: it sweeps smoothly", () => {
    const saw = freqTrack("sawtooth");
    // the first half period (0-0.25 s): the modulator rises from 0 to 1
    for (let k = 2; k < 23; k++) expect(saw[k + 1]!).toBeGreaterThan(saw[k]! - 1);
    expect(saw[24]! - saw[1]!).toBeGreaterThan(80);
    const sine = freqTrack("sine");
    const near = (f: number) => sine.filter((x) => Math.abs(x - f) < 5).length;
    expect(near(1100) + near(900)).toBeLessThan(0.5 * sine.length);
  });
});

describe("transient: the shaper brings out or tames a pluck's attack and its tail", () => {
  const pluck = (controls: Controls) =>
    left({ s: "sine", freq: 200, gain: 0.3 / SYNTH, pan: 0, attack: 0, decay: 0.4, sustain: 0, release: 0, ...controls }, RATE / 2);
  const top = (x: Float32Array, from: number, to: number) => {
    let m = 0;
    for (let i = Math.round(from * RATE); i < Math.round(to * RATE); i++) m = Math.max(m, Math.abs(x[i]!));
    return m;
  };
  const db = (x: number) => 20 * Math.log10(x);
  const plain = pluck({});
  test("transient 1: the first 5 ms 6 dB or more louder, the tail as it was", () => {
    const x = pluck({ transient: 1 });
    expect(db(top(x, 0, 0.005) / top(plain, 0, 0.005))).toBeGreaterThan(6);
    expect(Math.abs(db(top(x, 0.15, 0.2) / top(plain, 0.15, 0.2)))).toBeLessThan(0.5);
  });
  test("transient -1: the attack 6 dB or more down", () => {
    const x = pluck({ transient: -1 });
    expect(db(top(x, 0, 0.005) / top(plain, 0, 0.005))).toBeLessThan(-6);
  });
  test("transsustain 1: a short pluck's tail louder (2 dB or more), never beyond +12 dB", () => {
    const x = pluck({ decay: 0.1, transsustain: 1 }), short = pluck({ decay: 0.1 });
    const gain = db(top(x, 0.08, 0.09) / top(short, 0.08, 0.09)); // the slow follower above the falling sound: the end of the tail
    expect(gain).toBeGreaterThan(2);
    expect(gain).toBeLessThan(12.1);
  });
});
