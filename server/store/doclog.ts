/**
 * A shared buffer's Yjs document on disk: an atomic snapshot (the whole
 * document as one Yjs update) and an append-only log of the updates that
 * came after it, each as a 4-byte little-endian length and the update's
 * bytes. An update is acknowledged to the editor that sent it only after
 * the log is fsynced, so a kill -9 or a power cut loses no acknowledged
 * keystroke. Appends that arrive while an fsync runs are written together
 * and fsynced once (group commit), so sixteen typists cost one fsync per
 * round, not sixteen.
 *
 * Compaction writes a fresh snapshot (temp file, fsync, rename) and then
 * empties the log. A crash between the two leaves updates in the log that
 * the snapshot already holds; Yjs applies an update twice as once, so
 * loading stays correct. A record cut short by a crash (never acknowledged)
 * is ignored on load.
 *
 * Layout under the state directory:
 *   docs/<name>.snapshot   the document as of the last compaction
 *   docs/<name>.log        updates since then
 * @module
 */
import { mkdir, open, readFile, stat, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { removeStaleTemps, writeFileAtomic } from "./atomic.ts";
import { checkName } from "./names.ts";

/** Compact when the log holds this many bytes. */
export const COMPACT_BYTES = 256 * 1024;

export type LoadedDoc = { snapshot?: Uint8Array; updates: Uint8Array[]; logBytes: number; tornBytes: number };

export class DocLog {
  private file?: FileHandle;
  private logBytes = 0;
  private pending: { data: Uint8Array; done: (err?: Error) => void }[] = [];
  private writing?: Promise<void>;
  private closed = false;

  private constructor(
    private readonly dir: string,
    readonly name: string,
  ) {}

  /** Opens (creating the directory) and reads what is on disk. */
  static async open(stateDir: string, name: string): Promise<{ log: DocLog; loaded: LoadedDoc }> {
    const dir = join(stateDir, "docs");
    await mkdir(dir, { recursive: true });
    await removeStaleTemps(dir);
    const log = new DocLog(dir, checkName(name));
    const loaded = await log.read();
    log.file = await open(log.logPath, "a");
    // A record cut short would swallow the next ones appended after it: cut it off.
    if (loaded.tornBytes) await log.file.truncate(loaded.logBytes - loaded.tornBytes);
    log.logBytes = loaded.logBytes - loaded.tornBytes;
    return { log, loaded };
  }

  /** Whether the buffer has a document on disk (it was shared once). */
  static async exists(stateDir: string, name: string): Promise<boolean> {
    return stat(join(stateDir, "docs", `${checkName(name)}.snapshot`)).then(
      () => true,
      () => false,
    );
  }

  /** True when no snapshot and no log exist yet: the document is new. */
  static isEmpty(loaded: LoadedDoc): boolean {
    return !loaded.snapshot && loaded.updates.length === 0;
  }

  get needsCompaction(): boolean {
    return this.logBytes >= COMPACT_BYTES;
  }

  /** Appends an update; resolves once it is on disk (fsynced). */
  append(update: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`document "${this.name}" is closed`));
    return new Promise((resolve, reject) => {
      this.pending.push({ data: update, done: (err) => (err ? reject(err) : resolve()) });
      this.writing ??= this.drain();
    });
  }

  /** Replaces snapshot and log with `state` (the whole document), after the appends already asked for. */
  async compact(state: Uint8Array): Promise<void> {
    await this.flushed();
    await writeFileAtomic(this.snapshotPath, state);
    await this.file?.truncate(0);
    await this.file?.sync();
    this.logBytes = 0;
  }

  /** Resolves when every append asked for so far is on disk. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  async close(): Promise<void> {
    await this.flushed();
    this.closed = true;
    await this.file?.close();
    this.file = undefined;
  }

  /** Writes everything pending as one write and one fsync, until nothing is pending. */
  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending;
        this.pending = [];
        try {
          const bytes = frame(batch.map((p) => p.data));
          await this.file!.write(bytes);
          await this.file!.sync();
          this.logBytes += bytes.length;
          for (const p of batch) p.done();
        } catch (err) {
          for (const p of batch) p.done(err as Error);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async read(): Promise<LoadedDoc> {
    const snapshot = await readFile(this.snapshotPath).then((b) => new Uint8Array(b), () => undefined);
    const log = await readFile(this.logPath).then((b) => new Uint8Array(b), () => new Uint8Array(0));
    const updates: Uint8Array[] = [];
    const view = new DataView(log.buffer, log.byteOffset, log.byteLength);
    let at = 0;
    while (at + 4 <= log.length) {
      const n = view.getUint32(at, true);
      if (at + 4 + n > log.length) break;
      updates.push(log.subarray(at + 4, at + 4 + n));
      at += 4 + n;
    }
    return { snapshot, updates, logBytes: log.length, tornBytes: log.length - at };
  }

  private get snapshotPath(): string {
    return join(this.dir, `${this.name}.snapshot`);
  }

  private get logPath(): string {
    return join(this.dir, `${this.name}.log`);
  }
}

/** Length-prefixed records, one buffer. */
function frame(updates: Uint8Array[]): Uint8Array {
  const total = updates.reduce((n, u) => n + 4 + u.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const u of updates) {
    view.setUint32(at, u.length, true);
    out.set(u, at + 4);
    at += 4 + u.length;
  }
  return out;
}
