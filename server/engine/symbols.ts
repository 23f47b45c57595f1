/**
 * The one dlopen table of the native library. It mirrors native/ostinato.h,
 * in the same order; when the header changes, this changes with it.
 * The library is native/build/libostinato.so, or the file named by the
 * OSTINATO_LIB environment variable (the sanitizer build, in test/asan.mjs).
 * @module
 */
import { dlopen, FFIType } from "bun:ffi";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const { i32, u32, f32, f64, ptr, cstring, void: none } = FFIType;

export const SYMBOLS = {
  // results
  ost_result_text: { args: [i32], returns: cstring },
  // sounds
  ost_sound_count: { args: [], returns: u32 },
  ost_sound_name: { args: [u32], returns: cstring },
  ost_sound_alias: { args: [u32], returns: cstring },
  ost_sound_level: { args: [u32], returns: f32 },
  // voice parameters
  ost_param_count: { args: [], returns: u32 },
  ost_param_name: { args: [u32], returns: cstring },
  ost_param_range: { args: [u32, ptr], returns: i32 },
  // events
  ost_event_layout: { args: [ptr], returns: i32 },
  // configuration
  ost_config_init: { args: [ptr], returns: i32 },
  ost_config_count: { args: [], returns: u32 },
  ost_config_name: { args: [u32], returns: cstring },
  ost_config_range: { args: [u32, ptr], returns: i32 },
  // devices
  ost_devices_open: { args: [ptr], returns: i32 },
  ost_devices_close: { args: [ptr], returns: none },
  ost_devices_count: { args: [ptr], returns: u32 },
  ost_devices_default: { args: [ptr], returns: i32 },
  ost_devices_name: { args: [ptr, u32], returns: cstring },
  ost_devices_host_api: { args: [ptr, u32], returns: cstring },
  ost_devices_pa_index: { args: [ptr, u32], returns: i32 },
  ost_devices_max_channels: { args: [ptr, u32], returns: i32 },
  ost_devices_default_rate: { args: [ptr, u32], returns: f64 },
  ost_devices_low_latency: { args: [ptr, u32], returns: f64 },
  // telemetry layout
  ost_telemetry_size: { args: [], returns: u32 },
  ost_telemetry_field_count: { args: [], returns: u32 },
  ost_telemetry_field_name: { args: [u32], returns: cstring },
  ost_telemetry_field: { args: [u32, ptr], returns: i32 },
  ost_render_hist_edge: { args: [u32], returns: f64 },
  // engine
  ost_engine_open: { args: [ptr, ptr, ptr], returns: i32 },
  ost_engine_close: { args: [ptr], returns: none },
  ost_engine_start: { args: [ptr], returns: i32 },
  ost_engine_stop: { args: [ptr], returns: i32 },
  ost_engine_set_backend: { args: [ptr, u32, i32, ptr, f64], returns: i32 },
  ost_engine_push: { args: [ptr, ptr, u32], returns: i32 },
  ost_engine_push_as: { args: [ptr, u32, ptr, u32], returns: i32 },
  ost_engine_set_writer: { args: [ptr, u32], returns: i32 },
  ost_engine_render: { args: [ptr, ptr, u32], returns: i32 },
  ost_engine_telemetry: { args: [ptr, ptr, u32], returns: i32 },
  ost_engine_now_frame: { args: [ptr], returns: f64 },
  ost_engine_clock_pair: { args: [ptr, ptr], returns: i32 },
  // MIDI out through JACK MIDI
  ost_midi_open: { args: [ptr, ptr], returns: i32 },
  ost_midi_close: { args: [ptr], returns: none },
  ost_midi_add_port: { args: [ptr, ptr, ptr], returns: i32 },
  ost_midi_port_name: { args: [ptr, i32], returns: cstring },
  ost_midi_push: { args: [ptr, ptr, u32], returns: u32 },
  ost_midi_sync: { args: [ptr, ptr], returns: i32 },
  ost_midi_stats: { args: [ptr, ptr], returns: i32 },
  ost_midi_list_ports: { args: [ptr, u32], returns: i32 },
  ost_midi_list: { args: [ptr, u32, i32], returns: i32 },
  ost_midi_add_input: { args: [ptr, ptr, ptr], returns: i32 },
  ost_midi_connect: { args: [ptr, i32, i32, ptr], returns: i32 },
  ost_midi_read: { args: [ptr, ptr, u32], returns: u32 },
  ost_midi_input_name: { args: [ptr, i32], returns: cstring },
  ost_midi_read_sysex: { args: [ptr, ptr, u32], returns: i32 },
  // MIDI through the ALSA sequencer
  ost_alsa_midi_open: { args: [ptr, ptr, ptr, u32], returns: i32 },
  ost_alsa_midi_close: { args: [ptr], returns: none },
  ost_alsa_midi_add_port: { args: [ptr, ptr, ptr], returns: i32 },
  ost_alsa_midi_add_input: { args: [ptr, ptr, ptr], returns: i32 },
  ost_alsa_midi_connect: { args: [ptr, i32, i32, ptr], returns: i32 },
  ost_alsa_midi_port_name: { args: [ptr, i32], returns: cstring },
  ost_alsa_midi_input_name: { args: [ptr, i32], returns: cstring },
  ost_alsa_midi_push: { args: [ptr, ptr, u32], returns: u32 },
  ost_alsa_midi_map: { args: [ptr, f64, f64, f64], returns: i32 },
  ost_alsa_midi_read: { args: [ptr, ptr, u32], returns: u32 },
  ost_alsa_midi_read_sysex: { args: [ptr, ptr, u32], returns: i32 },
  ost_alsa_midi_stats: { args: [ptr, ptr], returns: i32 },
  ost_alsa_midi_list: { args: [ptr, u32, i32], returns: i32 },
  ost_alsa_midi_event_size: { args: [], returns: i32 },
  ost_alsa_midi_translate: { args: [ptr, u32, ptr], returns: i32 },
  ost_alsa_midi_bytes: { args: [ptr, ptr, u32], returns: i32 },
  ost_alsa_midi_pool_new: { args: [], returns: ptr },
  ost_alsa_midi_pool_free: { args: [ptr], returns: none },
  ost_alsa_midi_pool_push: { args: [ptr, ptr, u32], returns: u32 },
  ost_alsa_midi_pool_hand: { args: [ptr, f64, f64, f64, f64, ptr, ptr, u32], returns: u32 },
  ost_engine_device_index: { args: [ptr], returns: i32 },
  ost_engine_scope: { args: [ptr, ptr, u32], returns: i32 },
  // samples
  ost_engine_sample_load: { args: [ptr, ptr, ptr], returns: i32 },
  ost_engine_wavetable_load: { args: [ptr, ptr, ptr], returns: i32 },
  ost_engine_sample_info: { args: [ptr, i32, ptr], returns: i32 },
  ost_engine_sample_error: { args: [ptr, i32, ptr, u32], returns: i32 },
  ost_engine_samples_wait: { args: [ptr, f64], returns: i32 },
  ost_engine_sample_free: { args: [ptr, i32], returns: i32 },
  ost_audio_file_write: { args: [ptr, u32, u32, u32, ptr, u32], returns: i32 },
  // recording
  ost_engine_record_start: { args: [ptr, ptr], returns: i32 },
  ost_engine_record_stop: { args: [ptr, ptr], returns: i32 },
  // orbits
  ost_engine_route_orbit: { args: [ptr, u32, u32], returns: i32 },
  // clock sources (Link: server/engine/link.ts)
  ost_engine_set_clock_source: { args: [ptr, ptr], returns: i32 },
  ost_engine_output_latency: { args: [ptr], returns: f64 },
  // MIDI clock through JACK MIDI (server/engine/midi-clock.ts)
  ost_midi_clock_open: { args: [ptr, ptr], returns: i32 },
  ost_midi_clock_close: { args: [ptr], returns: none },
  ost_midi_clock_time: { args: [ptr, ptr], returns: i32 },
  ost_midi_clock_plan: { args: [ptr, f64, f64, u32, u32], returns: i32 },
  ost_midi_clock_stats: { args: [ptr, ptr], returns: i32 },
  ost_midi_clock_on: { args: [ptr, ptr], returns: i32 },
} as const;

/** Where the library is: $OSTINATO_LIB, or the optimised build in native/build. */
export function libraryPath(): string {
  return process.env.OSTINATO_LIB || fileURLToPath(new URL("../../native/build/libostinato.so", import.meta.url));
}

function load() {
  const path = libraryPath();
  if (!existsSync(path)) {
    throw new Error(`ostinato: native library not found at ${path}; build it with "make -C native" (npm test and npm start do)`);
  }
  return dlopen(path, SYMBOLS).symbols;
}

export type NativeSymbols = ReturnType<typeof load>;

let loaded: NativeSymbols | undefined;

/** The library's functions, loaded on first use. */
export function native(): NativeSymbols {
  return (loaded ??= load());
}
