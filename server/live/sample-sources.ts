/**
 * Applies a program's samples(...) sources to a sample library: a local
 * folder or JSON map that does not exist is the program's error (it fails,
 * and the previous program keeps playing); a URL (Strudel's
 * samples('github:...')) cannot be fetched here, so it is skipped with a
 * warning and the program plays on with what is local and the built-in kit.
 * @module
 */
import type { SampleLibrary, SampleMap } from "../engine/index.ts";
import { ProgramError } from "./errors.ts";

export function addSampleSources(library: SampleLibrary, sources: readonly (string | SampleMap)[], baseDir: string | undefined, warn?: (message: string) => void): void {
  for (const source of sources) {
    if (typeof source === "string" && /^[a-z]+:/i.test(source)) {
      warn?.(`samples("${source}") skipped: this engine has no network access; the built-in kit plays bd sd hh oh cp rim lt mt ht cb cr rd sh, and local folders load with samples("path") or --samples DIR`);
      continue;
    }
    if (typeof source === "object" && typeof source._base === "string" && /^[a-z]+:/i.test(source._base)) {
      warn?.(`samples({...}, "${source._base}") skipped: this engine has no network access; give a local folder as the base`);
      continue;
    }
    try {
      library.add(source, baseDir);
    } catch (err) {
      throw new ProgramError((err as Error).message, "evaluate");
    }
  }
}
