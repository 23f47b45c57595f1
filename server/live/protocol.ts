/**
 * Messages between the main thread (LiveSession, watchdog) and the live
 * worker (evaluator + scheduler), and the shared memory the watchdog reads.
 * The worker is disposable: everything needed to start a fresh one after a
 * hang (programs, tempo, horizon, mute/solo) is mirrored in the main thread.
 * @module
 */
import type { SharedMidi } from "../engine/midi.ts";
import type { TargetConfig } from "../targets/target.ts";
import type { ProgramErrorJSON } from "./errors.ts";
import type { ScheduledEvent } from "./scheduler.ts";
import type { SlotState } from "./slots.ts";
import type { TempoPiece } from "./tempo.ts";
import type { SlotPlace } from "./block-place.ts";

import type { SampleMap, SharedEngine } from "../engine/index.ts";
import type { SharedLink } from "../engine/link.ts";
import type { RecordRequest } from "./program.ts";

/** One evaluation to replay, in the order it first happened. */
export type ProgramRecord = { buffer: string; code: string; place?: SlotPlace };

export type WorkerInit = {
  type: "init";
  engine: SharedEngine;
  /** The session's MIDI client, once opened (MIDI out, in and clock: one JACK client that outlives workers). */
  midi?: SharedMidi;
  tempo: TempoPiece[];
  /** Resume after this cycle (numerator, denominator), or from the clock's cycle now. */
  horizon: [number, number] | null;
  /** Seconds until a change is heard. */
  lookahead: number;
  /** Seconds of events queued ahead in the engine. */
  queueAhead: number;
  tickMs: number;
  /** Where events go (the engine, SuperDirt): targets/target.ts. */
  targets: TargetConfig;
  /** The /ctrl values received so far. */
  ctrl: [string, number | string][];
  /** What the MIDI inputs told so far (targets/midi-state.ts): the session's, shared by every worker. */
  midiState: SharedArrayBuffer;
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
  /** The disk cache of samples fetched by URL. */
  cacheDir: string;
  /** Where github: sources point. */
  githubBase: string;
  /** The control channel: user code has no reference to it (it can reassign `self.onmessage`, not this). */
  port: MessagePort;
  /** The deadline of an evaluation, awaits and sample loads included, in milliseconds. */
  evalTimeoutMs: number;
  /**
   * Seconds of events queued before an evaluation starts, beyond the queue
   * depth: its synchronous work (and a hang in it, until the watchdog has
   * replaced the worker) does not starve the engine.
   */
  evalCushion: number;
  /** The main thread's Link instance while Link is on (the tempo map follows its session). */
  link?: SharedLink;
  /** The transport was stopped (Link's start/stop, or ours with Link off): the new worker stays stopped. */
  stopped?: boolean;
  /**
   * "standby": replay the programs and keep up with each one that works
   * (adopt), but schedule nothing, send nothing (engine, OSC, MIDI), run no
   * program's timer, until told to take over.
   */
  role: "playing" | "standby";
  /** A standby warms the transpiler before it says it is ready (not under a tight CPU quota). */
  warm?: boolean;
  /** This worker's writer id: its engine pushes are taken only while it is the engine's writer. */
  writer: number;
  /** One Int32 cell: the id of the worker that may write now (the engine's writer, mirrored for OSC and MIDI). */
  writerCell: SharedArrayBuffer;
};

/**
 * What a standby needs to take over from the playing worker: the mirror of
 * the state, and where the old worker's queue ends (its horizon).
 */
export type Takeover = {
  type: "takeover";
  tempo: TempoPiece[];
  horizon: [number, number] | null;
  muted: string[];
  solo: string[];
  failed: { id: string; error: ProgramErrorJSON }[];
  /** The old worker's engine tag of each slot: queued events keep theirs, so later cuts and retractions still find them. */
  tags: { id: string; tag: number }[];
  ctrl: [string, number | string][];
  highlight: boolean;
  link?: SharedLink;
  /** The transport was stopped: the new worker stays stopped. */
  stopped?: boolean;
  /** The session's MIDI client, should it have one: the worker that plays attaches to it (a standby never flushes to it). */
  midi?: SharedMidi;
  /** A slot the old worker was stuck querying: not queried until released (it may hang this worker too). */
  hold?: string;
  /** A buffer whose timer the old worker was stuck in: its timers are stopped. */
  stopTimers?: string;
};

/**
 * Commands that must reach the engine whatever user code does. Each carries a
 * sequence number; the worker stores the last one it applied in
 * SHARED.CONTROL_ACK, and schedules nothing while one is outstanding, so no
 * event is pushed between a command and its effect. A worker that does not
 * acknowledge in time is replaced (see session.ts).
 */
