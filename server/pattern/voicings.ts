/**
 * Chord voicings. A voicing dictionary maps chord symbols ("", "m", "^7",
 * "m7", "7", …) to voicings: lists of intervals above the root, as interval
 * names ("3M 7m 9M") or semitones ("4 7 12"). Every voicing at every octave
 * of the root is a candidate; candidates are ordered by their lowest note.
 *
 * `voicing()` places the chord by its `anchor` (default c5) and `mode`:
 * "below" takes the highest candidate whose top note is at or below the
 * anchor, "duck" the same without the anchor's own note (for harmonising a
 * melody), "above" the highest candidate whose bottom note is at or below the
 * anchor (so the chord sits on it), "root" the "below" voicing over the root
 * in octave 2. `offset` moves to the neighbouring candidates. With `n`, the
 * voicing is played like a scale, as MIDI numbers.
 *
 * These rules were found by running Strudel 1.2.6 with a user dictionary;
 * its default dictionaries are its own data, so ours are written here from
 * harmony textbooks: "default" (every inversion of the chord in close
 * position, from tonal's chord tones), "triads", "guidetones" (3rd and 7th)
 * and "lefthand" (the rootless A and B voicings of jazz piano). A chord gives
 * the same tones as in Strudel, spaced our way.
 * @module
 */
import { Chord, Interval, Note } from "@tonaljs/tonal";
import { Hap } from "./hap.ts";
import { type Any, Pattern } from "./pattern.ts";
import { register } from "./register.ts";
import { isControlObject } from "./controls.ts";

/** One dictionary: symbol → voicings (interval lists), and the range `voicings()` keeps to. */
type Dictionary = { chords: Map<string, string[][]>; range: [number, number] };

const DICTIONARIES = new Map<string, Dictionary>();
/** The left hand's range, F3 to A4: the default range the chord-voicings package documents (its README). */
const DEFAULT_RANGE: [number, number] = [Note.midi("F3")!, Note.midi("A4")!];

/** Reads "7 12 16" or "3M 7m 9M" into a list of intervals. */
function parseVoicing(v: unknown): string[] {
  const items = Array.isArray(v) ? v.map(String) : String(v).trim().split(/\s+/);
  for (const it of items) {
    if (!/^-?\d+$/.test(it) && Interval.get(it).empty) throw new Error(`voicing "${String(v)}": "${it}" is neither semitones nor an interval (such as 3M, 7m, 12P)`);
  }
  return items;
}

function midiOf(note: unknown, what: string): number {
  if (typeof note === "number") return note;
  const m = Note.midi(String(note));
  if (m === null || m === undefined) throw new Error(`${what}: "${String(note)}" is not a note (expected e.g. c4 or a MIDI number)`);
  return m;
}

/**
 * Adds a voicing dictionary: `name`, `{ symbol: [voicing, …] }` and optionally the range `[low, high]` for `voicings()`.
 * @example
 * (addVoicings('house', { '': ['7 12 16', '0 7 16', '4 7 12'], m: ['0 3 7'] }), chord("<Am C D F>").dict('house').anchor(66).voicing())
 */
export function addVoicings(name: string, dictionary: Record<string, readonly unknown[]>, range?: readonly unknown[]): void {
  const chords = new Map<string, string[][]>();
  for (const [symbol, voicings] of Object.entries(dictionary)) chords.set(symbol, (voicings ?? []).map(parseVoicing));
  const r: [number, number] = range && range.length >= 2 ? [midiOf(range[0], "addVoicings range"), midiOf(range[1], "addVoicings range")] : [...DEFAULT_RANGE];
  DICTIONARIES.set(String(name), { chords, range: r });
}

/**
 * Sets the range of notes `voicings()` keeps to for a dictionary.
 * @example
 * (addVoicings('mine', { m7: ['3m 7m 9M', '7m 10m 12P'] }), setVoicingRange('mine', ['C3', 'C5']), "<Dm7 Em7>".voicings('mine').note())
 */
export function setVoicingRange(name: string, range: readonly unknown[]): void {
  const d = DICTIONARIES.get(String(name));
  if (!d) throw new Error(`setVoicingRange: no voicing dictionary "${String(name)}" (add it with addVoicings)`);
  d.range = [midiOf(range[0], "setVoicingRange"), midiOf(range[1], "setVoicingRange")];
}

