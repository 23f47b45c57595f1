// A long sample streams from disk through the reader thread: never loaded
// whole, never read on the audio thread, and never late. Checked against the
// same file loaded whole (in another engine with a high streaming threshold).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DUR_FOREVER, Engine, EventBuffer, type EngineConfig } from "../../server/engine/index.ts";
import { firstDifference } from "./audio-analysis.ts";

const RATE = 48000;
const dir = mkdtempSync(join(tmpdir(), "ostinato-stream-"));
const big = join(dir, "long.wav");
const SECONDS = 157; // 16-bit stereo at 48 kHz: 30.1 MB
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  // A chirp (100 Hz to 2 kHz over the file, a different tone left and right):
  // a block out of place, lost or played twice changes the output.
  const frames = SECONDS * RATE;
  const data = new Float32Array(frames * 2);
  let phase = 0;
  for (let i = 0; i < frames; i++) {
    phase += (2 * Math.PI * (100 + (1900 * i) / frames)) / RATE;
    data[2 * i] = 0.5 * Math.sin(phase);
    data[2 * i + 1] = 0.5 * Math.sin(1.5 * phase);
  }
  Engine.writeAudioFile(big, "wav16", 2, RATE, data);
});

const event = (id: number, at: number) => {
  const buf = new EventBuffer(1, { samples: { resolve: () => ({ id, baseMidi: 36 }) } });
  buf.add({ s: "long", attack: 0 }, at, DUR_FOREVER);
  return buf;
};

/** The file played whole from memory: the reference. */
function reference(frames: number): Float32Array {
  const engine = Engine.open({ backend: "offline", streamThresholdMb: 4096 });
  try {
    const id = engine.loadSample(big);
    engine.waitSamples(60);
    expect(engine.sampleInfo(id).streamed).toBe(false);
    engine.push(event(id, 0));
    return engine.render(frames);
  } finally {
    engine.close();
  }
}

describe("streaming a long sample from disk", () => {
  test("the 30 MB file is over the threshold: it streams, and plays exactly as if loaded whole (offline, all 157 s)", () => {
    expect(statSync(big).size).toBeGreaterThan(30e6);
    const frames = SECONDS * RATE + 4800;
    const whole = reference(frames);
    const engine = Engine.open({ backend: "offline" });
    try {
      const id = engine.loadSample(big);
      engine.waitSamples(60);
      const info = engine.sampleInfo(id);
      expect(info.state).toBe("ready");
      expect(info.streamed).toBe(true);
      expect(info.frames).toBe(SECONDS * RATE);
      engine.push(event(id, 0));
      const out = new Float32Array(frames * 2);
      const chunk = 48000;
      for (let f = 0; f < frames; f += chunk) engine.renderInto(out.subarray(f * 2, Math.min(frames, f + chunk) * 2));
      const t = engine.telemetry();
      expect(t.streamUnderruns).toBe(0);
      expect(firstDifference(out, whole)).toBe(-1);
      expect(t.activeVoices).toBe(0); // it ended with the file
      expect(t.streamsActive).toBe(0);
    } finally {
      engine.close();
    }
  });

  test("in real time, from a cold page cache: no late block in 8 s (no underrun), and the recorded output is the file", async () => {
    // Drop the file from the page cache, so the reader really reads the disk.
    spawnSync("dd", [`if=${big}`, "iflag=nocache", "count=0", "status=none"]);
    const config: EngineConfig = { backend: "null", blockFrames: 128 };
    const engine = Engine.open(config);
    const take = join(dir, "take.wav");
    try {
      const id = engine.loadSample(big);
      engine.waitSamples(60);
      engine.recordStart(take);
      engine.start();
      while (engine.telemetry().recording !== 1) await new Promise((r) => setTimeout(r, 5));
      const at = Math.ceil(engine.now()) + 0.2 * RATE; // the scheduler's lead: 150-200 ms
      engine.push(event(id, at));
      // Frames rendered, not engine.now(): now() reaches into the block being rendered, so
      // stopping on it can leave the take a few frames short of the 8 s compared below.
      while (engine.telemetry().frames < at + 8 * RATE + 2 * 128) await new Promise((r) => setTimeout(r, 20));
      const rec = engine.recordStop();
      const t = engine.telemetry();
      expect(t.streamUnderruns).toBe(0);
      expect(rec.dropped).toBe(0);
      // the take, from the event's frame on, is the file (as played from memory)
      const player = Engine.open({ backend: "offline", streamThresholdMb: 4096 });
      let recorded: Float32Array;
      try {
        const takeId = player.loadSample(take);
        player.waitSamples(30);
        const info = player.sampleInfo(takeId);
        expect(info.frames).toBe(rec.frames);
        const buf = new EventBuffer(1, { samples: { resolve: () => ({ id: takeId, baseMidi: 36 }) } });
        buf.add({ s: "t", attack: 0, begin: 0 }, 0, DUR_FOREVER);
        player.push(buf);
        recorded = player.render(rec.frames);
      } finally {
        player.close();
      }
      const offset = at - rec.startFrame;
      const frames = 8 * RATE;
      const got = recorded.subarray(offset * 2, (offset + frames) * 2);
      const want = reference(frames);
      expect(firstDifference(got, want)).toBe(-1);
      expect(Array.from(recorded.subarray(0, offset * 2)).every((x) => x === 0)).toBe(true);
    } finally {
      engine.close();
    }
  }, 60_000);
});

describe("streamed playback matches playback from memory", () => {
  const ramp = join(dir, "ramp.wav");
  beforeAll(() => {
    const d = new Float32Array(96000);
    for (let i = 0; i < d.length; i++) d[i] = ((i % 4096) - 2048) / 4096;
    Engine.writeAudioFile(ramp, "wav-float", 1, RATE, d);
  });
  const render = (threshold: number, controls: Record<string, unknown>, dur = DUR_FOREVER) => {
    const engine = Engine.open({ backend: "offline", streamThresholdMb: threshold });
    try {
      const id = engine.loadSample(ramp);
      engine.waitSamples(10);
      expect(engine.sampleInfo(id).streamed).toBe(threshold === 0);
      const buf = new EventBuffer(1, { samples: { resolve: () => ({ id, baseMidi: 36 }) } });
      buf.add({ s: "r", attack: 0, ...controls }, 100, dur);
      engine.push(buf);
      return engine.render(120000);
    } finally {
      engine.close();
    }
  };
  for (const [what, controls, dur] of [
    ["forwards", {}],
    ["backwards (speed -1)", { speed: -1 }],
    ["begin and end", { begin: 0.3, end: 0.6 }],
    ["backwards between begin and end", { speed: -1, begin: 0.3, end: 0.6 }],
    ["at speed 1.5", { speed: 1.5 }],
    ["looping", { loop: 1, loopBegin: 0.25, loopEnd: 0.5, release: 0 }, 110000],
  ] as [string, Record<string, unknown>, number?][]) {
    test(what, () => {
      expect(firstDifference(render(0, controls, dur), render(4096, controls, dur))).toBe(-1);
    });
  }
});
