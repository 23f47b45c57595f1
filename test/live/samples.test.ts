// Samples in programs, through the whole stack (evaluator, scheduler, engine)
// to audio: sample folders (Dirt-Samples layout) and JSON maps, n and bank,
// the errors, and Strudel's sample controls and slicing functions, which must
// play the frames Strudel would.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Engine } from "../../server/engine/index.ts";
import { ProgramError } from "../../server/live/errors.ts";
import { renderProgram, type RenderOptions } from "../../server/live/render.ts";
import { channel, peakFrequency, rms } from "../engine/audio-analysis.ts";

const RATE = 48000;
const root = mkdtempSync(join(tmpdir(), "ostinato-samplebanks-"));
const banks = join(root, "banks");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tone = (hz: number, seconds = 0.5) => Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE));

beforeAll(() => {
  const put = (folder: string, file: string, data: Float32Array) => {
    mkdirSync(join(banks, folder), { recursive: true });
    Engine.writeAudioFile(join(banks, folder, file), "wav-float", 1, RATE, data);
  };
  // a ramp: frame i holds (i + 1) / 1e6, so the output says which frame played
  put("ramp", "ramp.wav", Float32Array.from({ length: RATE }, (_, i) => (i + 1) / 1e6));
  // files sorted by name: 00, 01, 10 (n 0, 1, 2; n 3 wraps to 0)
  put("tone", "10.wav", tone(900));
  put("tone", "00.wav", tone(300));
  put("tone", "01.wav", tone(600));
  put("RolandTR909_bd", "a.wav", tone(1234));
  mkdirSync(join(banks, "broken"), { recursive: true });
  writeFileSync(join(banks, "broken", "bad.wav"), "RIFF....WAVE but not really");
  writeFileSync(join(root, "map.json"), JSON.stringify({ _base: "banks", piano: { c3: "tone/00.wav", c4: "tone/01.wav" }, hit: ["tone/10.wav"] }));
});

const opts = (more: Partial<RenderOptions> = {}): RenderOptions => ({ cycles: 1, cps: 1, sampleRate: RATE, baseDir: root, ...more });
const left = async (code: string, more: Partial<RenderOptions> = {}) => channel((await renderProgram(code, opts(more))).samples, 2, 0);
/** The frame numbers a ramp sample played (-1 for silence). */
const frames = (x: Float32Array) => Array.from(x, (v) => Math.round(v * 1e6 / Math.SQRT1_2) - 1);

describe("sample banks in programs", () => {
  test('samples("folder"): s("name:n") picks the n-th file by name, wrapping; n() does the same', async () => {
    const pitch = async (code: string) => peakFrequency(await left(`samples("banks")\n${code}`), RATE, 100, 2000, 16384, 1000);
    expect(await pitch(`s("tone")`)).toBeCloseTo(300, 0);
    expect(await pitch(`s("tone:1")`)).toBeCloseTo(600, 0);
    expect(await pitch(`s("tone").n(2)`)).toBeCloseTo(900, 0);
    expect(await pitch(`s("tone:3")`)).toBeCloseTo(300, 0);
  });

  test("--samples roots work the same way, and a sample folder's name wins over a built-in drum", async () => {
    const x = await left(`s("tone:1")`, { samples: [banks] });
    expect(peakFrequency(x, RATE, 100, 2000, 16384, 1000)).toBeCloseTo(600, 0);
  });

  test("bank: RolandTR909 + bd plays the folder RolandTR909_bd when there is one, else the built-in 909 kit", async () => {
    const bd = await left(`samples("banks")\ns("bd").bank("RolandTR909")`);
    expect(peakFrequency(bd, RATE, 100, 2000, 16384, 1000)).toBeCloseTo(1234, 0);
    const sd = await left(`samples("banks")\ns("sd").bank("RolandTR909")`);
    const builtin = await left(`s("sd").bank("RolandTR909")`);
    expect(Buffer.from(sd.buffer).equals(Buffer.from(builtin.buffer))).toBe(true);
    expect(rms(builtin)).toBeGreaterThan(0.01);
  });

  test("a JSON map: lists, and notes to files (the nearest recording, transposed)", async () => {
    const hit = await left(`samples("map.json")\ns("hit")`);
    expect(peakFrequency(hit, RATE, 100, 2000, 16384, 1000)).toBeCloseTo(900, 0);
    const at = async (note: string) => peakFrequency(await left(`samples("map.json")\nnote("${note}").s("piano")`), RATE, 100, 2000, 16384, 1000);
    expect(await at("c3")).toBeCloseTo(300, 0);
    expect(await at("c4")).toBeCloseTo(600, 0);
    expect(await at("g3")).toBeCloseTo(600 * Math.pow(2, -5 / 12), 0); // nearer c4, 5 semitones down
    expect(await at("d3")).toBeCloseTo(300 * Math.pow(2, 2 / 12), 0);
  });

  test("a missing folder is the program's error; so is, in an offline render, a github: source that cannot be had (with the URL and why)", async () => {
    await expect(renderProgram(`samples("no/such/folder")\ns("bd")`, opts())).rejects.toThrow(ProgramError);
    await expect(renderProgram(`samples("no/such/folder")\ns("bd")`, opts())).rejects.toThrow(/no such folder or JSON file/);
    // The test setup points github: at a closed port on 127.0.0.1.
    await expect(renderProgram(`samples("github:tidalcycles/dirt-samples")\ns("bd")`, opts())).rejects.toThrow(
      /samples\("github:tidalcycles\/dirt-samples"\): cannot get its sample map: cannot connect \(offline\?\).*\(http:\/\/127\.0\.0\.1:9\/tidalcycles\/dirt-samples\/main\/strudel\.json\)/,
    );
  });

  test("a corrupt file in a bank: a warning naming the file, silence for it, the rest plays", async () => {
    const warnings: string[] = [];
    const out = channel((await renderProgram(`samples("banks")\ns("broken tone")`, opts({ onWarning: (m) => warnings.push(m) }))).samples, 2, 0);
    expect(warnings.some((w) => w.includes(join(banks, "broken", "bad.wav")))).toBe(true);
    expect(rms(out, 0, 24000)).toBe(0);
    expect(rms(out, 24000, 48000)).toBeGreaterThan(0.1);
  });
});

