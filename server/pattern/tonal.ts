/**
 * Harmony: scales (degrees to notes), transposition by semitones, intervals
 * or scale steps and chord roots (voicings are in voicings.ts). Scale and chord
 * dictionaries come from tonal (@tonaljs/tonal), so the same names work as
 * in Strudel: "C:minor", "Eb4:major:pentatonic", "D:dorian", "Am7", "C^7".
 * @module
 */
import { Chord, Interval, Note, ScaleType } from "@tonaljs/tonal";
import { Hap } from "./hap.ts";
import { type Any, Pattern } from "./pattern.ts";
import { register } from "./register.ts";
import { isControlObject } from "./controls.ts";
import { DEFAULT_OCTAVE } from "./note.ts";

interface ScaleInfo {
  tonic: string; // with octave, e.g. "C3"
  intervals: string[];
}

const scaleCache = new Map<string, ScaleInfo>();

/** Reads "C:minor", "C4:minor:pentatonic" or "C minor" into a tonic with octave and intervals. */
export function parseScale(name: string): ScaleInfo {
  let info = scaleCache.get(name);
  if (info) return info;
  const parts = String(name).split(/[: ]+/).filter(Boolean);
  const tonicName = parts.shift() ?? "";
  const tonic = Note.get(tonicName);
  if (tonic.empty) throw new Error(`scale "${name}": "${tonicName}" is not a tonic (expected a note name such as C, Eb or F#4)`);
  const type = parts.join(" ") || "major";
  const st = ScaleType.get(type);
  if (st.empty) throw new Error(`scale "${name}": unknown scale type "${type}" (expected e.g. major, minor, dorian, minor:pentatonic)`);
  const withOctave = tonic.oct === undefined ? `${tonic.pc}${DEFAULT_OCTAVE}` : tonic.name;
  info = { tonic: withOctave, intervals: st.intervals };
  scaleCache.set(name, info);
  return info;
}

/** The note name of scale degree `degree` (a fraction rounds up, as in Strudel; negative and large degrees wrap by octaves). */
export function scaleDegreeToNote(scale: ScaleInfo, degree: number): string {
  const d = Math.ceil(degree) + 0; // + 0: -0 is 0
  const len = scale.intervals.length;
  const octave = Math.floor(d / len);
  const idx = d - octave * len;
  let note = Note.transpose(scale.tonic, scale.intervals[idx]!);
  if (octave !== 0) note = Note.transpose(note, Interval.fromSemitones(12 * octave));
  return note;
}

function withNote(v: unknown, f: (x: unknown) => unknown): unknown {
  if (isControlObject(v)) {
    if ("note" in v) return { ...v, note: f(v.note) };
    if ("n" in v) {
      const { n, ...rest } = v;
      return { ...rest, note: f(n) };
    }
    return v;
  }
  return f(v);
}

function mapHaps(pat: Pattern<Any>, f: (h: Hap<Any>) => Hap<Any>): Pattern<Any> {
  return new Pattern<Any>((state, out) => {
    const start = out.length;
    pat.run(state, out);
    for (let i = start; i < out.length; i++) out[i] = f(out[i]!);
  }).withSteps(pat._steps);
}

/**
 * Turns scale degrees (`n` or plain numbers) into note names of a scale: "C:minor", "D4:dorian", "C:minor:pentatonic".
 * @example
 * n("0 2 4 6").scale("C:minor")
 * @example
 * n("0 2 4").scale("<C:major D:dorian>")
 */
export const scale = register("scale", (scaleName: unknown, pat: Pattern<Any>) => {
  // "C:minor" in mini-notation is the list ["C", "minor"].
  const name = Array.isArray(scaleName) ? scaleName.join(":") : String(scaleName);
  const info = parseScale(name);
  return mapHaps(pat, (h) => {
    const value = withNote(h.value, (x) => {
      if (typeof x === "number") return scaleDegreeToNote(info, x);
      if (typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x))) return scaleDegreeToNote(info, Number(x));
      if (typeof x === "string") {
        // "7b", "-4#", "2##": a degree raised or lowered by semitones (transposed by the interval, as Strudel does).
        const m = /^(-?\d+(?:\.\d+)?)(#+|b+)$/.exec(x.trim());
        if (m) {
          const semitones = m[2]![0] === "#" ? m[2]!.length : -m[2]!.length;
          return Note.transpose(scaleDegreeToNote(info, Number(m[1])), Interval.fromSemitones(semitones));
        }        // A note name moves up to the nearest note of the scale, spelled the scale's way (as Strudel 1.2.6 does: C1 in Cb major is Db1).
        const midi = NOTE_NAME.test(x) ? Note.midi(x) : null;
        if (midi !== null && midi !== undefined) return snapUp(info, midi);
      }
      return x;
    });
    return new Hap(h.whole, h.part, value, { ...h.context, scale: name });
  });
});

