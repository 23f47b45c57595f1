/**
 * MIDI out and in through JACK MIDI: the binding of native/midi_jack.c. A
 * client of our own on the running JACK server, with output ports (records
 * stamped by engine frame are written by its process callback at their
 * exact frame) and input ports (what they receive is read with `read`).
 * Only the thread that opened it uses it (the live worker).
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

/** What another thread needs to use a MIDI client (send with postMessage). */
export type SharedMidi = { handle: number; clientName: string };

export type MidiStats = { sent: number; late: number; dropped: number; offset: number; cycleStart: number; period: number; synced: boolean; inputDropped: number };

export class MidiOut {
  #handle: Pointer | null;
  readonly #stats = new Float64Array(8);
  readonly #engineHandle: Pointer;

  private constructor(
    handle: Pointer,
    engine: Engine,
    /** The JACK client's name (its ports are "name:port"). */
    readonly clientName: string,
    /** False for a view of another thread's client (attach): close() leaves it open. */
    private readonly owner = true,
  ) {
    this.#handle = handle;
    this.#engineHandle = engine.share().handle as Pointer;
  }

  /** Opens a JACK client (never starts a JACK server); throws when none runs. */
  static open(engine: Engine, clientName = "ostinato-midi"): MidiOut {
    const out = new BigUint64Array(1);
    const r = native().ost_midi_open(cString(clientName), out);
    if (r < 0) throw new EngineError("MidiOut.open", r === -5 ? "no JACK server runs (start one, e.g. jackd -d alsa, or qjackctl)" : String(native().ost_result_text(r)));
    return new MidiOut(Number(out[0]) as Pointer, engine, clientName);
  }

  /** A view of a client another thread opened (the live session's, for its worker); close() leaves it open. */
  static attach(shared: SharedMidi, engine: Engine): MidiOut {
    if (!Number.isSafeInteger(shared.handle) || shared.handle <= 0) throw new EngineError("MidiOut.attach", `not a MIDI client handle: ${shared.handle}`);
    return new MidiOut(shared.handle as Pointer, engine, shared.clientName, false);
  }

  share(): SharedMidi {
    return { handle: this.handle, clientName: this.clientName };
  }

  /** The JACK MIDI inputs there are (where our ports can go), or [] when no JACK server runs. */
  static ports(): string[] {
    return listPorts(false);
  }

  /** The JACK MIDI outputs there are (where our inputs can listen), or [] when no JACK server runs. */
  static sources(): string[] {
    return listPorts(true);
  }

  /** Registers an input port (connected from `connectFrom` when given); returns its index. */
  addInput(name: string, connectFrom?: string): number {
    const r = native().ost_midi_add_input(this.#live("addInput"), cString(name), connectFrom ? cString(connectFrom) : null);
    if (r === -5) throw new EngineError("MidiOut.addInput", `no JACK MIDI output "${connectFrom}" to listen to (ostinato midi lists them)`);
    check("MidiOut.addInput", r);
    return r;
  }

  /** Connects our port `index` with `other` again; true when it is connected (now or already). */
  connect(index: number, input: boolean, other: string): boolean {
    return native().ost_midi_connect(this.#live("connect"), index, input ? 1 : 0, cString(other)) >= 0;
  }

  /** Moves received messages into `into` (MIDI_IN_BYTES each); returns how many. */
  read(into: Uint8Array): number {
    return native().ost_midi_read(this.#live("read"), into, Math.floor(into.length / MIDI_IN_BYTES));
  }

  /** The full JACK name of one of our input ports. */
  inputName(index: number): string {
    return String(native().ost_midi_input_name(this.#live("inputName"), index) ?? "");
  }

  /** The native handle (for attach on another thread, and the clock's ports). */
  get handle(): number {
    return Number(this.#live("handle"));
  }

  /** Registers an output port (connected to `connectTo` when given); returns its index. */
  addPort(name: string, connectTo?: string): number {
    const r = native().ost_midi_add_port(this.#live("addPort"), cString(name), connectTo ? cString(connectTo) : null);
    if (r === -5) throw new EngineError("MidiOut.addPort", `no JACK MIDI input "${connectTo}" to connect to (ostinato midi lists them)`);
    check("MidiOut.addPort", r);
    return r;
  }

  /** The full JACK name of one of our ports ("ostinato-midi:out"). */
  portName(index: number): string {
    return String(native().ost_midi_port_name(this.#live("portName"), index) ?? "");
  }

  /** Queues records (MIDI_RECORD_BYTES each); returns how many the ring took. */
  push(records: Uint8Array, count: number): number {
    if (count === 0) return 0;
    return native().ost_midi_push(this.#live("push"), records, count);
  }

  /** Maps engine frames to JACK frames from the engine's last block; false until both clocks run. */
  sync(): boolean {
    return native().ost_midi_sync(this.#live("sync"), this.#engineHandle) === 0;
  }

  stats(): MidiStats {
    native().ost_midi_stats(this.#live("stats"), this.#stats);
    const s = this.#stats;
    return { sent: s[0]!, late: s[1]!, dropped: s[2]!, offset: s[3]!, cycleStart: s[4]!, period: s[5]!, synced: s[6] === 1, inputDropped: s[7]! };
  }

  close(): void {
    if (this.#handle === null) return;
    if (this.owner) native().ost_midi_close(this.#handle);
    this.#handle = null;
  }

  #live(call: string): Pointer {
    if (this.#handle === null) throw new EngineError(`MidiOut.${call}`, "the MIDI client is closed");
    return this.#handle;
  }
}

function listPorts(sources: boolean): string[] {
  const buf = new Uint8Array(65536);
  const n = native().ost_midi_list(buf, buf.length, sources ? 1 : 0);
  if (n <= 0) return [];
  const text = new TextDecoder().decode(buf.subarray(0, buf.indexOf(0)));
  return text.split("\n").filter(Boolean);
}
