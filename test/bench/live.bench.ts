/**
 * Live runtime benchmarks (issue 4):
 * - scheduler cost per event: the 16-layer dense program, ticked offline
 *   for 64 cycles; query + encode + one push per tick;
 * - eval → first event: from `evaluate()` to the engine starting the new
 *   program's first voice, on the real device path;
 * - real time under stress: 60 s of a dense program (>= 32 events/s, >= 64
 *   voices) on PortAudio over JACK's dummy driver with 128-frame blocks, at
 *   the default lookahead, while the main thread and the program itself
 *   allocate heavily. Reports the lookahead, late events and xruns.
 *
 * `bun test/bench/run.ts live` runs it alone; OSTINATO_BENCH_SECONDS
 * shortens the stress run (default 60); OSTINATO_LOOKAHEAD and
 * OSTINATO_QUEUE_AHEAD (seconds) override the defaults, to measure others.
 * @module
 */
import { Engine } from "../../server/engine/index.ts";
import { ZERO } from "../../server/pattern/rational.ts";
import { evaluate } from "../../server/live/program.ts";
import { Scheduler } from "../../server/live/scheduler.ts";
import { LiveSession } from "../../server/live/session.ts";
import { SlotTable } from "../../server/live/slots.ts";
import { TempoMap } from "../../server/live/tempo.ts";
import type { Pattern } from "../../server/pattern/pattern.ts";
import { jackPeriod, setup as startJack, teardown as stopJack } from "../setup/jackd.ts";
import { LAYERS } from "./pattern-layers.ts";
import { build } from "./pattern.bench.ts";
import { loadStrudel } from "../pattern/peer/strudel.ts";
import type { BenchOptions, BenchTable } from "./registry.ts";

export const name = "live";
export const description = "scheduler cost per event, eval-to-first-event latency, 60 s on the real device under heap stress";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The dense stress program: 32 long notes a second keep ~64 voices sounding, plus percussion, plus allocation in a pattern function. */
export const STRESS_PROGRAM = `
setcps(1)
$: n("0 .. 15".fast(2)).scale("C3:minor:pentatonic").s("sawtooth")
  .lpf(1400).attack(0.01).decay(0.3).sustain(0.5).release(2).gain(0.02)
  .fmap(v => { const junk = Array.from({ length: 512 }, (_, i) => ({ i })); return junk.length ? v : v })
$: note("c2*8").s("square").lpf(400).decay(0.1).sustain(0.3).release(0.5).gain(0.05)
$: s("white*16").hpf(7000).decay(0.02).sustain(0).gain(0.03)
`;

async function schedulerCost(options: BenchOptions): Promise<BenchTable> {
  const program = await evaluate(`stack(${LAYERS.join(",\n")})`);
  const rate = 48000;
  const once = () => {
    const engine = Engine.open({ backend: "offline", sampleRate: rate, ringCapacity: 1 << 16, queueCapacity: 1 << 16 });
    const slots = new SlotTable<Pattern>();
    slots.apply("main", program.played, program.map);
    const tempo = new TempoMap(rate, 0.5);
    const scheduler = new Scheduler(engine, slots, tempo, { lookahead: 256 / rate, batchCapacity: 1 << 14 }, ZERO);
    const block = new Float32Array(256 * 2);
    let events = 0;
    let tickMs = 0;
    for (let frame = 0; tempo.cycleAt(frame) < 64; frame += 256) {
      const t0 = performance.now();
      events += scheduler.tick(frame);
      tickMs += performance.now() - t0;
      engine.renderInto(block);
    }
    engine.close();
    return { events, tickMs };
  };
  for (let i = 0; i < options.warmup; i++) once();
  const runs = Array.from({ length: Math.max(1, options.runs) }, once);
  const ticks = Math.ceil(((64 / 0.5) * rate) / 256);
  const tickMs = median(runs.map((r) => r.tickMs));
  const tickUs = (tickMs * 1000) / ticks;
  const nsPerEvent = (tickMs * 1e6) / runs[0]!.events;
  // The peer: Strudel querying the same program over the same slices (query only; it has no engine to push to).
  const strudelUs = await strudelSliceCost(ticks, options);
  return {
    title: "Scheduler cost (16-layer dense program, 64 cycles at 0.5 cps, ticks of 256 frames = 5.3 ms, offline)",
    columns: ["events", "ticks", "µs per tick (query + encode + push)", "share of a core at this tick rate", "ns per event", "Strudel 1.2.6: µs per tick, query only", "Strudel / ours"],
    rows: [[
      runs[0]!.events,
      ticks,
      tickUs.toFixed(1),
      `${((tickUs / ((256 / rate) * 1e6)) * 100).toFixed(2)}%`,
      nsPerEvent.toFixed(0),
      strudelUs === undefined ? "not installed" : strudelUs.toFixed(1),
      strudelUs === undefined ? "-" : `${(strudelUs / tickUs).toFixed(1)}x`,
    ]],
    notes: [
      "median of the timed runs; the tick time excludes rendering",
      "a tick's cost is mostly per layer, not per event: this program has ~1.7 events per 5.3 ms tick, so the per-event figure is large and the per-tick one is what a live set pays",
    ],
  };
}

