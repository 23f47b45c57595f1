/**
 * LiveSession: the main thread's side of live coding. It owns nothing that
 * runs user code; it starts the live worker, forwards commands to it,
 * mirrors the state a successor would need, and watches its heartbeat.
 *
 * Watchdog policy: when the worker's heartbeat stops for `hangTimeoutMs`
 * (an endless loop in user code, at evaluation or at query time), the worker
 * is terminated and a fresh one starts with the programs that last worked,
 * the tempo map and the horizon. If it hung evaluating, that evaluation
 * fails with a clear error; if it hung querying a slot, that slot is
 * stopped alone. Meanwhile the engine plays what is queued and its clock
 * never stops: it lives on the main thread and in native code.
 * @module
 */
import type { Engine, SampleMap } from "../engine/index.ts";
import type { RecordRequest } from "./program.ts";
import { ProgramError, type ProgramErrorJSON } from "./errors.ts";
import { PHASE, SHARED, type FromWorker, type ProgramRecord, type ToWorker, type WorkerState } from "./protocol.ts";
import type { ScheduledEvent } from "./scheduler.ts";
import type { SlotState } from "./slots.ts";
import { TempoMap, checkCps, type TempoPiece } from "./tempo.ts";

export type LiveOptions = {
  engine: Engine;
  /** Seconds until a change (evaluation, tempo, mute) is heard. */
  lookahead?: number;
  /** Seconds of events queued ahead in the engine, so no pause in JavaScript starves the audio. */
  queueAhead?: number;
  /** Scheduler period in milliseconds. */
  tickMs?: number;
  /** A worker silent this long is considered hung. */
  hangTimeoutMs?: number;
  /** Initial tempo. */
  cps?: number;
  /** Sample folders or JSON maps to load names from (--samples). */
  samples?: string[];
  /** Where relative paths in a program's samples(...) start (default: the working directory). */
  baseDir?: string;
};

/** The default change latency and queue depth in seconds; see README ("Timing") for the measurements behind them. */
export const DEFAULT_LOOKAHEAD = 0.01;
export const DEFAULT_QUEUE_AHEAD = 0.15;
export const DEFAULT_TICK_MS = 5;
export const DEFAULT_HANG_TIMEOUT_MS = 400;

/** `warnings`: what the program names that will not sound (unknown sounds, with the closest names), at every evaluation. */
export type EvalOutcome = { ok: true; buffer: string; slots: string[]; warnings?: string[] } | { ok: false; buffer: string; error: ProgramErrorJSON };

export type LiveEvent =
  | { type: "evaluated"; buffer: string; code: string; outcome: EvalOutcome; by?: string }
  | { type: "error"; error: ProgramErrorJSON }
  | { type: "warning"; message: string }
  | { type: "events"; events: ScheduledEvent[] }
  | { type: "retract"; slots: string[] | "all"; fromFrame: number }
  | { type: "restarted"; reason: string }
  | { type: "state" }
  /** A program asked to start or stop recording (the host owns the recordings). */
  | { type: "record"; request: RecordRequest };

type Pending = { resolve: (o: EvalOutcome) => void; buffer: string; code: string; by?: string };

export class LiveSession {
  private worker!: Worker;
  private readonly shared = new SharedArrayBuffer(SHARED.SIZE_BYTES);
  private readonly cells = new Int32Array(this.shared, 0, 4);
  private readonly horizonCells = new Float64Array(this.shared, SHARED.HORIZON_BYTE_OFFSET, 2);
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private readonly pending = new Map<number, Pending>();
  private nextEvalId = 1;
  /** Programs that evaluated, one per buffer, in the order of their last evaluation. */
  private programs: ProgramRecord[] = [];
  private slots: SlotState[] = [];
  private tempo: TempoMap;
  private highlight = false;
  /** Sample sources, mirrored for a successor worker. */
  private sampleSources: (string | SampleMap)[];
  private readonly baseDir: string;
  private lastBeat = -1;
  private lastBeatAt = 0;
  private watchdog?: ReturnType<typeof setInterval>;
  private ready!: Promise<void>;
  private closed = false;
  /** Times the watchdog restarted the worker. */
  restarts = 0;

  readonly lookahead: number;
  readonly queueAhead: number;
  readonly tickMs: number;
  readonly hangTimeoutMs: number;

