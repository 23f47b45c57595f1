/**
 * Messages between the main thread (LiveSession, watchdog) and the live
 * worker (evaluator + scheduler), and the shared memory the watchdog reads.
 * The worker is disposable: everything needed to start a fresh one after a
 * hang (programs, tempo, horizon, mute/solo) is mirrored in the main thread.
 * @module
 */
import type { ProgramErrorJSON } from "./errors.ts";
import type { ScheduledEvent } from "./scheduler.ts";
import type { SlotState } from "./slots.ts";
import type { TempoPiece } from "./tempo.ts";

import type { SampleMap, SharedEngine } from "../engine/index.ts";
import type { RecordRequest } from "./program.ts";

/** One evaluation to replay, in the order it first happened. */
export type ProgramRecord = { buffer: string; code: string };

export type WorkerInit = {
  type: "init";
  engine: SharedEngine;
  tempo: TempoPiece[];
  /** Resume after this cycle (numerator, denominator), or from the clock's cycle now. */
  horizon: [number, number] | null;
  /** Seconds until a change is heard. */
  lookahead: number;
  /** Seconds of events queued ahead in the engine. */
  queueAhead: number;
  tickMs: number;
  /** Replayed without their side effects (setcps, hush): tempo comes from `tempo`. */
  programs: ProgramRecord[];
  muted: string[];
  solo: string[];
  /** Slots that hung or threw at query time: kept stopped. */
  failed: { id: string; error: ProgramErrorJSON }[];
  highlight: boolean;
  shared: SharedArrayBuffer;
  /** Sample sources (--samples, and what programs added with samples(...)). */
  samples: (string | SampleMap)[];
  /** Where relative paths in samples(...) start. */
  baseDir: string;
};

export type ToWorker =
  | WorkerInit
  | { type: "eval"; id: number; buffer: string; code: string; quantize: boolean; keepFailed?: { id: string; error: ProgramErrorJSON }[] }
  | { type: "hush" }
  | { type: "mute"; slot: string; on: boolean }
  | { type: "solo"; slot: string; on: boolean }
  | { type: "setCps"; cps: number }
  | { type: "highlight"; on: boolean }
  | { type: "stop" };

export type EvalReply =
  | { type: "evalResult"; id: number; ok: true; slots: string[]; warnings?: string[] }
  | { type: "evalResult"; id: number; ok: false; error: ProgramErrorJSON };

/** The worker's state after every change, so a successor can take over. */
export type WorkerState = {
  type: "state";
  slots: SlotState[];
  tempo: TempoPiece[];
  horizon: [number, number];
};

export type FromWorker =
  | { type: "ready" }
  | EvalReply
  | WorkerState
  | { type: "error"; error: ProgramErrorJSON }
  | { type: "warning"; message: string }
  | { type: "events"; events: ScheduledEvent[] }
  | { type: "retract"; slots: string[] | "all"; fromFrame: number }
  | { type: "fatal"; message: string }
  /** The sample sources now known (a program added some). */
  | { type: "samples"; sources: (string | SampleMap)[] }
  /** A program called record(...): the main thread starts or stops the take. */
  | { type: "record"; request: RecordRequest };

/** Int32 cells of the shared buffer. */
export const SHARED = {
  /** Incremented by the worker at every tick and evaluation step. */
  HEARTBEAT: 0,
  /** What the worker is doing: one of PHASE. */
  PHASE: 1,
  /** The engine tag of the slot being queried (PHASE.QUERYING). */
  SLOT_TAG: 2,
  /** The id of the evaluation running (PHASE.EVALUATING). */
  EVAL_ID: 3,
  /** Float64 cells from this byte offset: the horizon as numerator, denominator. */
  HORIZON_BYTE_OFFSET: 16,
  /** Int32 length then UTF-8 bytes of the id of the slot being queried (PHASE.QUERYING). */
  SLOT_ID_BYTE_OFFSET: 32,
  SLOT_ID_MAX_BYTES: 400,
  SIZE_BYTES: 32 + 4 + 400,
} as const;

export const PHASE = { IDLE: 0, EVALUATING: 1, QUERYING: 2, STARTING: 3 } as const;
