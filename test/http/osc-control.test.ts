// The OSC control port through the real server, engine (null backend) and
// worker, driven by packets an independent OSC library (osc-min) encodes:
// it evaluates, sets the tempo, feeds /ctrl values to ctrl("key"), hushes,
// and refuses a sender that is not allowed (a packet from this machine's
// own non-loopback address, to a port bound on every address).
import { networkInterfaces } from "node:os";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBuffer } from "osc-min";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type RunningServer } from "../../server/http/server.ts";
import type { ScheduledEvent } from "../../server/live/scheduler.ts";

let server: RunningServer;
const logs: string[] = [];
const events: ScheduledEvent[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** This machine's first non-loopback IPv4 address, if it has one. */
const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal)?.address;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ostinato-osc-"));
  server = await startServer({
    port: 0,
    backend: "null",
    resume: false,
    patternsDir: join(dir, "patterns"),
    stateDir: join(dir, "state"),
    oscControl: { port: 0, host: "0.0.0.0" },
    log: (l) => logs.push(l),
    // a generous watchdog: the control port is tested here, not the worker on a loaded machine
    limits: { hangTimeoutMs: 5000 },
  });
  server.live.setHighlight(true);
  server.live.subscribe((e) => {
    if (e.type === "events") events.push(...e.events);
  });
});
afterAll(async () => {
  await server?.close();
});

async function until(cond: () => boolean, ms = 20000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error("timed out");
    await sleep(10);
  }
}

async function send(address: string, args: (string | number | { type: string; value: unknown })[], from = "127.0.0.1"): Promise<void> {
  const s = await Bun.udpSocket({ hostname: from });
  const bytes = new Uint8Array(toBuffer({ address, args: args as never }).buffer);
  s.send(bytes, server.oscPort!, from === "127.0.0.1" ? "127.0.0.1" : from);
  await sleep(20);
  s.close();
}

const played = () => server.engine.telemetry().eventsPlayed;

describe("OSC control port", () => {
  test("/eval plays, /cps sets the tempo, /ctrl feeds ctrl(), /hush silences", async () => {
    const before = played();
    await send("/eval", [`note(ctrl("pitch", 40).segment(4)).s("sine").decay(0.05).sustain(0)`, "osc"]);
    await until(() => played() >= before + 4).catch((e) => { throw new Error(`${e.message}: ${logs.join(" / ")}`); });
    expect(server.live.slotStates().map((s) => s.id)).toContain("osc");
    await send("/ctrl", ["pitch", { type: "float", value: 52 }]);
    await until(() => events.some((e) => (e.value as { note?: number }).note === 52));
    await send("/cps", [{ type: "float", value: 1 }]);
    await until(() => Math.abs(server.live.cps - 1) < 1e-6);
    await send("/hush", []);
    await until(() => server.live.slotStates().length === 0);
    await send("/eval", ["s(", "osc"]);
    await until(() => logs.some((l) => l.includes("OSC control: /eval from 127.0.0.1")));
    await send("/nonsense", []);
    await until(() => logs.some((l) => l.includes("unknown address")));
  }, 60_000);

  test.skipIf(!external)("a sender not allowed is refused (reported once) and changes nothing", async () => {
    const tempo = server.live.cps;
    await send("/cps", [{ type: "float", value: 2 }], external!);
    await send("/cps", [{ type: "float", value: 2 }], external!);
    await until(() => logs.some((l) => l.includes(`refused a packet from ${external}`)));
    await sleep(200);
    expect(server.live.cps).toBe(tempo);
    expect(logs.filter((l) => l.includes(`refused a packet from ${external}`))).toHaveLength(1);
  }, 60_000);
});
