// The engine's clock source (ostinato.h): an installed capture table is
// called once per block on the audio thread and its result published with the
// block's first frame. The source here is the real Link module, disabled (it
// joins no network session: a disabled Link keeps its own timeline).
import { describe, expect, test } from "vitest";
import { Engine } from "../../server/engine/index.ts";
import { Link, linkAvailable } from "../../server/engine/link.ts";

describe.skipIf(!linkAvailable())("clock source (Link module, not joined)", () => {
  test("each block is stamped with the session's beat and tempo; removal stops it; a tempo change shows at once", () => {
    const engine = Engine.open({ backend: "offline", sampleRate: 48000, blockFrames: 128 });
    const link = Link.open(120);
    try {
      expect(engine.telemetry().clockCaptures).toBe(0);
      engine.setClockSource(link.clockSource());
      for (let i = 0; i < 10; i++) engine.render(128);
      let t = engine.telemetry();
      expect(t.clockCaptures).toBe(10);
      expect(t.clockFrame).toBe(9 * 128); // the last block's first frame
      expect(t.clockBpm).toBeCloseTo(120, 6);
      const beat = t.clockBeat;
      link.setTempo(90);
      engine.render(128);
      t = engine.telemetry();
      expect(t.clockBpm).toBeCloseTo(90, 6);
      expect(t.clockBeat).toBeGreaterThanOrEqual(beat); // offline renders faster than real time: Link's time barely moved
      link.setDelay(0.5);
      const before = link.clockUs();
      engine.render(128);
      expect(engine.telemetry().clockHostUs - before).toBeGreaterThanOrEqual(500_000); // heard half a second later
      engine.setClockSource(null);
      engine.render(128);
      expect(engine.telemetry().clockCaptures).toBe(12);
    } finally {
      engine.setClockSource(null);
      engine.close();
      link.close();
    }
    expect(() => link.tempo()).toThrow(/closed/);
  });
});

if (!linkAvailable()) test.skip("clock source: the Link module is not built", () => {});
