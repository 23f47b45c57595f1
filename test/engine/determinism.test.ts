// Offline output is deterministic: the same events give bit-identical audio.
import { expect, test } from "vitest";
import { firstDifference } from "./audio-analysis.ts";
import { renderNotes } from "./helpers.ts";

const notes = Array.from({ length: 200 }, (_, i) => ({
  controls: {
    s: ["sine", "sawtooth", "square", "triangle", "white", "pink", "brown"][i % 7],
    note: 36 + ((i * 7) % 40), pan: (i % 5) / 4, gain: 0.3,
    cutoff: i % 2 ? 500 + i * 20 : undefined, hcutoff: i % 3 ? undefined : 200, bandf: i % 4 ? undefined : 1000,
    attack: 0.002, decay: 0.05, sustain: 0.5, release: 0.05,
  },
  at: i * 173, dur: 2000 + (i % 9) * 300, slot: i % 4,
}));

test("the same events rendered twice give identical bytes", () => {
  const a = renderNotes(notes, 48000);
  const b = renderNotes([...notes], 48000);
  expect(firstDifference(a, b)).toBe(-1);
  expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
});

test("a different noise seed gives different noise", () => {
  const noise = [{ controls: { s: "white" }, at: 0, dur: 1000 }];
  const a = renderNotes(noise, 1024, { seed: 1 });
  const b = renderNotes(noise, 1024, { seed: 2 });
  expect(firstDifference(a, b)).toBe(0);
});
