/**
 * SampleLibrary: sample banks by name, from folders in the Dirt-Samples
 * layout (one folder per sound, its audio files sorted by name; `n` picks
 * one, wrapping) and from Strudel-style JSON maps (`{ "_base": "...",
 * "bd": ["bd/0.wav", ...], "piano": { "c3": "...", "a4": "..." } }`; a map
 * with note names picks the nearest sample and transposes it). Several
 * sources add up; a later one wins for a name both have.
 *
 * Files are loaded into the engine's sample table by its loader thread the
 * first time a name resolves to them (engine.loadSample), and `preload`
 * waits for what a program names, so no first hit is silent. Nothing here
 * blocks: loading is asynchronous, waiting is a promise.
 *
 * Only local files: a map whose base is a URL (Strudel's
 * `samples('github:...')`) is refused with a clear error, as the engine has
 * no network access.
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, resolve } from "node:path";
import { isNoteName, noteToMidi } from "../pattern/note.ts";
import type { Engine } from "./engine.ts";
import type { SampleRef, SampleResolver } from "./event-buffer.ts";

/** Audio file extensions a folder's files are taken from. */
export const AUDIO_EXTENSIONS = new Set([".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac", ".ogg", ".oga", ".opus", ".mp3"]);

/** A Strudel-style sample map. */
export type SampleMap = { _base?: string } & Record<string, string | string[] | Record<string, string | string[]>>;

type Bank = { files: string[]; pitched?: { midi: number; file: string }[] };

/** What the library needs of the engine (an Engine, or one attached from another thread). */
export type SampleLoader = Pick<Engine, "loadSample" | "sampleInfo">;

export class SampleError extends Error {}

export class SampleLibrary implements SampleResolver {
  readonly #engine: SampleLoader;
  readonly #banks = new Map<string, Bank>();
  readonly #prefixed = new Map<string, Map<string, Bank | null>>(); // bank -> name -> bank, so resolving allocates nothing
  readonly #ids = new Map<string, number>(); // file -> slot
  readonly #refs = new Map<string, SampleRef>(); // file -> the answer resolve gives (one object per file: no allocation per event)
  readonly #loading = new Set<number>();
  readonly #reported = new Set<number>();
  readonly #sources: (string | SampleMap)[] = [];
  /** Told once about each file that fails to load (the message names the file). */
  onError?: (message: string) => void;

  constructor(engine: SampleLoader, options: { onError?: (message: string) => void } = {}) {
    this.#engine = engine;
    this.onError = options.onError;
  }

  /** The sources added so far (for a successor to add again). */
  get sources(): readonly (string | SampleMap)[] {
    return this.#sources;
  }

  /** Bank names, sorted. */
  names(): string[] {
    return [...this.#banks.keys()].sort();
  }

  has(name: string): boolean {
    return this.#banks.has(name);
  }

  /** The files of a bank, in the order `n` picks them. */
  files(name: string): readonly string[] {
    return this.#banks.get(name)?.files ?? [];
  }

  /**
   * Adds a source: a folder (Dirt-Samples layout, or one holding a
   * strudel.json), a JSON map file, or a map object. Relative paths are
   * taken from `baseDir`. Returns the bank names it added.
   */
  add(source: string | SampleMap, baseDir = process.cwd()): string[] {
    const added = typeof source === "string" ? this.#addPath(source, baseDir) : this.#addMap(source, baseDir, "the sample map");
    if (!this.#sources.some((s) => JSON.stringify(s) === JSON.stringify(source))) this.#sources.push(typeof source === "string" ? resolve(baseDir, source) : source);
    this.#prefixed.clear();
    return added;
  }

  resolve(name: string, n: number, bank: string | undefined, midi: number): SampleRef | undefined {
    const b = this.#lookup(name, bank);
    if (!b) return undefined;
    let file: string;
    let baseMidi = 36;
    if (b.pitched) {
      let best = b.pitched[0]!;
      for (const p of b.pitched) if (Math.abs(p.midi - midi) < Math.abs(best.midi - midi)) best = p;
      file = best.file;
      baseMidi = best.midi;
    } else {
      const count = b.files.length;
      const i = Math.floor(Number.isFinite(n) ? n : 0);
      file = b.files[((i % count) + count) % count]!;
    }
    let ref = this.#refs.get(file);
    if (!ref) this.#refs.set(file, (ref = Object.freeze({ id: this.#load(file), baseMidi })));
    return ref;
  }

  /**
   * Loads every sample the given control values name (s, n, bank, note)
   * and waits until each is ready or has failed, at most `timeoutMs`.
   * Failures are reported through onError and returned.
   */
  async preload(values: Iterable<unknown>, timeoutMs = 30000): Promise<{ ready: number; failed: string[] }> {
    const ids = new Set<number>();
    for (const v of values) {
      if (typeof v !== "object" || v === null) continue;
      const c = v as Record<string, unknown>;
      if (typeof c.s !== "string") continue;
      const n = typeof c.n === "number" ? c.n : Number(c.n ?? 0) || 0;
      const midi = typeof c.note === "number" ? c.note : typeof c.note === "string" && isNoteName(c.note) ? noteToMidi(c.note) : 36;
      const ref = this.resolve(c.s, n, typeof c.bank === "string" ? c.bank : undefined, midi);
      if (ref) ids.add(ref.id);
    }
    return this.#wait(ids, timeoutMs);
  }

  /** True while a file this library asked for is still loading. */
  get pending(): boolean {
    this.#poll();
    return this.#loading.size > 0;
  }

  /** Waits until nothing this library asked for is loading. */
  async settle(timeoutMs = 30000): Promise<void> {
    await this.#wait(new Set(this.#loading), timeoutMs);
  }

  // ---------------------------------------------------------------- internals

  #lookup(name: string, bank: string | undefined): Bank | undefined {
    if (bank === undefined) return this.#banks.get(name);
    let byName = this.#prefixed.get(bank);
    if (!byName) this.#prefixed.set(bank, (byName = new Map()));
    let b = byName.get(name);
    if (b === undefined) byName.set(name, (b = this.#banks.get(`${bank}_${name}`) ?? null));
    return b ?? undefined;
  }

  #load(file: string): number {
    let id = this.#ids.get(file);
    if (id === undefined) {
      id = this.#engine.loadSample(file);
      this.#ids.set(file, id);
      this.#loading.add(id);
    }
    return id;
  }

  /** Moves finished loads out of #loading; reports failures once. */
  #poll(): void {
    for (const id of this.#loading) {
      const info = this.#engine.sampleInfo(id);
      if (info.state === "loading") continue;
      this.#loading.delete(id);
      if (info.state === "failed" && !this.#reported.has(id)) {
        this.#reported.add(id);
        this.onError?.(`cannot load sample ${info.error ?? `slot ${id}`}`);
      }
    }
  }

  async #wait(ids: Set<number>, timeoutMs: number): Promise<{ ready: number; failed: string[] }> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      this.#poll();
      let busy = false;
      for (const id of ids) if (this.#loading.has(id)) busy = true;
      if (!busy || performance.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    let ready = 0;
    const failed: string[] = [];
    for (const id of ids) {
      const info = this.#engine.sampleInfo(id);
      if (info.state === "ready") ready++;
      else if (info.state === "failed") failed.push(info.error ?? `slot ${id}`);
    }
    return { ready, failed };
  }

  #addPath(path: string, baseDir: string): string[] {
    if (/^[a-z]+:/i.test(path)) {
      throw new SampleError(`samples("${path}"): only local folders and JSON files can be loaded (this engine has no network access); download the samples and give their folder`);
    }
    const full = resolve(baseDir, path);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      throw new SampleError(`samples("${path}"): no such folder or JSON file (${full})`);
    }
    if (stat.isDirectory()) {
      const map = join(full, "strudel.json");
      if (existsFile(map)) return this.#addJson(map);
      return this.#addFolder(full);
    }
    if (extname(full).toLowerCase() === ".json") return this.#addJson(full);
    throw new SampleError(`samples("${path}"): not a folder or a .json sample map (${full})`);
  }

