/**
 * Controls: the named parameters of a sound event. `s("bd")` makes a pattern
 * of `{ s: "bd" }`; `.lpf(800)` adds `{ cutoff: 800 }` to every event. Each
 * control has a canonical key (what the engine reads) and Strudel's aliases
 * (`lpf`, `ctf` and `lp` all write `cutoff`). A mini-notation list fills
 * several keys at once where Strudel does: `s("bd:3:0.5")` is
 * `{ s: "bd", n: 3, gain: 0.5 }`.
 * @module
 */
import { type Any, Pattern, type PatternLike, mapSplitAtCycles, pure, reify } from "./pattern.ts";
import { OPERATORS, register } from "./register.ts";
import { MORE_ALIASES, MORE_CONTROLS } from "./controls-more.ts";

/** One control: its names (canonical key first), the keys a list fills, and what it does. */
export interface ControlSpec {
  names: readonly string[];
  /** Keys filled by a list value `a:b:c`, in order (the first is the canonical key). */
  listKeys?: readonly string[];
  doc: string;
  /** A value for the generated example. */
  example: string;
  /** The value is a whole list (partials, phases): an array is one value, not a sequence, and lists stay lists. */
  wholeList?: boolean;
}

const c = (names: string | string[], doc: string, example: string, listKeys?: string[]): ControlSpec => ({
  names: typeof names === "string" ? [names] : names,
  listKeys,
  doc,
  example,
});

