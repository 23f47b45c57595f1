/**
 * EngineConfig: the options of Engine.open, validated against the ranges
 * the library itself exports (ost_config_range), with errors that name the
 * option, the allowed range and the value given.
 * @module
 */
import { EngineError } from "./errors.ts";
import { libraryTables } from "./tables.ts";

export const BACKENDS = ["offline", "null", "portaudio"] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface EngineConfig {
  /** "offline" (default: render() on demand), "null" (real-time pace, no device) or "portaudio". */
  backend?: BackendName;
  sampleRate?: number;
  channels?: number;
  /** Frames per callback (portaudio, null). */
  blockFrames?: number;
  /** Voices sounding at once; the oldest is stolen past this. */
  maxVoices?: number;
  /** Event ring capacity in records (a power of two). */
  ringCapacity?: number;
  /** Pending events the audio thread can hold. */
  queueCapacity?: number;
  /** PortAudio device: exact name, or PortAudio index. Default: the default output. */
  device?: string | number;
  /** PortAudio suggested latency, seconds; 0 = the device's low default. */
  latency?: number;
  /** Seed of the noise sources. */
  seed?: number;
  /** Effect buses (orbits). */
  orbits?: number;
  /** Sample slots (files loaded or loading). */
  maxSamples?: number;
  /** Long samples streaming from disk at once (0: streaming off). */
  maxStreams?: number;
  /** Decoded size above which a sample streams from disk instead of loading whole, MiB. */
  streamThresholdMb?: number;
  /** Seconds of output the recording ring holds. */
  recordBufferSeconds?: number;
  /** Master limiter lookahead, ms (the output latency it adds; events still land on their frames). */
  lookaheadMs?: number;
  /**
   * Test hook: CPU time every real-time callback burns before it renders, µs
   * (0 = off). Makes the engine overrun on purpose, so tests can see that an
   * overrun is counted (telemetry engineOverruns).
   */
  testBurnUs?: number;
}

/** The config as the native ost_config (doubles in table order), plus the device name. */
export interface NativeConfig {
  values: Float64Array;
  deviceName: string;
  resolved: Required<Omit<EngineConfig, "device">> & { device: string | number | null };
}

const OPTION_TO_FIELD: Record<string, string> = {
  backend: "backend", sampleRate: "sample_rate", channels: "channels", blockFrames: "block_frames",
  maxVoices: "max_voices", ringCapacity: "ring_capacity", queueCapacity: "queue_capacity",
  latency: "latency_s", seed: "seed", orbits: "orbits", maxSamples: "max_samples", maxStreams: "max_streams",
  streamThresholdMb: "stream_threshold_mb", recordBufferSeconds: "record_buffer_s", lookaheadMs: "lookahead_ms",
  testBurnUs: "test_burn_us",
};
/** Options that may be fractional. */
const REAL_OPTIONS = new Set(["latency", "streamThresholdMb", "recordBufferSeconds", "lookaheadMs"]);

export function encodeConfig(config: EngineConfig = {}): NativeConfig {
  const ctx = "Engine.open";
  if (typeof config !== "object" || config === null) throw new EngineError(ctx, `options must be an object (got ${String(config)})`);
  const fields = libraryTables().config;
  const values = new Float64Array(fields.length);
  for (const f of fields) values[f.index] = f.default;
  const byName = new Map(fields.map((f) => [f.name, f]));
  const known = [...Object.keys(OPTION_TO_FIELD), "device"];
  let deviceName = "";
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (!known.includes(key)) throw new EngineError(ctx, `unknown option "${key}" (options: ${known.join(", ")})`);
    if (key === "device") {
      if (typeof value === "string") deviceName = value;
      else if (typeof value === "number" && Number.isInteger(value) && value >= 0) values[byName.get("device_index")!.index] = value;
      else throw new EngineError(ctx, `device must be a device name or a PortAudio device index (got ${JSON.stringify(value)})`);
      continue;
    }
    const field = byName.get(OPTION_TO_FIELD[key]!)!;
    let v: number;
    if (key === "backend") {
      v = BACKENDS.indexOf(value as BackendName);
      if (v < 0) throw new EngineError(ctx, `backend must be one of ${BACKENDS.join(", ")} (got ${JSON.stringify(value)})`);
    } else {
      v = value as number;
      const integer = !REAL_OPTIONS.has(key);
      if (typeof v !== "number" || !(v >= field.min && v <= field.max) || (integer && !Number.isInteger(v))) {
        throw new EngineError(ctx, `${key} must be ${integer ? "a whole number" : "a number"} from ${field.min} to ${field.max} (got ${JSON.stringify(value)})`);
      }
      if (key === "ringCapacity" && (v & (v - 1)) !== 0) throw new EngineError(ctx, `ringCapacity must be a power of two (got ${v})`);
    }
    values[field.index] = v;
  }
  const get = (name: string) => values[byName.get(name)!.index]!;
  const deviceIndex = get("device_index");
  return {
    values,
    deviceName,
    resolved: {
      backend: BACKENDS[get("backend")]!,
      sampleRate: get("sample_rate"),
      channels: get("channels"),
      blockFrames: get("block_frames"),
      maxVoices: get("max_voices"),
      ringCapacity: get("ring_capacity"),
      queueCapacity: get("queue_capacity"),
      latency: get("latency_s"),
      seed: get("seed"),
      orbits: get("orbits"),
      maxSamples: get("max_samples"),
      maxStreams: get("max_streams"),
      streamThresholdMb: get("stream_threshold_mb"),
      recordBufferSeconds: get("record_buffer_s"),
      lookaheadMs: get("lookahead_ms"),
      testBurnUs: get("test_burn_us"),
      device: deviceName || (deviceIndex >= 0 ? deviceIndex : null),
    },
  };
}