  /** Dirt-Samples layout: each sub-folder is a sound; audio files directly in the folder make a bank named after it. */
  #addFolder(dir: string): string[] {
    const added: string[] = [];
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareNames(a.name, b.name));
    const own = entries.filter((e) => e.isFile() && isAudio(e.name)).map((e) => join(dir, e.name));
    if (own.length) added.push(this.#setBank(basename(dir), { files: own }));
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith(".")) continue;
      const sub = join(dir, e.name);
      const files = readdirSync(sub, { withFileTypes: true })
        .filter((f) => f.isFile() && isAudio(f.name))
        .map((f) => f.name)
        .sort(compareNames)
        .map((f) => join(sub, f));
      if (files.length) added.push(this.#setBank(e.name, { files }));
    }
    if (!added.length) throw new SampleError(`samples("${dir}"): no audio files in the folder or its sub-folders (${[...AUDIO_EXTENSIONS].join(" ")})`);
    return added;
  }

  #addJson(file: string): string[] {
    let map: unknown;
    try {
      map = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new SampleError(`samples("${file}"): not a readable JSON sample map: ${(err as Error).message}`);
    }
    return this.#addMap(map as SampleMap, dirname(file), file);
  }

  #addMap(map: SampleMap, dir: string, where: string): string[] {
    if (typeof map !== "object" || map === null || Array.isArray(map)) throw new SampleError(`${where}: a sample map is an object of names to files`);
    const base = typeof map._base === "string" ? map._base : "";
    if (/^[a-z]+:/i.test(base)) {
      throw new SampleError(`${where}: its _base is a URL (${base}); only local files can be loaded (this engine has no network access)`);
    }
    const root = isAbsolute(base) ? base : join(dir, base);
    const file = (f: string) => {
      if (/^[a-z]+:\/\//i.test(f)) throw new SampleError(`${where}: ${f} is a URL; only local files can be loaded`);
      return isAbsolute(f) ? f : join(root, f);
    };
    const added: string[] = [];
    for (const [name, value] of Object.entries(map)) {
      if (name.startsWith("_")) continue;
      if (typeof value === "string") added.push(this.#setBank(name, { files: [file(value)] }));
      else if (Array.isArray(value)) added.push(this.#setBank(name, { files: value.map((v) => file(String(v))) }));
      else if (value && typeof value === "object") {
        const pitched = Object.entries(value)
          .filter(([k]) => isNoteName(k))
          .map(([k, v]) => ({ midi: noteToMidi(k), file: file(String(Array.isArray(v) ? v[0] : v)) }))
          .sort((a, b) => a.midi - b.midi);
        if (!pitched.length) throw new SampleError(`${where}: "${name}" maps to an object whose keys are not note names`);
        added.push(this.#setBank(name, { files: pitched.map((p) => p.file), pitched }));
      } else {
        throw new SampleError(`${where}: "${name}" must name a file, a list of files or notes to files`);
      }
    }
    return added;
  }

  #setBank(name: string, bank: Bank): string {
    this.#banks.set(name, bank);
    return name;
  }
}

function isAudio(name: string): boolean {
  return !name.startsWith(".") && AUDIO_EXTENSIONS.has(extname(name).toLowerCase());
}

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Files sorted by name as Tidal does: plain code-point order, so "10.wav" comes before "2.wav". */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
