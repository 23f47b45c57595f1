/**
 * SampleCache: files fetched by URL, kept on disk so that a bank fetched at
 * home plays on stage with no network. An entry is a file named after the
 * hash of its URL; it appears only complete and verified: the body is
 * written to a private temporary file, its size checked against
 * Content-Length and the limit, the caller's check run on it (the loader
 * decodes it), and only then renamed into place (atomic). A partial,
 * corrupt or refused download leaves nothing and is tried again next time.
 *
 * Processes sharing one cache directory download each file once: the one
 * that creates `ENTRY.lock` (O_EXCL) downloads, the others wait for the
 * entry to appear (or the lock to go: then they try themselves). A lock
 * older than the download timeout is stale (its process died) and is taken
 * over. In one process, asking twice for a URL gives the same promise, and
 * at most `concurrency` downloads run at once.
 *
 * Downloads are asynchronous (fetch runs off the JavaScript thread); nothing
 * here blocks the caller.
 * @module
 */
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { extname, join } from "node:path";

export type CacheOptions = {
  /** Cache directory (default: defaultCacheDir()). */
  dir?: string;
  /** A download that takes longer than this fails (default 30 s). */
  timeoutMs?: number;
  /** The largest file accepted, in bytes (default 64 MB). */
  maxBytes?: number;
  /** Downloads at once in this process (default 4). */
  concurrency?: number;
};

