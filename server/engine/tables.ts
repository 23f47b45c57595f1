/**
 * The library's own tables, read once: voice parameters (names, defaults,
 * ranges), sounds, configuration fields, the event record layout and the
 * telemetry layout. Nothing here is a hand-kept copy of the C side.
 * @module
 */
import { native } from "./symbols.ts";

export interface ParamInfo {
  name: string;
  index: number;
  default: number;
  min: number;
  max: number;
}

export interface ConfigField {
  name: string;
  index: number;
  default: number;
  min: number;
  max: number;
}

export interface TelemetryField {
  name: string;
  offset: number;
  type: "u64" | "f64";
  count: number;
}

export interface EventLayout {
  size: number;
  startFrame: number;
  durFrames: number;
  kind: number;
  slot: number;
  params: number;
  paramCapacity: number;
  /** Partials an event can list (native OST_PARTIALS_MAX): amplitudes at parameter 2 x capacity - 2 x max, phases after them. */
  partialsMax: number;
}

export interface Tables {
  params: ParamInfo[];
  paramIndex: Map<string, number>;
  /** Defaults of every parameter slot of a record and its extension (2 x capacity long; parameters from capacity on live in the extension). */
  defaults: Float32Array;
  /** level: a voice's level at gain 1 (full scale times this; native/ostinato.h's OST_SYNTH_LEVEL). */
  sounds: { name: string; alias: string; index: number; level: number }[];
  /** Names and aliases to sound index. */
  soundIndex: Map<string, number>;
  config: ConfigField[];
  telemetry: TelemetryField[];
  telemetrySize: number;
  /** Upper edges of telemetry render_hist's buckets, in block durations (the last bucket is open). */
  renderHistEdges: number[];
  event: EventLayout;
}

let tables: Tables | undefined;

/** A sound's level at gain 1 (0.19 for oscillators and noise, 1 for drums and samples). */
export function soundLevel(name: string): number {
  const t = libraryTables(), i = t.soundIndex.get(name);
  if (i === undefined) throw new Error(`soundLevel: no sound named ${name}`);
  return t.sounds[i]!.level;
}

/** The tables, read from the library on first use. */
export function libraryTables(): Tables {
  return (tables ??= readTables());
}

function readTables(): Tables {
  const lib = native();
  const f32 = new Float32Array(3);
  const f64 = new Float64Array(3);
  const u32 = new Uint32Array(8);

  const params: ParamInfo[] = [];
  for (let i = 0; i < lib.ost_param_count(); i++) {
    lib.ost_param_range(i, f32);
    params.push({ name: String(lib.ost_param_name(i)), index: i, default: f32[0]!, min: f32[1]!, max: f32[2]! });
  }

  const sounds = [];
  const soundIndex = new Map<string, number>();
  for (let i = 0; i < lib.ost_sound_count(); i++) {
    const name = String(lib.ost_sound_name(i));
    const alias = String(lib.ost_sound_alias(i));
    sounds.push({ name, alias, index: i, level: lib.ost_sound_level(i) });
    soundIndex.set(name, i);
    if (alias) soundIndex.set(alias, i);
  }

  const config: ConfigField[] = [];
  for (let i = 0; i < lib.ost_config_count(); i++) {
    lib.ost_config_range(i, f64);
    config.push({ name: String(lib.ost_config_name(i)), index: i, default: f64[0]!, min: f64[1]!, max: f64[2]! });
  }

  const telemetry: TelemetryField[] = [];
  for (let i = 0; i < lib.ost_telemetry_field_count(); i++) {
    lib.ost_telemetry_field(i, u32);
    telemetry.push({ name: String(lib.ost_telemetry_field_name(i)), offset: u32[0]!, type: u32[1] ? "f64" : "u64", count: u32[2]! });
  }

  const renderHistEdges: number[] = [];
  for (let i = 0; lib.ost_render_hist_edge(i) > 0; i++) renderHistEdges.push(lib.ost_render_hist_edge(i));

  lib.ost_event_layout(u32);
  const event: EventLayout = {
    size: u32[0]!, startFrame: u32[1]!, durFrames: u32[2]!, kind: u32[3]!, slot: u32[4]!, params: u32[5]!, paramCapacity: u32[6]!,
    partialsMax: u32[7]!,
  };
  const defaults = new Float32Array(2 * event.paramCapacity); // a NOTE's record and its extension's
  for (const p of params) defaults[p.index] = p.default;

  return {
    params,
    paramIndex: new Map(params.map((p) => [p.name, p.index])),
    defaults,
    sounds,
    soundIndex,
    config,
    telemetry,
    telemetrySize: lib.ost_telemetry_size(),
    renderHistEdges,
    event,
  };
}
