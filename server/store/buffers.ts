/**
 * Editor buffers: what the musician is typing, kept so that a crash, a killed
 * server or a closed tab loses nothing. Every save is atomic; every
 * evaluation also adds a version to the buffer's short history; the list of
 * open buffers is kept too, so they all come back after a restart.
 *
 * Layout under the state directory:
 *   buffers/<name>.js          current text
 *   history/<name>/<n>.js      the last HISTORY_SIZE evaluated versions
 *   session.json               the order of the buffers, and which were closed
 * A buffer is open unless it was closed, so a buffer whose first save was cut
 * short by a crash, before session.json recorded it, still comes back.
 * @module
 */
import { mkdir, readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { removeStaleTemps, writeFileAtomic } from "./atomic.ts";
import { checkName } from "./names.ts";
import { MAX_PATTERN_BYTES } from "./patterns.ts";

export const HISTORY_SIZE = 20;

export type BufferState = { name: string; code: string; updated: string };
export type HistoryEntry = { version: number; code: string; saved: string };
type Session = { open: string[]; closed: string[]; updated: Record<string, string> };

export class BufferStore {
  private session: Session = { open: [], closed: [], updated: {} };
  /** Writes to session.json and to history are serialised through this chain. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly skipped = new Set<string>();

  private constructor(
    readonly dir: string,
    private readonly onWarning: (message: string) => void,
  ) {}

  static async open(dir: string, onWarning: (message: string) => void = (m) => console.warn(`ostinato: ${m}`)): Promise<BufferStore> {
    const store = new BufferStore(dir, onWarning);
    await mkdir(join(dir, "buffers"), { recursive: true });
    await mkdir(join(dir, "history"), { recursive: true });
    await removeStaleTemps(dir);
    await removeStaleTemps(join(dir, "buffers"));
    store.session = await readSession(join(dir, "session.json"));
    return store;
  }

  /** The open buffers with their text, in the order they were opened (any the session missed come last). */
  async list(): Promise<BufferState[]> {
    const onDisk = (await readdir(join(this.dir, "buffers")))
      .filter((f) => f.endsWith(".js") && !f.startsWith("."))
      .map((f) => f.slice(0, -3))
      .filter((n) => this.isValid(n) && !this.session.closed.includes(n));
    const rank = (n: string) => {
      const i = this.session.open.indexOf(n);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    onDisk.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const out: BufferState[] = [];
    for (const name of onDisk) {
      const code = await this.get(name);
      if (code !== undefined) out.push({ name, code, updated: this.session.updated[name] ?? "" });
    }
    return out;
  }

  async get(name: string): Promise<string | undefined> {
    return readFile(this.bufferPath(checkName(name)), "utf8").catch(() => undefined);
  }

  /**
   * Saves a buffer's text (and opens it); `evaluated` also records a history
   * version. `open: false` (a script's evaluation) keeps a buffer that is not
   * open in an editor out of the editors' tabs: it is saved, not opened.
   */
  save(name: string, code: string, opts: { evaluated?: boolean; open?: boolean } = {}): Promise<void> {
    checkName(name);
    const bytes = Buffer.byteLength(code, "utf8");
    if (bytes > MAX_PATTERN_BYTES) return Promise.reject(new RangeError(`buffer "${name}" is ${bytes} bytes; the limit is ${MAX_PATTERN_BYTES}`));
    return this.serial(async () => {
      await writeFileAtomic(this.bufferPath(name), code);
      if (opts.evaluated) await this.addHistory(name, code);
      if (opts.open === false && !this.session.open.includes(name)) {
        if (!this.session.closed.includes(name)) this.session.closed.push(name);
      } else {
        if (!this.session.open.includes(name)) this.session.open.push(name);
        this.session.closed = this.session.closed.filter((n) => n !== name);
      }
      this.session.updated[name] = new Date().toISOString();
      await this.writeSession();
    });
  }

  /** Closes a buffer (its text and history stay on disk). */
  close(name: string): Promise<void> {
    checkName(name);
    return this.serial(async () => {
      this.session.open = this.session.open.filter((n) => n !== name);
      if (!this.session.closed.includes(name)) this.session.closed.push(name);
      await this.writeSession();
    });
  }

  /** The buffer's evaluated versions, newest first. */
  async history(name: string): Promise<HistoryEntry[]> {
    const dir = this.historyDir(checkName(name));
    const versions = await listVersions(dir);
    const entries = await Promise.all(
      versions.map(async (v) => {
        const text = await readFile(join(dir, `${v}.js`), "utf8");
        const nl = text.indexOf("\n");
        return { version: v, saved: text.slice(3, nl), code: text.slice(nl + 1) };
      }),
    );
    return entries.reverse();
  }

  private async addHistory(name: string, code: string): Promise<void> {
    const dir = this.historyDir(name);
    await mkdir(dir, { recursive: true });
    const versions = await listVersions(dir);
    const latest = versions.at(-1);
    if (latest !== undefined) {
      const previous = await readFile(join(dir, `${latest}.js`), "utf8").catch(() => "");
      if (previous.slice(previous.indexOf("\n") + 1) === code) return; // same text evaluated again
    }
    const next = (latest ?? 0) + 1;
    await writeFileAtomic(join(dir, `${next}.js`), `// ${new Date().toISOString()}\n${code}`);
    for (const old of versions.slice(0, Math.max(0, versions.length + 1 - HISTORY_SIZE))) {
      await unlink(join(dir, `${old}.js`)).catch(() => undefined);
    }
  }

  private writeSession(): Promise<void> {
    return writeFileAtomic(join(this.dir, "session.json"), JSON.stringify(this.session, null, 2));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A file whose name no buffer may have (café.js, song's.js) is skipped, with a warning once; it is never fatal. */
  private isValid(name: string): boolean {
    try {
      checkName(name);
      return true;
    } catch (err) {
      if (!this.skipped.has(name)) {
        this.skipped.add(name);
        this.onWarning(`buffers: skipped ${JSON.stringify(`${name}.js`)} in ${join(this.dir, "buffers")}: ${(err as Error).message}`);
      }
      return false;
    }
  }

  private bufferPath(name: string): string {
    return join(this.dir, "buffers", `${name}.js`);
  }

  private historyDir(name: string): string {
    return join(this.dir, "history", name);
  }
}

async function listVersions(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((n) => /^(\d+)\.js$/.exec(n)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

async function readSession(path: string): Promise<Session> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<Session>;
    const names = (x: unknown) => (Array.isArray(x) ? x.filter((n): n is string => typeof n === "string") : []);
    return { open: names(parsed.open), closed: names(parsed.closed), updated: typeof parsed.updated === "object" && parsed.updated ? parsed.updated : {} };
  } catch {
    return { open: [], closed: [], updated: {} };
  }
}
