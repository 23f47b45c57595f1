/**
 * EventBuffer: a reusable batch of event records in one ArrayBuffer, laid
 * out exactly as native/ostinato.h's ost_event, for one FFI call per batch
 * (`engine.push(buffer)`). Filling it allocates nothing per event: records
 * are written through typed views, note names, sound names and control
 * names are looked up in maps that only grow when a new name is first seen.
 *
 * Sounds: a name in the engine's sound table (oscillators, noise, supersaw,
 * pulse, the drum kit), or a sample from a {@link SampleResolver} (loaded
 * sample banks win over the built-in names, so a Dirt-Samples folder's
 * "bd" plays that folder's files). `bank` picks a sample bank
 * ("RolandTR909" + "bd" looks up "RolandTR909_bd"), or, when there is none,
 * the built-in kit with that character (808-like, 909-like, default).
 *
 * With `{ strudel: true }` (what the scheduler uses) two of Strudel's rules
 * apply on top of the engine's defaults:
 *  - envelopes: when some of attack/decay/sustain/release are given, the
 *    missing ones take Strudel's values (sustain 1 if only attack, or only
 *    release, is given; 0 when a decay is given without it), and the same
 *    for the lowpass envelope (lpattack ... lprelease);
 *  - samples and drums are one-shots: they play to their end unless clip,
 *    legato, loop or release is given, which makes the event's end matter.
 *
 * @example
 * A note whose controls reach past the record's parameters (partials,
 * warp, the modulation envelope ...) takes two records: the NOTE and its
 * extension (OST_EVENT_EXT) right after it, which the engine takes
 * together. `length` counts records; there is always room for the
 * extension of the last note that fits (the buffer holds one record more
 * than its capacity).
 *
 * const buf = new EventBuffer(256);
 * buf.add({ s: "sawtooth", note: "c3", lpf: 800 }, startFrame, durFrames);
 * const taken = engine.push(buf); // how many the ring took
 * buf.drop(taken);                // keep the rest for the next try
 * @module
 */
import { midiToFreq, noteToMidi, isNoteName } from "../pattern/note.ts";
import { libraryTables, type Tables } from "./tables.ts";

/** Values of ost_event_kind in native/ostinato.h. */
export const EVENT_NOTE = 1;
export const EVENT_RELEASE = 2;
export const EVENT_CLEAR = 3;
/** OST_EVENT_FADE_FX: the orbits' delay and reverb tails fade out and are cleared (hush). */
export const EVENT_FADE_FX = 4;
/** OST_EVENT_EXT: the rest of the NOTE just before it (parameters past the record's capacity, partial lists). */
export const EVENT_EXT = 5;
/** OST_SLOT_ALL: every slot (release, clear). */
export const SLOT_ALL = 0xffffffff;
/** OST_DUR_FOREVER: no automatic note-off. */
export const DUR_FOREVER = 0xffffffff;
/** OST_SOUND_UNKNOWN: counted by the engine, plays nothing. */
const SOUND_UNKNOWN = -1;

/** Strudel's other names for our parameters (the canonical names come from the library). */
const ALIASES: Record<string, string> = {
  lpf: "cutoff", ctf: "cutoff", lp: "cutoff",
  lpq: "resonance", res: "resonance",
  hpf: "hcutoff", hp: "hcutoff",
  hpq: "hresonance",
  bpf: "bandf", bp: "bandf",
  bpq: "bandq",
  att: "attack", dec: "decay", sus: "sustain", rel: "release",
  lpe: "lpenv", lpa: "lpattack", lpd: "lpdecay", lps: "lpsustain", lpr: "lprelease",
  delayt: "delaytime", dt: "delaytime", delayfb: "delayfeedback", dfb: "delayfeedback",
  size: "roomsize", sz: "roomsize", rsize: "roomsize",
  phaser: "phaserrate", ph: "phaserrate", phd: "phaserdepth", phc: "phasercenter", phs: "phasersweep",
  vibrato: "vib", v: "vib", vmod: "vibmod", fm: "fmi",
  loopb: "loopBegin", loope: "loopEnd", post: "postgain", patt: "pattack", pdec: "pdecay",
};

