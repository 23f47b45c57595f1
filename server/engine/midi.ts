/**
 * MIDI out and in: the binding of native/midi_jack.c (JACK MIDI) and
 * native/midi_alsa.c (the ALSA sequencer), one class for both backends
 * with the same records. A client of our own with output ports (records
 * stamped by engine frame: JACK's process callback writes each at its exact
 * frame; the ALSA client's thread schedules each on a queue at its real
 * time, from the map `sync` gives it) and input ports (what they receive is
 * read with `read` and `readSysex`). Only the thread that opened it uses it
 * (the live worker).
 * @module
 */
import type { Pointer } from "bun:ffi";
import { check, EngineError } from "./errors.ts";
import type { Engine } from "./engine.ts";
import { native } from "./symbols.ts";

/** Bytes of one record (OST_MIDI_RECORD_BYTES): f64 frame, u32 tag, u8 port, u8 kind, u16 length, 64 data bytes. */
export const MIDI_RECORD_BYTES = 88;
export const MIDI_DATA_MAX = 64;
export const MIDI_KIND_MESSAGE = 0;
export const MIDI_KIND_CUT = 1;
/** Bytes of one received message (OST_MIDI_IN_BYTES): f64 JACK frame, u8 input port, u8 length, 3 data bytes. */
export const MIDI_IN_BYTES = 16;

const encoder = new TextEncoder();
const cString = (s: string) => encoder.encode(`${s}\0`);

/** Where MIDI goes: JACK MIDI, or the ALSA sequencer. */
export type MidiBackend = "jack" | "alsa";

/** What another thread needs to use a MIDI client (send with postMessage). */
export type SharedMidi = { handle: number; clientName: string; backend?: MidiBackend };

/** The frame -> wall-clock map the ALSA client schedules by (the live worker's delay-locked loop). */
export type MidiTimeMap = { frame: number; time: number; secondsPerFrame: number };

/** A listing of ports, or why there is none (the backend cannot open). */
export type MidiPortList = { ports: string[]; error?: string };

/** The native calls of each backend, by the same names. */
type Calls = {
  close: (h: Pointer) => void;
  addPort: (h: Pointer, name: Uint8Array, other: Uint8Array | null) => number;
  addInput: (h: Pointer, name: Uint8Array, other: Uint8Array | null) => number;
  connect: (h: Pointer, index: number, input: number, other: Uint8Array) => number;
  portName: (h: Pointer, index: number) => unknown;
  inputName: (h: Pointer, index: number) => unknown;
  push: (h: Pointer, records: Uint8Array, count: number) => number;
  read: (h: Pointer, into: Uint8Array, max: number) => number;
  readSysex: (h: Pointer, into: Uint8Array, cap: number) => number;
  stats: (h: Pointer, out: Float64Array) => number;
};

function calls(backend: MidiBackend): Calls {
  const n = native();
  return backend === "jack"
    ? {
        close: (h) => n.ost_midi_close(h),
        addPort: (h, a, b) => n.ost_midi_add_port(h, a, b),
        addInput: (h, a, b) => n.ost_midi_add_input(h, a, b),
        connect: (h, i, input, o) => n.ost_midi_connect(h, i, input, o),
        portName: (h, i) => n.ost_midi_port_name(h, i),
        inputName: (h, i) => n.ost_midi_input_name(h, i),
        push: (h, r, c) => n.ost_midi_push(h, r, c),
        read: (h, into, max) => n.ost_midi_read(h, into, max),
        readSysex: (h, into, cap) => n.ost_midi_read_sysex(h, into, cap),
        stats: (h, out) => n.ost_midi_stats(h, out),
      }
    : {
        close: (h) => n.ost_alsa_midi_close(h),
        addPort: (h, a, b) => n.ost_alsa_midi_add_port(h, a, b),
        addInput: (h, a, b) => n.ost_alsa_midi_add_input(h, a, b),
        connect: (h, i, input, o) => n.ost_alsa_midi_connect(h, i, input, o),
        portName: (h, i) => n.ost_alsa_midi_port_name(h, i),
        inputName: (h, i) => n.ost_alsa_midi_input_name(h, i),
        push: (h, r, c) => n.ost_alsa_midi_push(h, r, c),
        read: (h, into, max) => n.ost_alsa_midi_read(h, into, max),
        readSysex: (h, into, cap) => n.ost_alsa_midi_read_sysex(h, into, cap),
        stats: (h, out) => n.ost_alsa_midi_stats(h, out),
      };
}