export type Control =
  | { type: "hush"; seq: number }
  | { type: "mute"; seq: number; slot: string; on: boolean }
  | { type: "solo"; seq: number; slot: string; on: boolean }
  | { type: "setCps"; seq: number; cps: number; frame: number }
  /** Our cycle position moves forward by `cycles` at the horizon (MIDI clock in's Start / Song Position). */
  | { type: "shiftPhase"; seq: number; cycles: number }
  /** Link turned on (the instance to follow) or off (null). */
  | { type: "link"; seq: number; link: SharedLink | null }
  /** Our transport stops or starts on the next bar (Link off; while on, the session's transport says). */
  | { type: "transport"; seq: number; playing: boolean };

export type ToWorker =
  | WorkerInit
  | { type: "eval"; id: number; buffer: string; code: string; quantize: boolean; place?: SlotPlace; keepFailed?: { id: string; error: ProgramErrorJSON }[] }
  | Control
  | { type: "highlight"; on: boolean }
  /** Plays one sound once, at the change frame (the editor's Sounds panel). */
  | { type: "audition"; sound: string; n: number; source?: string }
  /** A value sent from outside (OSC /ctrl), read by ctrl("key"). */
  | { type: "ctrl"; key: string; value: number | string }
  | { type: "stop" }
  /** The session's MIDI client, opened on the worker's "wantMidi". */
  | { type: "midi"; shared: SharedMidi }
  /** To a standby: a program that evaluated in the playing worker, to hold too. */
  | { type: "adopt"; record: ProgramRecord }
  /** To a standby: the programs that play now, replacing what it holds (hush, a program dropped). */
  | { type: "programs"; programs: ProgramRecord[] }
  | Takeover
  /** The slot held at a takeover: the old worker woke up, so it plays again; or, with `error`, it did not: the slot stays stopped, with why. */
  | { type: "release"; slot: string; error?: ProgramErrorJSON }
  /** Removes a buffer's slots and timers (its program was blamed after a takeover). */
  | { type: "drop"; buffer: string };

export type EvalReply =
  /** `stopped`: the slots of this evaluation that are stopped (with why), although the program installed; `warnings`: what will not sound. */
  | { type: "evalResult"; id: number; ok: true; slots: string[]; stopped: ProgramErrorJSON[]; warnings?: string[] }
  | { type: "evalResult"; id: number; ok: false; error: ProgramErrorJSON };

/** The worker's state after every change, so a successor can take over. */
export type WorkerState = {
  type: "state";
  slots: SlotState[];
  tempo: TempoPiece[];
  horizon: [number, number];
  /** While following Link: the latest phase error against the session, ms. */
  linkPhaseErrorMs?: number;
  /** While following Link: a cycle start and the Link host time (µs) at which it is heard. */
  linkDownbeat?: { cycle: number; hostUs: number };
  /** While following Link: the session's transport and the cycle at which we last stopped or started with it. */
  linkTransport?: { playing: boolean; cycle: number | null; hostUs: number | null };
  /** Whether our transport is stopped (or stops on a bar already chosen). */
  stopped?: boolean;
};

export type FromWorker =
  /** `dropped`: programs that failed when replayed into this worker; they are not replayed again. */
  | { type: "ready"; dropped: { buffer: string; error: ProgramErrorJSON }[] }
  /** A standby holds the programs up to this record (in the order sent: `adopt` count). */
  | { type: "adopted"; count: number; error?: ProgramErrorJSON }
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
  | { type: "record"; request: RecordRequest }
  /** A program called link(on): the main thread turns Link on or off. */
  | { type: "link"; on: boolean }
  /** A pattern wants MIDI: the main thread opens its client (if it can) and answers with "midi". */
  | { type: "wantMidi" };

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
  /** The sequence number of the last control command sent (written by the main thread). */
  CONTROL_SEQ: 4,
  /** The sequence number of the last control command applied (written by the worker). */
  CONTROL_ACK: 5,
  /** Int32 cells in all. */
  CELLS: 8,
  /** Float64 cells from this byte offset: the horizon as numerator, denominator. */
  HORIZON_BYTE_OFFSET: 32,
  /**
   * Int32 length then UTF-8 bytes of a name: the slot being queried
   * (PHASE.QUERYING), or the buffer whose timer runs (PHASE.TIMER) or whose
   * program is being replayed (PHASE.REPLAYING).
   */
  SLOT_ID_BYTE_OFFSET: 48,
  SLOT_ID_MAX_BYTES: 400,
  SIZE_BYTES: 48 + 4 + 400,
} as const;

/**
 * What the worker is doing, so that the watchdog blames the right code:
 * TIMER is a program's timer callback, REPLAYING a program replayed into a
 * fresh worker (both name their buffer).
 */
export const PHASE = { IDLE: 0, EVALUATING: 1, QUERYING: 2, STARTING: 3, TIMER: 4, REPLAYING: 5 } as const;
