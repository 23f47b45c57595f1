// The voice pool: stealing, slots (release, clear), unknown sounds.
import { describe, expect, test } from "vitest";
import { EventBuffer, SLOT_ALL, soundLevel } from "../../server/engine/index.ts";
import { channel, firstOnset, rms } from "./audio-analysis.ts";
import { offline, pushNotes } from "./helpers.ts";

/** An oscillator's level at gain 1 (native/ostinato.h, OST_SYNTH_LEVEL). */
const SYNTH = soundLevel("sine");

describe("voices", () => {
  test("when the pool is full the oldest voice is stolen, counted, and faded out over 5 ms (no click)", () => {
    const engine = offline({ maxVoices: 4 });
    try {
      // six long notes, hard left except the first, which is hard right
      pushNotes(engine, Array.from({ length: 6 }, (_, i) => ({ controls: { s: "sine", pan: i === 0 ? 1 : 0, note: 60 + i, attack: 0 }, at: i * 100, dur: 100000 })));
      const out = engine.render(2000);
      const t = engine.telemetry();
      expect(t.activeVoices).toBe(4);
      expect(t.stolenVoices).toBe(2);
      expect(t.eventsPlayed).toBe(6);
      const right = channel(out, 2, 1);
      expect(rms(right, 100, 400)).toBeGreaterThan(0.01); // the first note sounds...
      // ...until the fifth steals it at frame 400: it fades out over 5 ms (240 frames), falling every frame
      const fade = Array.from(right.subarray(400, 641), Math.abs);
      let envelope = 0;
      for (let i = 0; i < 240; i += 24) envelope = Math.max(envelope, ...fade.slice(i, i + 24));
      expect(Math.max(...fade.slice(0, 24))).toBeGreaterThan(0.5 * SYNTH);  // no hard cut at the steal
      expect(Math.max(...fade.slice(120, 144))).toBeLessThan(0.55 * SYNTH); // halfway down
      expect(Math.max(...fade.slice(120, 144))).toBeGreaterThan(0.2 * SYNTH);
      expect(rms(right, 641, 2000)).toBe(0);                        // and gone after the fade
    } finally {
      engine.close();
    }
  });

  test("256 voices by default, of mixed kinds", () => {
    const engine = offline();
    try {
      const sounds = ["sine", "sawtooth", "square", "triangle", "white", "pink", "brown"];
      pushNotes(engine, Array.from({ length: 256 }, (_, i) => ({
        controls: { s: sounds[i % 7], note: 40 + (i % 30), gain: 0.01, lpf: i % 2 ? 2000 : undefined, hpf: i % 3 ? undefined : 100 },
        at: i, dur: 100000,
      })));
      engine.render(1024);
      expect(engine.telemetry().activeVoices).toBe(256);
      expect(engine.telemetry().stolenVoices).toBe(0);
      pushNotes(engine, [{ controls: { s: "sine" }, at: 2000, dur: 100 }]);
      engine.render(1024);
      expect(engine.telemetry().stolenVoices).toBe(1);
    } finally {
      engine.close();
    }
  });

  test("RELEASE fades out one slot's voices with a short de-click fade; other slots play on", () => {
    const engine = offline();
    try {
      pushNotes(engine, [
        { controls: { s: "square", pan: 0, release: 0 }, at: 0, dur: 100000, slot: 1 },
        { controls: { s: "square", pan: 1, release: 0 }, at: 0, dur: 100000, slot: 2 },
      ]);
      const buf = new EventBuffer(1);
      buf.addRelease(1, 1000); // default fade: 5 ms = 240 frames
      engine.push(buf);
      const out = engine.render(4000);
      const left = channel(out, 2, 0), right = channel(out, 2, 1);
      expect(Math.abs(left[1100]!)).toBeGreaterThan(0);      // fading
      expect(Math.abs(left[1100]!)).toBeLessThan(0.7 * SYNTH);
      expect(rms(left, 1240, 4000)).toBe(0);                 // gone after 240 frames
      expect(rms(right, 1240, 4000)).toBeGreaterThan(0.5 * SYNTH);   // slot 2 untouched
      expect(engine.telemetry().activeVoices).toBe(1);
    } finally {
      engine.close();
    }
  });

  test("CLEAR drops a slot's pending events pushed before it; later pushes stand", () => {
    const engine = offline();
    try {
      const buf = new EventBuffer(8);
      buf.add({ s: "sine", pan: 0 }, 1000, 100, 1);  // dropped
      buf.add({ s: "sine", pan: 0 }, 2000, 100, 1);  // dropped
      buf.add({ s: "sine", pan: 1 }, 1500, 100, 2);  // other slot: kept
      buf.add({ s: "sine", pan: 0, release: 0 }, 400, 100, 1); // before fromFrame 500: kept
      buf.addClear(1, 500);
      buf.add({ s: "sine", pan: 0 }, 3000, 100, 1);  // pushed after the clear: kept
      expect(engine.push(buf)).toBe(6);
      const out = engine.render(4000);
      const left = channel(out, 2, 0);
      expect(firstOnset(left)).toBe(400);
      expect(firstOnset(left, 0, 501)).toBe(3000);
      expect(firstOnset(channel(out, 2, 1))).toBe(1500);
      const t = engine.telemetry();
      expect(t.clearedEvents).toBe(2);
      expect(t.eventsPlayed).toBe(3);
    } finally {
      engine.close();
    }
  });

  test("hush: CLEAR and RELEASE for every slot", () => {
    const engine = offline();
    try {
      pushNotes(engine, [
        { controls: { s: "sawtooth" }, at: 0, dur: 100000, slot: 3 },
        { controls: { s: "sawtooth" }, at: 3000, dur: 1000, slot: 4 },
      ]);
      engine.render(1000);
      const buf = new EventBuffer(2);
      buf.addClear(SLOT_ALL);
      buf.addRelease(SLOT_ALL, 0);
      engine.push(buf);
      const out = engine.render(4000);
      expect(rms(channel(out, 2, 0), 300, 4000)).toBe(0);
      expect(engine.telemetry().activeVoices).toBe(0);
      expect(engine.telemetry().lateEvents).toBe(0); // a RELEASE "now" is not a late note
    } finally {
      engine.close();
    }
  });

  test("an unknown sound plays nothing, is counted by the engine and named by the buffer", () => {
    const engine = offline();
    try {
      const buf = new EventBuffer(4);
      buf.add({ s: "kazoo", note: 60 }, 0, 1000);
      buf.add({ s: "kazoo" }, 10, 1000);
      buf.add({ s: "saw", note: "a3" }, 20, 1000); // an alias
      expect(buf.unknownSounds.get("kazoo")).toBe(2);
      engine.push(buf);
      const out = channel(engine.render(1024), 2, 0);
      expect(firstOnset(out)).toBe(20);
      const t = engine.telemetry();
      expect(t.unknownSounds).toBe(2);
      expect(t.eventsPlayed).toBe(1);
    } finally {
      engine.close();
    }
  });

  test("no s plays the default triangle; note names and numbers give the same pitch", () => {
    const a = offline(), b = offline(), c = offline();
    try {
      pushNotes(a, [{ controls: { note: "a4" }, at: 0, dur: 1000 }]);
      pushNotes(b, [{ controls: { s: "triangle", note: 69 }, at: 0, dur: 1000 }]);
      pushNotes(c, [{ controls: { s: "triangle", freq: 440 }, at: 0, dur: 1000 }]);
      const [x, y, z] = [a.render(512), b.render(512), c.render(512)];
      expect(Buffer.from(x.buffer).equals(Buffer.from(y.buffer))).toBe(true);
      expect(Buffer.from(y.buffer).equals(Buffer.from(z.buffer))).toBe(true);
    } finally {
      a.close(), b.close(), c.close();
    }
  });
});