/** Why a file could not be had: the URL and a reason a musician can act on. */
export class DownloadError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url}: ${reason}`);
  }
}

/** $OSTINATO_CACHE, else $XDG_CACHE_HOME/ostinato/samples, else ~/.cache/ostinato/samples. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.OSTINATO_CACHE) return env.OSTINATO_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "ostinato", "samples");
}

/** Checks a downloaded file before it enters the cache; resolves to an error message when it is not good. */
export type Verify = (path: string) => Promise<string | undefined>;

export class SampleCache {
  readonly dir: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly concurrency: number;
  readonly #inFlight = new Map<string, Promise<string>>();
  readonly #queue: (() => void)[] = [];
  #running = 0;
  /** Files this process downloaded itself (the others it found cached or another process fetched). */
  downloaded = 0;

  constructor(options: CacheOptions = {}) {
    this.dir = options.dir ?? defaultCacheDir();
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  /** The entry's path for a URL (whether or not it is cached). */
  pathFor(url: string): string {
    const hash = createHash("sha256").update(url).digest("hex").slice(0, 40);
    const ext = extname(new URL(url).pathname).toLowerCase().replace(/[^.a-z0-9]/g, "").slice(0, 8);
    return join(this.dir, hash.slice(0, 2), hash + ext);
  }

  /** The cached file for a URL, or undefined. */
  cached(url: string): string | undefined {
    const path = this.pathFor(url);
    return existsSync(path) ? path : undefined;
  }

  /** True while this process is fetching the URL. */
  fetching(url: string): boolean {
    return this.#inFlight.has(url);
  }

  /**
   * The cached file for a URL, downloading it first if need be. Rejects
   * with a DownloadError naming the URL and the reason.
   */
  get(url: string, verify?: Verify): Promise<string> {
    const hit = this.cached(url);
    if (hit) return Promise.resolve(hit);
    let p = this.#inFlight.get(url);
    if (!p) {
      p = this.#slot(() => this.#obtain(url, verify)).finally(() => this.#inFlight.delete(url));
      this.#inFlight.set(url, p);
    }
    return p;
  }

  /** Remote sources whose map was fetched into this cache (so `ostinato sounds` lists them offline). */
  remembered(): string[] {
    try {
      const list: unknown = JSON.parse(readFileSync(join(this.dir, "sources.json"), "utf8"));
      return Array.isArray(list) ? list.filter((s): s is string => typeof s === "string") : [];
    } catch {
      return [];
    }
  }

  /** Adds a source to remembered() (temp file + rename: a reader never sees half a list). */
  remember(source: string): void {
    const list = this.remembered();
    if (list.includes(source)) return;
    mkdirSync(this.dir, { recursive: true });
    const tmp = join(this.dir, `sources.json.${process.pid}.${Math.random().toString(36).slice(2)}.part`);
    writeFileSync(tmp, JSON.stringify([...list, source], null, 1));
    renameSync(tmp, join(this.dir, "sources.json"));
  }

  /** Entries on disk and their total size (for `ostinato sounds`). */
  usage(): { files: number; bytes: number } {
    let files = 0;
    let bytes = 0;
    if (!existsSync(this.dir)) return { files, bytes };
    for (const sub of readdirSync(this.dir)) {
      const d = join(this.dir, sub);
      if (!statSync(d).isDirectory()) continue;
      for (const f of readdirSync(d)) {
        if (f.endsWith(".lock") || f.endsWith(".part")) continue;
        files++;
        bytes += statSync(join(d, f)).size;
      }
    }
    return { files, bytes };
  }

  // ---------------------------------------------------------------- internals

  async #slot<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) await new Promise<void>((r) => this.#queue.push(r));
    this.#running++;
    try {
      return await job();
    } finally {
      this.#running--;
      this.#queue.shift()?.();
    }
  }

  /** Takes the entry's lock and downloads, or waits for the process holding it. */
  async #obtain(url: string, verify?: Verify): Promise<string> {
    const path = this.pathFor(url);
    const lock = `${path}.lock`;
    mkdirSync(join(path, ".."), { recursive: true });
    const deadline = performance.now() + this.timeoutMs * 2 + 5000;
    for (;;) {
      if (existsSync(path)) return path;
      let fd: number | undefined;
      try {
        fd = openSync(lock, "wx");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw new DownloadError(url, `cannot write the cache (${(err as Error).message})`);
      }
      if (fd !== undefined) {
        writeSync(fd, String(process.pid));
        closeSync(fd);
        try {
          if (existsSync(path)) return path; // finished by another process between our check and our lock
          await this.#download(url, path, verify);
          return path;
        } finally {
          rmSync(lock, { force: true });
        }
      }
      // Another process is downloading it: wait for its entry, or take over a stale lock.
      if (lockAge(lock) > this.timeoutMs + 5000) rmSync(lock, { force: true });
      if (performance.now() > deadline) throw new DownloadError(url, `another process has been downloading it for too long (lock ${lock})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async #download(url: string, path: string, verify?: Verify): Promise<void> {
    const part = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    let fd: number | undefined;
    try {
      let res: Response;
      try {
        // identity: the size checked against Content-Length is the size written
        res = await fetch(url, { signal: abort.signal, redirect: "follow", headers: { "accept-encoding": "identity" } });
      } catch (err) {
        throw new DownloadError(url, abort.signal.aborted ? `no answer within ${this.timeoutMs / 1000} s` : `cannot connect (offline?): ${(err as Error).message}`);
      }
      if (!res.ok) throw new DownloadError(url, `${res.status} ${res.statusText || "error"} at the URL`);
      const declared = res.headers.get("content-length");
      const expected = declared === null ? undefined : Number(declared);
      if (expected !== undefined && expected > this.maxBytes) throw new DownloadError(url, `too large (${expected} bytes; the limit is ${this.maxBytes})`);
      fd = openSync(part, "wx");
      let size = 0;
      try {
        for await (const chunk of res.body ?? []) {
          size += chunk.byteLength;
          if (size > this.maxBytes) throw new DownloadError(url, `too large (more than ${this.maxBytes} bytes)`);
          writeSync(fd, chunk);
        }
      } catch (err) {
        if (err instanceof DownloadError) throw err;
        throw new DownloadError(url, abort.signal.aborted ? `too slow: not complete within ${this.timeoutMs / 1000} s (${size} bytes came)` : `cut short after ${size} bytes: ${(err as Error).message}`);
      }
      closeSync(fd);
      fd = undefined;
      if (expected !== undefined && size !== expected) throw new DownloadError(url, `cut short: ${size} of ${expected} bytes came`);
      const bad = verify ? await verify(part) : undefined;
      if (bad) throw new DownloadError(url, bad);
      renameSync(part, path);
      this.downloaded++;
    } finally {
      clearTimeout(timer);
      if (fd !== undefined) closeSync(fd);
      rmSync(part, { force: true });
    }
  }
}

function lockAge(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}
