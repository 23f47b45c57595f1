// The transport without Link (PUT /api/link {"playing"} while Link is off):
// it stops and starts our own playing on the next bar, as Link's start/stop
// sync does for a session, so a server stopped with a session and then taken
// out of it is never stuck; a replaced worker stays stopped. The real engine
// on its null backend, the real worker and watchdog.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Engine } from "../../server/engine/index.ts";
import { LiveSession } from "../../server/live/session.ts";

let engine: Engine;
let live: LiveSession;

beforeAll(async () => {
  engine = Engine.open({ backend: "null", sampleRate: 48000, blockFrames: 128 });
  engine.start();
  live = await LiveSession.start({ engine, cps: 2, hangTimeoutMs: 300 }); // a bar is half a second
});

afterAll(async () => {
  await live?.close();
  engine?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const played = () => engine.telemetry().eventsPlayed;

/** Waits (patience, not a time asserted) until the engine has played nothing for `quietMs` (true) or something (false). */
async function until(silent: boolean, quietMs = 800, ms = 8000): Promise<void> {
  const end = performance.now() + ms;
  for (;;) {
    const before = played();
    await sleep(quietMs);
    if ((played() === before) === silent) return;
    if (performance.now() > end) throw new Error(`timed out waiting for the engine to ${silent ? "fall silent" : "play"}`);
  }
}

describe("the transport with Link off", () => {
  test("stops and starts on a bar; a replaced worker stays stopped", async () => {
    expect(await live.evaluate(`s("bd*8")`)).toMatchObject({ ok: true });
    await until(false);
    expect(live.linkState()).toMatchObject({ on: false, playing: true });

    live.setLinkPlaying(false);
    expect(live.linkState().playing).toBe(false);
    await until(true);
    // nothing more, over several bars
    const stopped = played();
    await sleep(1500);
    expect(played()).toBe(stopped);

    // a hang replaces the worker: the new one resumes stopped
    const restarts = live.restarts;
    expect((await live.evaluate(`while (true) {}`, { buffer: "hang" })).ok).toBe(false);
    expect(live.restarts).toBeGreaterThan(restarts);
    await sleep(1500);
    expect(played()).toBe(stopped);
    expect(live.linkState().playing).toBe(false);

    live.setLinkPlaying(true);
    await until(false);
    expect(live.linkState().playing).toBe(true);
  }, 30_000);
});
