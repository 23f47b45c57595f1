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
 * Files by URL (a map whose `_base` or files are URLs, a strudel.json at a
 * URL or `github:user/repo`, see sample-urls.ts) come through a disk cache
 * (sample-cache.ts): a cached file loads like a local one; one that is not
 * is downloaded in the background while the program plays, its events
 * silent until it has arrived ("piano: 12 of 30 files still loading", once
 * per evaluation), and one that cannot be had is reported once per
 * evaluation with the reason. A download that failed is tried again at the
 * next evaluation.
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, resolve } from "node:path";
import { isNoteName, noteToMidi } from "../pattern/note.ts";
import type { Engine } from "./engine.ts";
import type { SampleRef, SampleResolver } from "./event-buffer.ts";
import { DownloadError, SampleCache } from "./sample-cache.ts";
import { githubBase, isRemote, isUrl, mapBase, mapUrl } from "./sample-urls.ts";

/** Audio file extensions a folder's files are taken from. */
export const AUDIO_EXTENSIONS = new Set([".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac", ".ogg", ".oga", ".opus", ".mp3"]);

/** A Strudel-style sample map. */
export type SampleMap = { _base?: string } & Record<string, string | string[] | Record<string, string | string[]>>;

type Bank = { name: string; files: string[]; pitched?: { midi: number; file: string }[]; origin: string };

/** What resolve gives for a file still downloading or not to be had: plays nothing (the engine counts it as not ready). */
const SILENT: SampleRef = Object.freeze({ id: -1, baseMidi: 36 });

/** Options of a library: where URLs are cached and where github: points. */
export type LibraryOptions = { onError?: (message: string) => void; cache?: SampleCache; githubBase?: string };

/** What the library needs of the engine (an Engine, or one attached from another thread). */
export type SampleLoader = Pick<Engine, "loadSample" | "sampleInfo"> & Partial<Pick<Engine, "freeSample">>;

export class SampleError extends Error {}

export class SampleLibrary implements SampleResolver {
  readonly #engine: SampleLoader;
  readonly #banks = new Map<string, Bank>();
  readonly #prefixed = new Map<string, Map<string, Bank | null>>(); // bank -> name -> bank, so resolving allocates nothing
  readonly #ids = new Map<string, number>(); // file -> slot
  readonly #refs = new Map<string, SampleRef>(); // file -> the answer resolve gives (one object per file: no allocation per event)
  readonly #wtIds = new Map<string, number>(); // the same for the files of wt_ banks, loaded as wavetables
  readonly #wtRefs = new Map<string, SampleRef>();
  readonly #loading = new Set<number>();
  readonly #reported = new Set<number>();
  readonly #sources: (string | SampleMap)[] = [];
  readonly #downloads = new Map<string, Promise<void>>(); // url -> its download and load
  readonly #failed = new Map<string, string>(); // url -> why (until the next evaluation)
  readonly #told = new Set<Bank | string>(); // late banks and failed URLs reported in this evaluation
  readonly #githubBase: string;
  #cache?: SampleCache;
  /** Files that arrived by download and were put in place (renders re-query when it grows). */
  arrivals = 0;
  /** Told once about each file that fails to load (the message names the file). */
  onError?: (message: string) => void;

  constructor(engine: SampleLoader, options: LibraryOptions = {}) {
    this.#engine = engine;
    this.onError = options.onError;
    this.#cache = options.cache;
    this.#githubBase = githubBase(options.githubBase);
  }

