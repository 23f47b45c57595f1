/**
 * Note names and pitch: the one place that knows how "c#3" becomes a MIDI
 * number and a MIDI number becomes a frequency. Strudel's convention: a4 is
 * MIDI 69 (440 Hz), c3 is 48, and a name without an octave is in octave 3.
 * @module
 */

const CHROMA: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };
const NOTE_NAME = /^([a-gA-G])([#sbf]*)(-?\d+)?$/;

/** The octave of a note name written without one ("c" is "c3"). */
export const DEFAULT_OCTAVE = 3;

/** True when `name` is a note name such as "c", "eb4", "f#2", "cs3" or "bf". */
export function isNoteName(name: string): boolean {
  return NOTE_NAME.test(name);
}

/**
 * The MIDI number of a note name. Sharps are `#` or `s`, flats `b` or `f`,
 * and they may repeat ("c##3").
 * @example
 * noteToMidi("c3") // 48
 * @example
 * noteToMidi("eb") // 51 (octave 3)
 */
export function noteToMidi(name: string): number {
  const m = NOTE_NAME.exec(name);
  if (!m) throw new Error(`"${name}" is not a note name (expected a letter a-g, optional #/s/b/f, optional octave: "c3", "eb4")`);
  let semis = CHROMA[m[1]!.toLowerCase()]!;
  for (const acc of m[2]!) semis += acc === "#" || acc === "s" ? 1 : -1;
  const octave = m[3] === undefined ? DEFAULT_OCTAVE : Number(m[3]);
  return (octave + 1) * 12 + semis;
}

/**
 * The frequency in Hz of a MIDI number (fractional numbers are microtones).
 * @example
 * midiToFreq(69) // 440
 */
export function midiToFreq(midi: number): number {
  return 440 * Math.pow(2, (midi - 69) / 12);
}

/** A note given as a MIDI number or a note name, as a MIDI number. */
export function toMidi(note: number | string): number {
  return typeof note === "number" ? note : noteToMidi(note);
}