const BASE_CONTROLS: readonly ControlSpec[] = [
  c(["s", "sound"], "The sound: a sample bank entry or a synth name. `bd:3` also sets n (and a third part gain).", '"bd:3 sd"', ["s", "n", "gain"]),
  c("n", "The sample number within the sound's folder, or a scale degree for `scale`.", '"0 1 2"'),
  c("note", "The pitch: a note name (\"c3\", \"eb4\") or a MIDI number.", '"c3 e3 g3"', ["note", "n"]),
  c("freq", "The pitch as a frequency in Hz.", '"220 330"'),
  c("gain", "Loudness, multiplying the signal (1 is unchanged; exponential in Strudel's sampler).", '"1 0.5"'),
  c("velocity", "Loudness from 0 to 1, multiplied with gain.", '"1 0.6"'),
  c("postgain", "Gain after the effects.", '"0.8"'),
  c("amp", "Amplitude (SuperDirt's linear gain).", '"0.5"'),
  c("pan", "Stereo position from 0 (left) to 1 (right).", '"0 1"'),
  c("speed", "Playback speed of samples: 2 is an octave up, negative plays backwards.", '"1 2 -1"'),
  c("accelerate", "Pitch glide during the sample, in octaves over its length.", '"0 1"'),
  c("unit", "How speed is read: \"c\" makes speed cycles per sample (used by loopAt).", '"c"'),
  c("begin", "Where in the sample to start, from 0 to 1.", '"0 0.5"'),
  c("end", "Where in the sample to stop, from 0 to 1.", '"1 0.5"'),
  c("loop", "Loops the sample this many times.", '"1"'),
  c("cut", "Cut group: a new event stops earlier ones of the same group.", '"1"'),
  c(["clip", "legato"], "Multiplies the event's duration: the sound stops after clip × its duration.", '"0.5 1"'),
  c(["duration", "dur"], "Event duration in seconds, overriding the pattern's.", '"0.25"'),
  c(["attack", "att"], "Envelope attack time in seconds.", '"0.01 0.1"'),
  c(["decay", "dec"], "Envelope decay time in seconds.", '"0.1"'),
  c(["sustain", "sus"], "Envelope sustain level from 0 to 1.", '"0.5"'),
  c(["release", "rel"], "Envelope release time in seconds.", '"0.2"'),
  c("hold", "Envelope hold time in seconds.", '"0.1"'),
  c(["cutoff", "lpf", "ctf", "lp"], "Low-pass filter cutoff in Hz. `lpf(\"800:8\")` also sets resonance (and lpenv).", '"800 2000"', ["cutoff", "resonance", "lpenv"]),
  c(["resonance", "lpq"], "Low-pass filter resonance (Q).", '"5"'),
  c(["hcutoff", "hpf", "hp"], "High-pass filter cutoff in Hz. A list also sets hresonance (and hpenv).", '"200 1000"', ["hcutoff", "hresonance", "hpenv"]),
  c(["hresonance", "hpq"], "High-pass filter resonance (Q).", '"5"'),
  c(["bandf", "bpf", "bp"], "Band-pass filter centre in Hz. A list also sets bandq (and bpenv).", '"1000"', ["bandf", "bandq", "bpenv"]),
  c(["bandq", "bpq"], "Band-pass filter Q.", '"2"'),
  c("lpenv", "Low-pass filter envelope depth.", '"4"'),
  c("lpattack", "Low-pass filter envelope attack in seconds.", '"0.1"'),
  c("lpdecay", "Low-pass filter envelope decay in seconds.", '"0.2"'),
  c("lpsustain", "Low-pass filter envelope sustain level.", '"0.5"'),
  c("lprelease", "Low-pass filter envelope release in seconds.", '"0.3"'),
  c("hpenv", "High-pass filter envelope depth.", '"4"'),
  c("vowel", "Formant filter: a vowel (a e i o u).", '"a e i"'),
  c("coarse", "Sample-rate reduction: keep every n-th sample.", '"1 8"'),
  c("crush", "Bit crushing: bits of resolution (1 is harsh, 16 clean).", '"4 8"'),
  c("shape", "Wave-shaping distortion amount from 0 to 1. A list also sets shapevol.", '"0 0.5"', ["shape", "shapevol"]),
  c("distort", "Distortion amount. A list also sets distortvol and distorttype.", '"0.5"', ["distort", "distortvol", "distorttype"]),
  c("squiz", "Pitch-raising distortion (SuperDirt's squiz).", '"2"'),
  c("delay", "Delay send level from 0 to 1. `delay(\"0.5:0.25:0.6\")` also sets delaytime and delayfeedback.", '"0 0.5"', ["delay", "delaytime", "delayfeedback"]),
  c(["delaytime", "delayt", "dt"], "Delay time in seconds (Strudel) or cycles (SuperDirt).", '"0.25 0.125"'),
  c(["delayfeedback", "delayfb", "dfb"], "Delay feedback from 0 to 1.", '"0.5"'),
  c("room", "Reverb send level from 0 to 1. A list also sets size.", '"0 0.5"', ["room", "size"]),
  c(["roomsize", "size", "sz", "rsize"], "Reverb room size.", '"1 4"'),
  c("roomfade", "Reverb fade time in seconds.", '"2"'),
  c("roomlp", "Reverb low-pass cutoff in Hz.", '"5000"'),
  c("roomdim", "Reverb damping cutoff in Hz.", '"2000"'),
  c("dry", "Dry level, with reverb.", '"0.5"'),
  c("orbit", "The effect bus (orbit) the event plays through.", '"0 1"'),
  c("bank", "The sample bank (drum machine) to prefix the sound with.", '"RolandTR909"'),
  c("channel", "Output channel.", '"0 1"'),
  c("nudge", "Shifts the event in time by seconds.", '"0 0.01"'),
  c("octave", "Octave of synth notes (SuperDirt).", '"3 4"'),
  c("detune", "Detune of synth voices.", '"0.1"'),
  c("voice", "Synth voice parameter (SuperDirt).", '"0.5"'),
  c("unison", "Number of unison voices.", '"3"'),
  c(["phaserrate", "phaser", "ph"], "Phaser rate in Hz. A list also sets depth, centre and sweep.", '"2"', ["phaserrate", "phaserdepth", "phasercenter", "phasersweep"]),
  c(["phaserdepth", "phd"], "Phaser depth.", '"0.5"'),
  c("tremolo", "Tremolo rate. A list also sets depth, skew and phase.", '"4"', ["tremolo", "tremolodepth", "tremoloskew", "tremolophase"]),
  c(["vib", "vibrato", "v"], "Vibrato rate in Hz. A list also sets vibmod.", '"4"', ["vib", "vibmod"]),
  c(["vibmod", "vmod"], "Vibrato depth in semitones. A list also sets vib.", '"0.5"', ["vibmod", "vib"]),
  c(["fmi", "fm"], "FM synthesis modulation index. A list also sets fmh.", '"2"', ["fmi", "fmh"]),
  c("fmh", "FM synthesis harmonicity ratio. A list also sets fmi.", '"1.5"', ["fmh", "fmi"]),
  c("chord", "A chord symbol for `voicing` and `rootNotes` (\"C\", \"Am7\", \"F^7\").", '"<C Am F G>"'),
  c(["dictionary", "dict"], "The voicing dictionary for `voicing`.", '"ireal"'),
  c("mode", "Voicing mode for `voicing` (below, above, duck, root). A list also sets anchor.", '"below"', ["mode", "anchor"]),
  c("anchor", "The note voicings are placed around.", '"c5"'),
  c("offset", "Voicing offset: moves the voicing up or down by chord tones.", '"0 1"'),
  c("midichan", "MIDI channel.", '"1"'),
  c("ccn", "MIDI control change number.", '"74"'),
  c("ccv", "MIDI control change value.", '"64"'),
  c(["color", "colour"], "Colour for visualisation. A list also sets colour.", '"red"', ["color", "colour"]),
  c("compressor", "Compressor threshold. A list also sets ratio, knee, attack and release.", '"-20"', ["compressor", "compressorRatio", "compressorKnee", "compressorAttack", "compressorRelease"]),
  c(["ir", "iresponse"], "Impulse response sample for the reverb. A list also sets its index i.", '"hall"', ["ir", "i"]),
  c("cps", "Tempo in cycles per second, set from a pattern.", '"0.5"'),
  c("lock", "Locks delay time to the tempo.", '"1"'),
];

