/**
 * Recordings: takes of the output, as 32-bit float WAV files in one folder.
 * The engine records natively (a writer thread drains a ring; the audio
 * thread never touches the file); this keeps the names and the folder. A
 * take belongs to the engine, not to the program that started it: it runs
 * until stopped (from a program, the CLI, REST, the WebSocket) or until
 * the host closes.
 * @module
 */
import { existsSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { writeErrorText, type Engine, type RecordingInfo } from "../engine/index.ts";

/** A take's name: letters, digits, - _ . (the folder is fixed; ".wav" is added). */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

/** `problem`: what went wrong with the take, in words to act on (frames lost to a full disk or a slow one); absent when healthy. */
export type RecordingStatus =
  | { recording: false }
  | { recording: true; path: string; name: string; frames: number; seconds: number; dropped: number; lost: number; problem?: string };
export type FinishedRecording = RecordingInfo & { path: string; name: string; seconds: number; problem?: string };

export class RecordingError extends Error {}

export class Recordings {
  #current?: { path: string; name: string };

  constructor(
    private readonly engine: Engine,
    /** The folder takes go to. */
    readonly dir: string,
  ) {}

  /** Starts a take named `name` (a new file: an existing take is never overwritten). */
  start(name = "take"): { path: string; name: string } {
    const bare = name.replace(/\.wav$/i, "");
    if (!NAME.test(bare)) throw new RecordingError(`a recording name is letters, digits, - _ . (up to 100; got ${JSON.stringify(name)})`);
    mkdirSync(this.dir, { recursive: true });
    let file = join(this.dir, `${bare}.wav`);
    for (let i = 1; existsSync(file); i++) file = join(this.dir, `${bare}-${i}.wav`);
    return this.startAt(file);
  }

  /** Starts a take at any path (the command line's --record FILE). */
  startAt(path: string): { path: string; name: string } {
    if (this.#current) throw new RecordingError(`already recording to ${this.#current.path}; stop that first`);
    const full = resolve(path);
    try {
      this.engine.recordStart(full);
    } catch (err) {
      throw new RecordingError((err as Error).message);
    }
    this.#current = { path: full, name: basename(full) };
    return { ...this.#current };
  }

  /** Stops the take; what it holds. */
  stop(): FinishedRecording {
    const current = this.#current;
    if (!current) throw new RecordingError("nothing is being recorded");
    this.#current = undefined;
    const info = this.engine.recordStop();
    const rate = this.engine.sampleRate;
    const problem = takeProblem(info.lost, info.dropped, info.writeError, info.frames - info.lost, rate);
    return { ...info, ...current, seconds: (info.frames - info.lost) / rate, ...(problem ? { problem } : {}) };
  }

  status(): RecordingStatus {
    if (!this.#current) return { recording: false };
    const t = this.engine.telemetry();
    const problem = takeProblem(t.recordLost, t.recordDropped, writeErrorText(t.recordError), t.recordFrames - t.recordLost, t.sampleRate);
    return {
      recording: true, ...this.#current, frames: t.recordFrames, seconds: t.recordFrames / t.sampleRate, dropped: t.recordDropped, lost: t.recordLost,
      ...(problem ? { problem } : {}),
    };
  }

  /** Stops a running take (the host is closing). */
  close(): FinishedRecording | undefined {
    return this.#current ? this.stop() : undefined;
  }
}

/** What is wrong with a take, or undefined: frames a full disk refused, frames a slow disk made the ring drop. */
function takeProblem(lost: number, dropped: number, writeError: string | undefined, kept: number, rate: number): string | undefined {
  const parts: string[] = [];
  if (lost > 0 || writeError) {
    parts.push(`the disk refused ${lost} frames (${writeError ?? "write failed"}): the take ends at ${(Math.max(0, kept) / rate).toFixed(1)} s; free some space and start a new take`);
  }
  if (dropped > 0) parts.push(`${dropped} frames were dropped because the disk was too slow; record to a faster disk`);
  return parts.length ? parts.join("; ") : undefined;
}
