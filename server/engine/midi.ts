/**
 * MIDI out through JACK MIDI: the binding of native/midi_jack.c. A client of
 * our own on the running JACK server, with output ports; records stamped by
 * engine frame are written by its process callback at their exact frame.
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

const encoder = new TextEncoder();
const cString = (s: string) => encoder.encode(`${s}\0`);

export type MidiStats = { sent: number; late: number; dropped: number; offset: number; cycleStart: number; period: number; synced: boolean };

export class MidiOut {
  #handle: Pointer | null;
  readonly #stats = new Float64Array(7);
  readonly #engineHandle: Pointer;

  private constructor(handle: Pointer, engine: Engine) {
    this.#handle = handle;
    this.#engineHandle = engine.share().handle as Pointer;
  }

  /** Opens a JACK client (never starts a JACK server); throws when none runs. */
  static open(engine: Engine, clientName = "ostinato-midi"): MidiOut {
    const out = new BigUint64Array(1);
    const r = native().ost_midi_open(cString(clientName), out);
    if (r < 0) throw new EngineError("MidiOut.open", r === -5 ? "no JACK server runs (start one, e.g. jackd -d alsa, or qjackctl)" : String(native().ost_result_text(r)));
    return new MidiOut(Number(out[0]) as Pointer, engine);
  }

  /** The JACK MIDI inputs there are (where our ports can go), or [] when no JACK server runs. */
  static ports(): string[] {
    const buf = new Uint8Array(65536);
    const n = native().ost_midi_list_ports(buf, buf.length);
    if (n <= 0) return [];
    const text = new TextDecoder().decode(buf.subarray(0, buf.indexOf(0)));
    return text.split("\n").filter(Boolean);
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
    return { sent: s[0]!, late: s[1]!, dropped: s[2]!, offset: s[3]!, cycleStart: s[4]!, period: s[5]!, synced: s[6] === 1 };
  }

  close(): void {
    if (this.#handle === null) return;
    native().ost_midi_close(this.#handle);
    this.#handle = null;
  }

  #live(call: string): Pointer {
    if (this.#handle === null) throw new EngineError(`MidiOut.${call}`, "the MIDI client is closed");
    return this.#handle;
  }
}
