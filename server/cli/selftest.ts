/**
 * `ostinato selftest`: plays a short test phrase on the audio device (left,
 * right, centre, then a chord, as speaker-test does) and reports what the
 * engine measured: clock rate against nominal, xruns, late events, CPU load.
 * Exits 1 when the device is not keeping time or dropped audio.
 * @module
 */
import { Engine, EventBuffer, type BackendName, type Telemetry } from "../engine/index.ts";

const HELP = `usage: ostinato selftest [--device NAME] [--backend portaudio|null] [--seconds N] [--block FRAMES] [--rate HZ] [--json]

Plays a test phrase and reports the clock rate (frames per second measured
against CLOCK_MONOTONIC), xruns, late events and the callback's CPU load.
  --device NAME   PortAudio device (exact name, see "ostinato devices"); default: the default output
  --backend B     portaudio (default) or null (no device, real-time pace)
  --seconds N     how long to play (default 5)
  --block FRAMES  frames per callback (default 256)
  --rate HZ       sample rate (default 48000)
  --json          print the report as JSON`;

interface Options {
  device?: string;
  backend: BackendName;
  seconds: number;
  block: number;
  rate: number;
  json: boolean;
}

function parse(args: string[]): Options | string {
  const o: Options = { backend: "portaudio", seconds: 5, block: 256, rate: 48000, json: false };
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
    buf.add({ s: "triangle", note: step.note, pan: step.pan, gain: 0.25, attack: 0.005, decay: 0.1, sustain: 0.6, release: 0.1 }, start + i * beat, Math.round(beat * 0.8));
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
    console.error(`ostinato selftest: ${o}\n\n${HELP}`);
    return 2;
  }
  let engine: Engine;
  try {
    engine = Engine.open({ backend: o.backend, device: o.device, sampleRate: o.rate, blockFrames: o.block });
  } catch (e) {
    console.error(`ostinato selftest: ${(e as Error).message}`);
    if (o.backend === "portaudio") console.error('(no sound card? try "--backend null", or start a JACK server: jackd --no-realtime -d dummy -r 48000 -p 256 &)');
    return 1;
  }
  try {
    const buf = phrase(o.rate, o.seconds, Math.round(o.rate * 0.25));
    engine.push(buf);
    engine.start();
    const device = o.backend === "portaudio" ? (engine.devices().find((d) => d.index === engine.deviceIndex())?.name ?? "?") : "-";
    if (!o.json) console.log(`selftest: ${o.backend}${o.backend === "portaudio" ? ` device "${device}"` : ""}, ${o.rate} Hz, block ${o.block}, ${o.seconds} s, ${buf.length} notes`);
    await new Promise((r) => setTimeout(r, 200));
    const a = engine.telemetry();
    await new Promise((r) => setTimeout(r, o.seconds * 1000 - 200));
    const b: Telemetry = engine.telemetry();
    const seconds = (b.blockNs - a.blockNs) / 1e9;
    const rate = (b.frames - a.frames) / seconds;
    const report = {
      backend: engine.backend, device, nominalRate: o.rate, measuredRate: rate, ppm: (rate / o.rate - 1) * 1e6,
      seconds, xruns: b.xruns, lateEvents: b.lateEvents, cpuLoad: b.cpuLoad, eventsPlayed: b.eventsPlayed,
      deviceLost: b.deviceLost === 1, peak: [b.peak[0], b.peak[1]],
    };
    const ok = Math.abs(report.ppm) < 10000 && report.xruns === 0 && report.lateEvents === 0 && !report.deviceLost;
    if (o.json) console.log(JSON.stringify({ ...report, ok }));
    else {
      console.log(`clock      ${rate.toFixed(1)} frames/s measured over ${seconds.toFixed(2)} s (nominal ${o.rate}, ${report.ppm >= 0 ? "+" : ""}${report.ppm.toFixed(0)} ppm)`);
      console.log(`xruns      ${b.xruns}`);
      console.log(`late       ${b.lateEvents} of ${b.eventsPlayed} events played`);
      console.log(`cpu load   ${(b.cpuLoad * 100).toFixed(2)} % of the callback's time budget`);
      console.log(`peak       L ${b.peak[0]!.toFixed(3)}  R ${b.peak[1]!.toFixed(3)}`);
      if (report.deviceLost) console.log("device     LOST during the test (the engine fell back to the null backend)");
      console.log(ok ? "selftest passed" : "selftest FAILED: the clock is off by 1% or more, or audio was dropped");
    }
    return ok ? 0 : 1;
  } finally {
    engine.close();
  }
}
