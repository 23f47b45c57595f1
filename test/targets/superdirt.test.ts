// SuperDirt over OSC through the real engine (null backend: a native thread
// at real-time pace), the real worker and scheduler, to a real UDP receiver
// decoding with an independent OSC library. What the scheduler owns is
// asserted here: one bundle per event, the arguments SuperDirt expects, a
// tempo change that moves and repeats no bundle already sent, routing by
// `.osc()`, an unreachable SuperDirt reported once while the engine plays on.
// The time tags' spacing over 30 s on a real sound-card clock is the
// real-time pass's (superdirt.rt.test.ts).
import { afterAll, describe, expect, test } from "vitest";
import { Engine } from "../../server/engine/index.ts";
import { LiveSession, type LiveEvent } from "../../server/live/session.ts";
import type { TargetConfig } from "../../server/targets/target.ts";
import { oscReceiver, type DirtBundle } from "./osc-receiver.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const opened: { live: LiveSession; engine: Engine }[] = [];

async function session(targets: Partial<TargetConfig>) {
  const engine = Engine.open({ backend: "null", sampleRate: 48000, blockFrames: 256 });
  engine.start();
  // A generous watchdog: the worker is not what is tested here, and a loaded machine is slow to evaluate.
  const live = await LiveSession.start({ engine, targets, hangTimeoutMs: 5000 });
  const warnings: string[] = [];
  live.subscribe((e: LiveEvent) => {
    if (e.type === "warning") warnings.push(e.message);
  });
  opened.push({ live, engine });
  return { engine, live, warnings };
}

afterAll(async () => {
  for (const { live, engine } of opened) {
    await live.close();
    engine.close();
  }
});

async function until(cond: () => boolean, ms = 20000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error("timed out");
    await sleep(10);
  }
}

/** A UDP port with nothing listening (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = await Bun.udpSocket({ hostname: "127.0.0.1", port: 0 });
  const port = s.port;
  s.close();
  return port;
}

describe("SuperDirt target", () => {
  test('s("bd*4") at cps 0.5: one bundle per event, SuperDirt\'s arguments; a tempo change moves no tag already sent', async () => {
    const rx = await oscReceiver();
    const { engine, live } = await session({ superdirt: true, engine: false, oscPort: rx.port });
    const playedBefore = engine.telemetry().eventsPlayed;
    expect(await live.evaluate(`s("bd*4").bank("RolandTR909")`, { buffer: "drums" })).toMatchObject({ ok: true });
    await until(() => rx.bundles.length >= 4);
    const beforeChange = rx.bundles.length;
    live.setCps(1);
    await until(() => rx.bundles.length >= beforeChange + 6);
    await live.hush();
    rx.close();
    const b = rx.bundles;
    for (const x of b) {
      expect(x.address).toBe("/dirt/play");
      expect(x.args).toMatchObject({ s: "RolandTR909bd", orbit: 0, _id_: "drums", gain: 1 });
      expect(x.types).toMatchObject({ s: "s", orbit: "i", cps: "f", cycle: "f", delta: "f", _id_: "s", gain: "f" });
    }
    // One bundle per event: consecutive quarter cycles, none twice, none skipped (across the change too).
    const cycles = b.map((x) => x.args.cycle as number);
    for (let i = 1; i < cycles.length; i++) expect(cycles[i]! - cycles[i - 1]!).toBeCloseTo(0.25, 9);
    // The tags follow the events' order and tempo: 0.5 s apart at 0.5 cps, then 0.25 s at 1 cps
    // (a tag moved by the change, or a bundle sent again at the new tempo, would break this).
    const change = b.findIndex((x) => x.args.cps === 1);
    expect(change).toBeGreaterThan(0);
    expect(change).toBeGreaterThanOrEqual(beforeChange - 1);
    // The step across the change is part old tempo, part new.
    for (let i = 1; i < b.length; i++) {
      const step = b[i]!.time - b[i - 1]!.time;
      if (i === change) {
        expect(step).toBeGreaterThan(0.25 - 1e-3);
        expect(step).toBeLessThan(0.5 + 1e-3);
      } else expect(step, `tag step ${i}`).toBeCloseTo(i < change ? 0.5 : 0.25, 3);
      expect(b[i]!.args.delta).toBeCloseTo(i < change ? 0.5 : 0.25, 5);
    }
    // Every pattern went to SuperDirt alone: the engine played none of them.
    expect(engine.telemetry().eventsPlayed).toBe(playedBefore);
  }, 60_000);

  test(".osc() sends that pattern alone (oscport per event); an unreachable SuperDirt is reported once and the engine plays on", async () => {
    const rx = await oscReceiver();
    const nobody = await closedPort();
    const { engine, live, warnings } = await session({ oscPort: nobody });
    const played = () => engine.telemetry().eventsPlayed;
    const code = [
      `$: s("hh*4").oscport(${rx.port}).osc()`,
      `$: s("cp*2").osc()`, // to the default destination, where nothing listens
      `$: note("c3*4").s("sine").decay(0.05).sustain(0)`,
    ].join("\n");
    expect(await live.evaluate(code)).toMatchObject({ ok: true });
    const start = played();
    const startFrame = engine.now();
    await until(() => rx.bundles.length >= 6 && warnings.some((w) => w.includes("does not answer")));
    await sleep(1500);
    expect(rx.bundles.every((x) => x.args.s === "hh")).toBe(true);
    const refused = warnings.filter((w) => w.includes("does not answer"));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain(`127.0.0.1:${nobody}`);
    // The engine played the sine alone: about 4 per cycle of 2 s, none of the OSC patterns' events.
    const playedSine = played() - start;
    expect(playedSine).toBeGreaterThan(0);
    // 2 a second by the engine's clock (the OSC patterns would add 3 more a second).
    const seconds = (engine.now() - startFrame) / 48000;
    expect(playedSine).toBeLessThanOrEqual(Math.ceil(seconds * 2) + 3);
    rx.close();
  }, 60_000);
});

export type { DirtBundle };