const NOTE_NAME = /^[A-Ga-g][#bs]*-?\d+$/;

/** The lowest note of the scale at or above `midi`. */
function snapUp(info: ScaleInfo, midi: number): string {
  const len = info.intervals.length;
  const from = Math.floor((midi - Note.midi(info.tonic)!) / 12) * len - len;
  for (let d = from; d <= from + 3 * len; d++) {
    const name = scaleDegreeToNote(info, d);
    if (Note.midi(name)! >= midi) return name;
  }
  return Note.fromMidi(midi);
}

function transposeName(name: string, by: unknown): string {
  const interval = typeof by === "number" ? Interval.fromSemitones(by) : String(by);
  const normal = Note.get(name);
  if (normal.empty) return name;
  return Note.transpose(normal.name, interval);
}

/**
 * Transposes notes by semitones (a number) or an interval ("3M", "-2m"); note names stay names, numbers stay numbers.
 * @example
 * note("c3 e3 g3").transpose("<0 3 5>")
 */
export const transpose = register(["transpose", "trans"], (by: unknown, pat: Pattern<Any>) =>
  pat.fmap((v: unknown) =>
    withNote(v, (x) => {
      if (typeof x === "number") return x + (typeof by === "number" ? by : Interval.semitones(String(by)) ?? 0);
      if (typeof x === "string") return transposeName(x, by);
      return x;
    }),
  ),
);

/**
 * Moves notes by steps of the scale set by `scale` earlier in the chain.
 * @example
 * n("0 2 4").scale("C:major").scaleTranspose("<0 1 2>")
 */
export const scaleTranspose = register(["scaleTranspose", "scaleTrans", "strans"], (steps: unknown, pat: Pattern<Any>) =>
  mapHaps(pat, (h) => {
    const name = h.context.scale as string | undefined;
    if (!name) throw new Error("scaleTranspose needs a scale: use .scale(\"C:major\") before it");
    const info = parseScale(name);
    const value = withNote(h.value, (x) => {
      const midi = typeof x === "number" ? x : Note.midi(String(x));
      if (midi === null || midi === undefined) return x;
      const degree = degreeOf(info, midi);
      return degree === undefined ? x : scaleDegreeToNote(info, degree + Number(steps));
    });
    return new Hap(h.whole, h.part, value, h.context);
  }),
);

function degreeOf(info: ScaleInfo, midi: number): number | undefined {
  const len = info.intervals.length;
  const tonicMidi = Note.midi(info.tonic)!;
  const octave = Math.floor((midi - tonicMidi) / 12);
  for (let d = octave * len - len; d <= octave * len + 2 * len; d++) {
    if (Note.midi(scaleDegreeToNote(info, d)) === midi) return d;
  }
  return undefined;
}

const ROOT = /^([A-Ga-g][#b]*)/;

/**
 * The root note of each chord symbol (`chord` control or a plain string), in the given octave.
 * @example
 * chord("<C Am F G>").rootNotes(2)
 */
export const rootNotes = register("rootNotes", (octave: unknown, pat: Pattern<Any>) =>
  pat.fmap((v: unknown) => {
    const symbol = isControlObject(v) ? v.chord : v;
    const m = ROOT.exec(String(symbol));
    if (!m) return v;
    const note = `${m[1]![0]!.toUpperCase()}${m[1]!.slice(1)}${Number(octave)}`;
    if (isControlObject(v)) {
      const { chord: _c, ...rest } = v;
      return { ...rest, note };
    }
    return note; // a plain chord symbol gives a plain note name, as in Strudel ("<C^7 A7>".rootNotes(2).note())
  }),
);


