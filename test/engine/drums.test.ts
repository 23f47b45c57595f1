// The built-in drum kit, synthesized in the engine: every name sounds, each
// one differently, kits and variations differ, and the usual controls act on
// drums as on any sound. Measured on the rendered audio.
import { describe, expect, test } from "vitest";
import { DUR_FOREVER, libraryTables } from "../../server/engine/index.ts";
import { allFinite, channel, decayTime, peak, peakFrequency, rms, saveWav, spectralCentroid, thirdOctaveBands } from "./audio-analysis.ts";
import { offline, pushNotes, renderNotes } from "./helpers.ts";

const RATE = 48000;
const DRUMS = ["bd", "sd", "hh", "oh", "cp", "rim", "lt", "mt", "ht", "cb", "cr", "rd", "sh"];

/** One hit, mono, 2 s. */
const hit = (controls: Record<string, unknown>, frames = 96000) =>
  channel(renderNotes([{ controls, at: 0, dur: DUR_FOREVER }], frames, { channels: 1 }), 1, 0);

/** A fingerprint: third-octave band levels relative to the loudest (floored at -60 dB), and the time to fall 30 dB. */
function fingerprint(x: Float32Array) {
  const b = thirdOctaveBands(x, RATE, 16384, 0);
  const top = Math.max(...b);
  return { bands: b.map((v) => Math.max(v - top, -60)), decay: decayTime(x, RATE, 30) };
}
/** How different two hits are: RMS band difference in dB, plus 10 dB per doubling of decay time. */
function difference(a: ReturnType<typeof fingerprint>, b: ReturnType<typeof fingerprint>): number {
  let s = 0;
  for (let i = 0; i < a.bands.length; i++) s += (a.bands[i]! - b.bands[i]!) ** 2;
  const ratio = Math.max(a.decay, b.decay) / Math.max(1, Math.min(a.decay, b.decay));
  return Math.sqrt(s / a.bands.length) + 10 * Math.log2(ratio);
}

