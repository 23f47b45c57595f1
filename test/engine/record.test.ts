// Recording the output: a writer thread drains a ring into a 32-bit float
// WAV; the file holds exactly the frames rendered between start and stop.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DUR_FOREVER, Engine, EventBuffer, soundLevel } from "../../server/engine/index.ts";
import { firstDifference } from "./audio-analysis.ts";

const RATE = 48000;
const dir = mkdtempSync(join(tmpdir(), "ostinato-record-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A WAV read back through the engine (as a sample played from memory, unchanged). */
function readBack(path: string, channels = 2): Float32Array {
  const engine = Engine.open({ backend: "offline", channels, streamThresholdMb: 65536, lookaheadMs: 0 });
  try {
    const id = engine.loadSample(path);
    engine.waitSamples(60);
    const info = engine.sampleInfo(id);
    if (info.state !== "ready") throw new Error(`${path}: ${info.error}`);
    const buf = new EventBuffer(1, { samples: { resolve: () => ({ id, baseMidi: 36 }) } });
    buf.add({ s: "take", attack: 0 }, 0, DUR_FOREVER);
    engine.push(buf);
    return engine.render(info.frames);
  } finally {
    engine.close();
  }
}

describe("recording", () => {
  test("offline: the file holds exactly the frames rendered between start and stop, bit for bit", () => {
    const engine = Engine.open({ backend: "offline" });
    const path = join(dir, "offline.wav");
    try {
      const buf = new EventBuffer(2);
      buf.add({ s: "sawtooth", freq: 110, gain: 0.3, lpf: 2000 }, 0, DUR_FOREVER);
      buf.add({ s: "sd" }, 30000, DUR_FOREVER);
      engine.push(buf);
      engine.render(10000); // before the recording
      engine.recordStart(path);
      expect(() => engine.recordStart(join(dir, "second.wav"))).toThrow(/already running/);
      const a = engine.render(24000);
      const b = engine.render(12345);
      const rec = engine.recordStop();
      engine.render(1000); // after it
      expect(rec).toEqual({ startFrame: 10000, frames: 24000 + 12345, lost: 0, dropped: 0 });
      expect(() => engine.recordStop()).toThrow(/no recording is running/);
      const file = readBack(path);
      expect(file.length).toBe((24000 + 12345) * 2);
      expect(firstDifference(file.subarray(0, a.length), a)).toBe(-1);
      expect(firstDifference(file.subarray(a.length), b)).toBe(-1);
    } finally {
      engine.close();
    }
  });

  test("a file that cannot be created is an error that names it; nothing starts", () => {
    const engine = Engine.open({ backend: "offline" });
    try {
      expect(() => engine.recordStart(join(dir, "no", "such", "folder", "x.wav"))).toThrow(/cannot create .*no\/such\/folder\/x\.wav/);
      expect(engine.telemetry().recording).toBe(0);
      engine.recordStart(join(dir, "after-error.wav")); // and the recorder still works
      engine.render(100);
      expect(engine.recordStop().frames).toBe(100);
    } finally {
      engine.close();
    }
  });

  test("closing the engine finishes a running recording's file", () => {
    const engine = Engine.open({ backend: "offline" });
    const path = join(dir, "closed.wav");
    engine.recordStart(path);
    engine.render(4800);
    engine.close();
    expect(readBack(path).length).toBe(4800 * 2);
  });

  // 60 s of wall time: once, in the plain run (the sanitizer run covers the same code with the offline takes above).
  test.skipIf(process.env.OSTINATO_SANITIZED === "1")("60 s in real time (null backend): exactly the frames rendered, no gap, nothing dropped", async () => {
    const engine = Engine.open({ backend: "null", blockFrames: 128 });
    const path = join(dir, "sixty.wav");
    try {
      // a pure tone from before the recording to after it: any lost or doubled
      // block would break its recurrence x[i+1] = 2 cos(w) x[i] - x[i-1]
      const buf = new EventBuffer(1);
      buf.add({ s: "sine", freq: 1000, gain: 0.5, pan: 0, attack: 0, decay: 0, sustain: 1 }, 0, DUR_FOREVER);
      engine.push(buf);
      engine.start();
      await new Promise((r) => setTimeout(r, 200));
      engine.recordStart(path);
      const started = performance.now();
      while (performance.now() - started < 60_000) await new Promise((r) => setTimeout(r, 250));
      const before = engine.telemetry();
      const rec = engine.recordStop();
      const after = engine.telemetry();
      // the take ends on a block boundary between the two readings of the clock
      expect(rec.dropped).toBe(0);
      expect(rec.startFrame).toBeGreaterThan(0);
      expect(rec.startFrame + rec.frames).toBeGreaterThanOrEqual(before.frames);
      expect(rec.startFrame + rec.frames).toBeLessThanOrEqual(after.frames);
      expect(rec.frames).toBeGreaterThan(59 * RATE);
      expect(rec.frames % 128).toBe(0); // whole blocks
      expect(statSync(path).size).toBeGreaterThan(rec.frames * 8);
      const file = readBack(path);
      expect(file.length).toBe(rec.frames * 2);
      const c = 2 * Math.cos((2 * Math.PI * 1000) / RATE);
      let worst = 0;
      for (let i = 1; i + 1 < rec.frames; i++) {
        const e = Math.abs(file[2 * (i + 1)]! - (c * file[2 * i]! - file[2 * (i - 1)]!));
        if (e > worst) worst = e;
      }
      // a sine of amplitude 0.5 x the synth level, 0.095: a gap of even one frame gives an error near 0.02
      expect(worst).toBeLessThan(2e-4);
      expect(Math.max(...file.subarray(0, 9600))).toBeGreaterThan(0.45 * soundLevel("sine"));
    } finally {
      engine.close();
    }
  }, 90_000);
});

describe("a take on a disk that fills up", () => {
  test("soxi reads a take with no warning (a plain 18-byte float fmt chunk)", () => {
    const engine = Engine.open({ backend: "offline" });
    const path = join(dir, "plain.wav");
    try {
      engine.recordStart(path);
      engine.render(4800);
      engine.recordStop();
    } finally {
      engine.close();
    }
    const soxi = spawnSync("soxi", [path], { encoding: "utf8" });
    expect(soxi.stderr).toBe("");
    expect(soxi.stdout).toMatch(/32-bit Floating Point PCM/);
    expect(soxi.stdout).toMatch(/= 4800 samples/);
  });

  test("the status says frames were lost and why while it runs; the file holds what was written", () => {
    // A real refusal from the kernel: the child's file size limit (EFBIG), as a full disk refuses (ENOSPC).
    const path = join(dir, "full.wav");
    const script = join(dir, "full.ts");
    writeFileSync(script, `
      import { Engine } from ${JSON.stringify(join(process.cwd(), "server/engine/index.ts"))};
      import { Recordings } from ${JSON.stringify(join(process.cwd(), "server/live/recording.ts"))};
      const engine = Engine.open({ backend: "offline" });
      const takes = new Recordings(engine, ${JSON.stringify(dir)});
      takes.startAt(${JSON.stringify(path)});
      for (let i = 0; i < 40; i++) { engine.render(4800); Bun.sleepSync(10); }
      const status = takes.status();
      const stopped = takes.stop();
      engine.close();
      console.log(JSON.stringify({ status, stopped }));
    `);
    const r = spawnSync("sh", ["-c", `trap '' XFSZ; ulimit -f 200; exec "$0" "$1"`, join(process.cwd(), "node_modules", ".bin", "bun"), script], { encoding: "utf8", timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const { status, stopped } = JSON.parse(r.stdout);
    expect(status).toMatchObject({ recording: true, frames: 192000 });
    expect(status.lost).toBeGreaterThan(0);
    expect(status.problem).toMatch(/^the disk refused \d+ frames \(EFBIG: the file is larger than this file system or limit allows\): the take ends at [\d.]+ s; free some space and start a new take$/);
    expect(stopped.lost).toBeGreaterThanOrEqual(status.lost); // the last blocks were still in the ring
    expect(stopped.writeError).toMatch(/^EFBIG/);
    // what was written is a valid file of whole frames, and says how many
    const kept = stopped.frames - stopped.lost;
    const soxi = spawnSync("soxi", [path], { encoding: "utf8" });
    expect(soxi.stderr).toBe("");
    expect(soxi.stdout).toContain(`= ${kept} samples`);
    expect(statSync(path).size).toBe(94 + kept * 8);
  });
});
