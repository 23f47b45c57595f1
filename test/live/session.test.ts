import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Engine } from "../../server/engine/index.ts";
import { LiveSession, type LiveEvent } from "../../server/live/session.ts";

// The real engine on its null backend (a native thread at real-time pace),
// the real worker, the real watchdog.
let engine: Engine;
let live: LiveSession;
const events: LiveEvent[] = [];

beforeAll(async () => {
  engine = Engine.open({ backend: "null", sampleRate: 48000, blockFrames: 128 });
  engine.start();
  live = await LiveSession.start({ engine, hangTimeoutMs: 300 });
  live.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await live?.close();
  engine?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const played = () => engine.telemetry().eventsPlayed;

/**
 * Waits until `cond` holds, up to `ms`: patience for "eventually", not a time
 * asserted (a fresh worker on a busy machine can take a second or two to
 * start; how soon the session recovers is asserted where that is the point).
 */
async function until(cond: () => boolean, ms = 6000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error("timed out");
    await sleep(10);
  }
}

describe("live session", () => {
  test("an evaluation makes the engine play", async () => {
    const before = played();
    const outcome = await live.evaluate(`note("c3*8").s("sine").decay(0.05).sustain(0)`);
    expect(outcome).toEqual({ ok: true, buffer: "main", slots: ["main"] });
    await until(() => played() >= before + 4);
  });

  test("a word the engine does not have (a warp mode, a vowel) is said once, with the words it has and what plays instead", async () => {
    const from = events.length;
    const outcome = await live.evaluate(`note("c3*8").s("sine").vowel("y").warpmode("spin").decay(0.05).sustain(0)`, { buffer: "words" });
    expect(outcome.ok).toBe(true);
    const warnings = () => events.slice(from).flatMap((e) => (e.type === "warning" ? [e.message] : []));
    await until(() => warnings().length >= 2);
    await sleep(300); // more events of the same words: still said once each
    expect(warnings().filter((w) => /vowel|warpmode/.test(w))).toEqual([
      expect.stringMatching(/^vowel "y" is not one the engine has \(a, e, i, o, u\): it plays no vowel filter$/),
      expect.stringMatching(/^warpmode "spin" is not one the engine has \(none, asym, bendp, bendm, bendmp\): it plays the wavetable unwarped$/),
    ]);
    await live.evaluate(`silence`, { buffer: "words" });
  });

  test("a syntax error leaves the previous pattern playing and carries line and column", async () => {
    const outcome = await live.evaluate(`note("c3")\n  .s("sine"\n  .fast(`);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.phase).toBe("syntax");
    expect(outcome.error.line).toBe(3);
    const before = played();
    await until(() => played() >= before + 3);
  });

  test("while(true) at evaluation time is recovered within 1 s; the clock keeps advancing", async () => {
    const frameBefore = engine.now();
    const t0 = performance.now();
    const outcome = await live.evaluate(`while (true) {}`);
    const recoveredMs = performance.now() - t0;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/did not finish evaluating/);
    expect(recoveredMs).toBeLessThan(1000);
    expect(engine.now() - frameBefore).toBeGreaterThan(0.25 * 48000);
    // the previous program plays on in the new worker
    const before = played();
    await until(() => played() >= before + 3);
    expect(live.restarts).toBeGreaterThanOrEqual(1);
  });

  test("while(true) inside a pattern function at query time stops that slot alone", async () => {
    const outcome = await live.evaluate(`$: note("c3*8").s("sine").decay(0.05).sustain(0)\n$: note("e3*4").s("sine").fmap(v => { while (true) {} })`);
    // installed, but honest: the slot that hung while being looked ahead is named, stopped, with why
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.slots).toEqual(["main/$1", "main/$2"]);
      expect(outcome.error).toMatchObject({ slot: "main/$2", phase: "query" });
      expect(outcome.error.message).toMatch(/did not answer a query/);
    }
    await until(() => live.slotStates().some((s) => s.id === "main/$2" && s.error !== undefined));
    const stopped = live.slotStates().find((s) => s.id === "main/$2")!;
    expect(stopped.error!.message).toMatch(/did not answer a query/);
    const before = played();
    await until(() => played() >= before + 4);
  });

  test("a slot that throws at query time stops alone and is reported once", async () => {
    events.length = 0;
    await live.evaluate(`$: note("c3*8").s("sine").decay(0.05).sustain(0)\nbad: note("e3*4").fmap(v => { throw new Error("boom") })`);
    await until(() => events.some((e) => e.type === "error"));
    await sleep(200);
    const errors = events.filter((e) => e.type === "error");
    expect(errors).toHaveLength(1);
    const e = errors[0]!;
    if (e.type === "error") {
      expect(e.error.slot).toBe("bad");
      expect(e.error.message).toMatch(/boom/);
      expect(e.error.line).toBe(2);
    }
    const before = played();
    await until(() => played() >= before + 4);
  });

  test("hush silences everything", async () => {
    live.hush();
    await sleep(100);
    const before = played();
    await sleep(300);
    expect(played()).toBe(before);
  });
});