/** The default client name of each backend ("ostinato-midi" on JACK, "ostinato" in the ALSA sequencer). */
export const MIDI_CLIENT_NAME: Record<MidiBackend, string> = { jack: "ostinato-midi", alsa: "ostinato" };

export type MidiStats = { sent: number; late: number; dropped: number; offset: number; cycleStart: number; period: number; synced: boolean; inputDropped: number };

export class MidiOut {
  #handle: Pointer | null;
  readonly #stats = new Float64Array(8);
  readonly #engineHandle: Pointer;
  readonly #calls: Calls;

  private constructor(
    handle: Pointer,
    engine: Engine,
    /** The client's name (its ports are "name:port"). */
    readonly clientName: string,
    /** JACK MIDI or the ALSA sequencer. */
    readonly backend: MidiBackend,
    /** False for a view of another thread's client (attach): close() leaves it open. */
    private readonly owner = true,
  ) {
    this.#handle = handle;
    this.#engineHandle = engine.share().handle as Pointer;
    this.#calls = calls(backend);
  }

  /**
   * Opens a client: on JACK (never starting a JACK server; throws when none
   * runs), or in the ALSA sequencer (throws with the reason when it cannot
   * open, as where there is no /dev/snd/seq).
   */
  static open(engine: Engine, clientName?: string, backend: MidiBackend = "jack"): MidiOut {
    const name = clientName ?? MIDI_CLIENT_NAME[backend];
    const out = new BigUint64Array(1);
    if (backend === "alsa") {
      const why = new Uint8Array(256);
      const r = native().ost_alsa_midi_open(cString(name), out, why, why.length);
      if (r < 0) throw new EngineError("MidiOut.open", r === -5 ? cText(why) : String(native().ost_result_text(r)), r);
      return new MidiOut(Number(out[0]) as Pointer, engine, name, "alsa");
    }
    const r = native().ost_midi_open(cString(name), out);
    if (r < 0) throw new EngineError("MidiOut.open", r === -5 ? "no JACK server runs (start one, e.g. jackd -d alsa, or qjackctl)" : String(native().ost_result_text(r)), r);
    return new MidiOut(Number(out[0]) as Pointer, engine, name, "jack");
  }

  /** A view of a client another thread opened (the live session's, for its worker); close() leaves it open. */
  static attach(shared: SharedMidi, engine: Engine): MidiOut {
    if (!Number.isSafeInteger(shared.handle) || shared.handle <= 0) throw new EngineError("MidiOut.attach", `not a MIDI client handle: ${shared.handle}`);
    return new MidiOut(shared.handle as Pointer, engine, shared.clientName, shared.backend ?? "jack", false);
  }

  share(): SharedMidi {
    return { handle: this.handle, clientName: this.clientName, backend: this.backend };
  }

  /** The MIDI inputs there are on a backend (where our ports can go), or [] when it cannot open. */
  static ports(backend: MidiBackend = "jack"): string[] {
    return listPorts(backend, false).ports;
  }

  /** The MIDI outputs there are on a backend (where our inputs can listen), or [] when it cannot open. */
  static sources(backend: MidiBackend = "jack"): string[] {
    return listPorts(backend, true).ports;
  }

  /** As ports()/sources(), with why there are none when the backend cannot open (`ostinato midi`). */
  static list(backend: MidiBackend, sources: boolean): MidiPortList {
    return listPorts(backend, sources);
  }

  /** The inputs on this client's backend (where .midi(port) can go). */
  destinations(): string[] {
    return MidiOut.ports(this.backend);
  }

  /** The outputs on this client's backend (where midin/midikeys can listen), ours left out. */
  origins(): string[] {
    return MidiOut.sources(this.backend).filter((s) => !s.startsWith(`${this.clientName}:`));
  }

  /** Registers an input port (connected from `connectFrom` when given); returns its index. */
  addInput(name: string, connectFrom?: string): number {
    const r = this.#calls.addInput(this.#live("addInput"), cString(name), connectFrom ? cString(connectFrom) : null);
    if (r === -5) throw new EngineError("MidiOut.addInput", `no ${this.#what} output "${connectFrom}" to listen to (ostinato midi --in lists them)`);
    check("MidiOut.addInput", r);
    return r;
  }