/** Hap bookkeeping and controls the scheduler or the resolver read, not voice parameters. */
const BOOKKEEPING = ["duration", "dur", "cycle", "delta", "clip", "legato", "value", "_slices", "channel", "nudge", "color", "colour"];

/** Vowels, and Strudel's filter types, as the engine numbers them. */
const VOWELS: Record<string, number> = { a: 1, e: 2, i: 3, o: 4, u: 5 };
const FTYPES: Record<string, number> = { "12db": 0, ladder: 1, "24db": 2 };
/** LFO wave names of the filter LFOs, the tremolo and the FM modulator (native/lfo.h: 0 sine ... 4 ramp). */
const LFO_SHAPES: Record<string, number> = { sine: 0, sin: 0, tri: 1, triangle: 1, square: 2, sqr: 2, saw: 3, sawtooth: 3, ramp: 4 };
const LFO_SHAPE_KEYS = ["lpshape", "hpshape", "bpshape", "tremoloshape", "fmwave"];
/** Strudel's distortion types, in the engine's order (native/shaper.h, OST_DISTORT_TYPES). */
const DISTORT_TYPES: Record<string, number> = { soft: 0, hard: 1, cubic: 2, diode: 3, asym: 4, fold: 5, sinefold: 6, chebyshev: 7, scurve: 8 };

/** The wavetable warps the engine has (native/chain.c, warp_start); the other names Strudel lists play unwarped (0). */
const WARP_MODES: Record<string, number> = { none: 0, asym: 1, bendp: 2, bendm: 3, bendmp: 4 };

/** The built-in kit a bank name asks for: 1 808-like, 2 909-like, else 0 (the default kit). */
export function drumKitOf(bank: unknown): number {
  if (typeof bank !== "string") return 0;
  const b = bank.toLowerCase();
  if (b.includes("808")) return 1;
  if (b.includes("909")) return 2;
  return 0;
}

/** Where sample names come from (server/engine/samples.ts). */
export interface SampleResolver {
  /**
   * The sample slot for a sound name (with its bank prefix, if any) and n,
   * or undefined when no loaded bank has it. May start loading the file.
   * `midi` is the note asked for: maps with pitched samples pick the
   * nearest and say, in `baseMidi`, the note it was recorded at.
   */
  resolve(name: string, n: number, bank: string | undefined, midi: number): SampleRef | undefined;
}
export interface SampleRef {
  readonly id: number;
  /** The note the sample sounds at when played at its own rate (36 = c2, the default). */
  readonly baseMidi: number;
}

export interface EventBufferOptions {
  /** Sample banks: names resolved there win over the built-in sounds. */
  samples?: SampleResolver;
  /** Strudel's envelope defaults and one-shot samples (see the module doc). */
  strudel?: boolean;
  /**
   * Called when a word names nothing the engine has (`warpmode("spin")`, `vowel("y")`): the control, the
   * word, the words it knows and what plays instead. Only on that rare path, so it may allocate; the
   * caller reports it once.
   */
  onUnknownWord?: (control: string, word: string, known: readonly string[], instead: string) => void;
}

/** A pattern hap's value: control names to numbers or strings. */
export type Controls = Record<string, unknown>;

// What a control name means: a parameter index, or one of these.
const C_SOUND = -1;
const C_NOTE = -2;
const C_IGNORED = -3;
const C_BANK = -4;
const C_FX = -5;
const C_DUCK = -6;
const C_PARTIALS = -7;
const C_PHASES = -8;
/** An lfo({...}) modulator's settings, in the order of the engine's LFO parameters. */
const LFO_KEYS = ["rate", "sync", "depth", "shape", "skew", "dcoffset"];
/** An env({...}) modulator's stages, in the order of #envParams. */
const ENV_KEYS = ["attack", "decay", "sustain", "release"];
/** The modulation envelope's target (native _envtarget) for env({...}) on note: pitch. The rest are by parameter (#envTargets). */
const ENV_TARGETS = new Map<number, number>([[C_NOTE, 3]]);