describe("sample controls and slicing functions play the frames Strudel would", () => {
  // The ramp is 1 s; at cps 1 a cycle is 1 s too. attack(0): Strudel's 1 ms attack would bend the first frames.
  const ramp = `samples("banks")\n`;
  const N = RATE;
  const range = (from: number, count: number, step = 1) => Array.from({ length: count }, (_, i) => from + i * step);

  test("chop(4) at cps 0.5: each quarter at the start of its quarter cycle, then silence", async () => {
    const f = frames(await left(`${ramp}s("ramp").chop(4).attack(0)`, { cps: 0.5 }));
    const q = N / 4;
    for (let k = 0; k < 4; k++) {
      expect(f.slice(2 * q * k, 2 * q * k + q)).toEqual(range(q * k, q));
      expect(f.slice(2 * q * k + q + 2, 2 * q * (k + 1))).toEqual(new Array(q - 2).fill(-1));
    }
  });

  test("striate(2) at cps 0.5: the first half in the first half cycle, the second half in the second", async () => {
    const f = frames(await left(`${ramp}s("ramp").striate(2).attack(0)`, { cps: 0.5 }));
    expect(f.slice(0, N / 2)).toEqual(range(0, N / 2));
    expect(f.slice(N / 2 + 1, N)).toEqual(new Array(N / 2 - 1).fill(-1));
    expect(f.slice(N, N + N / 2)).toEqual(range(N / 2, N / 2));
  });

  test('slice(4, "0 2 1 3"): the quarters in that order', async () => {
    const f = frames(await left(`${ramp}s("ramp").slice(4, "0 2 1 3").attack(0)`));
    const q = N / 4;
    expect(f).toEqual([...range(0, q), ...range(2 * q, q), ...range(q, q), ...range(3 * q, q)]);
  });

  test('splice(4, "0 2") at cps 0.5: each quarter stretched to fill its event (a quarter speed)', async () => {
    const f = frames(await left(`${ramp}s("ramp").splice(4, "0 2").attack(0)`, { cps: 0.5 }));
    // every 4th output frame lands exactly on a sample frame
    expect(range(0, 100, 4).map((i) => f[i])).toEqual(range(0, 100));
    expect(range(N, 100, 4).map((i) => f[i])).toEqual(range(N / 2, 100));
    expect(f[N - 4]).toBe(N / 4 - 1); // the first quarter ends just as the second event starts
  });

  test("loopAt(2) at cps 0.5: the sample spread over 2 cycles (4 s)", async () => {
    const f = frames(await left(`${ramp}s("ramp").loopAt(2).attack(0)`, { cps: 0.5, cycles: 2 }));
    expect(range(0, 200, 4).map((i) => f[i])).toEqual(range(0, 200));
    expect(f[4 * N - 4]).toBe(N - 1);
  });

  test("fit at cps 0.5: the sample fills its 2 s event", async () => {
    const f = frames(await left(`${ramp}s("ramp").fit().attack(0)`, { cps: 0.5 }));
    expect(range(0, 200, 2).map((i) => f[i])).toEqual(range(0, 200));
    expect(f[2 * N - 2]).toBe(N - 1);
  });

  test("clip(0.25): the sample stops at a quarter of its event (then its 10 ms release)", async () => {
    const x = await left(`${ramp}s("ramp").clip(0.25).attack(0)`);
    expect(frames(x).slice(0, N / 4)).toEqual(range(0, N / 4));
    expect(rms(x, N / 4 + 480, N)).toBe(0);
  });

  test("without clip, a sample plays to its end although its event is shorter (Strudel's one-shot samples)", async () => {
    const f = frames(await left(`${ramp}s("ramp ~ ~ ~").attack(0)`));
    expect(f).toEqual(range(0, N)); // the event ends at N / 4; the sample plays on
  });

  test('speed("-1"): backwards from the last frame; begin/end in a program', async () => {
    expect(frames(await left(`${ramp}s("ramp").speed(-1).attack(0)`)).slice(0, 3)).toEqual([N - 1, N - 2, N - 3]);
    expect(frames(await left(`${ramp}s("ramp").begin(0.5).end(0.75).attack(0)`)).slice(0, N / 4)).toEqual(range(N / 2, N / 4));
  });
});
