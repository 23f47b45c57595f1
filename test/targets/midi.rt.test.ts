// MIDI out through JACK MIDI on the test run's JACK dummy server
// (test/setup/jackd.ts): the engine plays on the same server (a JACK device:
// our own JACK client, native/backend_jack.c), a JACK MIDI monitor (Debian's
// jack_midi_dump, with absolute frame stamps) receives what our client
// writes. Note-ons and note-offs land at their exact frames (spacing and
// duration in JACK frames equal the engine's), CCs and a SysEx come as sent,
// and no note hangs after a hush or a replaced program.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { afterAll, describe, expect, test } from "vitest";
import { Engine } from "../../server/engine/index.ts";
import { LiveSession } from "../../server/live/session.ts";
import { JACK_PERIOD } from "../setup/jackd.ts";

const RATE = 48000;
/**
 * jack_midi_dump stamps what it reads in a cycle its client ran late for
 * (a loaded machine: JACK here runs without real-time priority) a whole
 * period or more off, the same for every event of that cycle. Frames
 * between two events that may sit in different cycles are therefore checked
 * to the frame modulo whole periods, up to this many (the shifts are
 * counted and printed: the host's, not ours); events in one cycle compare
 * exactly.
 */
const MAX_LATE_PERIODS = 8;

/** How many whole JACK periods `actual` frames are off `planned`, or null when they are not a whole number of periods apart (a wrong frame). */
function periodsOff(actual: number, planned: number): number | null {
  const d = actual - planned;
  return d % JACK_PERIOD === 0 && Math.abs(d) <= MAX_LATE_PERIODS * JACK_PERIOD ? d / JACK_PERIOD : null;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let engine: Engine | undefined;
let live: LiveSession | undefined;
let monitor: ChildProcess | undefined;

afterAll(async () => {
  await live?.close();
  engine?.close();
  monitor?.kill("SIGTERM");
});

function jackDevice(): string {
  const jack = Engine.devices().find((d) => d.hostApi.startsWith("JACK"));
  if (!jack) throw new Error("no JACK output device: test/setup/jackd.ts should have started jackd (is jackd2 installed?)");
  return jack.name;
}

type Received = { frame: number; bytes: number[] };

/** jack_midi_dump -a: one line per event, "FRAME: b0 b1 ..." in hex. */
function startMonitor(name: string): { received: Received[]; raw: string[] } {
  const received: Received[] = [];
  const raw: string[] = [];
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  monitor = spawn("stdbuf", ["-oL", "jack_midi_dump", "-a", name], { env, stdio: ["ignore", "pipe", "pipe"] });
  let buf = "";
  monitor.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      raw.push(line);
      const m = /^\s*(\d+):?\s+((?:[0-9a-f]{2}\s*)+)/i.exec(line);
      if (m) received.push({ frame: Number(m[1]), bytes: m[2]!.trim().split(/\s+/).map((h) => parseInt(h, 16)) });
    }
  });
  return { received, raw };
}

