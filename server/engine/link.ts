/**
 * Ableton Link, the optional module (native/link/link.cpp, built into
 * native/build/libostinato-link.so where Debian's ableton-link-dev headers
 * are installed). Link is GPL-2.0-or-later: the module is a separate shared
 * object, loaded only when Link is turned on (`--link`, `link(true)`), so a
 * binary that never turns it on never loads GPL code (README, "Playing in
 * time with others").
 *
 * A Link instance belongs to the thread that opened it; another thread (the
 * live worker) attaches to it by handle to propose tempo changes. The
 * engine's audio thread captures the session once per block through the
 * module's clock-source table (Engine.setClockSource); nothing else of Link
 * runs there.
 * @module
 */
import { dlopen, FFIType, type Pointer } from "bun:ffi";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const { i32, f64, ptr, void: none } = FFIType;

const LINK_SYMBOLS = {
  ost_link_create: { args: [f64], returns: ptr },
  ost_link_destroy: { args: [ptr], returns: none },
  ost_link_enable: { args: [ptr, i32], returns: none },
  ost_link_enabled: { args: [ptr], returns: i32 },
  ost_link_enable_start_stop_sync: { args: [ptr, i32], returns: none },
  ost_link_num_peers: { args: [ptr], returns: i32 },
  ost_link_tempo: { args: [ptr], returns: f64 },
  ost_link_set_tempo: { args: [ptr, f64, f64], returns: i32 },
  ost_link_set_playing: { args: [ptr, i32, f64], returns: none },
  ost_link_set_delay_us: { args: [ptr, f64], returns: none },
  ost_link_transport: { args: [ptr, ptr], returns: i32 },
  ost_link_set_quantum: { args: [ptr, f64], returns: none },
  ost_link_clock_us: { args: [ptr], returns: f64 },
  ost_link_clock_source: { args: [ptr], returns: ptr },
} as const;

/** Link's tempo range as this module accepts it, BPM. */
export const LINK_MIN_BPM = 20;
export const LINK_MAX_BPM = 999;
/** Tidal's defaults: 4 beats to the cycle, a bar (quantum) of 4 beats. */
export const BEATS_PER_CYCLE = 4;
export const QUANTUM = 4;

/** Where the module is: $OSTINATO_LINK_LIB, or native/build/libostinato-link.so. */
export function linkLibraryPath(): string {
  return process.env.OSTINATO_LINK_LIB || fileURLToPath(new URL("../../native/build/libostinato-link.so", import.meta.url));
}

/** Whether the Link module was built here (its headers were installed when `make -C native` ran). */
export function linkAvailable(): boolean {
  return existsSync(linkLibraryPath());
}

type LinkSymbols = ReturnType<typeof dlopen<typeof LINK_SYMBOLS>>["symbols"];
let loaded: LinkSymbols | undefined;

function symbols(): LinkSymbols {
  if (loaded) return loaded;
  const path = linkLibraryPath();
  if (!existsSync(path)) {
    throw new Error(
      `Ableton Link is not built: ${path} is missing. Install Debian's ableton-link-dev (npm test does) and run "make -C native"`,
    );
  }
  return (loaded = dlopen(path, LINK_SYMBOLS).symbols);
}

/** What a thread needs to attach to a Link instance (send with postMessage). */
export type SharedLink = { handle: number };

export class Link {
  #handle: Pointer | null;
  readonly #owner: boolean;

  private constructor(handle: Pointer, owner: boolean) {
    this.#handle = handle;
    this.#owner = owner;
  }

  /** A new Link instance at `bpm`, not yet in a session (enable() joins). */
  static open(bpm: number): Link {
    const bpmOk = Number.isFinite(bpm) && bpm >= LINK_MIN_BPM && bpm <= LINK_MAX_BPM;
    if (!bpmOk) throw new RangeError(`Link tempo must be between ${LINK_MIN_BPM} and ${LINK_MAX_BPM} BPM, got ${bpm}`);
    const handle = symbols().ost_link_create(bpm) as Pointer | null;
    if (!handle) throw new Error("Link: could not create an instance");
    const link = new Link(handle, true);
    symbols().ost_link_set_quantum(handle, QUANTUM);
    symbols().ost_link_enable_start_stop_sync(handle, 1);
    return link;
  }

  /** A view of another thread's instance: tempo and peers, never close(). */
  static attach(shared: SharedLink): Link {
    if (!shared || !Number.isSafeInteger(shared.handle) || shared.handle <= 0) throw new Error(`not a shared Link: ${JSON.stringify(shared)}`);
    return new Link(shared.handle as Pointer, false);
  }

  share(): SharedLink {
    return { handle: this.#live("share") as number };
  }

  /** Joins (true) or leaves (false) the session. */
  enable(on: boolean): void {
    symbols().ost_link_enable(this.#live("enable"), on ? 1 : 0);
  }

  get enabled(): boolean {
    return this.#handle !== null && symbols().ost_link_enabled(this.#handle) === 1;
  }

  /** Other peers in the session. */
  peers(): number {
    return symbols().ost_link_num_peers(this.#live("peers"));
  }

  /** The session's tempo, BPM. */
  tempo(): number {
    return symbols().ost_link_tempo(this.#live("tempo"));
  }

  /** Proposes a tempo to the session (clamped to Link's range), keeping the beat at host time `atUs` (µs; default now). */
  setTempo(bpm: number, atUs = 0): void {
    const clamped = Math.min(LINK_MAX_BPM, Math.max(LINK_MIN_BPM, bpm));
    symbols().ost_link_set_tempo(this.#live("setTempo"), clamped, Number.isFinite(atUs) ? atUs : 0);
  }

  /** Starts or stops the session's transport (start/stop sync) as of host time `atUs` (µs; default now). */
  setPlaying(on: boolean, atUs = 0): void {
    symbols().ost_link_set_playing(this.#live("setPlaying"), on ? 1 : 0, Number.isFinite(atUs) ? atUs : 0);
  }

  /**
   * Commits the session's transport again, unchanged but for a time 1 µs
   * later: Link shares a peer's start/stop state only when it changes, so
   * this is how the peers already in a session give a newcomer theirs (it
   * keeps its own across the join otherwise).
   */
  recommitTransport(): void {
    const t = this.transport();
    this.setPlaying(t.playing, t.atUs > 0 ? t.atUs + 1 : 0);
  }

  /** The session's transport (start/stop sync): playing, and the host time (µs) it started or stopped at. */
  transport(): { playing: boolean; atUs: number } {
    const out = (this.#transport ??= new Float64Array(2));
    symbols().ost_link_transport(this.#live("transport"), out);
    return { playing: out[0] === 1, atUs: out[1]! };
  }
  #transport?: Float64Array;

  /** How long after its capture a block's first frame is heard (output latency + offset), seconds. */
  setDelay(seconds: number): void {
    symbols().ost_link_set_delay_us(this.#live("setDelay"), seconds * 1e6);
  }

  /** Link's host clock now, µs (CLOCK_MONOTONIC_RAW). */
  clockUs(): number {
    return symbols().ost_link_clock_us(this.#live("clockUs"));
  }

  /** The table the engine's audio thread captures through (Engine.setClockSource). */
  clockSource(): Pointer {
    return symbols().ost_link_clock_source(this.#live("clockSource")) as Pointer;
  }

  /** Leaves the session and frees the instance; remove it as the engine's clock source first. Twice is fine. */
  close(): void {
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    if (this.#owner) symbols().ost_link_destroy(handle);
  }

  #live(what: string): Pointer {
    if (this.#handle === null) throw new Error(`Link.${what}: the Link instance is closed`);
    return this.#handle;
  }
}
