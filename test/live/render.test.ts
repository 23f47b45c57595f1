import { describe, expect, test } from "vitest";
import { renderProgram } from "../../server/live/render.ts";
import { TempoMap } from "../../server/live/tempo.ts";
import { channel, peak } from "../engine/audio-analysis.ts";

/** Frames where sound starts after at least `gap` frames of exact silence. */
function onsetFrames(samples: Float32Array, gap = 2000): number[] {
  const out: number[] = [];
  let silent = gap;
  for (let i = 0; i < samples.length; i++) {
    if (samples[i] !== 0) {
      if (silent >= gap) out.push(i);
      silent = 0;
    } else {
      silent++;
    }
  }
  return out;
}

// Short, percussive notes so every onset follows silence.
const PLUCK = `.s("sine").attack(0).decay(0.03).sustain(0).release(0)`;

describe("offline render through the real engine", () => {
  test("note('c3*4') at cps 0.5, 48 kHz: onsets exactly 24000 frames apart", async () => {
    const r = await renderProgram(`note("c3*4")${PLUCK}`, { cycles: 2, cps: 0.5, sampleRate: 48000 });
    expect(r.frames).toBe(192000);
    expect(onsetFrames(channel(r.samples, 2, 0))).toEqual([0, 24000, 48000, 72000, 96000, 120000, 144000, 168000]);
  });

  test("note('c3 e3 g3') lands each onset on its exact frame", async () => {
    const r = await renderProgram(`note("c3 e3 g3")${PLUCK}`, { cycles: 1, cps: 0.5, sampleRate: 48000 });
    expect(onsetFrames(channel(r.samples, 2, 0))).toEqual([0, 32000, 64000]);
  });

  test("setcps in the program sets the tempo", async () => {
    const r = await renderProgram(`setcps(1)\nnote("c3*2")${PLUCK}`, { cycles: 2, sampleRate: 48000 });
    expect(r.frames).toBe(96000);
    expect(onsetFrames(channel(r.samples, 2, 0))).toEqual([0, 24000, 48000, 72000]);
  });

  test("a tempo change halfway moves no event: every onset once, at its piecewise frame", async () => {
    const program = `note("c3*8")${PLUCK}`;
    const r = await renderProgram(program, { cycles: 4, cps: 0.5, sampleRate: 48000, tempoChanges: [{ atCycle: 2, cps: 0.8 }] });
    expect(r.tempo).toHaveLength(2);
    const map = TempoMap.fromPieces(48000, r.tempo);
    const expected = Array.from({ length: 32 }, (_, k) => Math.round(map.frameAt(k / 8)));
    // the change took effect exactly at cycle 2, although events past it were already queued
    expect(r.tempo[1]).toEqual({ frame: 192000, cycle: 2, cps: 0.8 });
    expect(onsetFrames(channel(r.samples, 2, 0), 1000)).toEqual(expected);
  });

  test("the same program renders to the same samples", async () => {
    const program = `note("c3 [e3 g3] <a3 b3>").s("sawtooth").lpf(sine.range(300, 3000).slow(2))`;
    const a = await renderProgram(program, { cycles: 2, sampleRate: 44100 });
    const b = await renderProgram(program, { cycles: 2, sampleRate: 44100 });
    expect(peak(a.samples)).toBeGreaterThan(0.01);
    expect(Buffer.from(a.samples.buffer).equals(Buffer.from(b.samples.buffer))).toBe(true);
  });
});