  /** Connects our port `index` with `other` again; true when it is connected (now or already). */
  connect(index: number, input: boolean, other: string): boolean {
    return this.#calls.connect(this.#live("connect"), index, input ? 1 : 0, cString(other)) >= 0;
  }

  /** Moves received messages into `into` (MIDI_IN_BYTES each); returns how many. */
  read(into: Uint8Array): number {
    return this.#calls.read(this.#live("read"), into, Math.floor(into.length / MIDI_IN_BYTES));
  }

  /** The next SysEx message received (F0..F7, whole) and its input port index, or undefined when none waits. */
  readSysex(): { port: number; bytes: Uint8Array } | undefined {
    const n = this.#calls.readSysex(this.#live("readSysex"), this.#sysex, this.#sysex.length);
    if (n <= 0) return undefined; // none (a message longer than the buffer cannot come: the native ring is smaller)
    return { port: this.#sysex[0]!, bytes: this.#sysex.slice(1, 1 + n) };
  }
  readonly #sysex = new Uint8Array(1 + 16384);

  /** The full JACK name of one of our input ports. */
  inputName(index: number): string {
    return String(this.#calls.inputName(this.#live("inputName"), index) ?? "");
  }

  /** The native handle (for attach on another thread, and the clock's ports). */
  get handle(): number {
    return Number(this.#live("handle"));
  }

  /** Registers an output port (connected to `connectTo` when given); returns its index. */
  addPort(name: string, connectTo?: string): number {
    const r = this.#calls.addPort(this.#live("addPort"), cString(name), connectTo ? cString(connectTo) : null);
    if (r === -5) throw new EngineError("MidiOut.addPort", `no ${this.#what} input "${connectTo}" to connect to (ostinato midi lists them)`);
    check("MidiOut.addPort", r);
    return r;
  }

  /** The full name of one of our ports ("ostinato-midi:out" on JACK, "ostinato:out" in ALSA). */
  portName(index: number): string {
    return String(this.#calls.portName(this.#live("portName"), index) ?? "");
  }

  /** Queues records (MIDI_RECORD_BYTES each); returns how many the ring took. */
  push(records: Uint8Array, count: number): number {
    if (count === 0) return 0;
    return this.#calls.push(this.#live("push"), records, count);
  }

  /**
   * JACK: maps engine frames to JACK frames from the engine's last block.
   * ALSA: gives the client the frame -> wall-clock map (undefined: none yet).
   * False until the map is there.
   */
  sync(map?: MidiTimeMap): boolean {
    if (this.backend === "jack") return native().ost_midi_sync(this.#live("sync"), this.#engineHandle) === 0;
    if (!map) return false;
    return native().ost_alsa_midi_map(this.#live("sync"), map.frame, map.time, map.secondsPerFrame) === 0;
  }

  stats(): MidiStats {
    this.#calls.stats(this.#live("stats"), this.#stats);
    const s = this.#stats;
    return { sent: s[0]!, late: s[1]!, dropped: s[2]!, offset: s[3]!, cycleStart: s[4]!, period: s[5]!, synced: s[6] === 1, inputDropped: s[7]! };
  }

  close(): void {
    if (this.#handle === null) return;
    if (this.owner) this.#calls.close(this.#handle);
    this.#handle = null;
  }

  get #what(): string {
    return this.backend === "jack" ? "JACK MIDI" : "ALSA sequencer";
  }

  #live(call: string): Pointer {
    if (this.#handle === null) throw new EngineError(`MidiOut.${call}`, "the MIDI client is closed");
    return this.#handle;
  }
}

function cText(buf: Uint8Array): string {
  const end = buf.indexOf(0);
  return new TextDecoder().decode(buf.subarray(0, end < 0 ? buf.length : end));
}

function listPorts(backend: MidiBackend, sources: boolean): MidiPortList {
  const buf = new Uint8Array(65536);
  const n = backend === "jack" ? native().ost_midi_list(buf, buf.length, sources ? 1 : 0) : native().ost_alsa_midi_list(buf, buf.length, sources ? 1 : 0);
  if (n < 0) return { ports: [], error: backend === "jack" ? "no JACK server runs" : cText(buf) || String(native().ost_result_text(n)) };
  return { ports: cText(buf).split("\n").filter(Boolean) };
}
