// Absurd numbers never reach the output: NaN, infinities and 1e30 in any
// parameter give finite audio within +-1.
import { describe, expect, test } from "vitest";
import { libraryTables } from "../../server/engine/index.ts";
import { allFinite, peak, saveWav } from "./audio-analysis.ts";
import { renderNotes } from "./helpers.ts";

const BAD = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30, -1e30];
// Every filter on, so a bad value has a filter to reach.
const BASE = { s: "sawtooth", note: 60, cutoff: 2000, hcutoff: 100, bandf: 800, gain: 1 };

function expectSafe(name: string, out: Float32Array): void {
  const ok = allFinite(out) && peak(out) <= 1;
  if (!ok) saveWav(`safety-${name}`, out, 2, 48000);
  expect(allFinite(out), `${name}: finite`).toBe(true);
  expect(peak(out), `${name}: within +-1`).toBeLessThanOrEqual(1);
}

describe("parameter sanitising", () => {
  const params = libraryTables().params;

  test("the table has the parameters the binding's controls name", () => {
    expect(params.map((p) => p.name)).toEqual(expect.arrayContaining([
      "s", "freq", "gain", "velocity", "pan", "attack", "decay", "sustain", "release",
      "cutoff", "resonance", "hcutoff", "hresonance", "bandf", "bandq",
    ]));
  });

  for (const p of params) {
    test(`NaN, +-Inf and +-1e30 in "${p.name}" give finite output within +-1`, () => {
      for (const bad of BAD) {
        const out = renderNotes([{ controls: { ...BASE, [p.name]: bad }, at: 3, dur: 3000 }], 4096);
        expectSafe(`${p.name}=${bad}`, out);
      }
    });
  }

  test("every parameter bad at once, on every sound", () => {
    for (const s of ["sine", "sawtooth", "square", "triangle", "white", "pink", "brown"]) {
      for (const bad of BAD) {
        const controls: Record<string, unknown> = { s };
        for (const p of params) if (p.name !== "s") controls[p.name] = bad;
        const out = renderNotes([{ controls, at: 0, dur: 3000 }], 4096);
        expectSafe(`${s}-all=${bad}`, out);
      }
    }
  });

  test("a loud pile-up is limited to +-1", () => {
    const notes = Array.from({ length: 64 }, (_, i) => ({ controls: { s: "square", note: 40 + (i % 12), gain: 8, resonance: 50, cutoff: 300 + i * 10 }, at: i, dur: 20000 }));
    const out = renderNotes(notes, 24000);
    expectSafe("pile-up", out);
    expect(peak(out)).toBeGreaterThan(0.84); // it is loud, and held at the ceiling (-1 dBTP: sample peaks up to 0.851)
  });
});
