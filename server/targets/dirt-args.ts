/**
 * An event's controls as SuperDirt's `/dirt/play` arguments, with Tidal's
 * names and units (facts in shared/ensemble.md):
 *
 * - `s` carries the bank as a prefix (Strudel's OSC sender's rule: no separator);
 * - `note` is in Tidal's units, 0 = C5 = MIDI 60; a note name is sent as
 *   that number too (SuperDirt adds its octave 5 back);
 * - `gain`: SuperDirt's amplitude is 0.4 × gain⁴. With the "strudel" curve
 *   (the default) Strudel's linear gain g is sent as g^¼ so it is as loud, relative to
 *   unity, as in Strudel; with "tidal" the value goes as given;
 * - `clip` is Tidal's `legato`, `roomsize` is `size`;
 * - `cps`, `cycle`, `delta` (seconds), `_id_` and `orbit` (int) on every event;
 * - every other numeric or string control goes as it is (SuperDirt puts
 *   whatever arrives into its event), except the ones meant for other
 *   targets (MIDI, OSC routing) and internal ones (`_…`).
 * @module
 */
import { isNoteName, noteToMidi } from "../pattern/note.ts";
import type { OscBundleWriter } from "./osc.ts";

export type GainCurve = "strudel" | "tidal";

/** What the scheduler knows of an event besides its controls. */
export type DirtEventInfo = {
  cps: number;
  cycle: number;
  /** Seconds from onset to the end of the event. */
  delta: number;
  /** The slot's id (Tidal's stream name). */
  id: string;
};

/** Controls handled here, or not SuperDirt's to receive. */
const SKIP = new Set([
  "s", "bank", "note", "gain", "velocity", "clip", "roomsize", "orbit", "cps",
  "oschost", "oscport", "midiport", "midichan", "ccn", "ccv", "midicmd", "midibend", "miditouch",
  "nrpnn", "nrpv", "progNum", "sysexid", "sysexdata", "color", "label",
]);

/** Writes the arguments of one event (the message is begun by the caller). */
export function writeDirtArgs(w: OscBundleWriter, controls: Record<string, unknown>, info: DirtEventInfo, curve: GainCurve): void {
  const s = controls.s;
  if (typeof s === "string") w.pair("s", typeof controls.bank === "string" ? controls.bank + s : s);
  const note = controls.note;
  if (typeof note === "number" && Number.isFinite(note)) w.pair("note", note - 60);
  else if (typeof note === "string" && isNoteName(note)) w.pair("note", noteToMidi(note) - 60);
  w.pair("gain", dirtGain(controls, curve));
  if (typeof controls.clip === "number") w.pair("legato", controls.clip);
  if (typeof controls.roomsize === "number") w.pair("size", controls.roomsize);
  w.pair("orbit", typeof controls.orbit === "number" ? controls.orbit : 0, true);
  w.pair("cps", info.cps);
  w.pair("cycle", info.cycle);
  w.pair("delta", info.delta);
  w.pair("_id_", info.id);
  for (const key in controls) {
    if (SKIP.has(key) || key.charCodeAt(0) === 95 /* _ */) continue;
    const v = controls[key];
    if (typeof v === "number") {
      if (Number.isFinite(v)) w.pair(key, v);
    } else if (typeof v === "string") w.pair(key, v);
  }
}

/** The gain SuperDirt is sent (see the module's note), velocity folded in. */
export function dirtGain(controls: Record<string, unknown>, curve: GainCurve): number {
  const gain = typeof controls.gain === "number" && Number.isFinite(controls.gain) ? Math.max(0, controls.gain) : 1;
  const velocity = typeof controls.velocity === "number" && Number.isFinite(controls.velocity) ? Math.max(0, controls.velocity) : 1;
  const g = gain * velocity;
  return curve === "strudel" ? Math.pow(g, 0.25) : g;
}
