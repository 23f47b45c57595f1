/**
 * Engine: the native mixer behind one object. Lifecycle as miniaudio's
 * config -> init -> uninit: `Engine.open(config)`, `start()`, `stop()`,
 * `close()` (idempotent). Any call after close throws an EngineError; the
 * native handle is never touched again, so nothing can crash.
 *
 * @example
 * const engine = Engine.open({ backend: "offline" });
 * const buf = new EventBuffer(16);
 * buf.add({ s: "sawtooth", note: "a3", lpf: 1200 }, 0, 24000);
 * engine.push(buf);
 * const audio = engine.render(48000); // interleaved stereo float32
 * engine.close();
 * @module
 */
import { constants as osConstants } from "node:os";
import { BACKENDS, encodeConfig, type BackendName, type EngineConfig, type NativeConfig } from "./config.ts";
import { listDevices, type DeviceInfo } from "./devices.ts";
import { check, EngineError } from "./errors.ts";
import type { EventBuffer } from "./event-buffer.ts";
import type { Pointer } from "bun:ffi";
import { native } from "./symbols.ts";
import { libraryTables } from "./tables.ts";
import { createTelemetry, decodeTelemetry, type Telemetry } from "./telemetry.ts";

const encoder = new TextEncoder();

/** The most frames Engine.scope returns (OST_SCOPE_MAX_READ). */
export const SCOPE_MAX_FRAMES = 4096;

const SAMPLE_STATES = ["loading", "ready", "failed", "free"] as const;

/** A sample slot, as Engine.sampleInfo reports it. */
export interface SampleInfo {
  state: (typeof SAMPLE_STATES)[number];
  frames: number;
  channels: number;
  sampleRate: number;
  /** Too long to load whole: it streams from disk as it plays. */
  streamed: boolean;
  /** Why it failed: "path: reason". */
  error?: string;
}

/** What a stopped recording holds. */
export interface RecordingInfo {
  /** Engine frame of its first frame. */
  startFrame: number;
  frames: number;
  /** Frames lost because the writer fell behind (0 in a healthy recording). */
  dropped: number;
  /** Frames the disk refused (full): the file ends where it was whole (0 in a healthy recording). */
  lost: number;
  /** Why the disk refused them ("ENOSPC: the disk is full"), when it did. */
  writeError?: string;
}

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: "the disk is full", EDQUOT: "the disk quota is used up", EFBIG: "the file is larger than this file system or limit allows",
  EIO: "the disk reported an I/O error", EROFS: "the file system became read-only",
};

/** An errno from the recorder, in words: "ENOSPC: the disk is full". */
export function writeErrorText(errno: number): string | undefined {
  if (!errno) return undefined;
  const name = Object.entries(osConstants.errno).find(([, v]) => v === errno)?.[0] ?? `errno ${errno}`;
  return `${name}: ${WRITE_ERRORS[name] ?? "the write failed"}`;
}

/** Formats Engine.writeAudioFile writes, in ost_file_format's order. */
export const AUDIO_FILE_FORMATS = ["wav-float", "wav16", "wav24", "aiff16", "flac16", "ogg", "mp3"] as const;
export type AudioFileFormat = (typeof AUDIO_FILE_FORMATS)[number];
const cString = (s: string) => encoder.encode(`${s}\0`);

/**
 * What another thread needs to use an open engine (structured-cloneable,
 * for postMessage): see Engine.share and Engine.attach.
 */
export interface SharedEngine {
  handle: number;
  sampleRate: number;
  channels: number;
  /** The owner's resolved options (filled from sampleRate/channels when absent). */
  config?: NativeConfig["resolved"];
}

export class Engine {
  /** The options the engine runs with, defaults filled in. */
  readonly config: NativeConfig["resolved"];
  #handle: Pointer | null;
  /** false for an engine attached from another thread: it never frees the native engine */
  readonly #owner: boolean;
  readonly #telemetryBytes: Uint8Array;
  readonly #telemetryU32: Uint32Array;
  readonly #telemetryF64: Float64Array;

