/**
 * MIDI in: the inputs `midin(...)` and `midikeys(...)` listen to, as input
 * ports of the MIDI target's client (one client for MIDI out and in, on
 * JACK or in the ALSA sequencer). A pattern names an input when it is
 * evaluated; the port is registered then and connected from the MIDI output
 * of that name (the first one whose name contains it; none: our port "in",
 * for the user to connect). Each tick the messages the client received are
 * read and kept as CC values, held keys and the last SysEx
 * (server/pattern/external.ts), read by the patterns when they are queried,
 * and in the session's MidiState, so a worker after this one starts with them.
 * @module
 */
import { MIDI_IN_BYTES, type MidiOut } from "../engine/midi.ts";
import { receiveMidi, receiveSysex, seedMidi } from "../pattern/external.ts";
import { MidiConnections } from "./midi-connections.ts";
import type { MidiState } from "./midi-state.ts";

const READ_BATCH = 256;

export class MidiIn {
  /** The input each port index listens to, by the name the pattern gave. */
  private readonly names: string[] = [];
  private readonly byName = new Map<string, number>();
  private readonly buffer = new Uint8Array(READ_BATCH * MIDI_IN_BYTES);
  private readonly connections: MidiConnections;
  private client: MidiOut | undefined;

  constructor(
    /** The MIDI target's client, opened on demand (undefined while it cannot open). */
    private readonly open: () => MidiOut | undefined,
    private readonly onWarning?: (message: string) => void,
    /** The session's record of what the inputs told (it outlives this worker). */
    private readonly state?: MidiState,
  ) {
    this.connections = new MidiConnections(onWarning);
  }

  /** Registers the port for an input (once per name; when the client comes, if it is not there yet) and returns the name its values are kept under. */
  input(input: string | number | undefined): string {
    const key = input === undefined ? "" : String(input);
    if (this.byName.has(key) || this.pending.has(key)) return key;
    this.pending.set(key, input);
    this.registerPending();
    return key;
  }

  /** Inputs asked for before the session had a MIDI client. */
  private readonly pending = new Map<string, string | number | undefined>();

  private registerPending(): void {
    if (this.pending.size === 0) return;
    const out = this.open();
    if (!out) return;
    this.client = out;
    for (const [key, input] of this.pending) {
      try {
        this.register(out, key, input);
      } catch (err) {
        this.onWarning?.(`MIDI: ${(err as Error).message}`);
      }
    }
    this.pending.clear();
  }

  private register(out: MidiOut, key: string, input: string | number | undefined): void {
    let source: string | undefined;
    if (key !== "") {
      const sources = out.origins(); // not our own outputs
      source = typeof input === "number" ? sources[input] : sources.find((s) => s === key) ?? sources.find((s) => s.includes(key));
      if (!source) this.onWarning?.(`MIDI: no MIDI output "${key}" to listen to (there are: ${sources.join(", ") || "none"}); midin/midikeys listen on our port in`);
    }
    const name = source ? `from-${source.replace(/[^A-Za-z0-9_-]+/g, "-")}`.slice(0, 60) : "in";
    const existing = this.names.indexOf(name);
    const index = existing >= 0 ? existing : out.addInput(name, source);
    if (existing < 0) {
      this.names[index] = name;
      if (source) this.connections.add(index, true, source);
    }
    this.byName.set(key, index);
    this.keys.set(index, [...(this.keys.get(index) ?? []), key]);
    this.seed(key, index);
  }

  /** The values the port had before this worker (a restart, a takeover). */
  private seed(key: string, index: number): void {
    if (!this.state) return;
    const { ccs, held } = this.state.read(index);
    seedMidi(key, ccs, held);
  }

  /** Set once this worker polls (plays): from then on it writes the state, so it reads it once more first. */
  private polling = false;

  /** The pattern names each port's values go under. */
  private readonly keys = new Map<number, string[]>();

  /** Reads what arrived since the last tick (the live worker, every tick). */
  poll(): void {
    this.registerPending();
    const out = this.client;
    if (!out) return;
    if (!this.polling) {
      // A standby registered its inputs long before it plays: what came since is in the state.
      this.polling = true;
      for (const [key, index] of this.byName) this.seed(key, index);
    }
    for (;;) {
      const n = out.read(this.buffer);
      for (let i = 0; i < n; i++) {
        const base = i * MIDI_IN_BYTES;
        const port = this.buffer[base + 8]!;
        const len = this.buffer[base + 9]!;
        if (len < 2) continue;
        const status = this.buffer[base + 10]!;
        const d1 = this.buffer[base + 11]!;
        const d2 = len > 2 ? this.buffer[base + 12]! : 0;
        this.state?.receive(port, status, d1, d2);
        for (const key of this.keys.get(port) ?? []) receiveMidi(key, status, d1, d2);
      }
      if (n < READ_BATCH) break;
    }
    for (let sysex = out.readSysex(); sysex; sysex = out.readSysex()) {
      for (const key of this.keys.get(sysex.port) ?? []) receiveSysex(key, sysex.bytes);
    }
    this.connections.check(out);
  }
}
