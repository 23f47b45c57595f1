/**
 * EventBuffer: a reusable batch of event records in one ArrayBuffer, laid
 * out exactly as native/ostinato.h's ost_event, for one FFI call per batch
 * (`engine.push(buffer)`). Filling it allocates nothing per event: records
 * are written through typed views, note names and sound names are looked up
 * in maps that only grow when a new name is first seen.
 *
 * @example
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
  sound: "s",
};

/** A pattern hap's value: control names to numbers or strings. */
export type Controls = Record<string, unknown>;

// What a control name means: a parameter index, or one of these.
const C_SOUND = -1;
const C_NOTE = -2;
const C_IGNORED = -3;

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
  readonly #tables: Tables;
  readonly #freq: number;
  readonly #sound: number;
  readonly #controls = new Map<string, number>();
  readonly #notes = new Map<string, number>();

  constructor(capacity = 256) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`EventBuffer: capacity must be a positive integer (got ${capacity})`);
    this.#tables = libraryTables();
    const layout = this.#tables.event;
    this.capacity = capacity;
    this.bytes = new Uint8Array(layout.size * capacity);
    this.#f32 = new Float32Array(this.bytes.buffer);
    this.#u32 = new Uint32Array(this.bytes.buffer);
    this.#stride = layout.size / 4;
    this.#freq = this.#tables.paramIndex.get("freq")!;
    this.#sound = this.#tables.paramIndex.get("s")!;
    for (const [name, index] of this.#tables.paramIndex) this.#controls.set(name, index);
    for (const [alias, name] of Object.entries(ALIASES)) {
      const index = this.#tables.paramIndex.get(name);
      if (index === undefined) throw new Error(`EventBuffer: alias "${alias}" names "${name}", which the library does not have`);
      this.#controls.set(alias, index);
    }
    this.#controls.set("s", C_SOUND);
    this.#controls.set("sound", C_SOUND);
    this.#controls.set("note", C_NOTE);
    // Hap bookkeeping that is not a voice parameter.
    for (const k of ["duration", "orbit", "cps", "cycle", "delta"]) this.#controls.set(k, C_IGNORED);
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
   */
  add(controls: Controls, startFrame: number, durFrames: number, slot = 0): boolean {
    const base = this.#begin(EVENT_NOTE, startFrame, durFrames, slot);
    if (base < 0) return false;
    const f = this.#f32;
    const p = base + this.#tables.event.params / 4;
    f.set(this.#tables.defaults, p);
    let freqGiven = false;
    for (const key in controls) {
      const value = controls[key];
      const index = this.#controls.get(key);
      if (index === undefined) {
        this.unknownControls.set(key, (this.unknownControls.get(key) ?? 0) + 1);
      } else if (index >= 0) {
        f[p + index] = numeric(value);
        if (index === this.#freq) freqGiven = true;
      } else if (index === C_SOUND) {
        f[p + this.#sound] = this.#soundIndex(value);
      } else if (index === C_NOTE && !freqGiven && controls.freq === undefined) {
        f[p + this.#freq] = this.#noteFreq(value);
      }
    }
    this.length++;
    return true;
  }

  /** Appends a RELEASE: the voices of `slot` (SLOT_ALL: every voice) fade out from `atFrame` over `fadeFrames` (0 = 5 ms). */
  addRelease(slot: number, atFrame: number, fadeFrames = 0): boolean {
    const base = this.#begin(EVENT_RELEASE, atFrame, fadeFrames, slot);
    if (base < 0) return false;
    this.#f32.set(this.#tables.defaults, base + this.#tables.event.params / 4);
    this.length++;
    return true;
  }

  /** Appends a CLEAR: the events of `slot` pushed before this one that start at or after `fromFrame` are dropped. */
  addClear(slot: number, fromFrame = 0): boolean {
    const base = this.#begin(EVENT_CLEAR, fromFrame, 0, slot);
    if (base < 0) return false;
    this.#f32.set(this.#tables.defaults, base + this.#tables.event.params / 4);
    this.length++;
    return true;
  }

  /** Writes the header of record `length`; returns its word offset, or -1 when full. */
  #begin(kind: number, startFrame: number, durFrames: number, slot: number): number {
    if (this.length >= this.capacity) return -1;
    if (!(startFrame >= 0) || !Number.isFinite(startFrame)) throw new RangeError(`EventBuffer: start frame must be a finite frame number >= 0 (got ${startFrame})`);
    if (!(durFrames >= 0)) throw new RangeError(`EventBuffer: duration must be a frame count >= 0 (got ${durFrames})`);
    const layout = this.#tables.event;
    const base = this.length * this.#stride;
    const u = this.#u32;
    const frame = Math.floor(startFrame);
    u[base + layout.startFrame / 4] = frame % 4294967296; // little-endian uint64: low word first
    u[base + layout.startFrame / 4 + 1] = Math.floor(frame / 4294967296);
    u[base + layout.durFrames / 4] = Math.min(Math.round(durFrames), DUR_FOREVER);
    u[base + layout.kind / 4] = kind;
    u[base + layout.slot / 4] = slot >>> 0;
    u[base + layout.slot / 4 + 1] = 0; // reserved
    return base;
  }

  #soundIndex(value: unknown): number {
    if (typeof value === "string") {
      const index = this.#tables.soundIndex.get(value);
      if (index !== undefined) return index;
    }
    const name = String(value);
    this.unknownSounds.set(name, (this.unknownSounds.get(name) ?? 0) + 1);
    return SOUND_UNKNOWN;
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

/** A control value as a number; NaN when it is none (the engine then uses the default). */
function numeric(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") return value.trim() === "" ? NaN : Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return NaN;
}
