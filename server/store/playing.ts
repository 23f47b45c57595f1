/**
 * What was playing, kept so that a restarted server (killed, crashed, or
 * stopped) plays it again: the programs of the playing buffers in the order
 * they were evaluated, which slots were muted or soloed, and the tempo.
 * Written atomically (debounced) whenever it changes, to
 * <state>/playing.json; a missing or unreadable file means silence.
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.ts";

export type PlayingState = {
  programs: { buffer: string; code: string }[];
  muted: string[];
  solo: string[];
  cps: number;
};

export class PlayingStore {
  private timer?: ReturnType<typeof setTimeout>;
  private latest?: PlayingState;
  private written = "";
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  get path(): string {
    return join(this.dir, "playing.json");
  }

  /** What was playing when the server last saved it, or undefined. */
  async load(): Promise<PlayingState | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.path, "utf8")) as Partial<PlayingState>;
      const names = (x: unknown) => (Array.isArray(x) ? x.filter((n): n is string => typeof n === "string") : []);
      const programs = Array.isArray(parsed.programs)
        ? parsed.programs.filter((p): p is { buffer: string; code: string } => !!p && typeof p.buffer === "string" && typeof p.code === "string")
        : [];
      const cps = typeof parsed.cps === "number" && Number.isFinite(parsed.cps) && parsed.cps > 0 ? parsed.cps : undefined;
      return cps === undefined ? undefined : { programs, muted: names(parsed.muted), solo: names(parsed.solo), cps };
    } catch {
      return undefined;
    }
  }

  /** Saves soon (changes come in bursts: an evaluation, its state, a tempo). */
  save(state: PlayingState): void {
    this.latest = state;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, 100);
  }

  /** Writes what is pending now (close). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const state = this.latest;
    if (!state) return this.writing;
    const text = JSON.stringify(state, null, 2);
    if (text === this.written) return this.writing;
    this.written = text;
    this.writing = this.writing.then(() => writeFileAtomic(this.path, text)).catch((err) => this.onError(`could not save what is playing: ${(err as Error).message}`));
    return this.writing;
  }
}
