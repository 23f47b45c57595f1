// Each `$:` block of a buffer keeps its own slot, named by its place in the
// whole buffer, whatever part of the buffer is evaluated: evaluating one
// block never stops the buffer's other blocks. Through the real worker and
// engine (null backend).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Engine } from "../../server/engine/index.ts";
import { blockPlace } from "../../server/live/block-place.ts";
import { LiveSession } from "../../server/live/session.ts";

const BUFFER = `$: s("bd*2")\n\n$: s("hh*4")\n\n$: note("c3 e3")`;
const SECOND = `$: s("hh*4")`;
const THIRD = `$: note("c3 e3")`;

describe("the place of a block", () => {
  test("counts the $: blocks before it; the whole buffer has no place", () => {
    expect(blockPlace(SECOND, BUFFER)).toEqual({ firstAnonymous: 1, partial: true });
    expect(blockPlace(THIRD, BUFFER)).toEqual({ firstAnonymous: 2, partial: true });
    expect(blockPlace(BUFFER, BUFFER)).toBeUndefined();
    expect(blockPlace(SECOND, undefined)).toBeUndefined();
    // a muted block counts too, and so does a block that holds every $: of the buffer
    expect(blockPlace(`$: s("x")`, `_$: s("a")\n\n$: s("x")`)).toEqual({ firstAnonymous: 1, partial: true });
    expect(blockPlace(`$: s("a")\n$: s("b")`, `// tune\n$: s("a")\n$: s("b")`)).toBeUndefined();
  });
});

describe("evaluating one $: block", () => {
  let engine: Engine;
  let live: LiveSession;
  beforeAll(async () => {
    engine = Engine.open({ backend: "null", sampleRate: 48000, blockFrames: 128 });
    engine.start();
    live = await LiveSession.start({ engine, hangTimeoutMs: 2000 });
  });
  afterAll(async () => {
    await live?.close();
    engine?.close();
  });
  const ids = () => live.slotStates().map((s) => s.id).sort();
  /** The worker mirrors its slots to the session asynchronously: wait for them (patience, not a timed assertion). */
  async function slotsBecome(want: string[]): Promise<void> {
    const end = performance.now() + 6000;
    while (JSON.stringify(ids()) !== JSON.stringify(want) && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(ids()).toEqual(want);
  }

  test("keeps the other blocks' slots, and replaces only its own", async () => {
    expect(await live.evaluate(BUFFER)).toMatchObject({ ok: true, slots: ["main/$1", "main/$2", "main/$3"] });
    const second = await live.evaluate(`$: s("hh*8")`, { place: blockPlace(SECOND, BUFFER) });
    expect(second).toMatchObject({ ok: true, slots: ["main/$2"] });
    await slotsBecome(["main/$1", "main/$2", "main/$3"]);
    const third = await live.evaluate(THIRD, { place: blockPlace(THIRD, BUFFER) });
    expect(third).toMatchObject({ ok: true, slots: ["main/$3"] });
    await slotsBecome(["main/$1", "main/$2", "main/$3"]);
    // the programs a fresh worker would replay reproduce every block
    expect(live.playingPrograms().map((p) => p.place?.firstAnonymous ?? "all")).toEqual(["all", 1, 2]);
  });

  test("the whole buffer again replaces all of its blocks, removing those that are gone", async () => {
    expect(await live.evaluate(`$: s("bd")`)).toMatchObject({ ok: true, slots: ["main/$1"] });
    await slotsBecome(["main/$1"]);
  });
});
