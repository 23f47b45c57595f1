/**
 * What the MIDI inputs have told so far (each CC's latest value, the keys
 * held), by our input port's index, in shared memory the live session owns:
 * a live worker restarted by the watchdog, or a standby taking over, finds
 * the same input ports on the session's client (they are registered by
 * name, so a name gets its index again) and starts with these values,
 * instead of 0 until the controller moves. Only the playing worker writes.
 * @module
 */

/** Input ports a state holds (the native client's MIDI_PORTS). */
const PORTS = 16;
const CC_BYTES = PORTS * 17 * 128; // [port][channel 0 (any) | 1..16][cc]: value + 1, 0 never
const HELD_SLOTS = PORTS * 128 + 1; // [port][note]: press order * 128 + velocity, 0 not held; then the order counter

/** Bytes of a state's shared buffer. */
export const MIDI_STATE_BYTES = Math.ceil(CC_BYTES / 8) * 8 + HELD_SLOTS * 8;

export class MidiState {
  private readonly cc: Uint8Array;
  private readonly held: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    const ccBytes = Math.ceil(CC_BYTES / 8) * 8;
    this.cc = new Uint8Array(buffer, 0, CC_BYTES);
    this.held = new Float64Array(buffer, ccBytes, HELD_SLOTS);
  }

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(MIDI_STATE_BYTES);
  }

  /** A message received on input port `port` (CCs and notes are kept; the rest is not state). */
  receive(port: number, status: number, d1: number, d2: number): void {
    if (port >= PORTS) return;
    const kind = status & 0xf0;
    if (kind === 0xb0) {
      const channel = (status & 15) + 1;
      this.cc[(port * 17 + channel) * 128 + (d1 & 127)] = (d2 & 127) + 1;
      this.cc[port * 17 * 128 + (d1 & 127)] = (d2 & 127) + 1;
    } else if (kind === 0x90 && d2 > 0) {
      const order = ++this.held[HELD_SLOTS - 1]!;
      this.held[port * 128 + (d1 & 127)] = order * 128 + (d2 & 127);
    } else if (kind === 0x80 || kind === 0x90) {
      this.held[port * 128 + (d1 & 127)] = 0;
    }
  }

  /** Input port `port`'s values: CCs as [channel (0: any), cc, 0..1], keys held as [note, 0..1] in the order pressed. */
  read(port: number): { ccs: [number, number, number][]; held: [number, number][] } {
    const ccs: [number, number, number][] = [];
    const held: [number, number, number][] = [];
    if (port >= PORTS) return { ccs, held: [] };
    for (let channel = 0; channel <= 16; channel++) {
      for (let cc = 0; cc < 128; cc++) {
        const v = this.cc[(port * 17 + channel) * 128 + cc]!;
        if (v) ccs.push([channel, cc, (v - 1) / 127]);
      }
    }
    for (let note = 0; note < 128; note++) {
      const v = this.held[port * 128 + note]!;
      if (v) held.push([note, (v % 128) / 127, Math.floor(v / 128)]);
    }
    held.sort((a, b) => a[2] - b[2]);
    return { ccs, held: held.map(([note, velocity]) => [note, velocity]) };
  }
}
