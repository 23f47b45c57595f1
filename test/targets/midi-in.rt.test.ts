// MIDI in through JACK MIDI on the test run's JACK dummy server
// (test/setup/jackd.ts): a test client (a second JACK client of the test's
// own, through the MIDI output binding) sends CCs and notes into a live
// session's client while a program plays; `midin`'s cc() values and
// `midikeys`' held notes reach the events the scheduler queues, without
// evaluating again. Events are read as the engine is handed them (the
// session's highlight stream).
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, test } from "vitest";
import { Engine } from "../../server/engine/index.ts";
import { MIDI_KIND_MESSAGE, MIDI_RECORD_BYTES, MidiOut } from "../../server/engine/midi.ts";
import { LiveSession } from "../../server/live/session.ts";
import { MidiClock } from "../../server/engine/midi-clock.ts";
import type { ScheduledEvent } from "../../server/live/scheduler.ts";
import { jackToolEnv as toolEnv } from "../setup/jackd.ts";

const tag = `${process.pid}-${Math.floor(Math.random() * 1e6)}`;
const jack = spawnSync("jack_lsp", [], { stdio: "ignore", timeout: 5000, env: toolEnv() }).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends MIDI messages from the test's own JACK client, at the engine's frame `ahead` seconds from now. */
function send(keys: MidiOut, engine: Engine, messages: number[][], ahead = 0.02): void {
  const records = new Uint8Array(messages.length * MIDI_RECORD_BYTES);
  const view = new DataView(records.buffer);
  const frame = engine.now() + ahead * engine.sampleRate;
  messages.forEach((bytes, i) => {
    const base = i * MIDI_RECORD_BYTES;
    view.setFloat64(base, frame, true);
    records[base + 13] = MIDI_KIND_MESSAGE;
    view.setUint16(base + 14, bytes.length, true);
    records.set(bytes, base + 16);
  });
  expect(keys.sync()).toBe(true);
  expect(keys.push(records, messages.length)).toBe(messages.length);
}

