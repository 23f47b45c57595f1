// Ableton Link between two ostinato processes (issue 17's must-show): both
// servers run with --link in a private network namespace this test makes
// (`unshare -n`: loopback only, multicast enabled on it, a route for
// 224.0.0.0/4 through it), so discovery never touches the machine's real
// interfaces. test/live/link-peers.ts drives them and reports; this asserts.
// 60 s of downbeats: the real-time pass's one long test.
import { execFileSync, spawn } from "node:child_process";
import { describe, expect, test } from "vitest";
import { linkAvailable } from "../../server/engine/link.ts";

const SECONDS = 60;
const NETNS = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo";

/** Why this machine cannot run the test (no Link module, no network namespaces), or null. */
function cannot(): string | null {
  if (!linkAvailable()) return "the Link module is not built (install ableton-link-dev; npm test does)";
  try {
    execFileSync("unshare", ["-n", "sh", "-c", NETNS], { stdio: "pipe" });
    return null;
  } catch (err) {
    return `no private network namespace here (unshare -n needs root or user namespaces): ${(err as Error).message.split("\n")[0]}`;
  }
}

type Line = { kind: string; [k: string]: unknown };

function runPeers(): Promise<Line[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("unshare", ["-n", "sh", "-c", `${NETNS} && exec "$0" test/live/link-peers.ts ${SECONDS}`, process.execPath], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.once("error", reject);
    child.once("exit", () => {
      const lines = out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Line);
      if (!lines.length) reject(new Error(`link-peers printed nothing; stderr: ${err.slice(-2000)}`));
      else resolve(lines);
    });
  });
}

const reason = cannot();

describe.skipIf(reason !== null)("Ableton Link: two servers in a private network namespace", () => {
  test(`discover each other, follow a tempo change, share the downbeat for ${SECONDS} s, play on alone`, async () => {
    const lines = await runPeers();
    const by = (kind: string) => lines.find((l) => l.kind === kind) as unknown;
    expect(by("error"), JSON.stringify(by("error"))).toBeUndefined();

    const discovered = by("discovered") as { a: { peers: number; bpm: number }; b: { peers: number; bpm: number } };
    expect(discovered.a.peers).toBe(1);
    expect(discovered.b.peers).toBe(1);
    expect(Math.abs(discovered.a.bpm - discovered.b.bpm)).toBeLessThan(0.01);

    // B's own tempo map at A's new tempo (140 BPM = 35 cycles per minute) within 200 ms of A's change.
    const followed = by("followed") as { ms: number; b: number };
    console.log(`B followed A's tempo change in ${followed.ms.toFixed(1)} ms`);
    expect(followed.ms).toBeLessThan(200);
    expect(followed.b * 60).toBeCloseTo(35, 2);

    // The wall-clock (Link host) time of each one's cycle starts: the same bar lines within 1 ms, all along.
    const { diffsUs } = by("downbeats") as { diffsUs: number[] };
    expect(diffsUs.length).toBeGreaterThan(SECONDS * 2);
    const worst = Math.max(...diffsUs.map(Math.abs));
    const sorted = diffsUs.map(Math.abs).sort((x, y) => x - y);
    console.log(`downbeats A-B over ${SECONDS} s: ${diffsUs.length} samples, median ${sorted[sorted.length >> 1]!.toFixed(1)} µs, worst ${worst.toFixed(1)} µs`);
    expect(worst).toBeLessThan(1000);

    // Start/stop sync: A stops the transport, B stops on the same bar (the
    // same host time, within 1 ms); nothing plays on either while stopped; B
    // starts it, both start on one bar and play in phase.
    type Transport = { ms: number; byUs: number; otherUs: number };
    const stop = by("stop") as Transport, start = by("start") as Transport;
    expect(Math.abs(stop.byUs - stop.otherUs)).toBeLessThan(1000);
    expect(Math.abs(start.byUs - start.otherUs)).toBeLessThan(1000);
    const stopped = by("stopped") as { a: { playing: boolean }; b: { playing: boolean }; played: [number[], number[]] };
    expect([stopped.a.playing, stopped.b.playing]).toEqual([false, false]);
    expect(stopped.played[1]).toEqual(stopped.played[0]);
    const started = by("started") as { a: { playing: boolean }; b: { playing: boolean }; played: [number[], number[]]; downbeatUs: number };
    expect([started.a.playing, started.b.playing]).toEqual([true, true]);
    expect(started.played[1][0]!).toBeGreaterThan(started.played[0][0]!);
    expect(started.played[1][1]!).toBeGreaterThan(started.played[0][1]!);
    expect(Math.abs(started.downbeatUs)).toBeLessThan(1000);
    console.log(`start/stop sync: stop bars ${(stop.byUs - stop.otherUs).toFixed(1)} µs apart, start bars ${(start.byUs - start.otherUs).toFixed(1)} µs apart`);

    // A stops: B is alone, at the session's tempo, and plays on (its next events sound).
    const alone = by("alone") as {
      playsOnMs: number;
      before: { eventsPlayed: number; lateEvents: number };
      after: { cps: number; bpm: number; eventsPlayed: number; lateEvents: number };
    };
    expect(alone.after.cps * 60).toBeCloseTo(35, 2);
    expect(alone.after.bpm).toBeCloseTo(140, 2);
    expect(alone.after.eventsPlayed).toBeGreaterThanOrEqual(alone.before.eventsPlayed + 2);
    // late events are the host's (a loaded machine starves the worker): reported, not asserted
    console.log(`B alone: next events within ${alone.playsOnMs.toFixed(0)} ms; late events so far ${alone.after.lateEvents}`);
  }, (SECONDS + 90) * 1000);
});

if (reason !== null) test.skip(`Ableton Link between processes: ${reason}`, () => {});
