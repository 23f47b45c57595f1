/**
 * Every sound a program can name, for `ostinato sounds`, GET /api/sounds and
 * the editor's Sounds panel: the built-in synths and drums, and each sample
 * bank with its count of files, where it came from and how many of its
 * files are on disk (local, or in the cache: playable offline). Remote
 * sources are listed from the cache's memory of them too, so a bank fetched
 * at home is listed on stage. Listing never downloads audio; a remote map
 * not cached yet is fetched (it is small) or reported as unavailable.
 * @module
 */
import { ScaleType } from "@tonaljs/tonal";
import { libraryTables, SampleCache, SampleLibrary, isRemote, type SampleLoader, type SampleMap } from "../engine/index.ts";

export type SoundEntry =
  | { name: string; kind: "synth" | "drum"; origin: "built-in" }
  | { name: string; kind: "sample"; files: number; cached: number; origin: string; pitched: boolean };

/** `scales`: the scale types scale("C:…") takes, written as Strudel writes them ("minor:pentatonic"), for the editor's completion. */
export type SoundList = { sounds: SoundEntry[]; unavailable: { source: string; reason: string }[]; cache: string; scales: string[] };

/** The built-in drum kit's names (the engine's sounds from bd to sh) and its synths. */
export function builtInSounds(): SoundEntry[] {
  const index = libraryTables().soundIndex;
  const first = index.get("bd")!;
  const last = index.get("sh")!;
  const out: SoundEntry[] = [];
  for (const [name, i] of index) if (!name.startsWith("_") && name !== "sample") out.push({ name, kind: i >= first && i <= last ? "drum" : "synth", origin: "built-in" });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** A loader for a library that only lists (it never loads a file). */
const NO_LOADER: SampleLoader = {
  loadSample: () => {
    throw new Error("listing sounds loads no sample");
  },
  sampleInfo: () => ({ state: "free", frames: 0, channels: 0, sampleRate: 0, streamed: false }),
};

export async function listSounds(sources: readonly (string | SampleMap)[], options: { cache?: SampleCache; githubBase?: string; baseDir?: string } = {}): Promise<SoundList> {
  const cache = options.cache ?? new SampleCache();
  const library = new SampleLibrary(NO_LOADER, { cache, githubBase: options.githubBase });
  const unavailable: SoundList["unavailable"] = [];
  const all = [...cache.remembered(), ...sources.filter((s) => typeof s !== "string" || !cache.remembered().includes(s))];
  for (const source of all) {
    try {
      if (typeof source === "string" && isRemote(source)) await library.addRemote(source);
      else library.add(source, options.baseDir);
    } catch (err) {
      unavailable.push({ source: typeof source === "string" ? source : "a sample map", reason: (err as Error).message });
    }
  }
  const banks: SoundEntry[] = library.names().map((name) => ({
    name,
    kind: "sample",
    files: library.files(name).length,
    cached: library.available(name),
    origin: library.origin(name) ?? "",
    pitched: library.pitched(name),
  }));
  return { sounds: [...builtInSounds(), ...banks], unavailable, cache: cache.dir, scales: scaleNames() };
}

/** Every scale type, spaces as colons (Strudel's "C:minor:pentatonic"), sorted. */
export function scaleNames(): string[] {
  return ScaleType.names().map((n: string) => n.replace(/ /g, ":")).sort();
}
