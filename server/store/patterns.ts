/**
 * Pattern files: the user's programs as files in one directory (by default
 * `patterns/`), listed, read, written atomically and deleted by name.
 * @module
 */
import { mkdir, readdir, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { removeStaleTemps, writeFileAtomic } from "./atomic.ts";
import { PATTERN_EXTENSIONS, patternFileName } from "./names.ts";
import { KeyedQueue } from "./serial.ts";

export type PatternInfo = { name: string; size: number; modified: string };

/** A pattern file that does not exist. */
export class PatternNotFoundError extends Error {
  constructor(readonly patternName: string) {
    super(`no pattern named "${patternName}"`);
    this.name = "PatternNotFoundError";
  }
}

/** The largest pattern file the store accepts, in bytes. */
export const MAX_PATTERN_BYTES = 1 << 20;

export class PatternStore {
  /** Writes and deletes of one file happen in the order they were asked for. */
  private readonly queue = new KeyedQueue();

  private constructor(readonly dir: string) {}

  /** Opens (and creates) the directory and clears temp files a crash left behind. */
  static async open(dir: string): Promise<PatternStore> {
    await mkdir(dir, { recursive: true });
    await removeStaleTemps(dir);
    return new PatternStore(dir);
  }

  async list(): Promise<PatternInfo[]> {
    const names = (await readdir(this.dir)).filter((n) => !n.startsWith(".") && PATTERN_EXTENSIONS.some((e) => n.endsWith(e)));
    const infos = await Promise.all(names.map((n) => this.info(n).catch(() => undefined)));
    return infos.filter((i): i is PatternInfo => i !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(name: string): Promise<string> {
    const file = patternFileName(name);
    try {
      return await readFile(join(this.dir, file), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new PatternNotFoundError(file);
      throw err;
    }
  }

  async write(name: string, content: string): Promise<PatternInfo> {
    const file = patternFileName(name);
    const bytes = Buffer.byteLength(content, "utf8");
    if (bytes > MAX_PATTERN_BYTES) throw new RangeError(`pattern "${file}" is ${bytes} bytes; the limit is ${MAX_PATTERN_BYTES}`);
    return this.queue.run(file, async () => {
      await writeFileAtomic(join(this.dir, file), content);
      return this.info(file);
    });
  }

  async delete(name: string): Promise<void> {
    const file = patternFileName(name);
    await this.queue.run(file, async () => {
      try {
        await unlink(join(this.dir, file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new PatternNotFoundError(file);
        throw err;
      }
    });
  }

  private async info(file: string): Promise<PatternInfo> {
    const s = await stat(join(this.dir, file));
    return { name: file, size: s.size, modified: s.mtime.toISOString() };
  }
}
