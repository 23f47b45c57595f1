/**
 * Crash-safe file writes: a reader (or the next start after a SIGKILL or a
 * power cut) sees either the old file or the new one, never a part.
 * Asynchronous, so an fsync never holds up the server's event loop.
 * @module
 */
import { open, readdir, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const TEMP_MARK = ".tmp-";

/**
 * Writes `data` to `path` atomically: a temporary file in the same directory,
 * written and fsynced, renamed over the target, then the directory fsynced so
 * the rename itself survives a crash.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}${TEMP_MARK}${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  const file = await open(temp, "w", 0o644);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (err) {
    await file.close();
    await safeUnlink(temp);
    throw err;
  }
  await file.close();
  try {
    await rename(temp, path);
  } catch (err) {
    await safeUnlink(temp);
    throw err;
  }
  await fsyncDir(dir);
}

/** Removes temporary files that a killed writer left behind in `dir`; returns how many. */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir)) {
    if (name.startsWith(".") && name.includes(TEMP_MARK)) {
      await safeUnlink(join(dir, name));
      removed++;
    }
  }
  return removed;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function safeUnlink(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