/** Every control, with its aliases. The engine reads the canonical keys. */
export const CONTROLS: readonly ControlSpec[] = [
  ...BASE_CONTROLS.map((spec) => {
    const more = MORE_ALIASES[spec.names[0]!];
    return more ? { ...spec, names: [...spec.names, ...more] } : spec;
  }),
  ...MORE_CONTROLS,
];

/** The canonical key of a control name or alias (undefined for unknown names). */
export const CONTROL_KEY = new Map<string, string>();
/** Controls by any of their names. */
export const CONTROL_BY_NAME = new Map<string, ControlSpec>();
for (const spec of CONTROLS) {
  for (const name of spec.names) {
    CONTROL_KEY.set(name, spec.names[0]!);
    CONTROL_BY_NAME.set(name, spec);
  }
}

/** True for plain objects (control values), false for numbers, strings, arrays. */
export function isControlObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The object a control writes for one value (lists fill several keys). */
function controlValue(spec: ControlSpec, v: unknown): Record<string, unknown> {
  if (isControlObject(v)) return v;
  if (spec.wholeList) return { [spec.names[0]!]: v };
  if (Array.isArray(v) && spec.listKeys) {
    const o: Record<string, unknown> = {};
    const n = Math.min(v.length, spec.listKeys.length);
    for (let i = 0; i < n; i++) o[spec.listKeys[i]!] = v[i];
    return o;
  }
  return { [spec.names[0]!]: v };
}

/** `{ ...a, ...b }`, with a non-object `a` kept under `value` (Strudel's union of a plain value with controls). */
export function unionControls(a: unknown, b: Record<string, unknown>): Record<string, unknown> {
  if (isControlObject(a)) return { ...a, ...b };
  return { value: a, ...b };
}

/** Builds the pattern of a control from a value pattern. */
export function controlPattern(spec: ControlSpec, value: PatternLike): Pattern<Any> {
  const pat = reify(value);
  return pat.fmap((v: unknown) => controlValue(spec, v));
}

