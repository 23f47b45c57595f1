// The event ring: a full ring takes what fits and says so; a producer thread
// and the consumer (render) moving random amounts keep the fill invariant.
import { describe, expect, test } from "vitest";
import { Engine, EventBuffer } from "../../server/engine/index.ts";
import { channel, firstOnset } from "./audio-analysis.ts";
import { offline } from "./helpers.ts";

describe("event ring", () => {
  test("a full ring takes what fits and says how many", () => {
    const engine = offline({ ringCapacity: 16, queueCapacity: 64 });
    try {
      const buf = new EventBuffer(20);
      for (let i = 0; i < 20; i++) buf.add({ s: "sine", pan: 0 }, 1000 + i * 10, 5);
      expect(engine.push(buf)).toBe(16);
      buf.drop(16);
      expect(buf.length).toBe(4);
      expect(engine.push(buf)).toBe(0); // still full: takes nothing, never blocks
      expect(engine.telemetry().ringFill).toBe(16);
      engine.render(1); // the audio side drains the ring into its queue
      const t = engine.telemetry();
      expect(t.ringFill).toBe(0);
      expect(t.pendingEvents).toBe(16);
      expect(engine.push(buf)).toBe(4); // the rest fits now, in order
      const out = channel(engine.render(2000), 2, 0);
      expect(engine.telemetry().eventsPlayed).toBe(20);
      expect(firstOnset(out)).toBe(1000 - 1);
    } finally {
      engine.close();
    }
  });

  test("a note with an extension record (env on hpf: parameters past the record's capacity) is taken whole or not at all", () => {
    const engine = offline({ ringCapacity: 16, queueCapacity: 64 });
    try {
      const buf = new EventBuffer(17); // records; the last note that fits brings its extension along
      const note = { s: "sine", pan: 0, hpf: 100, env: { 0: { control: "hpf", sustain: 0.5, release: 0.3, depth: 2 } } };
      for (let i = 0; i < 9; i++) expect(buf.add(note, 1000 + i * 10, 5)).toBe(true);
      expect(buf.length).toBe(18); // each: the NOTE and its extension
      expect(buf.add(note, 2000, 5)).toBe(false); // full: nothing more, nothing half-written
      expect(buf.length).toBe(18);
      const ring = new EventBuffer(16);
      for (let i = 0; i < 7; i++) ring.add({ s: "sine", pan: 0 }, 1000, 5); // 7 of the ring's 16 records
      expect(engine.push(ring)).toBe(7);
      expect(engine.push(buf)).toBe(8); // 9 records fit: four notes with their extensions, not a fifth note without its own
      buf.drop(8);
      engine.render(1);
      expect(engine.push(buf)).toBe(10);
      engine.render(2000);
      expect(engine.telemetry().eventsPlayed).toBe(16);
    } finally {
      engine.close();
    }
  });

  test("an extension without its note (a batch cut between the two) is refused whole, with the reason", () => {
    const engine = offline();
    try {
      const buf = new EventBuffer(4);
      buf.add({ s: "sawtooth", partials: [1, 0.5] }, 100, 100);
      expect(buf.length).toBe(2);
      buf.drop(1); // only the extension is left
      expect(() => engine.push(buf)).toThrow(/extension without its note/);
      engine.render(400);
      expect(engine.telemetry().eventsPlayed).toBe(0);
    } finally {
      engine.close();
    }
  });

  test("a writer: pushes as another writer are refused whole, plain pushes (the owner's cuts) always taken", () => {
    const engine = offline({ ringCapacity: 64, queueCapacity: 64 });
    try {
      const old = Engine.attach(engine.share());
      const next = Engine.attach(engine.share());
      old.pushAs = 1;
      next.pushAs = 2;
      const batch = () => {
        const buf = new EventBuffer(4);
        for (let i = 0; i < 4; i++) buf.add({ s: "sine" }, 100 + i * 100, 10);
        return buf;
      };
      engine.setWriter(1);
      expect(old.push(batch())).toBe(4);
      expect(() => next.push(batch())).toThrow(/another live worker is the engine's writer now/);
      engine.setWriter(2); // the standby takes over: the old worker, woken up, doubles nothing
      expect(() => old.push(batch())).toThrow(/another live worker is the engine's writer now/);
      expect(next.push(batch())).toBe(4);
      expect(engine.push(batch())).toBe(4); // no writer named: the main thread's hush and mute
      expect(engine.telemetry().ringFill).toBe(12);
      engine.setWriter(0); // anyone's
      expect(old.push(batch())).toBe(4);
      engine.render(1000);
      expect(engine.telemetry().eventsPlayed).toBe(16);
    } finally {
      engine.close();
    }
  });

  test("a full pending queue leaves the rest in the ring, nothing is lost", () => {
    const engine = offline({ ringCapacity: 64, queueCapacity: 16 });
    try {
      const buf = new EventBuffer(40);
      for (let i = 0; i < 40; i++) buf.add({ s: "sine" }, 100 + i * 50, 10);
      expect(engine.push(buf)).toBe(40);
      engine.render(1);
      let t = engine.telemetry();
      expect(t.pendingEvents).toBe(16);
      expect(t.ringFill).toBe(24);
      engine.render(4000);
      t = engine.telemetry();
      expect(t.eventsPlayed).toBe(40);
      expect(t.lateEvents).toBe(0);
    } finally {
      engine.close();
    }
  });

  test("threaded: a producer thread, a second pusher and the consumer move random amounts; the fill invariant holds", async () => {
    const total = 6000;
    const engine = offline({ ringCapacity: 64, queueCapacity: 32, maxVoices: 64 });
    const shared = new SharedArrayBuffer(12);
    const counters = new Int32Array(shared);
    const worker = new Worker(new URL("./fixtures/ring-producer.ts", import.meta.url).href);
    const finished = new Promise((resolve, reject) => {
      worker.onmessage = resolve;
      worker.onerror = (e) => reject(e);
    });
    try {
      worker.postMessage({ engine: engine.share(), shared, total, seed: 7 });
      let seed = 99;
      const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
      let checks = 0;
      // This thread pushes too, now and then (as a main thread's hush would):
      // pushes from two threads take turns on the producer-side lock.
      const own = new EventBuffer(8);
      let ownTaken = 0;
      while (Atomics.load(counters, 2) === 0 || engine.telemetry().ringFill > 0 || engine.telemetry().pendingEvents > 0) {
        if (checks % 7 === 0 && Atomics.load(counters, 2) === 0) {
          own.clear();
          own.add({ s: "sine", release: 0, attack: 0, decay: 0 }, engine.telemetry().frames + 5000, 4, 9);
          ownTaken += engine.push(own);
        }
        engine.render(1 + Math.floor(random() * 600));
        const lower = Atomics.load(counters, 0) + ownTaken;
        const t = engine.telemetry();
        const upper = Atomics.load(counters, 1) + ownTaken;
        // everything the producer pushed is played, queued, or still in the ring
        const accounted = t.eventsPlayed + t.pendingEvents + t.ringFill;
        expect(t.ringFill).toBeLessThanOrEqual(64);
        expect(t.pendingEvents).toBeLessThanOrEqual(32);
        expect(accounted).toBeGreaterThanOrEqual(lower);
        expect(accounted).toBeLessThanOrEqual(Math.max(upper, lower));
        checks++;
        if (checks % 50 === 0) await new Promise((r) => setTimeout(r, 0));
      }
      await finished;
      const t = engine.telemetry();
      expect(Atomics.load(counters, 0)).toBe(total);
      expect(ownTaken).toBeGreaterThan(0);
      expect(t.eventsPlayed).toBe(total + ownTaken);
      expect(checks).toBeGreaterThan(10);
    } finally {
      worker.terminate();
      engine.close();
    }
  }, 60_000);
});
