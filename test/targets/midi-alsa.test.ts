// MIDI through the ALSA sequencer as far as this machine allows: it has no
// /dev/snd/seq, so the client must fail to open with the reason in words,
// said once by a live session whose engine and other patterns play on and
// which answers throughout; `ostinato midi` says why in one line. The byte
// stream itself is checked at the seam (test/engine/midi-alsa.test.ts).
// On a machine with a sequencer, the client opens and its port is listed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { Engine } from "../../server/engine/index.ts";
import { MidiOut } from "../../server/engine/midi.ts";
import { LiveSession } from "../../server/live/session.ts";
import type { ScheduledEvent } from "../../server/live/scheduler.ts";

const hasSeq = existsSync("/dev/snd/seq");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bun = join(process.cwd(), "node_modules", ".bin", "bun");
const cli = (args: string[]) => spawnSync(bun, ["server/cli.ts", ...args], { encoding: "utf8", timeout: 20_000 });

describe.skipIf(hasSeq)("no ALSA sequencer here (/dev/snd/seq)", () => {
  let engine: Engine | undefined;
  let live: LiveSession | undefined;

  afterAll(async () => {
    await live?.close();
    engine?.close();
  });

  test("opening the client fails with the reason; listing gives none and why", () => {
    engine = Engine.open({ backend: "null", sampleRate: 48000, blockFrames: 128 });
    expect(() => MidiOut.open(engine!, "ost-alsa-test", "alsa")).toThrow(/the ALSA sequencer cannot open \(\/dev\/snd\/seq: No such file or directory\)/);
    expect(MidiOut.list("alsa", false)).toEqual({ ports: [], error: "the ALSA sequencer cannot open (/dev/snd/seq: No such file or directory)" });
    expect(MidiOut.list("alsa", true).ports).toEqual([]);
  });

  test("--midi-backend alsa: said once, the engine's patterns play on, the session answers, evaluates and hushes", async () => {
    engine ??= Engine.open({ backend: "null", sampleRate: 48000, blockFrames: 128 });
    engine.start();
    live = await LiveSession.start({ engine, cps: 2, targets: { midiBackend: "alsa" }, hangTimeoutMs: 5000 });
    const warnings: string[] = [];
    const events: ScheduledEvent[] = [];
    live.subscribe((e) => {
      if (e.type === "warning") warnings.push(e.message);
      if (e.type === "events") events.push(...e.events);
    });
    live.setHighlight(true);
    const code = [`$: note("c4 e4").midi("synth")`, `$: s("sine*4")`, `const cc = midin("knobs")`, `$: s("square*2").lpf(cc(74).range(200, 400))`].join("\n");
    expect(await live.evaluate(code)).toMatchObject({ ok: true });
    for (let i = 0; i < 100 && warnings.length === 0; i++) await sleep(50);
    expect(warnings).toEqual(["MIDI: the ALSA sequencer cannot open (/dev/snd/seq: No such file or directory); MIDI patterns play nowhere until it opens (tried again every 5 s)"]);
    // Past the retry: tried again quietly, still the one warning; the engine's patterns play throughout.
    const from = engine.now();
    await sleep(5600);
    expect(warnings.length).toBe(1);
    const played = events.filter((e) => e.frame > from);
    expect(played.filter((e) => (e.value as { s?: string }).s === "sine").length).toBeGreaterThan(20);
    expect(played.filter((e) => (e.value as { s?: string }).s === "square").every((e) => (e.value as { cutoff?: number }).cutoff === 200)).toBe(true);
    // It answers: a new program evaluates, a hush stops it, the tempo changes.
    expect(await live.evaluate(`$: s("sine*8")`)).toMatchObject({ ok: true });
    live.setCps(1);
    live.hush();
    await sleep(300); // the tempo changes a lookahead ahead
    expect(live.cps).toBeCloseTo(1, 6);
    expect(live.restarts).toBe(0);
  }, 30_000);
});

describe.skipIf(!hasSeq)("an ALSA sequencer here", () => {
  test("the client opens, its ports are listed under its name", () => {
    const engine = Engine.open({ backend: "null", sampleRate: 48000, blockFrames: 128 });
    const midi = MidiOut.open(engine, "ost-alsa-test", "alsa");
    try {
      expect(midi.portName(midi.addPort("out"))).toBe("ost-alsa-test:out");
      expect(midi.inputName(midi.addInput("in"))).toBe("ost-alsa-test:in");
      expect(MidiOut.ports("alsa")).toContain("ost-alsa-test:in");
      expect(MidiOut.sources("alsa")).toContain("ost-alsa-test:out");
    } finally {
      midi.close();
      engine.close();
    }
  });
});

describe("ostinato midi", () => {
  test("lists JACK MIDI and the ALSA sequencer; a backend that cannot open says why in one line", () => {
    const r = cli(["midi"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^JACK MIDI(: | inputs:)/m);
    if (!hasSeq) expect(r.stdout).toMatch(/^ALSA sequencer: none, the ALSA sequencer cannot open \(\/dev\/snd\/seq: No such file or directory\)$/m);
    // the test run's JACK server answers (test/setup/jackd.ts), so auto takes JACK
    const jackRuns = !/^JACK MIDI: none/m.test(r.stdout);
    expect(r.stdout).toMatch(jackRuns ? /^\(serve's --midi-backend auto plays on JACK MIDI here\)$/m : hasSeq ? /auto plays on ALSA sequencer/ : /^\(no MIDI backend opens here/m);
    const json = cli(["midi", "--in", "--json"]);
    expect(json.status, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { jack: string[]; alsa: string[]; unavailable: Record<string, string>; auto: string | null };
    expect(Array.isArray(parsed.jack) && Array.isArray(parsed.alsa)).toBe(true);
    if (!hasSeq) expect(parsed.unavailable.alsa).toMatch(/\/dev\/snd\/seq/);
    expect(parsed.auto).toBe(jackRuns ? "jack" : hasSeq ? "alsa" : null);
    const alsa = cli(["midi", "--backend", "alsa"]);
    expect(alsa.stdout).not.toMatch(/JACK/);
    const bad = cli(["midi", "--backend", "coreaudio"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--backend must be "jack" or "alsa" \(got "coreaudio"\)/);
  });

  test("serve and play take --midi-backend auto|jack|alsa and refuse anything else", () => {
    const tune = join(mkdtempSync(join(tmpdir(), "ostinato-midi-")), "tune.js");
    writeFileSync(tune, `s("bd")\n`);
    for (const cmd of ["serve", "play"]) {
      const r = cli([cmd, "--midi-backend", "oss", ...(cmd === "play" ? [tune] : [])]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--midi-backend must be "auto", "jack" or "alsa" \(got "oss"\)/);
    }
  });
});
