/**
 * `ostinato selftest`: plays a short test phrase on the audio device (left,
 * right, centre, then a chord, as speaker-test does) and reports what the
 * engine measured: clock rate against nominal, the engine's own overruns and
 * late events, the periods the host missed, CPU load, the phrase's peak.
 * Exits 1 when the engine could not keep up or the clock is off; periods the
 * host missed are a warning with what to do (see server/engine/health.ts).
 * @module
 */
import { Engine, EventBuffer, health, type BackendName, type Telemetry } from "../engine/index.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const HELP = `usage: ostinato selftest [--device NAME] [--backend portaudio|null] [--seconds N] [--block FRAMES] [--rate HZ] [--json]

Plays a test phrase and reports the clock rate (frames per second measured
against CLOCK_MONOTONIC), the engine's render time against each block's
duration (an overrun is the engine's fault: it fails the test), the periods
the audio system missed (the machine's: a warning, with what helps), late
events, the callback's CPU load and the phrase's peak level.
  --device NAME   PortAudio device (exact name, see "ostinato devices"); default: the default output
  --backend B     portaudio (default) or null (no device, real-time pace)
  --seconds N     how long to play (default 5)
  --block FRAMES  frames per callback (default 256)
  --rate HZ       sample rate (default 48000)
  --json          print the report as JSON
  --test-burn-us N  (for testing) burn N us of CPU in every callback, to see an overrun reported`;

interface Options {
  device?: string;
  backend: BackendName;
  seconds: number;
  block: number;
  rate: number;
  json: boolean;
  testBurnUs: number;
}

function parse(args: string[]): Options | string {
  const o: Options = { backend: "portaudio", seconds: 5, block: 256, rate: 48000, json: false, testBurnUs: 0 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const number = (min: number, max: number) => {
      const v = Number(value());
      if (!(v >= min && v <= max)) throw new Error(`${a} must be a number from ${min} to ${max}`);
      return v;
    };
    try {
      if (a === "--device") o.device = value();
      else if (a === "--backend") {
        const b = value();
        if (b !== "portaudio" && b !== "null") return `--backend must be portaudio or null (got "${b}")`;
        o.backend = b;
      } else if (a === "--seconds") o.seconds = number(1, 3600);
      else if (a === "--block") o.block = number(16, 8192);
      else if (a === "--rate") o.rate = number(8000, 384000);
      else if (a === "--json") o.json = true;
      else if (a === "--test-burn-us") o.testBurnUs = number(0, 1_000_000);
      else return `unknown option ${a}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  return o;
}

/** Left, right, centre, then a chord; repeated to fill the time. */
function phrase(rate: number, seconds: number, start: number): EventBuffer {
  const steps = [
    { note: 69, pan: 0 }, { note: 69, pan: 1 }, { note: 69, pan: 0.5 }, { note: 57, pan: 0.5 },
    { note: 61, pan: 0.5 }, { note: 64, pan: 0.5 },
  ];
  const beat = Math.round(rate / 2);
  const count = Math.floor(((seconds - 0.5) * rate) / beat);
  const buf = new EventBuffer(Math.max(1, count));
  for (let i = 0; i < count; i++) {
    const step = steps[i % steps.length]!;
    buf.add({ s: "triangle", note: step.note, pan: step.pan, gain: 1, attack: 0.005, decay: 0.1, sustain: 0.6, release: 0.1 }, start + i * beat, Math.round(beat * 0.8));
  }
  return buf;
}

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const o = parse(args);
  if (typeof o === "string") {
    console.error(`ostinato selftest: ${o}; see "npx ostinato selftest --help"`);
    return 2;
  }
  let engine: Engine;
  try {
    engine = Engine.open({ backend: o.backend, device: o.device, sampleRate: o.rate, blockFrames: o.block, testBurnUs: o.testBurnUs });
  } catch (e) {
    const hint = o.backend === "portaudio" ? '; no sound card? try --backend null, or start a JACK server (jackd --no-realtime -d dummy -r 48000 -p 256 &)' : "";
    console.error(`ostinato selftest: ${(e as Error).message.replace(/^Engine\.open: /, "")}${hint}`);
    return 1;
  }
  try {
    const buf = phrase(o.rate, o.seconds, Math.round(o.rate * 0.25));
    engine.push(buf);
    engine.start();
    const device = o.backend === "portaudio" ? (engine.devices().find((d) => d.index === engine.deviceIndex())?.name ?? "?") : "-";
    if (!o.json) console.log(`selftest: ${o.backend}${o.backend === "portaudio" ? ` device "${device}"` : ""}, ${o.rate} Hz, block ${o.block}, ${o.seconds} s, ${buf.length} notes`);
    await sleep(200);
    const a = engine.telemetry();
    await sleep(o.seconds * 1000 - 200);
    const b: Telemetry = engine.telemetry();
    const seconds = (b.blockNs - a.blockNs) / 1e9;
    const rate = (b.frames - a.frames) / seconds;
    const h = health(b);
    const report = {
      backend: engine.backend, device, nominalRate: o.rate, measuredRate: rate, ppm: (rate / o.rate - 1) * 1e6,
      seconds, engineOverruns: h.engine.overruns, renderMaxMs: h.engine.renderMaxMs, budgetMs: h.engine.budgetMs,
      hostXruns: h.host.xruns, callbackGapMaxMs: h.host.gapMaxMs, lateEvents: b.lateEvents, cpuLoad: b.cpuLoad,
      eventsPlayed: b.eventsPlayed, deviceLost: b.deviceLost === 1, peak: [b.peakMax[0]!, b.peakMax[Math.min(1, b.channels - 1)]!],
      engineProblem: h.engineProblem, hostProblem: h.hostProblem,
    };
    // The clock advances by the frames the device asks for: a host that skips
    // periods slows it, and that is the host's problem (reported as such).
    const missed = b.hostXruns - a.hostXruns;
    const clockOk = Math.abs(report.ppm) < 10000 || missed > 0;
    const ok = clockOk && h.engineProblem === null && !report.deviceLost;
    const hostProblem = h.hostProblem && Math.abs(report.ppm) >= 10000
      ? `${h.hostProblem}; meanwhile the clock ran ${Math.abs(report.ppm / 1e4).toFixed(1)} % slow, as the device skipped those periods`
      : h.hostProblem;
    if (o.json) console.log(JSON.stringify({ ...report, hostProblem, ok }));
    else {
      const share = (ms: number) => (h.engine.budgetMs > 0 ? ` (${((ms / h.engine.budgetMs) * 100).toFixed(0)} %)` : "");
      console.log(`clock      ${rate.toFixed(1)} frames/s measured over ${seconds.toFixed(2)} s (nominal ${o.rate}, ${report.ppm >= 0 ? "+" : ""}${report.ppm.toFixed(0)} ppm)`);
      console.log(`engine     ${h.engine.overruns} overruns; the longest render took ${h.engine.renderMaxMs.toFixed(2)} ms of CPU for a ${h.engine.budgetMs.toFixed(2)} ms block${share(h.engine.renderMaxMs)}`);
      console.log(`host       ${h.host.xruns} periods missed; the longest gap between callbacks was ${h.host.gapMaxMs.toFixed(1)} ms`);
      console.log(`late       ${b.lateEvents} of ${b.eventsPlayed} events played`);
      console.log(`cpu load   ${(b.cpuLoad * 100).toFixed(2)} % of the callback's time budget`);
      console.log(`peak       L ${report.peak[0]!.toFixed(3)}  R ${report.peak[1]!.toFixed(3)} (the loudest moment of the phrase)`);
      if (report.deviceLost) console.log("device     LOST during the test (the engine fell back to the null backend)");
      const reasons = [
        ...(clockOk ? [] : [`the clock is ${Math.abs(report.ppm / 1e4).toFixed(1)} % off its nominal rate (is the device running at ${o.rate} Hz?)`]),
        ...(h.engineProblem ? [h.engineProblem] : []),
        ...(report.deviceLost ? ["the device was lost"] : []),
      ];
      if (!ok) console.log(`selftest FAILED: ${reasons.join("; ")}`);
      else if (hostProblem) console.log(`selftest passed, with a warning: ${hostProblem}`);
      else console.log("selftest passed");
    }
    return ok ? 0 : 1;
  } finally {
    engine.close();
  }
}