describe("the drum kit", () => {
  test("the sound table has the kit's names", () => {
    const names = libraryTables().sounds.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(DRUMS));
  });

  for (const bank of [undefined, "RolandTR808", "RolandTR909"]) {
    test(`every drum of the ${bank ?? "default"} kit sounds (finite, peaks between -24 and -1 dBFS) and no two sound alike`, () => {
      const prints = DRUMS.map((s) => {
        const x = hit({ s, bank });
        if (!(peak(x) > 0.06 && peak(x) < 0.9)) saveWav(`drum-${bank ?? "default"}-${s}`, x, 1, RATE);
        expect(allFinite(x), s).toBe(true);
        expect(peak(x), `${s} peak`).toBeGreaterThan(0.063); // -24 dBFS
        expect(peak(x), `${s} peak`).toBeLessThan(0.9);
        return fingerprint(x);
      });
      let closest = Infinity, pair = "";
      for (let i = 0; i < DRUMS.length; i++)
        for (let j = i + 1; j < DRUMS.length; j++) {
          const d = difference(prints[i]!, prints[j]!);
          if (d < closest) [closest, pair] = [d, `${DRUMS[i]}/${DRUMS[j]}`];
        }
      // measured: the closest pair is cr/rd at 5.9 (default, 808) and 7.3 (909)
      expect(closest, `closest pair ${pair}`).toBeGreaterThan(4);
    });
  }

  test("the kits have their characters: 808 and 909 differ on every drum but the shaker", () => {
    for (const s of DRUMS.filter((d) => d !== "sh")) {
      const d = difference(fingerprint(hit({ s, bank: "RolandTR808" })), fingerprint(hit({ s, bank: "RolandTR909" })));
      expect(d, s).toBeGreaterThan(2);
    }
    // the 808 kick is the long boom, the 909 kick short and punchy
    const k808 = hit({ s: "bd", bank: "RolandTR808" }), k909 = hit({ s: "bd", bank: "tr909" });
    expect(decayTime(k808, RATE, 30)).toBeGreaterThan(1.6 * decayTime(k909, RATE, 30));
    // the 909's clicky attack: more high-frequency energy in its first 20 ms
    expect(spectralCentroid(k909, RATE, 1024)).toBeGreaterThan(1.5 * spectralCentroid(k808, RATE, 1024));
  });

  test("n picks a variation: bd:0..3 are four different kicks (pitch and decay)", () => {
    const tails = [0, 1, 2, 3].map((n) => peakFrequency(hit({ s: "bd", n }), RATE, 30, 120, 32768, 4800));
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(Math.abs(tails[i]! - tails[j]!)).toBeGreaterThan(3);
    // n wraps, as sample folders do
    expect(Array.from(hit({ s: "bd", n: 5 }).subarray(0, 4800))).toEqual(Array.from(hit({ s: "bd", n: 1 }).subarray(0, 4800)));
  });

  test("speed (and note) set the pitch: speed 2 plays the kick an octave up", () => {
    const f1 = peakFrequency(hit({ s: "bd" }), RATE, 30, 200, 32768, 4800);
    const f2 = peakFrequency(hit({ s: "bd", speed: 2 }), RATE, 60, 400, 32768, 2400);
    expect(f2 / f1).toBeCloseTo(2, 1);
    const f3 = peakFrequency(hit({ s: "lt", note: 48 }), RATE, 100, 400, 32768, 4800); // c3: an octave above c2
    expect(f3 / peakFrequency(hit({ s: "lt" }), RATE, 50, 200, 32768, 4800)).toBeCloseTo(2, 1);
  });

  test("gain scales it, pan places it", () => {
    const a = hit({ s: "sd", gain: 0.5 }), b = hit({ s: "sd", gain: 0.25 });
    expect(rms(a) / rms(b)).toBeCloseTo(2, 3);
    const st = renderNotes([{ controls: { s: "sd", pan: 0 }, at: 0, dur: DUR_FOREVER }], 24000);
    expect(rms(channel(st, 2, 0))).toBeGreaterThan(0.01);
    expect(rms(channel(st, 2, 1))).toBe(0);
  });

  test("decay and release shape a drum like any sound: decay 50 ms with sustain 0 ends the open hat early", () => {
    const full = hit({ s: "oh" });
    const short = hit({ s: "oh", attack: 0, decay: 0.05, sustain: 0 });
    expect(decayTime(full, RATE, 40)).toBeGreaterThan(0.4 * RATE);
    expect(rms(short, 0.06 * RATE, RATE)).toBe(0);
    // a finite note with a release: the hat stops release seconds after its end
    const released = channel(renderNotes([{ controls: { s: "oh", release: 0.02 }, at: 0, dur: 4800 }], 24000, { channels: 1 }), 1, 0);
    expect(rms(released, 4800 + 960 + 48, 24000)).toBe(0);
  });

  test("filters and effects act on drums: a lowpass darkens the hat, shape and crush change it, room adds a tail", () => {
    const hh = hit({ s: "hh" });
    expect(rms(hit({ s: "hh", lpf: 2000 }))).toBeLessThan(0.1 * rms(hh)); // its energy is near 10 kHz: over 2 octaves above
    const kick = hit({ s: "bd" });
    expect(rms(hit({ s: "bd", shape: 0.8 }))).toBeGreaterThan(1.3 * rms(kick));
    const crushed = hit({ s: "bd", crush: 3 });
    // few levels left: crush 3 is 4 steps a unit; antialiased (native/shaper.h), its
    // steps are band-limited, so frames near a step ring between levels (98 % sit
    // within 10 % of a step of one; a signal that ignores them: 20 %)
    const first = Array.from(crushed.subarray(0, 4800));
    expect(first.filter((x) => Math.abs(4 * x - Math.round(4 * x)) < 0.1).length).toBeGreaterThan(0.8 * first.length);
    expect(new Set(first.map((x) => Math.round(4 * x))).size).toBeLessThan(12);
    const wet = hit({ s: "rim", room: 0.8 }), dry = hit({ s: "rim" });
    expect(rms(dry, 0.3 * RATE, 0.6 * RATE)).toBe(0);
    expect(rms(wet, 0.3 * RATE, 0.6 * RATE)).toBeGreaterThan(1e-4);
  });

  test("a drum ends by itself: its voice is freed once it has decayed", () => {
    const engine = offline();
    try {
      pushNotes(engine, [{ controls: { s: "hh" }, at: 0, dur: DUR_FOREVER }]);
      engine.render(4800);
      expect(engine.telemetry().activeVoices).toBe(1);
      engine.render(48000);
      expect(engine.telemetry().activeVoices).toBe(0);
    } finally {
      engine.close();
    }
  });
});