/** Strudel's median µs to query the same 16 layers over the same 5.3 ms slices, or undefined without the peer. */
async function strudelSliceCost(ticks: number, options: BenchOptions): Promise<number | undefined> {
  const peer = await loadStrudel();
  if (!peer) return undefined;
  const quiet = console.log;
  console.log = () => {};
  try {
    const pat = build({ ...peer.core, ...peer.tonal, mini: peer.mini.mini });
    const slice = 1 / (ticks / 64);
    const once = () => {
      const t0 = performance.now();
      for (let i = 0; i < ticks; i++) pat.queryArc(i * slice, (i + 1) * slice);
      return ((performance.now() - t0) * 1000) / ticks;
    };
    for (let i = 0; i < options.warmup; i++) once();
    return median(Array.from({ length: Math.max(1, options.runs) }, once));
  } finally {
    console.log = quiet;
  }
}

function openDevice(): { engine: Engine; device: string } {
  try {
    const engine = Engine.open({ backend: "portaudio", blockFrames: 128, sampleRate: 48000 });
    return { engine, device: `PortAudio on JACK dummy (period ${jackPeriod() ?? "?"}), 128-frame blocks` };
  } catch {
    return { engine: Engine.open({ backend: "null", blockFrames: 128, sampleRate: 48000 }), device: "null backend (no PortAudio device)" };
  }
}

async function evalLatency(live: LiveSession, engine: Engine): Promise<{ ms: number[]; late: number }> {
  const out: number[] = [];
  const lateBefore = engine.telemetry().lateEvents;
  for (let i = 0; i < 30; i++) {
    live.hush();
    await sleep(60);
    const before = engine.telemetry().eventsPlayed;
    const t0 = performance.now();
    const o = await live.evaluate(`note("c3*256").s("sine").decay(0.01).sustain(0).gain(0.05)`, { buffer: "latency" });
    if (!o.ok) throw new Error(o.error.message);
    while (engine.telemetry().eventsPlayed === before) await new Promise((r) => setImmediate(r));
    out.push(performance.now() - t0);
  }
  live.hush();
  return { ms: out, late: engine.telemetry().lateEvents - lateBefore };
}