describe.skipIf(!jack)("MIDI in through JACK MIDI", () => {
  let engine: Engine;
  let live: LiveSession;
  let keys: MidiOut;
  const events: ScheduledEvent[] = [];
  const warnings: string[] = [];

  afterAll(async () => {
    await live?.close();
    keys?.close();
    engine?.close();
  });

  test("midin's CCs and midikeys' held notes reach the events while the program plays", async () => {
    engine = Engine.open({ backend: "null", sampleRate: 48000, blockFrames: 128 });
    engine.start();
    keys = MidiOut.open(engine, `ost-keys-${tag}`);
    keys.addPort("out");
    live = await LiveSession.start({ engine, cps: 1, targets: { midiClient: `ost-in-${tag}` }, hangTimeoutMs: 5000 });
    live.subscribe((e) => {
      if (e.type === "events") events.push(...e.events);
      if (e.type === "warning" || e.type === "error") warnings.push(JSON.stringify(e));
    });
    live.setHighlight(true);
    const code = [
      `const cc = midin("ost-keys-${tag}")`,
      `$: s("sine*8").lpf(cc(74).range(100, 4100)).gain(cc(7, 2))`,
      `$: midikeys("ost-keys-${tag}:out").segment(4).s("square")`,
      // the last SysEx with manufacturer id 0x7d: its first data byte
      `$: s("triangle*4").n(cc.sysex(0x7d).fmap((b) => (b.length ? b[2] : -1)))`,
    ].join("\n");
    expect(await live.evaluate(code)).toMatchObject({ ok: true });
    // Our input is connected from the test client's port (once the session's client is there: the worker asks for it when midin() first runs).
    const connections = () => spawnSync("jack_lsp", ["-c", `ost-in-${tag}:from-ost-keys-${tag}-out`], { encoding: "utf8", env: toolEnv() }).stdout;
    for (let i = 0; i < 100 && !connections().includes(`ost-keys-${tag}:out`); i++) await sleep(50);
    expect(connections()).toContain(`ost-keys-${tag}:out`);
    // Up to `wait` ms (the scheduler queues further ahead just after an evaluation): the values of events after `frame`.
    const valuesAfter = async (frame: number, slot: string, wait: number) => {
      for (let i = 0; i < wait / 50; i++) {
        const later = events.filter((e) => e.frame > frame && (e.value as { s?: string }).s === slot);
        if (later.length >= 4) return later.map((e) => e.value as Record<string, number>);
        await sleep(50);
      }
      return events.filter((e) => e.frame > frame && (e.value as { s?: string }).s === slot).map((e) => e.value as Record<string, number>);
    };
    // The last frame queued so far (events come in frame order, slot by slot).
    const queued = () => events.reduce((m, e) => Math.max(m, e.frame), 0);
    await sleep(500);
    // Before any CC: cc() is 0 (lpf 100, gain 0); no key held, midikeys plays nothing.
    const before = await valuesAfter(0, "sine", 2000);
    expect(before[0]).toMatchObject({ s: "sine", cutoff: 100, gain: 0 });
    expect(events.some((e) => (e.value as { s?: string }).s === "square")).toBe(false);
    // CC 74 = 127 on channel 1, CC 7 = 64 on channel 2 (cc(7, 2)) and CC 7 = 127 on channel 3 (not ours).
    send(keys, engine, [[0xb0, 74, 127], [0xb1, 7, 64], [0xb2, 7, 127]]);
    await sleep(300);
    let mark = queued(); // what is queued from now on was queried after the CC arrived
    const turned = await valuesAfter(mark, "sine", 8000);
    expect(turned.length).toBeGreaterThan(0);
    for (const v of turned) {
      expect(v.cutoff).toBeCloseTo(4100, 6);
      expect(v.gain).toBeCloseTo(64 / 127, 6);
    }
    // SysEx in, whole: cc.sysex(0x7d) is the last message of that id (another id after it does not count).
    expect((await valuesAfter(0, "triangle", 2000))[0]).toMatchObject({ n: -1 });
    send(keys, engine, [[0xf0, 0x7d, 0x05, 0x06, 0xf7]]);
    send(keys, engine, [[0xf0, 0x43, 0x01, 0x02, 0x03, 0xf7]], 0.03);
    await sleep(300);
    mark = queued();
    const sysex = await valuesAfter(mark, "triangle", 8000);
    expect(sysex.length).toBeGreaterThan(0);
    for (const v of sysex) expect(v.n).toBe(5);
    // Two keys pressed: the held chord plays on midikeys' structure, with the velocities.
    send(keys, engine, [[0x90, 60, 100], [0x90, 64, 127]]);
    await sleep(300);
    mark = queued();
    const held = await valuesAfter(mark, "square", 8000);
    expect(held.length).toBeGreaterThanOrEqual(4);
    expect(new Set(held.map((v) => v.note))).toEqual(new Set([60, 64]));
    for (const v of held) expect(v).toMatchObject({ s: "square", velocity: v.note === 60 ? 100 / 127 : 1 });
    // Released (one by note-off, one by a note-on of velocity 0): silence again.
    send(keys, engine, [[0x80, 60, 0], [0x90, 64, 0]]);
    await sleep(300);
    mark = queued();
    await sleep(7000);
    expect(events.filter((e) => e.frame > mark && (e.value as { s?: string }).s === "square")).toEqual([]);
    expect(events.filter((e) => e.frame > mark && (e.value as { s?: string }).s === "sine").length).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
    // The sending device vanishes and comes back under its name: reported once, listened to again.
    keys.close();
    await sleep(2500);
    keys = MidiOut.open(engine, `ost-keys-${tag}`);
    keys.addPort("out");
    for (let i = 0; i < 100 && !warnings.some((w) => w.includes("is back")); i++) await sleep(50);
    expect(warnings.filter((w) => w.includes("is gone")).length).toBe(1);
    expect(warnings.filter((w) => w.includes("is back")).length).toBe(1);
    send(keys, engine, [[0xb0, 74, 0]]);
    await sleep(300);
    mark = queued();
    const back = await valuesAfter(mark, "sine", 8000);
    expect(back.length).toBeGreaterThan(0);
    for (const v of back) expect(v.cutoff).toBeCloseTo(100, 6);
  });

  test("a worker terminated by the watchdog leaves no MIDI client behind, and the fresh one starts with the CC values and keys held; MIDI in, out and clock share one", async () => {
    const clients = () => new Set(spawnSync("jack_lsp", [], { encoding: "utf8", env: toolEnv() }).stdout.split("\n").filter((p) => p.startsWith(`ost-in-${tag}`)).map((p) => p.split(":")[0]));
    expect(clients()).toEqual(new Set([`ost-in-${tag}`]));
    const lastOf = (slot: string, from: number) => events.filter((e) => e.frame > from && (e.value as { s?: string }).s === slot).map((e) => e.value as Record<string, number>);
    // Before the restart: CC 74 up, CC 7 on channel 2 at 32, key 67 held (and heard).
    send(keys, engine, [[0xb0, 74, 127], [0xb1, 7, 32], [0x90, 67, 90]]);
    await sleep(300);
    let mark = events.reduce((m, e) => Math.max(m, e.frame), 0);
    for (let i = 0; i < 160 && lastOf("square", mark).length === 0; i++) await sleep(50);
    expect(lastOf("sine", mark).every((v) => Math.abs(v.cutoff! - 4100) < 1e-6)).toBe(true);
    expect(lastOf("square", mark)[0]).toMatchObject({ note: 67, velocity: 90 / 127 });
    const restarts = live.restarts;
    const hung = await live.evaluate(`for (;;) {}`);
    expect(hung.ok).toBe(false);
    expect(live.restarts).toBe(restarts + 1);
    // The fresh worker replays the program (midin opens its own client); the old one's is closed once it ended.
    for (let i = 0; i < 200 && clients().size !== 1; i++) await sleep(50);
    expect(clients().size).toBe(1);
    // The fresh worker plays with what the inputs told before it (no controller moved since): the session keeps it.
    mark = events.reduce((m, e) => Math.max(m, e.frame), 0);
    for (let i = 0; i < 160 && (lastOf("sine", mark).length === 0 || lastOf("square", mark).length === 0); i++) await sleep(50);
    expect(lastOf("sine", mark).length).toBeGreaterThan(0);
    for (const v of lastOf("sine", mark)) expect(v).toMatchObject({ cutoff: expect.closeTo(4100, 6), gain: expect.closeTo(32 / 127, 6) });
    expect(lastOf("square", mark).length).toBeGreaterThan(0);
    for (const v of lastOf("square", mark)) expect(v).toMatchObject({ note: 67, velocity: 90 / 127 });
    // The session's client outlives the worker: the fresh one listens on the same port.
    send(keys, engine, [[0xb0, 74, 0], [0x80, 67, 0]]);
    await sleep(300);
    mark = events.reduce((m, e) => Math.max(m, e.frame), 0);
    for (let i = 0; i < 160 && lastOf("sine", mark).length === 0; i++) await sleep(50);
    const after = lastOf("sine", mark);
    expect(after.length).toBeGreaterThan(0);
    for (const v of after) expect(v.cutoff).toBeCloseTo(100, 6);
    await sleep(1000);
    expect(lastOf("square", events.reduce((m, e) => Math.max(m, e.frame), 0) - 48000 * 0.5)).toEqual([]);
    // MIDI clock goes on the same client: one JACK client for MIDI out, in and clock.
    MidiClock.on(live.midiClient());
    const ports = spawnSync("jack_lsp", [], { encoding: "utf8", env: toolEnv() }).stdout.split("\n").filter((p) => p.startsWith(`ost-in-${tag}:`));
    expect(ports).toEqual(expect.arrayContaining([`ost-in-${tag}:clock_out`, `ost-in-${tag}:clock_in`, `ost-in-${tag}:from-ost-keys-${tag}-out`]));
    expect(clients().size).toBe(1);
  });
});
