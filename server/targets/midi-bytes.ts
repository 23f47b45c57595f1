/**
 * An event's controls as MIDI bytes, with Strudel's MIDI controls:
 * `note` (or `n`) with `velocity` × `gain` as the velocity (Strudel's default
 * velocity 0.9), `midichan` 1-16, `ccn`/`ccv` (ccv 0..1), `progNum`,
 * `midibend` (-1..1, 14 bits), `miditouch` (channel pressure, 0..1),
 * `nrpnn`/`nrpv` (CC 99/98 then 6, and 38 for values over 127), `sysexid` and
 * `sysexdata` (F0 id... data... F7), `midicmd` ("clock", "start", "stop",
 * "continue"). The note-off comes at the event's end.
 *
 * This is the seam every MIDI transport shares (JACK MIDI here, the ALSA
 * sequencer on machines that have one): the bytes are decided here once.
 * @module
 */
import { isNoteName, noteToMidi } from "../pattern/note.ts";

/** Where the bytes go: short messages at the onset or at the end, SysEx at the onset. */
export interface MidiSink {
  message(atEnd: boolean, length: 1 | 2 | 3, b0: number, b1: number, b2: number): void;
  sysex(bytes: readonly number[]): void;
}

const clamp7 = (x: number) => Math.max(0, Math.min(127, Math.round(x)));
const unit = (v: unknown, fallback: number) => (typeof v === "number" && Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : fallback);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined);

const COMMANDS: Record<string, number> = { clock: 0xf8, start: 0xfa, continue: 0xfb, stop: 0xfc };

/** The MIDI note of an event, or undefined (an event of CCs alone). */
export function midiNote(controls: Record<string, unknown>): number | undefined {
  const note = controls.note ?? controls.n;
  if (typeof note === "string" && isNoteName(note)) return clamp7(noteToMidi(note));
  const n = num(note);
  return n === undefined ? undefined : clamp7(n);
}

/** The 0-based channel (midichan is 1-16). */
export function midiChannel(controls: Record<string, unknown>): number {
  const c = num(controls.midichan);
  return c === undefined ? 0 : Math.max(0, Math.min(15, Math.round(c) - 1));
}

/** Writes an event's messages to `sink`. */
export function encodeMidi(controls: Record<string, unknown>, sink: MidiSink): void {
  const ch = midiChannel(controls);
  const cmd = typeof controls.midicmd === "string" ? COMMANDS[controls.midicmd] : undefined;
  if (cmd !== undefined) sink.message(false, 1, cmd, 0, 0);
  const prog = num(controls.progNum);
  if (prog !== undefined) sink.message(false, 2, 0xc0 | ch, clamp7(prog), 0);
  const ccn = num(controls.ccn);
  const ccv = num(controls.ccv);
  if (ccn !== undefined && ccv !== undefined) sink.message(false, 3, 0xb0 | ch, clamp7(ccn), clamp7(Math.max(0, Math.min(1, ccv)) * 127));
  const nrpnn = num(controls.nrpnn);
  const nrpv = num(controls.nrpv);
  if (nrpnn !== undefined && nrpv !== undefined) {
    const n = Math.max(0, Math.min(16383, Math.round(nrpnn)));
    const v = Math.max(0, Math.min(16383, Math.round(nrpv)));
    sink.message(false, 3, 0xb0 | ch, 99, n >> 7);
    sink.message(false, 3, 0xb0 | ch, 98, n & 127);
    if (v > 127) {
      sink.message(false, 3, 0xb0 | ch, 6, v >> 7);
      sink.message(false, 3, 0xb0 | ch, 38, v & 127);
    } else sink.message(false, 3, 0xb0 | ch, 6, v);
  }
  const bend = num(controls.midibend);
  if (bend !== undefined) {
    const v = Math.max(0, Math.min(16383, Math.round(((Math.max(-1, Math.min(1, bend)) + 1) / 2) * 16383)));
    sink.message(false, 3, 0xe0 | ch, v & 127, v >> 7);
  }
  const touch = num(controls.miditouch);
  if (touch !== undefined) sink.message(false, 2, 0xd0 | ch, clamp7(Math.max(0, Math.min(1, touch)) * 127), 0);
  if (controls.sysexid !== undefined && controls.sysexdata !== undefined) sink.sysex(sysexBytes(controls.sysexid, controls.sysexdata));
  const note = midiNote(controls);
  if (note === undefined) return;
  const velocity = Math.max(1, clamp7(unit(controls.velocity, 0.9) * Math.max(0, Math.min(1, num(controls.gain) ?? 1)) * 127));
  sink.message(false, 3, 0x90 | ch, note, velocity);
  sink.message(true, 3, 0x80 | ch, note, 0);
}

/** F0, the id bytes, the data bytes (each 0-127; "0x.." strings allowed), F7. */
export function sysexBytes(id: unknown, data: unknown): number[] {
  const bytes = (v: unknown): number[] =>
    (Array.isArray(v) ? v : typeof v === "string" ? v.split(/[:\s,]+/) : [v]).map((x) => {
      const n = typeof x === "string" ? Number(x.trim()) : Number(x);
      if (!Number.isInteger(n) || n < 0 || n > 127) throw new RangeError(`sysex: ${JSON.stringify(x)} is not a data byte (0-127 or 0x00-0x7f)`);
      return n;
    });
  return [0xf0, ...bytes(id), ...bytes(data), 0xf7];
}
