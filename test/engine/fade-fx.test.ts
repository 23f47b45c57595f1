// FADE_FX (hush): every orbit's delay and reverb tails fade out over the
// fade and are cleared; what is sent afterwards plays into clean effects.
import { describe, expect, test } from "vitest";
import { EventBuffer } from "../../server/engine/index.ts";
import { channel, peak, rms } from "./audio-analysis.ts";
import { offline, pushNotes } from "./helpers.ts";

const RATE = 48000;
const ringing = { s: "square", note: 48, decay: 0.05, sustain: 0, delay: 0.8, delaytime: 0.125, delayfeedback: 0.98, room: 0.6, roomsize: 8 };

describe("FADE_FX", () => {
  test("a 0.98 delay and a long reverb fall silent within the fade, with no step; a later send echoes cleanly", () => {
    const engine = offline({ lookaheadMs: 0 });
    try {
      pushNotes(engine, [
        { controls: ringing, at: 0, dur: 2400 },
        { controls: { ...ringing, orbit: 3 }, at: 0, dur: 2400 },
      ]);
      const before = channel(engine.render(RATE), 2, 0);
      expect(rms(before, RATE / 2)).toBeGreaterThan(0.05); // ringing on its echoes and reverb
      const fade = new EventBuffer(1);
      fade.addFadeEffects(RATE, 480);
      expect(engine.push(fade)).toBe(1);
      const during = channel(engine.render(480), 2, 0);
      const after = channel(engine.render(RATE / 2), 2, 0);
      expect(peak(after)).toBe(0);
      // a ramp, not a cut: no sample jumps by more than the loudest steps of the signal itself
      let jump = 0;
      for (let i = 1; i < during.length; i++) jump = Math.max(jump, Math.abs(during[i]! - during[i - 1]!));
      let own = 0;
      for (let i = 1; i < before.length; i++) own = Math.max(own, Math.abs(before[i]! - before[i - 1]!));
      expect(jump).toBeLessThanOrEqual(own);
      // a new send: the dry note, then its first echo at the delay time, and nothing from before
      const at = 1.5 * RATE + 480 + 4800;
      pushNotes(engine, [{ controls: { ...ringing, room: 0 }, at, dur: 2400 }]);
      const next = channel(engine.render(RATE / 2), 2, 0);
      const offset = at - (RATE + 480 + RATE / 2);
      expect(peak(next.subarray(0, offset))).toBe(0);
      const echo = offset + 0.125 * RATE;
      expect(peak(next.subarray(offset + 3500, echo - 10))).toBe(0); // between the note and its echo: no old tail
      expect(rms(next, echo + 100, echo + 1000)).toBeGreaterThan(0.01);
    } finally {
      engine.close();
    }
  });
});