async function stress(live: LiveSession, engine: Engine, seconds: number): Promise<Record<string, number>> {
  const errors: string[] = [];
  const stop = live.subscribe((e) => {
    if (e.type === "error") errors.push(e.error.message);
  });
  const start = engine.telemetry();
  const outcome = await live.evaluate(STRESS_PROGRAM, { buffer: "stress" });
  if (!outcome.ok) throw new Error(`stress program: ${outcome.error.message}`);
  // Main-thread heap stress: ~25 MB of short-lived objects a second.
  let sink: unknown[] = [];
  const churn = setInterval(() => {
    sink = Array.from({ length: 20_000 }, (_, i) => ({ i, s: `x${i}` }));
  }, 20);
  let maxVoices = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await sleep(100);
    maxVoices = Math.max(maxVoices, engine.telemetry().activeVoices);
  }
  clearInterval(churn);
  void sink;
  const end = engine.telemetry();
  live.hush();
  stop();
  if (errors.length) throw new Error(`the stress program failed while playing: ${errors[0]}`);
  return {
    seconds,
    events: end.eventsPlayed - start.eventsPlayed,
    late: end.lateEvents - start.lateEvents,
    xruns: end.hostXruns - start.hostXruns,
    overruns: end.engineOverruns - start.engineOverruns,
    maxVoices,
    stolen: end.stolenVoices - start.stolenVoices,
    cpuLoad: end.cpuLoad,
    restarts: live.restarts,
  };
}

export async function run(options: BenchOptions = { runs: 3, warmup: 1 }): Promise<BenchTable[]> {
  const tables: BenchTable[] = [await schedulerCost(options)];
  await startJack(128); // the device path: JACK dummy with 128-frame periods (a running jackd is used as it is)
  const { engine, device } = openDevice();
  engine.start();
  const lookahead = process.env.OSTINATO_LOOKAHEAD ? Number(process.env.OSTINATO_LOOKAHEAD) : undefined;
  const queueAhead = process.env.OSTINATO_QUEUE_AHEAD ? Number(process.env.OSTINATO_QUEUE_AHEAD) : undefined;
  const live = await LiveSession.start({ engine, lookahead, queueAhead });
  try {
    const { ms: lat, late } = await evalLatency(live, engine);
    tables.push({
      title: `Eval → first event (${device}, change latency ${live.lookahead * 1000} ms)`,
      columns: ["median ms", "p95 ms", "max ms", "late events", "Strudel (≥ 100 ms)", "Tidal+SuperDirt (≥ 300 ms)", "Sonic Pi (≥ 500 ms)"],
      rows: [[median(lat).toFixed(1), percentile(lat, 0.95).toFixed(1), Math.max(...lat).toFixed(1), late, `${(100 / median(lat)).toFixed(1)}× ours`, `${(300 / median(lat)).toFixed(1)}× ours`, `${(500 / median(lat)).toFixed(1)}× ours`]],
      notes: [
        "30 trials: hush, then evaluate note(\"c3*256\") (a 3.9 ms onset grid at 1 cps) and wait for the engine to start its first voice",
        "peers' figures are their documented minimum scheduling latencies (benchmarks.md), not measured here",
      ],
    });
    const seconds = Number(process.env.OSTINATO_BENCH_SECONDS ?? 60);
    const s = await stress(live, engine, seconds);
    tables.push({
      title: `Real time under stress (${device})`,
      columns: ["change latency", "queue depth", "seconds", "events", "events/s", "max voices", "late events", "engine overruns", "host xruns", "stolen voices", "worker restarts", "callback CPU"],
      rows: [[`${live.lookahead * 1000} ms`, `${live.queueAhead * 1000} ms`, s.seconds!, s.events!, (s.events! / s.seconds!).toFixed(1), s.maxVoices!, s.late!, s.overruns!, s.xruns!, s.stolen!, s.restarts!, `${(s.cpuLoad! * 100).toFixed(1)}%`]],
      notes: [
        "program: 32 long saw notes/s (release 2 s, ~64 voices), 8 square/s, 16 noise hits/s; a pattern function allocates 512 objects per event",
        "main thread allocates ~20,000 objects every 20 ms throughout",
        "late events and engine overruns must be 0; host xruns are periods the JACK dummy driver missed (the host's scheduling, not ours)",
      ],
    });
  } finally {
    await live.close();
    engine.close();
    await stopJack();
  }
  return tables;
}