const ROOT = /^([A-Ga-g][#b]*)(.*)$/;

/** A chord symbol's root (capitalised) and the rest ("" for major). */
function splitSymbol(symbol: string): { root: string; type: string } {
  const m = ROOT.exec(symbol.trim());
  if (!m) throw new Error(`voicing: "${symbol}" is not a chord symbol (expected e.g. C, Am7, F^7, G7)`);
  return { root: m[1]![0]!.toUpperCase() + m[1]!.slice(1), type: m[2]! };
}

/** Every inversion of the chord's tones in close position (the default dictionary, from tonal's chords). */
function inversions(root: string, type: string): string[][] {
  const ch = Chord.get(root + (type === "" ? "M" : type)) as unknown as { empty: boolean; intervals: string[] };
  if (ch.empty) throw new Error(`voicing: unknown chord "${root}${type}"`);
  const semis = [...new Set(ch.intervals.map((iv) => ((Interval.semitones(iv) ?? 0) % 12 + 12) % 12))].sort((a, b) => a - b);
  return semis.map((_, k) => {
    const rotated = [...semis.slice(k), ...semis.slice(0, k).map((s) => s + 12)];
    return rotated.map(String);
  });
}

/** The voicings of a symbol in a dictionary (the default dictionary for any chord tonal knows). */
function voicingsOf(dict: string | undefined, root: string, type: string): string[][] {
  if (dict === undefined || dict === "default" || dict === "legacy") return inversions(root, type);
  const d = DICTIONARIES.get(dict);
  if (!d) throw new Error(`voicing: no voicing dictionary "${dict}" (add it with addVoicings, or use lefthand, triads, guidetones)`);
  const vs = d.chords.get(type) ?? (type === "M" ? d.chords.get("") : type === "" ? d.chords.get("M") : undefined);
  if (!vs || vs.length === 0) throw new Error(`voicing: chord "${root}${type}" is not in the dictionary "${dict}"`);
  return vs;
}

type Candidate = { notes: string[]; midis: number[] };

/** A voicing on a root note: interval names keep their spelling (C#), semitones are spelled with flats, as MIDI notes are. */
function place(rootNote: string, voicing: string[]): Candidate {
  const rootMidi = Note.midi(rootNote)!;
  const notes = voicing.map((iv) => (/^-?\d+$/.test(iv) ? Note.fromMidi(rootMidi + Number(iv)) : Note.transpose(rootNote, iv)));
  return { notes, midis: notes.map((n) => Note.midi(n)!) };
}

/** Every voicing at every octave of the root, lowest note first (the dictionary's order among equals). */
function candidates(dict: string | undefined, symbol: string): Candidate[] {
  const { root, type } = splitSymbol(symbol);
  const out: Candidate[] = [];
  for (const v of voicingsOf(dict, root, type)) for (let o = 0; o <= 8; o++) out.push(place(`${root}${o}`, v));
  return out.sort((a, b) => Math.min(...a.midis) - Math.min(...b.midis));
}

/** The notes of `symbol` placed by anchor and mode, moved by `offset` candidates. */
export function voiceChord(symbol: string, opts: { dict?: string; anchor?: unknown; mode?: string; offset?: number } = {}): Candidate {
  const cands = candidates(opts.dict, symbol);
  const anchor = midiOf(opts.anchor ?? "c5", "anchor");
  const mode = opts.mode ?? "below";
  const top = (c: Candidate) => Math.max(...c.midis);
  const bottom = (c: Candidate) => Math.min(...c.midis);
  let at = -1;
  for (let i = 0; i < cands.length; i++) {
    const ok = mode === "above" ? bottom(cands[i]!) <= anchor : top(cands[i]!) <= anchor;
    if (ok) at = i;
  }
  if (!["below", "above", "duck", "root"].includes(mode)) throw new Error(`voicing: unknown mode "${mode}" (expected below, above, duck or root)`);
  const k = Math.min(cands.length - 1, Math.max(0, Math.max(at, 0) + Math.trunc(opts.offset ?? 0)));
  let chosen = cands[k]!;
  if (mode === "duck") {
    const keep = chosen.midis.map((m) => m !== anchor);
    chosen = { notes: chosen.notes.filter((_, i) => keep[i]), midis: chosen.midis.filter((_, i) => keep[i]) };
  } else if (mode === "root") {
    const rootNote = `${splitSymbol(symbol).root}2`;
    chosen = { notes: [rootNote, ...chosen.notes], midis: [Note.midi(rootNote)!, ...chosen.midis] };
  }
  return chosen;
}

const VOICING_KEYS = ["chord", "dictionary", "anchor", "mode", "offset"] as const;

/**
 * Turns chord symbols (the `chord` control, or plain strings) into notes played together: see the module's
 * rules for `dict`, `anchor`, `mode` and `offset`. With `n`, the voicing is played like a scale (MIDI numbers;
 * past either end, octaves continue).
 * @example
 * chord("<C Am F G>").voicing()
 * @example
 * n("0 1 2 3 4 5").chord("<Cm7 F7>").voicing()
 */
export const voicing = register(
  "voicing",
  (pat: Pattern<Any>) =>
    new Pattern<Any>((state, out) => {
      for (const h of pat.query(state)) {
        const v = h.value;
        const c: Record<string, unknown> = isControlObject(v) ? v : { chord: v };
        const rest: Record<string, unknown> = { ...c };
        for (const key of VOICING_KEYS) delete rest[key];
        const chosen = voiceChord(String(c.chord), {
          dict: c.dictionary === undefined ? undefined : String(c.dictionary),
          anchor: c.anchor,
          mode: c.mode === undefined ? undefined : String(c.mode),
          offset: c.offset === undefined ? undefined : Number(c.offset),
        });
        if (rest.n === undefined) {
          for (const note of chosen.notes) out.push(new Hap(h.whole, h.part, { ...rest, note }, h.context));
          continue;
        }
        const index = Math.floor(Number(rest.n));
        delete rest.n;
        const len = chosen.midis.length;
        const octave = Math.floor(index / len);
        out.push(new Hap(h.whole, h.part, { ...rest, note: chosen.midis[index - octave * len]! + 12 * octave }, h.context));
      }
    }).withSteps(pat._steps),
  { args: [] },
);

/** Distance between two voicings: their notes in order, pairwise (a missing voice counts an octave). */
function distance(a: readonly number[], b: readonly number[]): number {
  let d = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) d += i < a.length && i < b.length ? Math.abs(a[i]! - b[i]!) : 12;
  return d;
}

/**
 * Voices chord symbols from a named dictionary with the smoothest voice
 * leading: each chord takes the voicing within the dictionary's range that
 * moves least from the previous one (the first, the lowest in range). Plain
 * note names come out, for `.note()`. Strudel calls it deprecated in favour of `voicing`.
 * @example
 * stack("<C^7 A7 Dm7 G7>".voicings('lefthand'), "<C3 A2 D3 G2>").note()
 */
export const voicings = register(
  "voicings",
  (dict: unknown, pat: Pattern<Any>) => {
    const name = String(dict);
    let last: number[] | undefined;
    return new Pattern<Any>((state, out) => {
      const d = DICTIONARIES.get(name);
      if (!d) throw new Error(`voicings: no voicing dictionary "${name}" (add it with addVoicings, or use lefthand, triads, guidetones)`);
      const haps = pat.query(state).sort((a, b) => a.wholeOrPart().begin.compare(b.wholeOrPart().begin));
      for (const h of haps) {
        const symbol = String(isControlObject(h.value) ? h.value.chord : h.value);
        const inRange = candidates(name, symbol).filter((c) => Math.min(...c.midis) >= d.range[0] && Math.max(...c.midis) <= d.range[1]);
        if (inRange.length === 0) throw new Error(`voicings: no voicing of "${symbol}" fits the range of "${name}"`);
        let best = inRange[0]!;
        const sorted = (c: Candidate) => [...c.midis].sort((x, y) => x - y);
        if (last) {
          let bestD = Infinity;
          for (const c of inRange) {
            const dd = distance(sorted(c), last);
            if (dd < bestD) [best, bestD] = [c, dd];
          }
        }
        if (h.hasOnset()) last = sorted(best);
        for (const note of best.notes) out.push(new Hap(h.whole, h.part, note, h.context));
      }
    });
  },
  { args: ["raw"] },
);

// Our own dictionaries, from harmony textbooks (intervals above the root).
addVoicings("triads", {
  "": ["1P 3M 5P", "3M 5P 8P", "5P 8P 10M"],
  M: ["1P 3M 5P", "3M 5P 8P", "5P 8P 10M"],
  m: ["1P 3m 5P", "3m 5P 8P", "5P 8P 10m"],
  o: ["1P 3m 5d", "3m 5d 8P", "5d 8P 10m"],
  dim: ["1P 3m 5d", "3m 5d 8P", "5d 8P 10m"],
  aug: ["1P 3M 5A", "3M 5A 8P", "5A 8P 10M"],
  "+": ["1P 3M 5A", "3M 5A 8P", "5A 8P 10M"],
});
addVoicings("guidetones", {
  "^7": ["3M 7M", "7M 10M"],
  M7: ["3M 7M", "7M 10M"],
  m7: ["3m 7m", "7m 10m"],
  "7": ["3M 7m", "7m 10M"],
  m7b5: ["3m 7m", "7m 10m"],
  "h7": ["3m 7m", "7m 10m"],
  o7: ["3m 6M", "6M 10m"],
  "m^7": ["3m 7M", "7M 10m"],
  "6": ["3M 6M", "6M 10M"],
  m6: ["3m 6M", "6M 10m"],
});
// Rootless left-hand voicings: A form 3-5-7-9, B form 7-9-3-5 (dominants 3-13-7-9 and 7-9-3-13).
addVoicings("lefthand", {
  "^7": ["3M 5P 7M 9M", "7M 9M 10M 12P"],
  M7: ["3M 5P 7M 9M", "7M 9M 10M 12P"],
  "6": ["3M 5P 6M 9M", "6M 9M 10M 12P"],
  m7: ["3m 5P 7m 9M", "7m 9M 10m 12P"],
  m6: ["3m 5P 6M 9M", "6M 9M 10m 12P"],
  "7": ["3M 6M 7m 9M", "7m 9M 10M 13M"],
  "9": ["3M 6M 7m 9M", "7m 9M 10M 13M"],
  "13": ["3M 6M 7m 9M", "7m 9M 10M 13M"],
  m7b5: ["3m 5d 7m 8P", "7m 8P 10m 12d"],
  h7: ["3m 5d 7m 8P", "7m 8P 10m 12d"],
  o7: ["3m 5d 6M 8P", "6M 8P 10m 12d"],
  "7alt": ["3M 6m 7m 9A", "7m 9m 10M 13m"],
});