  private constructor(handle: Pointer, config: NativeConfig["resolved"], owner = true) {
    this.#handle = handle;
    this.#owner = owner;
    this.config = Object.freeze({ ...config });
    const size = libraryTables().telemetrySize;
    this.#telemetryBytes = new Uint8Array(size);
    this.#telemetryU32 = new Uint32Array(this.#telemetryBytes.buffer);
    this.#telemetryF64 = new Float64Array(this.#telemetryBytes.buffer);
  }

  /**
   * Opens an engine. Options are validated first, with errors naming the
   * option; an unknown device name answers with the devices there are.
   */
  static open(config: EngineConfig = {}): Engine {
    const encoded = encodeConfig(config);
    if (encoded.resolved.backend === "portaudio" && encoded.deviceName) requireDevice("Engine.open", encoded.deviceName);
    const out = new BigUint64Array(1);
    const result = native().ost_engine_open(encoded.values, cString(encoded.deviceName), out);
    if (result < 0) throw openError("Engine.open", result, encoded);
    return new Engine(Number(out[0]) as Pointer, encoded.resolved);
  }

  /**
   * An engine opened on another thread, from its `share()` (the live worker
   * pushes, the owner reads telemetry). It may push (pushes from several
   * threads take turns on a producer-side lock; the audio thread never waits
   * for it), read the clock and telemetry; start, stop, render, setBackend
   * and the real close stay with the owner, who must keep the engine open
   * while an attached one is used. close() here only lets go of it.
   */
  static attach(shared: SharedEngine): Engine {
    if (!shared || !Number.isSafeInteger(shared.handle) || shared.handle <= 0 || !(shared.sampleRate > 0)) {
      throw new EngineError("Engine.attach", `not a shared engine (use engine.share() on the thread that opened it): ${JSON.stringify(shared)}`);
    }
    const config = shared.config ?? { ...encodeConfig({ sampleRate: shared.sampleRate, channels: shared.channels ?? 2 }).resolved };
    return new Engine(shared.handle as Pointer, config, false);
  }