  private constructor(readonly engine: Engine, options: LiveOptions) {
    this.lookahead = options.lookahead ?? DEFAULT_LOOKAHEAD;
    this.queueAhead = Math.max(this.lookahead, options.queueAhead ?? DEFAULT_QUEUE_AHEAD);
    this.tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    this.hangTimeoutMs = options.hangTimeoutMs ?? DEFAULT_HANG_TIMEOUT_MS;
    const rate = engine.sampleRate;
    this.tempo = new TempoMap(rate, checkCps(options.cps ?? 0.5), { frame: engine.now(), cycle: 0 });
    this.baseDir = options.baseDir ?? process.cwd();
    this.sampleSources = [...(options.samples ?? [])];
  }

  /** Starts the live worker on an open, running engine. */
  static async start(options: LiveOptions): Promise<LiveSession> {
    const session = new LiveSession(options.engine, options);
    session.spawn(null, []);
    await session.ready;
    session.watchdog = setInterval(() => session.checkHeartbeat(), 25);
    return session;
  }

  /** Evaluates a program in a buffer; resolves with the outcome (errors are outcomes, not throws). */
  evaluate(code: string, options: { buffer?: string; quantize?: boolean; by?: string } = {}): Promise<EvalOutcome> {
    this.assertOpen();
    const buffer = options.buffer ?? "main";
    const id = this.nextEvalId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, buffer, code, by: options.by });
      this.send({ type: "eval", id, buffer, code, quantize: options.quantize ?? false });
    });
  }

  /** Stops every slot at once; queued events are dropped and voices fade out. */
  hush(): void {
    this.assertOpen();
    this.programs = [];
    this.send({ type: "hush" });
  }

  setMuted(slot: string, on: boolean): void {
    this.requireSlot(slot);
    this.send({ type: "mute", slot, on });
  }

  setSolo(slot: string, on: boolean): void {
    this.requireSlot(slot);
    this.send({ type: "solo", slot, on });
  }

  /** Changes the tempo from the scheduler's horizon on. */
  setCps(cps: number): void {
    this.assertOpen();
    this.send({ type: "setCps", cps: checkCps(cps) });
  }

  /** Tempo now, in cycles per second. */
  get cps(): number {
    return this.tempo.cps(this.engine.now());
  }

  /** The cycle position the engine is rendering now. */
  cycleNow(): number {
    return this.tempo.cycleAt(this.engine.now());
  }

  /** A frame to a cycle position (for events and the clock). */
  cycleAt(frame: number): number {
    return this.tempo.cycleAt(frame);
  }

  /** The program that last evaluated in each buffer, in the order they were evaluated (what plays now). */
  playingPrograms(): ProgramRecord[] {
    return this.programs.map((p) => ({ ...p }));
  }

  slotStates(): SlotState[] {
    return this.slots.map((s) => ({ ...s }));
  }

  /** Sends scheduled events to listeners (for highlighting); off when nobody listens. */
  setHighlight(on: boolean): void {
    if (on === this.highlight) return;
    this.highlight = on;
    if (!this.closed) this.send({ type: "highlight", on });
  }

  subscribe(listener: (e: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the worker. The engine is the caller's to close (after this). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.worker.terminate();
    for (const [id, p] of this.pending) p.resolve({ ok: false, buffer: p.buffer, error: { message: "the live session closed", phase: "evaluate" } });
    this.pending.clear();
  }

  // ------------------------------------------------------------------ worker

  private spawn(horizon: [number, number] | null, failed: { id: string; error: ProgramErrorJSON }[]): void {
    const worker = new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" });
    this.worker = worker;
    Atomics.store(this.cells, SHARED.PHASE, PHASE.STARTING);
    this.lastBeatAt = performance.now();
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (worker !== this.worker) return; // a terminated predecessor's last words
      if (ev.data.type === "ready") markReady();
      this.receive(ev.data);
    };
    worker.onerror = (ev) => this.emit({ type: "warning", message: `live worker error: ${ev.message}` });
    const muted = this.slots.filter((s) => s.muted).map((s) => s.id);
    const solo = this.slots.filter((s) => s.solo).map((s) => s.id);
    worker.postMessage({
      type: "init",
      engine: this.engine.share(),
      tempo: this.tempo.toPieces(),
      horizon,
      lookahead: this.lookahead,
      queueAhead: this.queueAhead,
      tickMs: this.tickMs,
      programs: this.programs,
      muted,
      solo,
      failed,
      highlight: this.highlight,
      shared: this.shared,
      samples: this.sampleSources,
      baseDir: this.baseDir,
    } satisfies ToWorker);
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case "evalResult": {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        const outcome: EvalOutcome = msg.ok
          ? { ok: true, buffer: p.buffer, slots: msg.slots, ...(msg.warnings ? { warnings: msg.warnings } : {}) }
          : { ok: false, buffer: p.buffer, error: msg.error };
        if (msg.ok) this.programs = [...this.programs.filter((r) => r.buffer !== p.buffer), { buffer: p.buffer, code: p.code }];
        p.resolve(outcome);
        this.emit({ type: "evaluated", buffer: p.buffer, code: p.code, outcome, by: p.by });
        return;
      }
      case "state":
        this.adoptState(msg);
        return this.emit({ type: "state" });
      case "error":
        return this.emit({ type: "error", error: msg.error });
      case "warning":
        return this.emit({ type: "warning", message: msg.message });
      case "events":
        return this.emit({ type: "events", events: msg.events });
      case "retract":
        return this.emit({ type: "retract", slots: msg.slots, fromFrame: msg.fromFrame });
      case "fatal":
        return this.emit({ type: "warning", message: msg.message });
      case "samples":
        this.sampleSources = msg.sources;
        return;
      case "record":
        return this.emit({ type: "record", request: msg.request });
      case "ready":
        return;
    }
  }

  private adoptState(state: WorkerState): void {
    this.slots = state.slots;
    this.tempo = TempoMap.fromPieces(this.engine.sampleRate, state.tempo as TempoPiece[]);
  }

  private checkHeartbeat(): void {
    const beat = Atomics.load(this.cells, SHARED.HEARTBEAT);
    const now = performance.now();
    if (beat !== this.lastBeat) {
      this.lastBeat = beat;
      this.lastBeatAt = now;
      return;
    }
    if (now - this.lastBeatAt > this.hangTimeoutMs) this.restart();
  }

  /** Terminates a hung worker and starts a fresh one from the mirrored state. */
  private restart(): void {
    const phase = Atomics.load(this.cells, SHARED.PHASE);
    this.worker.terminate();
    this.restarts++;
    const seconds = (this.hangTimeoutMs / 1000).toFixed(1);
    const failed = this.slots.filter((s) => s.error).map((s) => ({ id: s.id, error: s.error! }));
    let reason: string;
    if (phase === PHASE.EVALUATING) {
      const id = Atomics.load(this.cells, SHARED.EVAL_ID);
      reason = `the program did not finish evaluating within ${seconds} s (an endless loop?): it was stopped, and the previous program keeps playing`;
      const p = this.pending.get(id);
      if (p) {
        this.pending.delete(id);
        const outcome: EvalOutcome = { ok: false, buffer: p.buffer, error: new ProgramError(reason, "evaluate").toJSON() };
        p.resolve(outcome);
        this.emit({ type: "evaluated", buffer: p.buffer, code: p.code, outcome, by: p.by });
      }
    } else if (phase === PHASE.QUERYING) {
      const id = this.queriedSlotId();
      reason = `slot "${id}" did not answer a query within ${seconds} s (an endless loop in a pattern function?): it was stopped, the others keep playing`;
      const error = new ProgramError(reason, "query", undefined, undefined, id).toJSON();
      failed.push({ id, error });
      const known = this.slots.find((s) => s.id === id);
      if (known) known.error = error;
      this.emit({ type: "error", error });
    } else {
      reason = `the live worker stopped responding for ${seconds} s; it was restarted`;
    }
    // Evaluations queued behind the hung one are re-sent to the new worker.
    const requeue = [...this.pending.entries()];
    const [n, d] = [this.horizonCells[0]!, this.horizonCells[1]!];
    this.spawn(d > 0 ? [n, d] : null, failed);
    for (const [id, p] of requeue) this.send({ type: "eval", id, buffer: p.buffer, code: p.code, quantize: false, keepFailed: failed });
    this.emit({ type: "restarted", reason });
  }

  /** The id of the slot the worker was querying when it stopped. */
  private queriedSlotId(): string {
    const length = new Int32Array(this.shared, SHARED.SLOT_ID_BYTE_OFFSET, 1)[0]!;
    const bytes = new Uint8Array(this.shared, SHARED.SLOT_ID_BYTE_OFFSET + 4, Math.min(length, SHARED.SLOT_ID_MAX_BYTES));
    return new TextDecoder().decode(bytes.slice());
  }

  private send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  private emit(e: LiveEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        console.error("ostinato: a live-session listener failed:", err);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("the live session is closed");
  }

  private requireSlot(slot: string): void {
    this.assertOpen();
    if (!this.slots.some((s) => s.id === slot)) {
      throw new RangeError(`no slot "${slot}" (playing: ${this.slots.map((s) => s.id).join(", ") || "none"})`);
    }
  }
}