/** Sets a control on every event of `pat` (structure from `pat`, Strudel's `set.in`). */
export function setControl(spec: ControlSpec, pat: Pattern<Any>, value: PatternLike): Pattern<Any> {
  const arg = reify(value);
  if (arg._pure) {
    const obj = controlValue(spec, arg._pure.value);
    return mapSplitAtCycles(pat, (v: unknown) => unionControls(v, obj));
  }
  return pat.appLeft(arg, (v: unknown, x: unknown) => unionControls(v, controlValue(spec, x)));
}

/** The top-level function of each control, by every name: `s("bd")`, `lpf(800)`. */
export const controls: Record<string, (value: PatternLike, ...more: PatternLike[]) => Pattern<Any>> = {};

/**
 * A whole-list control's array argument is one value (`partials([1, 0, 1])`), not a sequence; entries that
 * are patterns or mini-notation (`partials([1, "<0 1>"])`) are patterned in place, as Strudel does: a
 * pattern of lists (each entry's value where it is, split where one changes).
 */
function listArg(spec: ControlSpec, value: PatternLike): PatternLike {
  if (!spec.wholeList || !Array.isArray(value)) return value;
  if (!value.some((x) => typeof x === "string" || x instanceof Pattern)) return pure(value);
  let list: Pattern<unknown[]> = pure<unknown[]>([]);
  for (const entry of value) list = list.appLeft(reify(entry as PatternLike), (xs: unknown[], x: unknown) => [...xs, x]);
  return list;
}

for (const spec of CONTROLS) {
  const fn = (value: PatternLike, ...more: PatternLike[]) =>
    controlPattern(spec, more.length > 0 ? ([value, ...more] as PatternLike[]) : listArg(spec, value));
  const method = function (this: Pattern<Any>, ...args: PatternLike[]): Pattern<Any> {
    // `"c3 e3".note()`: no argument wraps the pattern's own values, objects included (`s("sd").delay()` is `{ delay: { s: "sd" } }` in Strudel).
    if (args.length === 0) return this.fmap((v: unknown) => (isControlObject(v) ? { [spec.names[0]!]: v } : controlValue(spec, v)));
    const [value, ...more] = args as [PatternLike, ...PatternLike[]];
    return setControl(spec, this, more.length > 0 ? ([value, ...more] as PatternLike[]) : listArg(spec, value));
  };
  for (const name of spec.names) {
    controls[name] = fn;
    (Pattern.prototype as Any)[name] = method;
    OPERATORS.set(name, { args: ["p"], aliasOf: name === spec.names[0] ? undefined : spec.names[0] });
  }
}

// Named exports of the most used controls (all of them are in `controls`).

/**
 * The sound: a sample name or synth (`sound` is an alias). `"bd:3"` also sets `n`.
 * @example
 * s("bd*2 [~ bd] sd hh")
 */
export const s = controls.s!;
/**
 * Alias of {@link s}.
 * @example
 * sound("bd sd")
 */
export const sound = controls.sound!;
/**
 * The sample number, or the scale degree for `scale`.
 * @example
 * s("hh*4").n("0 1 2 3")
 */
export const n = controls.n!;
/**
 * The pitch, as a note name or MIDI number.
 * @example
 * note("c3 e3 g3 b3")
 */
export const note = controls.note!;
/**
 * Loudness (1 is unchanged).
 * @example
 * s("hh*8").gain("1 0.5")
 */
export const gain = controls.gain!;
/**
 * Stereo position from 0 (left) to 1 (right).
 * @example
 * s("bd sd").pan("0 1")
 */
export const pan = controls.pan!;
/**
 * A chord symbol for `voicing` and `rootNotes`.
 * @example
 * chord("<C Am F G>").voicing()
 */
export const chord = controls.chord!;

/**
 * Names the parts of each value as controls: `"c:.5 a:1".as("note:clip")` sets note and clip (aliases give their canonical keys).
 * @example
 * "c:.5 a:1 f:.25 e:.8".as("note:clip")
 */
