// Open, close, misuse: clear errors, never a crash.
import { describe, expect, test } from "vitest";
import { Engine, EngineError, EventBuffer } from "../../server/engine/index.ts";

describe("lifecycle", () => {
  test("open and close 100 times", () => {
    for (let i = 0; i < 100; i++) {
      const engine = Engine.open({ backend: "offline", maxVoices: 64 + i });
      engine.render(64);
      engine.close();
      expect(engine.closed).toBe(true);
    }
  });

  test("open, start, stop and close the null backend 20 times", () => {
    for (let i = 0; i < 20; i++) {
      const engine = Engine.open({ backend: "null", blockFrames: 64 });
      engine.start();
      engine.stop();
      engine.close();
    }
  });

  test("closing twice is fine", () => {
    const engine = Engine.open();
    engine.close();
    expect(() => engine.close()).not.toThrow();
  });

  test("every call after close throws a clear EngineError", () => {
    const engine = Engine.open();
    engine.close();
    const buf = new EventBuffer(1);
    buf.add({ s: "sine" }, 0, 10);
    const calls: [string, () => unknown][] = [
      ["start", () => engine.start()], ["stop", () => engine.stop()], ["push", () => engine.push(buf)],
      ["render", () => engine.render(16)], ["render", () => engine.renderInto(new Float32Array(32))],
      ["telemetry", () => engine.telemetry()], ["now", () => engine.now()],
      ["setBackend", () => engine.setBackend("null")], ["devices", () => engine.devices()],
    ];
    for (const [name, call] of calls) {
      expect(call).toThrow(EngineError);
      expect(call).toThrow(`Engine.${name}: the engine is closed`);
    }
  });
});

describe("attached engines", () => {
  test("an engine attached from share() pushes and reads the clock, but cannot stop or free the engine", () => {
    const owner = Engine.open();
    const attached = Engine.attach(structuredClone(owner.share()));
    const buf = new EventBuffer(1);
    buf.add({ s: "sine" }, 10, 100);
    expect(attached.push(buf)).toBe(1);
    expect(attached.sampleRate).toBe(48000);
    expect(() => attached.render(16)).toThrow(/Engine.render: an attached engine cannot do this/);
    expect(() => attached.stop()).toThrow(/an attached engine cannot do this/);
    attached.close(); // lets go only
    expect(() => attached.now()).toThrow(/the engine is closed/);
    owner.render(256);
    expect(owner.telemetry().eventsPlayed).toBe(1);
    owner.close();
    expect(() => Engine.attach({ handle: 0 } as never)).toThrow(/not a shared engine/);
  });
});

describe("options", () => {
  test("bad options are named with their range", () => {
    expect(() => Engine.open({ sampleRate: 1e9 })).toThrow(/sampleRate must be a whole number from 8000 to 384000 \(got 1000000000\)/);
    expect(() => Engine.open({ channels: 0 })).toThrow(/channels must be a whole number from 1 to 8/);
    expect(() => Engine.open({ ringCapacity: 1000 })).toThrow(/ringCapacity must be a power of two/);
    expect(() => Engine.open({ blockFrames: Number.NaN })).toThrow(/blockFrames/);
    expect(() => Engine.open({ backend: "alsa" as never })).toThrow(/backend must be one of offline, null, portaudio/);
    expect(() => Engine.open({ sampleRat: 48000 } as never)).toThrow(/unknown option "sampleRat"/);
  });

  test("an unknown device name answers with the devices there are", () => {
    let error: unknown;
    try {
      Engine.open({ backend: "portaudio", device: "no such device" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect(String(error)).toMatch(/no audio output device named "no such device"; devices: /);
    const names = Engine.devices().map((d) => d.name);
    for (const name of names) expect(String(error)).toContain(`"${name}"`);
  });

  test("render needs the offline backend", () => {
    const engine = Engine.open({ backend: "null" });
    try {
      expect(() => engine.render(64)).toThrow(/Engine.render: not available with the engine's current backend/);
    } finally {
      engine.close();
    }
  });

  test("a buffer that is not whole frames is refused", () => {
    const engine = Engine.open({ channels: 2 });
    expect(() => engine.renderInto(new Float32Array(3))).toThrow(/not a whole number of 2-channel frames/);
    expect(() => engine.render(-1)).toThrow(/frames must be a whole number/);
    engine.close();
  });

  test("bad event arguments are refused before they reach the engine", () => {
    const buf = new EventBuffer(2);
    expect(() => buf.add({}, Number.NaN, 10)).toThrow(RangeError);
    expect(() => buf.add({}, -1, 10)).toThrow(RangeError);
    expect(() => buf.add({}, 0, -5)).toThrow(RangeError);
    expect(() => new EventBuffer(0)).toThrow(RangeError);
  });
});
