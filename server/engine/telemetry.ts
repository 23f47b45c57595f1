/**
 * Telemetry: the engine's counters and meters, decoded from the library's
 * snapshot (layout read from the library). `createTelemetry()` makes an
 * object once; `engine.readTelemetry(t)` refills it without allocating,
 * for 30 Hz meters.
 * @module
 */
import { libraryTables } from "./tables.ts";

export interface Telemetry {
  /** Frames rendered since open: the engine clock. */
  frames: number;
  /** CLOCK_MONOTONIC ns when the last block finished rendering. */
  blockNs: number;
  /** Estimate of the frame being rendered now. */
  nowFrame: number;
  blocks: number;
  sampleRate: number;
  channels: number;
  /** Render time / block duration, smoothed; above 1 the engine cannot keep up. */
  cpuLoad: number;
  /**
   * Callbacks whose render took more CPU time than the block lasts: the
   * engine's own fault (too much work per block), heard as a glitch.
   */
  engineOverruns: number;
  /** CPU time of every real-time render so far, ns. */
  renderCpuNs: number;
  /** Longest CPU time one callback's render took, ns (real-time backends; 0 offline). */
  renderMaxNs: number;
  /** Longest wall-clock time one callback's render took, ns (includes time the host took the CPU away). */
  renderWallMaxNs: number;
  /** Callbacks by render CPU time per block duration: <1/16 <1/8 <1/4 <1/2 <3/4 <1 <2 >=2 (libraryTables().renderHistEdges). */
  renderHist: Float64Array;
  /**
   * Periods the host missed: underflows the device reported, or null-backend
   * wake-ups over a block late. The host owns these (a busy machine, no
   * real-time scheduling); a larger block helps.
   */
  hostXruns: number;
  /** Longest time between the starts of two callbacks, ns (nominal: one block). */
  callbackGapMaxNs: number;
  lateEvents: number;
  stolenVoices: number;
  eventsPlayed: number;
  unknownSounds: number;
  clearedEvents: number;
  resetVoices: number;
  activeVoices: number;
  pendingEvents: number;
  ringFill: number;
  ringCapacity: number;
  /** 0 offline, 1 null, 2 portaudio (see BACKENDS). */
  backend: number;
  /** 1 once the device died and the engine fell back to null; 0 again once a device plays. */
  deviceLost: number;
  /** Times the device died under the engine and it fell back to null. */
  deviceLosses: number;
  /** Times a lost JACK device came back and the engine went back to it by itself. */
  deviceReturns: number;
  running: number;
  /** Output latency of the master limiter's lookahead, frames (events still land on their frame: the voices run ahead). */
  latencyFrames: number;
  /** The master limiter's lowest gain in the last block (1 = not limiting). */
  limiterGain: number;
  /** NOTE events whose sample was not loaded (or failed) when they started: silent. */
  samplesNotReady: number;
  /** Frames a streaming voice found no data for (late disk reads). */
  streamUnderruns: number;
  /** NOTE events of a streamed sample that found no free stream. */
  streamsUnavailable: number;
  streamsActive: number;
  /** 1 while the output is being recorded. */
  recording: number;
  /** Engine frame of the recording's first frame. */
  recordStartFrame: number;
  /** Frames handed to the recording writer since it started. */
  recordFrames: number;
  /** Frames the recording ring had no room for (0 in a healthy recording). */
  recordDropped: number;
  /** Frames the disk refused (full): the take ends where it was whole (0 in a healthy recording). */
  recordLost: number;
  /** errno of the recording's first failed write, or 0. */
  recordError: number;
  /** Per-channel peak |sample| with meter ballistics (instant attack, -20 dB in 300 ms). */
  peak: Float64Array;
  /** Per-channel loudest |sample| since the engine opened (no decay). */
  peakMax: Float64Array;
  /** Blocks that captured the clock source (Link); 0 while none is installed. */
  clockCaptures: number;
  /** Engine frame of the last captured block's first frame. */
  clockFrame: number;
  /** The clock source's host time (µs, Link's clock) at which that frame is heard. */
  clockHostUs: number;
  /** The clock source's beat at clockHostUs. */
  clockBeat: number;
  /** The clock source's tempo, BPM. */
  clockBpm: number;
  /** The clock source's transport: 1 playing, 0 stopped. */
  clockPlaying: number;
}

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A Telemetry object with every field zero, to be filled by readTelemetry. */
export function createTelemetry(): Telemetry {
  const t: Record<string, unknown> = {};
  for (const f of libraryTables().telemetry) t[camel(f.name)] = f.count > 1 ? new Float64Array(f.count) : 0;
  return t as unknown as Telemetry;
}

type Decoder = (u32: Uint32Array, f64: Float64Array, into: Telemetry) => void;

let decoder: Decoder | undefined;

/** Decodes a native snapshot (viewed as u32 and f64) into `into`. */
export function decodeTelemetry(u32: Uint32Array, f64: Float64Array, into: Telemetry): void {
  (decoder ??= makeDecoder())(u32, f64, into);
}

function makeDecoder(): Decoder {
  const expected = Object.keys(createTelemetry());
  const declared: (keyof Telemetry)[] = [
    "frames", "blockNs", "nowFrame", "blocks", "sampleRate", "channels", "cpuLoad", "engineOverruns", "renderCpuNs", "renderMaxNs",
    "renderWallMaxNs", "renderHist", "hostXruns", "callbackGapMaxNs", "lateEvents",
    "stolenVoices", "eventsPlayed", "unknownSounds", "clearedEvents", "resetVoices", "activeVoices",
    "pendingEvents", "ringFill", "ringCapacity", "backend", "deviceLost", "deviceLosses", "deviceReturns", "running", "latencyFrames", "limiterGain",
    "samplesNotReady", "streamUnderruns", "streamsUnavailable", "streamsActive", "recording", "recordStartFrame",
    "recordFrames", "recordDropped", "recordLost", "recordError", "peak", "peakMax",
    "clockCaptures", "clockFrame", "clockHostUs", "clockBeat", "clockBpm", "clockPlaying",
  ];
  // The Telemetry type above is for the type checker; the library is the
  // authority. A field added on one side only fails here, loudly.
  const missing = expected.filter((k) => !declared.includes(k as keyof Telemetry));
  const extra = declared.filter((k) => !expected.includes(k));
  if (missing.length || extra.length) {
    throw new Error(`server/engine/telemetry.ts is out of step with the library: missing ${missing.join(", ") || "-"}, extra ${extra.join(", ") || "-"}`);
  }
  const fields = libraryTables().telemetry.map((f) => ({ key: camel(f.name) as keyof Telemetry, word: f.offset / 4, slot: f.offset / 8, ...f }));
  return (u32, f64, into) => {
    const t = into as unknown as Record<string, number | Float64Array>;
    for (const f of fields) {
      if (f.count > 1) {
        const arr = t[f.key] as Float64Array;
        if (f.type === "f64") for (let i = 0; i < f.count; i++) arr[i] = f64[f.slot + i]!;
        else for (let i = 0; i < f.count; i++) arr[i] = u32[f.word + 2 * i]! + u32[f.word + 2 * i + 1]! * 4294967296;
      } else if (f.type === "f64") {
        t[f.key] = f64[f.slot]!;
      } else {
        t[f.key] = u32[f.word]! + u32[f.word + 1]! * 4294967296;
      }
    }
  };
}