export const as = register(
  "as",
  (mapping: unknown, pat: Pattern<Any>) => {
    // A mini-notation mapping ("note:clip") arrives as the list it parses to; a plain one is split here.
    const names = (Array.isArray(mapping) ? mapping : String(mapping).split(":")).map((n) => CONTROL_KEY.get(String(n)) ?? String(n));
    return pat.fmap((v: unknown) => {
      const parts = Array.isArray(v) ? v : [v];
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.min(parts.length, names.length); i++) o[names[i]!] = parts[i];
      return o;
    });
  },
  { args: ["p"] },
);

/**
 * Sets the whole envelope at once: `adsr("a:d:s:r")` is attack, decay, sustain and release (a shorter list sets the first ones).
 * @example
 * note("[c3 bb2 f3 eb3]*2").sound("sawtooth").lpf(600).adsr(".1:.1:.5:.2")
 */
export const adsr = register("adsr", (v: unknown, pat: Pattern<Any>) => {
  const parts = Array.isArray(v) ? v : [v];
  const keys = ["attack", "decay", "sustain", "release"];
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.min(parts.length, keys.length); i++) o[keys[i]!] = parts[i];
  return mapSplitAtCycles(pat, (x: unknown) => unionControls(x, o));
});

/**
 * A MIDI SysEx message: `sysex([id, data])` sets sysexid and sysexdata (carried as values until MIDI output exists).
 * @example
 * note("c4").sysex(["0x77", "0x01:0x02:0x03:0x04"]).midichan(1).midi()
 */
export const sysex = register(
  "sysex",
  (msg: unknown, pat: Pattern<Any>) => {
    const [id, data] = msg as [PatternLike, PatternLike];
    return pat.sysexid(id).sysexdata(data);
  },
  { args: ["raw"] },
);

/** One of Strudel's distortion shorthands: `.diode(x)` is distort x with distorttype "diode" (a list also sets distortvol). */
function distortion(type: string) {
  return register(type, (v: unknown, pat: Pattern<Any>) => {
    const [amount, vol] = Array.isArray(v) ? v : [v];
    const o = { distort: amount, distorttype: type, distortvol: vol ?? 1 };
    return mapSplitAtCycles(pat, (x: unknown) => unionControls(x, o));
  });
}

/**
 * Soft-clipping distortion (Strudel's shorthand for distort with distorttype "soft"); `hard`, `cubic`, `diode`, `asym`, `fold`, `sinefold` and `chebyshev` name the other types.
 * @example
 * s("sawtooth").note("c2").soft(0.5)
 */
export const soft = distortion("soft");
/**
 * Hard-clipping distortion (see {@link soft}).
 * @example
 * s("sawtooth").note("c2").hard(0.5)
 */
export const hard = distortion("hard");
/**
 * Cubic distortion (see {@link soft}).
 * @example
 * s("sawtooth").note("c2").cubic(0.5)
 */
export const cubic = distortion("cubic");
/**
 * Diode distortion (see {@link soft}).
 * @example
 * s("sawtooth").note("c2").diode(0.3)
 */
export const diode = distortion("diode");
/**
 * Asymmetric distortion (see {@link soft}).
 * @example
 * s("sawtooth").note("c2").asym(0.5)
 */
export const asym = distortion("asym");
/**
 * Wave-folding distortion (see {@link soft}).
 * @example
 * s("sawtooth").note("c2").fold(0.5)
 */
export const fold = distortion("fold");
/**
 * Sine wave-folding distortion (see {@link soft}).
 * @example
 * s("sawtooth").note("c2").sinefold(0.5)
 */
export const sinefold = distortion("sinefold");
/**
 * Chebyshev polynomial distortion (see {@link soft}).
 * @example
 * s("sawtooth").note("c2").chebyshev(0.5)
 */
export const chebyshev = distortion("chebyshev");

/**
 * Tags the events (Strudel keeps tags for filtering in its editor); the values are unchanged.
 * @example
 * s("bd sd").tag("drums")
 */
export const tag = register(
  "tag",
  (name: unknown, pat: Pattern<Any>) => pat.withContext((ctx) => ({ ...ctx, tags: [...((ctx.tags as unknown[]) ?? []), name] })),
  { args: ["raw"] },
);
