// s("bd*4") through the whole stack (evaluator, scheduler, engine) to audio:
// the built-in kick lands on exact frames. The kicks overlap (a one-shot
// rings past the next hit), so each onset is found in the residual: the
// rendered audio minus the earlier kicks, each one a copy of a single
// kick rendered alone.
import { describe, expect, test } from "vitest";
import { renderProgram } from "../../server/live/render.ts";
import { channel } from "../engine/audio-analysis.ts";

describe("the built-in kick through the real engine", () => {
  test('s("bd*4") at cps 0.5, 48 kHz: onsets exactly 24000 frames apart', async () => {
    const options = { cycles: 2, cps: 0.5, sampleRate: 48000 };
    const all = channel((await renderProgram(`s("bd*4")`, options)).samples, 2, 0);
    const one = channel((await renderProgram(`s("bd")`, { ...options, cycles: 1 })).samples, 2, 0);
    expect(all.length).toBe(192000);
    const onsets: number[] = [];
    const residual = Float32Array.from(all);
    let from = 0;
    for (let k = 0; k < 8; k++) {
      let at = -1;
      for (let i = from; i < residual.length; i++) {
        if (Math.abs(residual[i]!) > 1e-4) {
          at = i;
          break;
        }
      }
      expect(at, `onset ${k}`).toBeGreaterThanOrEqual(0);
      onsets.push(at);
      // this kick accounted for: what is left before the next one is rounding
      for (let i = at; i < residual.length && i - at < one.length; i++) residual[i] = residual[i]! - one[i - at]!;
      from = at + 1;
    }
    expect(onsets).toEqual([0, 24000, 48000, 72000, 96000, 120000, 144000, 168000]);
    // and nothing else sounds: the residual is rounding noise throughout
    let worst = 0;
    for (const x of residual) worst = Math.max(worst, Math.abs(x));
    expect(worst).toBeLessThan(1e-5);
  });
});