  /** What Engine.attach needs on another thread (send it with postMessage). */
  share(): SharedEngine {
    return { handle: this.#live("share") as number, sampleRate: this.config.sampleRate, channels: this.config.channels, config: { ...this.config } };
  }

  /** The PortAudio output devices (a fresh snapshot). */
  static devices(): DeviceInfo[] {
    return listDevices();
  }

  /** The PortAudio output devices (a fresh snapshot). */
  devices(): DeviceInfo[] {
    this.#live("devices");
    return listDevices();
  }

  get closed(): boolean {
    return this.#handle === null;
  }

  get sampleRate(): number {
    return this.config.sampleRate;
  }

  get channels(): number {
    return this.config.channels;
  }

  /** Starts the backend (offline: only marks it running). */
  start(): void {
    check("Engine.start", native().ost_engine_start(this.#owned("start")));
  }

  /** Stops the backend; the clock, queued events and voices stay. */
  stop(): void {
    check("Engine.stop", native().ost_engine_stop(this.#owned("stop")));
  }

  /** Stops and frees the engine (an attached one only lets go). Closing twice is fine. */
  close(): void {
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    if (this.#owner) native().ost_engine_close(handle);
  }

  /**
   * Switches backend at run time without losing the clock, the queued events
   * or the sounding voices (the sample rate stays the engine's).
   */
  setBackend(backend: BackendName, options: { device?: string | number; latency?: number } = {}): void {
    const ctx = "Engine.setBackend";
    const handle = this.#owned("setBackend");
    const kind = BACKENDS.indexOf(backend);
    if (kind < 0) throw new EngineError(ctx, `backend must be one of ${BACKENDS.join(", ")} (got ${JSON.stringify(backend)})`);
    const device = options.device;
    const name = typeof device === "string" ? device : "";
    const index = typeof device === "number" ? device : -1;
    if (device !== undefined && typeof device !== "string" && !(Number.isInteger(device) && device >= 0)) {
      throw new EngineError(ctx, `device must be a device name or a PortAudio device index (got ${JSON.stringify(device)})`);
    }
    const latency = options.latency ?? 0;
    if (!(latency >= 0 && latency <= 4)) throw new EngineError(ctx, `latency must be 0 to 4 seconds (got ${latency})`);
    if (backend === "portaudio" && name) requireDevice(ctx, name);
    const result = native().ost_engine_set_backend(handle, kind, index, cString(name), latency);
    if (result < 0) throw EngineError.fromResult(ctx, result, `backend ${backend}${device !== undefined ? `, device ${JSON.stringify(device)}` : ""}`);
  }

  /** The backend in use now (it may have fallen back to "null" when a device died). */
  get backend(): BackendName {
    return BACKENDS[this.telemetry().backend]!;
  }

  /**
   * Pushes the buffer's events in one call. Returns how many the ring took
   * (a full ring takes what fits); `buffer.drop(taken)` keeps the rest.
   */
  push(buffer: EventBuffer): number {
    const handle = this.#live("push");
    if (buffer.length === 0) return 0;
    const n = native();
    const r = this.pushAs ? n.ost_engine_push_as(handle, this.pushAs, buffer.bytes, buffer.length) : n.ost_engine_push(handle, buffer.bytes, buffer.length);
    return check("Engine.push", r, `${buffer.length} events`);
  }

  /**
   * Pushes from here name this writer (0: none): they are taken only while
   * it is the engine's writer (setWriter), else push throws. How a live
   * worker that was replaced cannot double its successor's events.
   */
  pushAs = 0;

  /** Makes `writer` the one whose pushes are taken (0: anyone's); returns once no push of the previous one is under way. */
  setWriter(writer: number): void {
    check("Engine.setWriter", native().ost_engine_set_writer(this.#live("setWriter"), writer), `writer ${writer}`);
  }

  /** Offline backend: renders `frames` frames, interleaved float32. */
  render(frames: number): Float32Array {
    const out = new Float32Array(this.#frameCount("render", frames) * this.config.channels);
    this.renderInto(out);
    return out;
  }

  /** Offline backend: renders into `out` (its length / channels frames). */
  renderInto(out: Float32Array): void {
    const handle = this.#owned("render");
    const frames = Math.floor(out.length / this.config.channels);
    if (out.length !== frames * this.config.channels) {
      throw new EngineError("Engine.render", `buffer length ${out.length} is not a whole number of ${this.config.channels}-channel frames`);
    }
    const result = native().ost_engine_render(handle, out, frames);
    if (result < 0) throw EngineError.fromResult("Engine.render", result, `backend ${this.backend}; render() needs the offline backend`);
  }

  /** A new telemetry snapshot. */
  telemetry(): Telemetry {
    const t = createTelemetry();
    this.readTelemetry(t);
    return t;
  }

  /** Refills `into` with a snapshot, allocating nothing (for meters). */
  readTelemetry(into: Telemetry): Telemetry {
    check("Engine.telemetry", native().ost_engine_telemetry(this.#live("telemetry"), this.#telemetryBytes, this.#telemetryBytes.length));
    decodeTelemetry(this.#telemetryU32, this.#telemetryF64, into);
    return into;
  }

  /**
   * Installs an outside clock's capture table (a Link module's, see link.ts),
   * or removes it (null). Returns once the audio thread no longer uses the
   * previous one. Owner thread only.
   */
  setClockSource(source: Pointer | null): void {
    check("Engine.setClockSource", native().ost_engine_set_clock_source(this.#owned("setClockSource"), source));
  }

  /** How long after its render a block is heard, seconds: the device's output latency (0 for null and offline). */
  outputLatency(): number {
    return native().ost_engine_output_latency(this.#live("outputLatency"));
  }

  /** Estimate of the frame being rendered now. */
  now(): number {
    return native().ost_engine_now_frame(this.#live("now"));
  }

  /**
   * The clock pair of the last rendered block, written into `into`:
   * [frames rendered, CLOCK_REALTIME seconds when that block finished].
   * False before the first block. For the delay-locked loop of the targets
   * that need wall-clock time (server/targets/wall-clock.ts).
   */
  clockPair(into: Float64Array): boolean {
    return native().ost_engine_clock_pair(this.#live("clockPair"), into) === 0;
  }

  /**
   * The most recent `frames` frames of the output (at most SCOPE_MAX_FRAMES),
   * mono: the mean of the output channels after the limiter, oldest first;
   * frames not rendered yet are 0. Lock-free on both sides: the audio thread
   * never waits for a reader. Works on an attached engine too.
   */
  scope(frames: number, into?: Float32Array): Float32Array {
    const handle = this.#live("scope");
    if (!Number.isInteger(frames) || frames < 1 || frames > SCOPE_MAX_FRAMES) {
      throw new EngineError("Engine.scope", `frames must be a whole number from 1 to ${SCOPE_MAX_FRAMES} (got ${frames})`);
    }
    const out = into && into.length >= frames ? into.subarray(0, frames) : new Float32Array(frames);
    check("Engine.scope", native().ost_engine_scope(handle, out, frames));
    return out;
  }

  // ----------------------------------------------------------- samples

  /**
   * Starts loading an audio file (WAV, AIFF, FLAC, OGG, MP3...) into the
   * engine's sample table and returns its slot id at once; a native loader
   * thread decodes it. The same path gives the same id. Any thread.
   * With `wavetable` (a file of a wt_ bank, Strudel's convention) the loader
   * also builds its band-limited tables and it plays as an oscillator at the
   * note's pitch; a file in a folder named wt_... is one either way.
   */
  loadSample(path: string, wavetable = false): number {
    const handle = this.#live("loadSample");
    if (typeof path !== "string" || !path) throw new EngineError("Engine.loadSample", `path must be a file name (got ${JSON.stringify(path)})`);
    const out = new Int32Array(1);
    const load = wavetable ? native().ost_engine_wavetable_load : native().ost_engine_sample_load;
    check("Engine.loadSample", load(handle, cString(path), out), path);
    return out[0]!;
  }

  /** A sample slot's state: loading, ready (with its length, channels, rate, and whether it streams), failed (with the error), or free. */
  sampleInfo(id: number): SampleInfo {
    const handle = this.#live("sampleInfo");
    const out = new Float64Array(5);
    check("Engine.sampleInfo", native().ost_engine_sample_info(handle, id, out), `slot ${id}`);
    const state = SAMPLE_STATES[out[0]!] ?? "free";
    const info: SampleInfo = { state, frames: out[1]!, channels: out[2]!, sampleRate: out[3]!, streamed: out[4] === 1 };
    if (state === "failed") {
      const buf = new Uint8Array(4096);
      native().ost_engine_sample_error(handle, id, buf, buf.length);
      info.error = new TextDecoder().decode(buf.subarray(0, buf.indexOf(0)));
    }
    return info;
  }

  /** Waits (blocking this thread) until no sample is loading, at most `timeoutSeconds`; true when idle. Not for the live worker. */
  waitSamples(timeoutSeconds = 30): boolean {
    return native().ost_engine_samples_wait(this.#live("waitSamples"), timeoutSeconds) === 0;
  }

  /** Empties a sample slot; voices playing it finish, and its memory is freed once the audio thread has let go of it. */
  freeSample(id: number): void {
    check("Engine.freeSample", native().ost_engine_sample_free(this.#live("freeSample"), id), `slot ${id}`);
  }

  /** Writes interleaved float frames to an audio file (fixtures, renders to other formats). */
  static writeAudioFile(path: string, format: AudioFileFormat, channels: number, sampleRate: number, data: Float32Array): void {
    const index = AUDIO_FILE_FORMATS.indexOf(format);
    if (index < 0) throw new EngineError("Engine.writeAudioFile", `format must be one of ${AUDIO_FILE_FORMATS.join(", ")} (got ${JSON.stringify(format)})`);
    const frames = Math.floor(data.length / channels);
    check("Engine.writeAudioFile", native().ost_audio_file_write(cString(path), index, channels, sampleRate, data, frames), `${path} (${format})`);
  }

  // --------------------------------------------------------- recording

  /**
   * Starts recording the output to a 32-bit float WAV at `path` from the
   * next block on. A writer thread drains a ring; the audio thread never
   * touches the file. The recording belongs to the engine: it runs until
   * recordStop() or close(). Any thread, attached engines too.
   */
  recordStart(path: string): void {
    const handle = this.#live("recordStart");
    if (typeof path !== "string" || !path) throw new EngineError("Engine.recordStart", `path must be a file name (got ${JSON.stringify(path)})`);
    const result = native().ost_engine_record_start(handle, cString(path));
    if (result === -3) throw new EngineError("Engine.recordStart", "a recording is already running; stop it first", result);
    if (result === -10) throw new EngineError("Engine.recordStart", `cannot create ${path}`, result);
    check("Engine.recordStart", result, path);
  }

  /**
   * Stops the recording at the next block and closes its file; what it holds.
   * A take the disk refused frames of (full) is still a file of what was
   * written: its info says how many frames were lost and why.
   */
  recordStop(): RecordingInfo {
    const handle = this.#live("recordStop");
    const out = new Float64Array(5);
    const result = native().ost_engine_record_stop(handle, out);
    if (result === -3) throw new EngineError("Engine.recordStop", "no recording is running", result);
    const info: RecordingInfo = { startFrame: out[0]!, frames: out[1]!, dropped: out[2]!, lost: out[3]! };
    if (result === -10) {
      info.writeError = writeErrorText(out[4]!) ?? "the file could not be written completely";
      return info;
    }
    check("Engine.recordStop", result);
    return info;
  }

  // ------------------------------------------------------------ orbits

  /** Routes an orbit to output channels `firstChannel` and `firstChannel + 1` (0 = the master). */
  routeOrbit(orbit: number, firstChannel: number): void {
    const handle = this.#live("routeOrbit");
    const ctx = "Engine.routeOrbit";
    if (!Number.isInteger(orbit) || orbit < 0 || orbit >= this.config.orbits) throw new EngineError(ctx, `orbit must be 0 to ${this.config.orbits - 1} (got ${orbit})`);
    const pairs = Math.max(1, Math.floor(this.config.channels / 2));
    if (!Number.isInteger(firstChannel) || firstChannel < 0 || firstChannel % 2 !== 0 || firstChannel / 2 >= pairs) {
      throw new EngineError(ctx, `firstChannel must be an even channel with a pair on this ${this.config.channels}-channel output: ${Array.from({ length: pairs }, (_, i) => 2 * i).join(", ")} (got ${firstChannel})`);
    }
    check(ctx, native().ost_engine_route_orbit(handle, orbit, firstChannel / 2));
  }

  /** PortAudio device index in use, or -1 when not on PortAudio. */
  deviceIndex(): number {
    return native().ost_engine_device_index(this.#live("deviceIndex"));
  }

  #live(call: string): Pointer {
    if (this.#handle === null) throw new EngineError(`Engine.${call}`, "the engine is closed");
    return this.#handle;
  }

  #owned(call: string): Pointer {
    const handle = this.#live(call);
    if (!this.#owner) throw new EngineError(`Engine.${call}`, "an attached engine cannot do this; the thread that opened it does");
    return handle;
  }

  #frameCount(call: string, frames: number): number {
    this.#live(call);
    if (!Number.isInteger(frames) || frames < 0 || frames > 0x7fffffff) {
      throw new EngineError(`Engine.${call}`, `frames must be a whole number >= 0 (got ${frames})`);
    }
    return frames;
  }
}

function deviceList(devices: DeviceInfo[]): string {
  return devices.length ? devices.map((d) => `"${d.name}" (${d.hostApi})`).join(", ") : "none (is a sound server such as JACK running?)";
}

function requireDevice(ctx: string, name: string): void {
  const devices = listDevices();
  if (!devices.some((d) => d.name === name)) {
    throw new EngineError(ctx, `no audio output device named "${name}"; devices: ${deviceList(devices)}`, -5);
  }
}

function openError(ctx: string, result: number, config: NativeConfig): EngineError {
  const r = config.resolved;
  const what = `backend ${r.backend}, ${r.sampleRate} Hz, ${r.channels} ch, block ${r.blockFrames}` +
    (r.backend === "portaudio" ? `, device ${r.device === null ? "default" : JSON.stringify(r.device)}` : "");
  if (r.backend === "portaudio" && result === -5) {
    return EngineError.fromResult(ctx, result, `${what}; devices: ${deviceList(listDevices())}`);
  }
  return EngineError.fromResult(ctx, result, what);
}
