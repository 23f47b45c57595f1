/**
 * Pitch of an event for the pianoroll: a MIDI number from `note` (a number
 * or a name like "c4", "eb2", "f#3"; c4 is 60, as in Strudel) or `freq`;
 * undefined for unpitched events (a noise hit), which get a lane by sound.
 * @module
 */
const STEPS: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };

export function noteNameToMidi(name: string): number | undefined {
  const m = /^([a-gA-G])((?:#|s|b|f)*)(-?\d+)?$/.exec(name.trim());
  if (!m) return undefined;
  let midi = STEPS[m[1]!.toLowerCase()]! + 12 * (Number(m[3] ?? 3) + 1);
  for (const acc of m[2]!) midi += acc === "#" || acc === "s" ? 1 : -1;
  return midi;
}

export function pitchOf(value: Record<string, string | number>): number | undefined {
  const note = value.note;
  if (typeof note === "number" && Number.isFinite(note)) return note;
  if (typeof note === "string") return noteNameToMidi(note) ?? (Number.isFinite(Number(note)) ? Number(note) : undefined);
  const freq = Number(value.freq);
  if (Number.isFinite(freq) && freq > 0) return 69 + 12 * Math.log2(freq / 440);
  return undefined;
}

/** The lane name of an unpitched event. */
export function laneOf(value: Record<string, string | number>): string {
  const s = value.s === undefined ? "?" : String(value.s);
  return value.n === undefined ? s : `${s}:${value.n}`;
}
