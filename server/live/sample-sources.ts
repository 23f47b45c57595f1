/**
 * Applies a program's samples(...) sources to a sample library. A local
 * folder or JSON map that does not exist is the program's error (it fails,
 * and the previous program keeps playing). A remote source (github:..., a
 * URL) never fails the program live: its map comes from the cache at once
 * when it was fetched before, else it is waited for at most `waitMs` and
 * added when it arrives; one that cannot be had is a warning with the
 * reason, and the rest plays. An offline render (`strict`) waits for it and
 * fails with the reason, so a render is the same with or without a cache.
 * @module
 */
import { isRemote, type SampleLibrary, type SampleMap } from "../engine/index.ts";
import { ProgramError } from "./errors.ts";

export type SourceOptions = {
  /** Longest wait for a remote map live (default 2 s); the evaluation goes on without it. */
  waitMs?: number;
  /** Offline render: wait for every remote map, and fail with the reason. */
  strict?: boolean;
};

export async function addSampleSources(
  library: SampleLibrary,
  sources: readonly (string | SampleMap)[],
  baseDir: string | undefined,
  warn?: (message: string) => void,
  options: SourceOptions = {},
): Promise<void> {
  const remote: Promise<void>[] = [];
  for (const source of sources) {
    if (typeof source === "string" && isRemote(source)) {
      remote.push(addRemote(library, source, warn, options));
      continue;
    }
    try {
      library.add(source, baseDir);
    } catch (err) {
      throw new ProgramError((err as Error).message, "evaluate");
    }
  }
  await Promise.all(remote);
}

async function addRemote(library: SampleLibrary, source: string, warn: ((message: string) => void) | undefined, options: SourceOptions): Promise<void> {
  const added = library.addRemote(source).catch((err: Error) => err);
  if (options.strict) {
    const result = await added;
    if (result instanceof Error) throw new ProgramError(result.message, "evaluate");
    return;
  }
  let waited = false;
  const timer = new Promise<void>((r) => setTimeout(() => ((waited = true), r()), options.waitMs ?? 2000));
  const first = await Promise.race([added, timer]);
  if (!waited) {
    if (first instanceof Error) warn?.(`${first.message}; the rest plays`);
    return;
  }
  warn?.(`samples("${source}"): its sample map is still downloading; its sounds play once it has arrived`);
  void added.then((r) => warn?.(r instanceof Error ? `${r.message}; the rest plays` : `samples("${source}"): ${r.length} sounds arrived`));
}