/** The orbits a duckorbit value names (a number or a list of them), as the engine's bit mask (orbits 0-23). */
function duckMask(value: unknown): number {
  let mask = 0;
  const add = (x: unknown) => {
    const o = typeof x === "string" ? Number(x) : x;
    if (typeof o === "number" && Number.isInteger(o) && o >= 0 && o < 24) mask |= 1 << o;
  };
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) add(value[i]);
  else if (typeof value === "string" && value.includes(":")) for (const part of value.split(":")) add(part);
  else add(value);
  return mask;
}

/**
 * The engine's stages an FX(...) chain can order (native/ostinato.h, ost_fx_stage), by the
 * parameters that belong to each: the chain's effects play after the others, in its order.
 */
const FX_STAGES: readonly [number, readonly string[]][] = [
  [1, ["cutoff", "resonance", "lpenv", "lpattack", "lpdecay", "lpsustain", "lprelease", "ftype", "lprate", "lpsync", "lpdepth", "lpshape", "lpskew", "lpdc"]],
  [2, ["hcutoff", "hresonance", "hprate", "hpsync", "hpdepth", "hpshape", "hpskew", "hpdc"]],
  [3, ["bandf", "bandq", "bprate", "bpsync", "bpdepth", "bpshape", "bpskew", "bpdc"]],
  [4, ["vowel"]],
  [5, ["coarse"]],
  [6, ["crush"]],
  [7, ["shape"]],
  [8, ["distort"]],
  [9, ["tremolo", "tremolosync", "tremolodepth", "tremoloshape", "tremoloskew", "tremolophase"]],
  [10, ["transient", "transsustain"]],
];

const C2_MIDI = 36;

export class EventBuffer {
  /** The records, for the FFI call. */
  readonly bytes: Uint8Array;
  readonly capacity: number;
  /** Events written so far. */
  length = 0;
  /** Sound names the library does not know, with how often each was seen. */
  readonly unknownSounds = new Map<string, number>();
  /** Control names this engine does not know (ignored), with counts. */
  readonly unknownControls = new Map<string, number>();

  readonly #f32: Float32Array;
  readonly #u32: Uint32Array;
  readonly #stride: number; // record size in 32-bit words
  readonly #cap: number; // parameters in a record; those past it go to the extension
  /** The extension's parameters of the note being written, and whether it has any. */
  readonly #ext: Float32Array;
  #extUsed = false;
  /** The defaults of a record's parameters and of an extension's (views made once: adding allocates nothing). */
  readonly #noteDefaults: Float32Array;
  readonly #extDefaults: Float32Array;
  readonly #tables: Tables;
  readonly #p: Record<string, number>; // parameter indices by name
  readonly #controls = new Map<string, number>();
  readonly #lfoShapes: Set<number>;
  /** The LFO parameters (rate, sync, depth, shape, skew, dc; -1: none) of a control lfo({...}) can modulate, by its index. */
  readonly #lfoParams = new Map<number, readonly number[]>();
  /** The lowpass envelope's parameters (lpattack, lpdecay, lpsustain, lprelease). */
  readonly #envParams: readonly number[];
  /** The modulation envelope's (_envattack ... _envrelease), and its target for each parameter it can move. */
  readonly #menvParams: readonly number[];
  readonly #envTargets = new Map<number, number>();
  /** The FX stage of each parameter index that has one (0 = none). */
  readonly #fxStage: Uint8Array;
  readonly #notes = new Map<string, number>();
  readonly #samples?: SampleResolver;
  readonly #onUnknownWord?: EventBufferOptions["onUnknownWord"];
  readonly #strudel: boolean;
  readonly #firstDrum: number;
  readonly #lastDrum: number;
  readonly #sampleSound: number;

