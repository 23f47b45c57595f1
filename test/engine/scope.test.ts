// The output tap behind the editor's oscilloscope: engine.scope(frames).
import { describe, expect, test } from "vitest";
import { SCOPE_MAX_FRAMES, soundLevel } from "../../server/engine/index.ts";
import { offline, pushNotes } from "./helpers.ts";

/** A sine's level at gain 1 (native/ostinato.h, OST_SYNTH_LEVEL). */
const SYNTH = soundLevel("sine");

describe("engine.scope", () => {
  test("after an offline render of a sine, scope returns that sine's last frames (mono mix)", () => {
    const engine = offline();
    try {
      pushNotes(engine, [{ controls: { s: "sine", freq: 440, gain: 0.3, pan: 0.2, attack: 0, decay: 0, sustain: 1 }, at: 0, dur: 1e6 }]);
      const out = engine.render(10000);
      const tap = engine.scope(1024);
      expect(tap.length).toBe(1024);
      const frames = out.length / 2;
      for (let i = 0; i < 1024; i++) {
        const f = frames - 1024 + i;
        expect(tap[i]).toBe(Math.fround((out[2 * f]! + out[2 * f + 1]!) * 0.5));
      }
      // it is the sine, not silence: amplitude about 0.3 x the synth level x (cos + sin of the pan angle) / 2
      expect(Math.max(...tap)).toBeGreaterThan(0.15 * SYNTH);
    } finally {
      engine.close();
    }
  });

  test("frames not rendered yet read as 0, the rest is the output so far", () => {
    const engine = offline({ channels: 1 });
    try {
      pushNotes(engine, [{ controls: { s: "sine", freq: 1000, gain: 0.5, attack: 0, decay: 0, sustain: 1 }, at: 0, dur: 1e6 }]);
      expect(Array.from(engine.scope(16))).toEqual(new Array(16).fill(0));
      const out = engine.render(100);
      const tap = engine.scope(300);
      expect(Array.from(tap.subarray(0, 200))).toEqual(new Array(200).fill(0));
      expect(Array.from(tap.subarray(200))).toEqual(Array.from(out));
    } finally {
      engine.close();
    }
  });

  test("bad frame counts are errors that name the call; a closed engine throws", () => {
    const engine = offline();
    expect(() => engine.scope(0)).toThrow(/Engine.scope: frames must be/);
    expect(() => engine.scope(SCOPE_MAX_FRAMES + 1)).toThrow(/from 1 to 4096/);
    expect(engine.scope(SCOPE_MAX_FRAMES).length).toBe(SCOPE_MAX_FRAMES);
    engine.close();
    expect(() => engine.scope(16)).toThrow(/closed/);
  });

  test("a reader on another engine handle (attached) sees the same frames while the owner renders", async () => {
    const { Engine } = await import("../../server/engine/index.ts");
    const engine = offline();
    try {
      const attached = Engine.attach(engine.share());
      pushNotes(engine, [{ controls: { s: "sawtooth", freq: 110, gain: 0.2, attack: 0, decay: 0, sustain: 1 }, at: 0, dur: 1e6 }]);
      engine.render(5000);
      expect(Array.from(attached.scope(512))).toEqual(Array.from(engine.scope(512)));
    } finally {
      engine.close();
    }
  });
});

describe("engine.scope while the null backend renders in real time", () => {
  test("every read is a whole, untorn stretch of the sine (x[i+1] = 2 cos(w) x[i] - x[i-1])", async () => {
    const { Engine } = await import("../../server/engine/index.ts");
    const engine = Engine.open({ backend: "null", blockFrames: 64 });
    try {
      pushNotes(engine, [{ controls: { s: "sine", freq: 1000, gain: 0.5, attack: 0, decay: 0, sustain: 1 }, at: 0, dur: 1e9 }]);
      engine.start();
      while (engine.now() < 6000) await new Promise((r) => setTimeout(r, 10));
      const c = 2 * Math.cos((2 * Math.PI * 1000) / 48000);
      const buf = new Float32Array(4096);
      let reads = 0, worst = 0;
      const until = performance.now() + 600;
      while (performance.now() < until) {
        engine.scope(4096, buf);
        for (let i = 1; i < 4095; i++) worst = Math.max(worst, Math.abs(buf[i + 1]! - (c * buf[i]! - buf[i - 1]!)));
        reads++;
        if (reads % 20 === 0) await new Promise((r) => setTimeout(r, 1));
      }
      expect(reads).toBeGreaterThan(100);
      expect(worst).toBeLessThan(1e-3 * SYNTH);
      expect(Math.max(...buf)).toBeGreaterThan(0.3 * SYNTH);
    } finally {
      engine.close();
    }
  });
});