  /** The disk cache URLs go through (the default one is made when first needed). */
  get cache(): SampleCache {
    return (this.#cache ??= new SampleCache());
  }

  /** Where a bank came from (a folder, a JSON file, a URL or github: source, "a sample map"). */
  origin(name: string): string | undefined {
    return this.#banks.get(name)?.origin;
  }

  /** True for a bank of notes to files (a piano): it plays the note asked for. */
  pitched(name: string): boolean {
    return this.#banks.get(name)?.pitched !== undefined;
  }

  /** How many of a bank's files are on disk (local, or in the cache). */
  available(name: string): number {
    let n = 0;
    for (const f of this.files(name)) if (!isUrl(f) || this.cache.cached(f)) n++;
    return n;
  }

  /** A new evaluation: late and missing sounds are reported again, and what failed to download is tried again. */
  newEvaluation(): void {
    this.#told.clear();
    this.#failed.clear();
  }

  /**
   * Adds a remote source (`github:...`, an http(s) URL of a strudel.json or
   * of a folder holding one): its map comes through the cache, so a source
   * fetched once is there offline. Rejects with the reason.
   */
  async addRemote(source: string): Promise<string[]> {
    const url = mapUrl(source, this.#githubBase);
    let text: string;
    try {
      text = await Bun.file(await this.cache.get(url, verifyJson)).text();
    } catch (err) {
      throw new SampleError(`samples("${source}"): cannot get its sample map: ${err instanceof DownloadError ? `${err.reason} (${err.url})` : (err as Error).message}`);
    }
    const map = JSON.parse(text) as SampleMap;
    const added = this.#addMap({ ...map, _base: mapBase(url, map._base) }, "", `samples("${source}")`, source);
    if (!this.#sources.includes(source)) this.#sources.push(source);
    this.cache.remember(source);
    this.#prefixed.clear();
    return added;
  }

  /** Downloads every file of the named banks that is not cached yet (`ostinato sounds fetch`); resolves when each has arrived or failed (`ok` counts the downloads). */
  async fetch(names: Iterable<string>, onFile?: (url: string, error?: string) => void): Promise<{ ok: number; failed: string[] }> {
    const urls = this.missing(names);
    let ok = 0;
    const failed: string[] = [];
    await Promise.all(
      urls.map((url) =>
        this.cache.get(url, this.#verifyAudio).then(
          () => (ok++, onFile?.(url)),
          (err: Error) => (failed.push(err.message), onFile?.(url, err.message)),
        ),
      ),
    );
    return { ok, failed };
  }

  /** The files of the named banks that are URLs not cached yet, each once. */
  missing(names: Iterable<string>): string[] {
    const urls = new Set<string>();
    for (const name of names) for (const f of this.files(name)) if (isUrl(f) && !this.cache.cached(f)) urls.add(f);
    return [...urls];
  }

  /** The downloads that failed since the last evaluation, "url: reason" each. */
  downloadFailures(): string[] {
    return [...this.#failed].map(([url, why]) => `${url}: ${why}`);
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

  /** True when `name` (with `bank`, as resolve takes them) names a bank; nothing is loaded or downloaded. */
  knows(name: string, bank: string | undefined): boolean {
    return this.#lookup(name, bank) !== undefined;
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
    const added = typeof source === "string" ? this.#addPath(source, baseDir) : this.#addMap(source, baseDir, "the sample map", "a sample map");
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
    // Strudel's convention: a bank named wt_... holds wavetables (the engine builds their tables)
    const wavetable = b.name.startsWith("wt_");
    const refs = wavetable ? this.#wtRefs : this.#refs;
    let ref = refs.get(file);
    if (!ref) {
      if (isUrl(file)) return this.#remote(file, baseMidi, b, wavetable);
      refs.set(file, (ref = Object.freeze({ id: this.#load(file, wavetable), baseMidi })));
    }
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
      if (ref && ref.id >= 0) ids.add(ref.id);
    }
    return this.#wait(ids, timeoutMs);
  }

  /** True while a file this library asked for is still loading or downloading. */
  get pending(): boolean {
    this.#poll();
    return this.#loading.size > 0 || this.#downloads.size > 0;
  }

  /** Waits until nothing this library asked for is downloading or loading. */
  async settle(timeoutMs = 30000): Promise<void> {
    while (this.#downloads.size) await Promise.all(this.#downloads.values());
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

  /** A file by URL: from the cache when it is there, else downloaded in the background (silent meanwhile). */
  #remote(url: string, baseMidi: number, bank: Bank, wavetable: boolean): SampleRef {
    const refs = wavetable ? this.#wtRefs : this.#refs;
    if (this.#downloads.has(url)) {
      if (!this.#told.has(bank)) this.#tellLate(bank);
      return SILENT;
    }
    if (this.#failed.has(url)) return SILENT;
    const cached = this.cache.cached(url);
    if (cached) {
      const ref = Object.freeze({ id: this.#load(cached, wavetable), baseMidi });
      refs.set(url, ref);
      return ref;
    }
    const download = this.cache.get(url, this.#verifyAudio).then(
      (path) => {
        refs.set(url, Object.freeze({ id: this.#load(path, wavetable), baseMidi }));
        this.arrivals++;
      },
      (err: Error) => {
        const why = err instanceof DownloadError ? err.reason : err.message;
        this.#failed.set(url, why);
        if (!this.#told.has(url)) {
          this.#told.add(url);
          this.onError?.(`${bank.name}: cannot download ${url}: ${why}; the rest plays`);
        }
      },
    );
    this.#downloads.set(url, download.finally(() => this.#downloads.delete(url)));
    this.#tellLate(bank);
    return SILENT;
  }

  #tellLate(bank: Bank): void {
    this.#told.add(bank);
    let loading = 0;
    for (const f of bank.files) if (this.#downloads.has(f)) loading++;
    if (loading) this.onError?.(`${bank.name}: ${loading} of ${bank.files.length} files still loading (each plays once it has arrived)`);
  }

  /** A download enters the cache only if the engine's loader decodes it. */
  readonly #verifyAudio = async (path: string): Promise<string | undefined> => {
    const id = this.#engine.loadSample(path);
    for (;;) {
      const info = this.#engine.sampleInfo(id);
      if (info.state !== "loading") {
        this.#engine.freeSample?.(id);
        if (info.state === "ready" && info.frames > 0) return undefined;
        return `not audio the loader can decode (${(info.error ?? "no frames").replace(`${path}: `, "")})`;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  };

  #load(file: string, wavetable = false): number {
    const ids = wavetable ? this.#wtIds : this.#ids;
    let id = ids.get(file);
    if (id === undefined) {
      id = this.#engine.loadSample(file, wavetable);
      ids.set(file, id);
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
    if (isRemote(path)) throw new SampleError(`samples("${path}"): a remote source is added with addRemote`);
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
    if (own.length) added.push(this.#setBank(basename(dir), { files: own }, dir));
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith(".")) continue;
      const sub = join(dir, e.name);
      const files = readdirSync(sub, { withFileTypes: true })
        .filter((f) => f.isFile() && isAudio(f.name))
        .map((f) => f.name)
        .sort(compareNames)
        .map((f) => join(sub, f));
      if (files.length) added.push(this.#setBank(e.name, { files }, dir));
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
    return this.#addMap(map as SampleMap, dirname(file), file, file);
  }

  /** A map's banks; its files are local paths, or URLs when they or its `_base` are (a github: base points under the GitHub base). */
  #addMap(map: SampleMap, dir: string, where: string, origin: string): string[] {
    if (typeof map !== "object" || map === null || Array.isArray(map)) throw new SampleError(`${where}: a sample map is an object of names to files`);
    let base = typeof map._base === "string" ? map._base : "";
    if (base.startsWith("github:")) base = mapUrl(base, this.#githubBase).replace(/strudel\.json$/, "");
    else if (isRemote(base) && !isUrl(base)) throw new SampleError(`${where}: its _base ${base} is neither a folder, an http(s) URL nor github:user/repo`);
    const remoteBase = isUrl(base) ? (base.endsWith("/") ? base : `${base}/`) : undefined;
    const root = isAbsolute(base) ? base : join(dir, base);
    const file = (f: string) => {
      if (isUrl(f)) return f;
      if (remoteBase) return new URL(f, remoteBase).href;
      if (isRemote(f)) throw new SampleError(`${where}: ${f} is neither a file nor an http(s) URL`);
      return isAbsolute(f) ? f : join(root, f);
    };
    const added: string[] = [];
    for (const [name, value] of Object.entries(map)) {
      if (name.startsWith("_")) continue;
      if (typeof value === "string") added.push(this.#setBank(name, { files: [file(value)] }, origin));
      else if (Array.isArray(value)) added.push(this.#setBank(name, { files: value.map((v) => file(String(v))) }, origin));
      else if (value && typeof value === "object") {
        const pitched = Object.entries(value)
          .filter(([k]) => isNoteName(k))
          .map(([k, v]) => ({ midi: noteToMidi(k), file: file(String(Array.isArray(v) ? v[0] : v)) }))
          .sort((a, b) => a.midi - b.midi);
        if (!pitched.length) throw new SampleError(`${where}: "${name}" maps to an object whose keys are not note names`);
        added.push(this.#setBank(name, { files: pitched.map((p) => p.file), pitched }, origin));
      } else {
        throw new SampleError(`${where}: "${name}" must name a file, a list of files or notes to files`);
      }
    }
    return added;
  }

  #setBank(name: string, bank: Omit<Bank, "name" | "origin">, origin: string): string {
    this.#banks.set(name, { ...bank, name, origin });
    return name;
  }
}

/** A sample map enters the cache only if it is JSON of an object. */
async function verifyJson(path: string): Promise<string | undefined> {
  try {
    const map: unknown = JSON.parse(await Bun.file(path).text());
    return typeof map === "object" && map !== null && !Array.isArray(map) ? undefined : "not a sample map (JSON of an object)";
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
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