  constructor(capacity = 256, options: EventBufferOptions = {}) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`EventBuffer: capacity must be a positive integer (got ${capacity})`);
    this.#tables = libraryTables();
    const layout = this.#tables.event;
    this.capacity = capacity;
    this.bytes = new Uint8Array(layout.size * (capacity + 1)); // + the last note's extension
    this.#f32 = new Float32Array(this.bytes.buffer);
    this.#u32 = new Uint32Array(this.bytes.buffer);
    this.#stride = layout.size / 4;
    this.#cap = layout.paramCapacity;
    this.#ext = new Float32Array(this.#cap);
    this.#noteDefaults = this.#tables.defaults.subarray(0, this.#cap);
    this.#extDefaults = this.#tables.defaults.subarray(this.#cap);
    this.#samples = options.samples;
    this.#onUnknownWord = options.onUnknownWord;
    this.#strudel = options.strudel ?? false;
    this.#p = Object.fromEntries(this.#tables.paramIndex);
    this.#lfoShapes = new Set(LFO_SHAPE_KEYS.map((k) => this.#p[k]!));
    for (const [control, prefix] of [["cutoff", "lp"], ["hcutoff", "hp"], ["bandf", "bp"]] as const)
      this.#lfoParams.set(this.#p[control]!, ["rate", "sync", "depth", "shape", "skew", "dc"].map((k) => this.#p[prefix + k]!));
    const tremolo = ["tremolo", "tremolosync", "tremolodepth", "tremoloshape", "tremoloskew"].map((k) => this.#p[k]!);
    for (const control of ["gain", "postgain"]) this.#lfoParams.set(this.#p[control]!, [...tremolo, -1]);
    this.#envParams = ["lpattack", "lpdecay", "lpsustain", "lprelease"].map((k) => this.#p[k]!);
    this.#menvParams = ["_envattack", "_envdecay", "_envsustain", "_envrelease"].map((k) => this.#p[k]!);
    for (const [control, target] of [["hcutoff", 1], ["bandf", 2], ["freq", 3], ["gain", 4], ["postgain", 4], ["velocity", 4], ["pan", 5]] as const)
      this.#envTargets.set(this.#p[control]!, target);
    this.#fxStage = new Uint8Array(this.#tables.paramIndex.size);
    for (const [stage, names] of FX_STAGES) for (const n of names) this.#fxStage[this.#p[n]!] = stage;
    for (const [name, index] of this.#tables.paramIndex) this.#controls.set(name, index);
    for (const [alias, name] of Object.entries(ALIASES)) {
      const index = this.#tables.paramIndex.get(name);
      if (index === undefined) throw new Error(`EventBuffer: alias "${alias}" names "${name}", which the library does not have`);
      this.#controls.set(alias, index);
    }
    this.#controls.set("s", C_SOUND);
    this.#controls.set("sound", C_SOUND);
    this.#controls.set("note", C_NOTE);
    this.#controls.set("bank", C_BANK);
    this.#controls.set("FX", C_FX);
    this.#controls.set("duckorbit", C_DUCK);
    this.#controls.set("partials", C_PARTIALS);
    this.#controls.set("phases", C_PHASES);
    for (const k of BOOKKEEPING) this.#controls.set(k, C_IGNORED);
    this.#firstDrum = this.#tables.soundIndex.get("bd")!;
    this.#lastDrum = this.#tables.soundIndex.get("sh")!;
    this.#sampleSound = this.#tables.soundIndex.get("_sample")!;
  }

  /** True when no more events fit. */
  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Forgets every event (the memory is reused). */
  clear(): void {
    this.length = 0;
  }

  /** Removes the first `count` events (those a push took), keeping the rest in order. */
  drop(count: number): void {
    const n = Math.max(0, Math.min(count, this.length));
    if (n === 0) return;
    const size = this.#stride * 4;
    this.bytes.copyWithin(0, n * size, this.length * size);
    this.length -= n;
  }

  /**
   * Appends a NOTE event from a plain object of controls (a hap value).
   * Returns false, writing nothing, when the buffer is full.
   * @param startFrame absolute frame on the engine clock
   * @param durFrames frames until note-off (DUR_FOREVER for none)
   * @param slot the pattern slot the event belongs to
   * @param cps the tempo at the event, for tempo-synced effects (`lock`)
   */
  add(controls: Controls, startFrame: number, durFrames: number, slot = 0, cps?: number): boolean {
    const base = this.#begin(EVENT_NOTE, startFrame, durFrames, slot);
    if (base < 0) return false;
    const f = this.#f32;
    const P = this.#p;
    const p = base + this.#tables.event.params / 4;
    f.set(this.#noteDefaults, p);
    this.#extUsed = false;
    let freqGiven = false;
    let sound: unknown;
    for (const key in controls) {
      const value = controls[key];
      const index = this.#controls.get(key);
      if (index === undefined) {
        this.unknownControls.set(key, (this.unknownControls.get(key) ?? 0) + 1);
      } else if (index >= 0) {
        this.#put(p, index, typeof value === "string" ? this.#word(index, value) : numeric(value));
        if (index === P.freq) freqGiven = true;
      } else if (index === C_SOUND) {
        sound = value;
      } else if (index === C_DUCK) {
        f[p + P._duckorbits!] = duckMask(value);
      } else if (index === C_PARTIALS || index === C_PHASES) {
        this.#partials(p, index === C_PARTIALS, value);
      } else if (index === C_NOTE && !freqGiven && controls.freq === undefined) {
        f[p + P.freq!] = this.#noteFreq(value);
      }
    }
    if (Array.isArray(controls.FX)) this.#fxChain(controls.FX, p);
    if (controls.lfo !== null && typeof controls.lfo === "object") this.#lfos(controls.lfo as Controls, p);
    if (controls.env !== null && typeof controls.env === "object") this.#envs(controls.env as Controls, p);
    if (cps !== undefined) f[p + P.cps!] = cps;
    const s = this.#sound(sound === undefined ? undefined : sound, controls, p);
    f[p + P.s!] = s;
    if (this.#strudel) {
      strudelEnvelope(controls, f, p, P.attack!, P.decay!, P.sustain!, P.release!, "attack", "decay", "sustain", "release");
      strudelEnvelope(controls, f, p, P.lpattack!, P.lpdecay!, P.lpsustain!, P.lprelease!, "lpattack", "lpdecay", "lpsustain", "lprelease");
      const oneShot = (s >= this.#firstDrum && s <= this.#lastDrum) || s === this.#sampleSound;
      if (oneShot && controls.clip === undefined && controls.legato === undefined && controls.loop === undefined && controls.release === undefined) {
        this.#u32[base + this.#tables.event.durFrames / 4] = DUR_FOREVER;
      }
    }
    if (this.#extUsed) {
      const ext = (this.length + 1) * this.#stride;
      this.#header(ext, EVENT_EXT, startFrame, 0, slot);
      f.set(this.#ext, ext + this.#tables.event.params / 4);
      this.length++;
    }
    this.length++;
    return true;
  }

  /** Writes parameter `index` of the note whose params start at word `p` (past the record's capacity: into its extension). */
  #put(p: number, index: number, value: number): void {
    if (index < this.#cap) {
      this.#f32[p + index] = value;
      return;
    }
    if (!this.#extUsed) {
      this.#ext.set(this.#extDefaults);
      this.#extUsed = true;
    }
    this.#ext[index - this.#cap] = value;
  }

  /**
   * partials([...]) (amplitudes: sets how many) or phases([...]) (cycles) into the extension's lists
   * (native OST_PARAM_PARTIAL_AMPS / _PHASES); past the engine's OST_PARTIALS_MAX they are dropped.
   */
  #partials(p: number, amplitudes: boolean, value: unknown): void {
    const list = Array.isArray(value) ? value : [value];
    const max = this.#tables.event.partialsMax, cap = this.#cap;
    const at = (amplitudes ? 2 * cap - 2 * max : 2 * cap - max);
    const n = Math.min(list.length, max);
    for (let k = 0; k < n; k++) {
      const x = numeric(list[k]);
      this.#put(p, at + k, Number.isFinite(x) ? x : 0);
    }
    if (amplitudes) this.#put(p, this.#p._partials!, n);
  }

  /** Appends a RELEASE: the voices of `slot` (SLOT_ALL: every voice) fade out from `atFrame` over `fadeFrames` (0 = 5 ms). */
  addRelease(slot: number, atFrame: number, fadeFrames = 0): boolean {
    const base = this.#begin(EVENT_RELEASE, atFrame, fadeFrames, slot);
    if (base < 0) return false;
    this.#f32.set(this.#noteDefaults, base + this.#tables.event.params / 4);
    this.length++;
    return true;
  }

  /** Appends a CLEAR: the events of `slot` pushed before this one that start at or after `fromFrame` are dropped. */
  addClear(slot: number, fromFrame = 0): boolean {
    const base = this.#begin(EVENT_CLEAR, fromFrame, 0, slot);
    if (base < 0) return false;
    this.#f32.set(this.#noteDefaults, base + this.#tables.event.params / 4);
    this.length++;
    return true;
  }

  /** Appends a FADE_FX: every orbit's delay and reverb tails fade out from `atFrame` over `fadeFrames` (0 = 10 ms) and are cleared. */
  addFadeEffects(atFrame: number, fadeFrames = 0): boolean {
    const base = this.#begin(EVENT_FADE_FX, atFrame, fadeFrames, SLOT_ALL);
    if (base < 0) return false;
    this.#f32.set(this.#noteDefaults, base + this.#tables.event.params / 4);
    this.length++;
    return true;
  }

  /** Writes the header of record `length`; returns its word offset, or -1 when full. */
  #begin(kind: number, startFrame: number, durFrames: number, slot: number): number {
    if (this.length >= this.capacity) return -1;
    if (!(startFrame >= 0) || !Number.isFinite(startFrame)) throw new RangeError(`EventBuffer: start frame must be a finite frame number >= 0 (got ${startFrame})`);
    if (!(durFrames >= 0)) throw new RangeError(`EventBuffer: duration must be a frame count >= 0 (got ${durFrames})`);
    const base = this.length * this.#stride;
    this.#header(base, kind, startFrame, durFrames, slot);
    return base;
  }

  /** Writes a record's header at word `base`. */
  #header(base: number, kind: number, startFrame: number, durFrames: number, slot: number): void {
    const layout = this.#tables.event;
    const u = this.#u32;
    const frame = Math.floor(startFrame);
    u[base + layout.startFrame / 4] = frame % 4294967296; // little-endian uint64: low word first
    u[base + layout.startFrame / 4 + 1] = Math.floor(frame / 4294967296);
    u[base + layout.durFrames / 4] = Math.min(Math.round(durFrames), DUR_FOREVER);
    u[base + layout.kind / 4] = kind;
    u[base + layout.slot / 4] = slot >>> 0;
    u[base + layout.slot / 4 + 1] = 0; // reserved
  }

  /**
   * The sound index for the event, resolving samples (which also set
   * `sample`, and correct `freq` for pitched sample maps) and the drum kit
   * of a bank.
   */
  #sound(value: unknown, controls: Controls, p: number): number {
    const f = this.#f32;
    const P = this.#p;
    const bank = typeof controls.bank === "string" ? controls.bank : undefined;
    if (value === undefined) return this.#tables.defaults[P.s!]!;
    if (typeof value === "string") {
      if (this.#samples) {
        const n = typeof controls.n === "number" ? controls.n : Number(controls.n ?? 0) || 0;
        const midi = 12 * Math.log2(f[p + P.freq!]! / 440) + 69;
        const ref = this.#samples.resolve(value, n, bank, midi);
        if (ref) {
          f[p + P.sample!] = ref.id;
          if (ref.baseMidi !== C2_MIDI) f[p + P.freq!] = f[p + P.freq!]! * Math.pow(2, (C2_MIDI - ref.baseMidi) / 12);
          return this.#sampleSound;
        }
      }
      if (!value.startsWith("_")) {
        const index = this.#tables.soundIndex.get(value);
        if (index !== undefined) {
          if (index >= this.#firstDrum && index <= this.#lastDrum) f[p + P.bank!] = drumKitOf(bank);
          return index;
        }
      }
    }
    const name = bank && typeof value === "string" ? `${bank}_${value}` : String(value);
    this.unknownSounds.set(name, (this.unknownSounds.get(name) ?? 0) + 1);
    return SOUND_UNKNOWN;
  }

  /**
   * An FX(...) chain: each effect's settings, in order, over the event's own, and the order of the
   * stages they name in _fxorder (4 bits a stage, the first lowest; a stage named again keeps its place).
   */
  #fxChain(chain: readonly unknown[], p: number): void {
    const f = this.#f32;
    let order = 0, shift = 0, seen = 0;
    for (let i = 0; i < chain.length; i++) {
      const fx = chain[i];
      if (fx === null || typeof fx !== "object") continue;
      const settings = fx as Controls;
      for (const key in settings) {
        const index = this.#controls.get(key);
        if (index === undefined || index < 0) continue;
        const value = settings[key];
        this.#put(p, index, typeof value === "string" ? this.#word(index, value) : numeric(value));
        const stage = this.#fxStage[index]!;
        if (stage && !(seen & (1 << stage)) && shift < 24) {
          seen |= 1 << stage;
          order |= stage << shift;
          shift += 4;
        }
      }
    }
    f[p + this.#p._fxorder!] = order;
  }

  /**
   * lfo({...}) modulators where the engine has the LFO: on a filter's frequency (cutoff, hcutoff,
   * bandf: that filter's LFO, depth in octaves) or on gain (the tremolo, depth 0..1). Rate in Hz, or
   * sync in periods per cycle; 1 Hz when neither is given. Modulators of other controls are carried only.
   */
  #lfos(lfos: Controls, p: number): void {
    const f = this.#f32;
    for (const id in lfos) {
      const m = lfos[id] as Controls | null;
      if (id === "__ids" || m === null || typeof m !== "object") continue;
      const lfo = this.#lfoParams.get(this.#controls.get(String(m.control)) ?? -1);
      if (lfo === undefined) continue;
      if (m.rate === undefined && m.sync === undefined) this.#put(p, lfo[0]!, 1);
      for (let k = 0; k < 6; k++) {
        const value = m[LFO_KEYS[k]!], index = lfo[k]!;
        if (value === undefined || index < 0) continue;
        this.#put(p, index, typeof value === "string" ? this.#word(index, value) : numeric(value));
      }
    }
  }

  /**
   * env({...}) modulators: on lpf the lowpass envelope (depth in octaves, 1 when not given); on hpf or bpf
   * (octaves), note or freq (semitones), gain, postgain or velocity (the gain goes from 1 - depth to 1) and
   * pan (pan + depth x the envelope, 0..1) the engine's modulation envelope, one per note (the first of those wins). Attack, decay, sustain,
   * release as given, else Strudel's filter envelope's (0.005, 0.14, 0, 0.1). Others are carried only.
   */
  #envs(envs: Controls, p: number): void {
    const f = this.#f32, P = this.#p;
    let modulated = false;
    for (const id in envs) {
      const m = envs[id] as Controls | null;
      if (id === "__ids" || m === null || typeof m !== "object") continue;
      const control = this.#controls.get(String(m.control));
      if (control === P.cutoff) {
        f[p + P.lpenv!] = m.depth === undefined ? 1 : numeric(m.depth);
        for (let k = 0; k < 4; k++) {
          const value = m[ENV_KEYS[k]!];
          if (value !== undefined) f[p + this.#envParams[k]!] = numeric(value);
        }
        continue;
      }
      const target = control === undefined ? 0 : (ENV_TARGETS.get(control) ?? this.#envTargets.get(control) ?? 0);
      if (target === 0 || modulated) continue;
      modulated = true;
      this.#put(p, P._envtarget!, target);
      this.#put(p, P._envdepth!, m.depth === undefined ? 1 : numeric(m.depth));
      for (let k = 0; k < 4; k++) {
        const value = m[ENV_KEYS[k]!];
        if (value !== undefined) this.#put(p, this.#menvParams[k]!, numeric(value));
      }
    }
  }

  /** A string value for a numeric parameter: vowel letters, filter and distortion types, unit "c", else a number. */
  #word(index: number, value: string): number {
    const P = this.#p;
    if (index === P.vowel) return this.#named("vowel", VOWELS, value, "no vowel filter");
    if (index === P.ftype) return this.#named("ftype", FTYPES, value, "the 12 dB lowpass");
    if (index === P.distorttype) return this.#named("distorttype", DISTORT_TYPES, value, "soft");
    if (index === P.warpmode) return this.#named("warpmode", WARP_MODES, value, "the wavetable unwarped");
    if (index === P.unit) return value === "c" ? 1 : 0;
    if (this.#lfoShapes.has(index)) return this.#named("an LFO shape", LFO_SHAPES, value, "a sine");
    return numeric(value);
  }

  /** A word of `table` (or a number written as a string); else reported, and 0, which plays as `instead`. */
  #named(control: string, table: Record<string, number>, value: string, instead: string): number {
    const known = table[value.toLowerCase()];
    if (known !== undefined) return known;
    const n = numeric(value);
    if (Number.isFinite(n)) return n;
    this.#onUnknownWord?.(control, value, Object.keys(table), instead);
    return 0;
  }

  #noteFreq(value: unknown): number {
    if (typeof value === "number") return midiToFreq(value);
    if (typeof value !== "string") return NaN;
    let freq = this.#notes.get(value);
    if (freq === undefined) {
      freq = isNoteName(value) ? midiToFreq(noteToMidi(value)) : midiToFreq(numeric(value));
      this.#notes.set(value, freq);
    }
    return freq;
  }
}

/**
 * Strudel's rule for an envelope some of whose times are given: the
 * sustain is 1 when only the attack (or neither attack nor decay) is given,
 * 0 when a decay is given without it; missing times are 0.001 s (the
 * release 0.01 s). With none given, the engine's defaults stand (for the
 * lowpass envelope they are Strudel's: 0.005, 0.14, 0, 0.1).
 */
function strudelEnvelope(controls: Controls, f: Float32Array, p: number, ia: number, id: number, is: number, ir: number,
  ka: string, kd: string, ks: string, kr: string): void {
  const a = controls[ka], d = controls[kd], s = controls[ks], r = controls[kr];
  if (a === undefined && d === undefined && s === undefined && r === undefined) return;
  if (s === undefined) f[p + is] = (a !== undefined && d === undefined) || (a === undefined && d === undefined) ? 1 : 0;
  if (a === undefined) f[p + ia] = 0.001;
  if (d === undefined) f[p + id] = 0.001;
  if (r === undefined) f[p + ir] = 0.01;
}

/** A control value as a number; NaN when it is none (the engine then uses the default). */
function numeric(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") return value.trim() === "" ? NaN : Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return NaN;
}
