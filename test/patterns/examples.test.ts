import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { evaluate } from "../../server/live/program.ts";
import { renderProgram } from "../../server/live/render.ts";
import { allFinite, channel, peak, rms } from "../engine/audio-analysis.ts";

// Every example in patterns/ is a promise to a new user: it evaluates, and it
// plays something audible, finite and within full scale.
const dir = join(__dirname, "..", "..", "patterns");
const files = readdirSync(dir).filter((f) => /\.(js|ts)$/.test(f)).sort();

describe("patterns/", () => {
  test("there are examples", () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of files) {
    test(`${file} evaluates and renders audible, clean audio`, async () => {
      const source = readFileSync(join(dir, file), "utf8");
      const program = await evaluate(source);
      expect(program.played.length).toBeGreaterThan(0);
      const r = await renderProgram(source, { cycles: 4, sampleRate: 48000 });
      expect(allFinite(r.samples)).toBe(true);
      expect(peak(r.samples)).toBeLessThanOrEqual(1);
      for (const c of [0, 1]) expect(rms(channel(r.samples, 2, c)), `channel ${c}`).toBeGreaterThan(0.01);
    });
  }
});