describe("MIDI out through JACK MIDI", () => {
  test("notes at their exact frames, CCs and a SysEx; no hanging note after a replaced program or a hush", async () => {
    const mon = startMonitor("ostinato-test-monitor");
    engine = Engine.open({ backend: "portaudio", device: jackDevice(), sampleRate: RATE, blockFrames: 256 });
    engine.start();
    live = await LiveSession.start({ engine, targets: { midiClient: "ostinato-test-midi" }, hangTimeoutMs: 5000 });
    const warnings: string[] = [];
    live.subscribe((e) => {
      if (e.type === "warning" || e.type === "error") warnings.push(JSON.stringify(e));
    });
    // the monitor is up (a loaded machine can take longer than the second or so it usually takes)
    for (let i = 0; i < 100 && portsOf("ostinato-test-monitor").length === 0; i++) await sleep(100);
    await sleep(500);
    const code = `note("c4 e4 g4 c5").velocity(0.5).ccn(74).ccv(0.5).midichan(2).legato(0.5).midi('ostinato-test-monitor')`;
    expect(await live.evaluate(code)).toMatchObject({ ok: true });
    await sleep(4500);
    expect(await live.evaluate(`note("a3").sysex(["0x7d", "0x01:0x02"]).midi('ostinato-test-monitor')`)).toMatchObject({ ok: true });
    // The same key again and again, each note ending where the next begins (in a buffer of its own, beside a3).
    expect(await live.evaluate(`note("d4*64").midichan(3).midi('ostinato-test-monitor')`, { buffer: "repeat" })).toMatchObject({ ok: true });
    await sleep(2500);
    live.hush();
    await sleep(1000);
    expect(warnings).toEqual([]);
    const r = mon.received;
    const hex = (e: Received) => e.bytes.map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const ons = r.filter((e) => (e.bytes[0]! & 0xf0) === 0x90 && e.bytes[0] === 0x91);
    const offs = r.filter((e) => e.bytes[0] === 0x81);
    expect(ons.length).toBeGreaterThanOrEqual(6);
    // Exact frames: 0.5 s of the engine's clock is 24 000 JACK frames, the
    // note (legato 0.5) 12 000, at offsets inside the period that are not
    // the period's start (the stamp is the event's own frame).
    const shifts: number[] = [];
    for (let i = 1; i < ons.length; i++) shifts.push(periodsOff(ons[i]!.frame - ons[i - 1]!.frame, 24000)!);
    expect(offs.length).toBe(ons.length);
    ons.forEach((on, i) => {
      shifts.push(periodsOff(offs[i]!.frame - on.frame, 12000)!);
      expect(offs[i]!.bytes).toEqual([0x81, on.bytes[1], 0]);
    });
    console.log(`MIDI out: ${ons.length} notes; spacings and durations as planned to the frame, ${shifts.filter((k) => k !== 0).length} of ${shifts.length} shifted by whole periods (the monitor's late cycles)`);
    expect(shifts.every((k) => k !== null)).toBe(true);
    expect(shifts.filter((k) => k === 0).length).toBeGreaterThan(shifts.length / 2);
    expect(ons.some((on) => on.frame % 256 !== 0)).toBe(true);
    // Pitches, velocity 0.5 -> 64, channel 2, the CC before each note at its frame.
    // (the program starts at the change frame, anywhere in the cycle: the order is c4 e4 g4 c5 from wherever it begins)
    const order = [60, 64, 67, 72];
    const first = order.indexOf(ons[0]!.bytes[1]!);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(ons.slice(0, 4).map((e) => e.bytes[1])).toEqual([0, 1, 2, 3].map((i) => order[(first + i) % 4]));
    expect(ons.every((e) => e.bytes[2] === 64)).toBe(true);
    for (const on of ons) expect(r.some((e) => e.frame === on.frame && hex(e) === "b1 4a 40")).toBe(true);
    // The replaced program: nothing of it after the new one starts; the SysEx as given.
    const sysex = r.find((e) => e.bytes[0] === 0xf0)!;
    expect(hex(sysex)).toBe("f0 7d 01 02 f7");
    expect(ons.every((e) => r.indexOf(e) < r.indexOf(sysex))).toBe(true); // in the order received: a late cycle's stamps shift, its order does not
    const a3 = r.find((e) => e.bytes[0] === 0x90 && e.bytes[1] === 57)!;
    expect(a3.frame).toBe(sysex.frame);
    expect(a3.bytes[2]).toBe(114); // Strudel's default velocity 0.9
    // The hush: a3 sounds a whole cycle (96 000 frames) unless stopped; its
    // note-off comes at the hush, with all notes off on both channels used.
    const a3off = r.find((e) => e.bytes[0] === 0x80 && e.bytes[1] === 57 && e.frame >= a3.frame)!;
    expect(a3off).toBeDefined();
    expect(a3off.frame - a3.frame).toBeLessThan(96000 + MAX_LATE_PERIODS * JACK_PERIOD);
    expect(r.filter((e) => e.frame === a3off.frame).map(hex)).toEqual(expect.arrayContaining(["b0 7b 00", "b1 7b 00"]));
    // A note-off at the frame of the next note-on of its key goes first: d4 never sounds twice.
    const d4 = r.filter((e) => (e.bytes[0] === 0x92 || e.bytes[0] === 0x82) && e.bytes[1] === 62);
    expect(d4.filter((e) => e.bytes[0] === 0x92).length).toBeGreaterThanOrEqual(4);
    // (a hush sends the note-offs of notes it dropped too: an extra note-off is harmless, a missing one is not)
    let d4on = 0;
    for (const e of d4) {
      d4on = e.bytes[0] === 0x92 ? d4on + 1 : Math.max(0, d4on - 1);
      expect(d4on <= 1, `d4 at ${e.frame}: ${d4on} sounding`).toBe(true);
    }
    expect(d4on).toBe(0);
    expect(d4.some((e, i) => i > 0 && e.bytes[0] === 0x92 && d4[i - 1]!.frame === e.frame)).toBe(true);
    // Every note that went on went off.
    const sounding = new Map<string, number>();
    for (const e of r) {
      const kind = e.bytes[0]! & 0xf0;
      const key = `${e.bytes[0]! & 15}:${e.bytes[1]}`;
      if (kind === 0x90 && e.bytes[2]! > 0) sounding.set(key, (sounding.get(key) ?? 0) + 1);
      if (kind === 0x80) sounding.set(key, Math.max(0, (sounding.get(key) ?? 0) - 1)); // (a hush's extra note-offs are harmless)
    }
    expect([...sounding.values()].every((n) => n === 0)).toBe(true);
  });
});

/** The JACK ports of clients whose name starts with `prefix` (jack_lsp on the test run's server). */
function portsOf(prefix: string): string[] {
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  const out = spawnSync("jack_lsp", [], { env, encoding: "utf8" }).stdout ?? "";
  return out.split("\n").filter((l) => l.startsWith(prefix));
}

describe("MIDI and the standby live worker", () => {
  test("the standby opens no JACK client; after a takeover the session's one client plays on (one client, not two)", async () => {
    const name = "ostinato-standby-midi";
    const own = Engine.open({ backend: "portaudio", device: jackDevice(), sampleRate: RATE, blockFrames: 256 });
    own.start();
    const session = await LiveSession.start({ engine: own, targets: { midiClient: name }, standby: true });
    try {
      expect(await session.evaluate(`note("c4 e4").midi()`, { buffer: "m" })).toMatchObject({ ok: true });
      for (let i = 0; i < 200 && !session.standbyReady; i++) await sleep(50);
      expect(session.standbyReady).toBe(true);
      await sleep(300);
      const before = portsOf(name);
      expect(before.length).toBeGreaterThan(0);
      expect(new Set(before.map((p) => p.split(":")[0])).size).toBe(1); // the playing worker's alone
      // a slot that hangs at query time: the standby takes over and attaches to the session's client
      await session.evaluate(`hang: s("bd").gain(0).fmap((v) => { while (true) {} })`, { buffer: "h" });
      expect(session.takeovers).toBe(1);
      await sleep(1500);
      const after = portsOf(name);
      expect(after.length).toBeGreaterThan(0);
      expect(new Set(after.map((p) => p.split(":")[0])).size, after.join(", ")).toBe(1);
    } finally {
      await session.close();
      await sleep(200);
      own.close();
    }
  }, 30_000);
});
