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
 *
 * The main thread does not trust the worker to obey: hush and mute cut the
 * engine's queue and voices from here at once; every control command
 * (hush, mute, solo, tempo) is mirrored here first and must be acknowledged
 * in shared memory, and a worker that does not (a program took its message
 * handler, or keeps it busy) is replaced by one started from the mirror.
 * The watchdog also ends a worker whose user code passes the memory
 * ceiling, that exits, or that floods the main thread; it blames the code
 * that ran (see watchdog.ts), and a program that fails when replayed into a
 * fresh worker is not replayed again.
 * @module
 */
import { DEFAULT_TARGETS, oscSendAhead, type TargetConfig } from "../targets/target.ts";
import { defaultCacheDir, EventBuffer, githubBase, SLOT_ALL, type Engine, type SampleMap } from "../engine/index.ts";
import type { RecordRequest } from "./program.ts";
import { ProgramError, type ProgramErrorJSON } from "./errors.ts";
import { PHASE, SHARED, type FromWorker, type ProgramRecord, type ToWorker, type WorkerState } from "./protocol.ts";
import type { ScheduledEvent } from "./scheduler.ts";
import type { SlotState } from "./slots.ts";
import { TempoMap, checkCps, type TempoPiece } from "./tempo.ts";
import { defaultMemoryLimitMb, judge, residentMb, type Cause } from "./watchdog.ts";
import type { SlotPlace } from "./block-place.ts";
import { LinkControl, type LinkOptions, type LinkState } from "./link-control.ts";
import { MidiOut } from "../engine/midi.ts";

/** How often a MIDI client that could not open (no JACK server) is tried again, ms. */
const MIDI_RETRY_MS = 5000;

export type LiveOptions = {
  engine: Engine;
  /** Seconds until a change (evaluation, tempo, mute) is heard. */
  lookahead?: number;
  /** Seconds of events queued ahead in the engine, so no pause in JavaScript starves the audio. */
  queueAhead?: number;
  /** Scheduler period in milliseconds. */
  tickMs?: number;
  /** Where events go besides the engine (--superdirt, --targets). */
  targets?: Partial<TargetConfig>;
  /** A worker silent this long is considered hung. */
  hangTimeoutMs?: number;
  /** Initial tempo. */
  cps?: number;
  /** Sample folders or JSON maps to load names from (--samples). */
  samples?: string[];
  /** Where relative paths in a program's samples(...) start (default: the working directory). */
  baseDir?: string;
  /** The deadline of an evaluation, awaits and sample loads included. */
  evalTimeoutMs?: number;
  /** How long a new worker may take to start (loading modules on a slow or throttled machine). */
  startTimeoutMs?: number;
  /** The ceiling of user code's memory: MB of the server's resident memory above its level at start. */
  memoryLimitMb?: number;
  /** What played before a restart, to play again: replayed like a fresh worker's programs (without their side effects). */
  resume?: { programs: ProgramRecord[]; muted: string[]; solo: string[] };
  /** Ableton Link: on from the start (--link), the offset and the output latency. */
  link?: LinkOptions & { on?: boolean };
};

/** The default change latency and queue depth in seconds; see README ("Timing") for the measurements behind them. */
export const DEFAULT_LOOKAHEAD = 0.01;
export const DEFAULT_QUEUE_AHEAD = 0.15;
export const DEFAULT_TICK_MS = 5;
export const DEFAULT_HANG_TIMEOUT_MS = 400;
export const DEFAULT_EVAL_TIMEOUT_MS = 10000;
export const DEFAULT_START_TIMEOUT_MS = 20000;
/** Messages a second on the worker's global channel (where only a program could post) that count as a flood. */
const FLOOD_PER_SECOND = 500;
/** Restarts within RESTART_WINDOW_MS that count as a restart loop: every program is then stopped. */
const RESTART_LOOP = 4;
const RESTART_WINDOW_MS = 10000;
/** How long a terminated worker that has not ended yet keeps the memory ceiling from judging its successor. */
const ZOMBIE_MS = 10000;

/**
 * An evaluation's outcome. A program that installed but one of whose slots
 * is stopped (it hung or threw while being looked ahead) is not ok: `error`
 * says which slot and why, `slots` what it installed. `warnings`: what the
 * program names that will not sound (unknown sounds, with the closest names),
 * at every evaluation.
 */
export type EvalOutcome =
  | { ok: true; buffer: string; slots: string[]; warnings?: string[] }
  | { ok: false; buffer: string; error: ProgramErrorJSON; slots?: string[] };

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

type Pending = { resolve: (o: EvalOutcome) => void; buffer: string; code: string; by?: string; place?: SlotPlace; sentAt: number };

export class LiveSession {
  private worker!: Worker;
  private port!: MessagePort;
  private readonly shared = new SharedArrayBuffer(SHARED.SIZE_BYTES);
  private readonly cells = new Int32Array(this.shared, 0, SHARED.CELLS);
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
  /** Set once the current worker beat (until then it may take startTimeoutMs to load). */
  private started = false;
  private controlSeq = 0;
  /** When the oldest control command not yet acknowledged was sent (0: none outstanding). */
  private controlSentAt = 0;
  private controlName = "";
  /** Messages on the worker's global channel in the current second. */
  private strayMessages = 0;
  private strayWindowAt = 0;
  private restartTimes: number[] = [];
  /** A worker started ahead, waiting for its init (see spawn). */
  private spare?: Worker;
  private spareTimer?: ReturnType<typeof setTimeout>;
  /** Mute and solo of the slots a resumed session starts with (until the worker tells its state). */
  private resumeAudibility?: { muted: string[]; solo: string[] };
  /** Slots blamed for a hang while an evaluation was under way: they stay stopped when it is sent again (until nothing is pending). */
  private readonly blamedSlots = new Map<string, ProgramErrorJSON>();
  private readonly memoryBaseMb: number;
  /** After a restart, the memory ceiling is not enforced until the old worker's memory went back (or this time passed). */
  private memoryHoldUntil = 0;
  private memoryBelowSince = 0;
  /** Terminated workers that have not ended yet, and when they were terminated. */
  private readonly zombies = new Map<Worker, number>();
  /** A small batch for the cuts the main thread makes itself (hush, mute). */
  private readonly cuts: EventBuffer;
  /** Times the watchdog restarted the worker. */
  restarts = 0;
  private readonly link: LinkControl;

  readonly lookahead: number;
  readonly queueAhead: number;
  readonly tickMs: number;
  readonly targets: TargetConfig;
  /** Values sent to OSC /ctrl, kept for a fresh worker. */
  private readonly ctrlValues = new Map<string, number | string>();
  readonly hangTimeoutMs: number;
  readonly evalTimeoutMs: number;
  readonly startTimeoutMs: number;
  readonly memoryLimitMb: number;

  private constructor(readonly engine: Engine, options: LiveOptions) {
    this.targets = { ...DEFAULT_TARGETS, ...options.targets };
    // A bundle sent to SuperDirt cannot be taken back: when every pattern goes
    // there, a change is heard once what was sent has played (targets/superdirt.ts).
    const lookahead = options.lookahead ?? DEFAULT_LOOKAHEAD;
    const queueAhead = Math.max(lookahead, options.queueAhead ?? DEFAULT_QUEUE_AHEAD);
    this.lookahead = this.targets.superdirt ? oscSendAhead(lookahead, queueAhead) : lookahead;
    this.queueAhead = Math.max(this.lookahead, queueAhead);
    this.tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    this.hangTimeoutMs = options.hangTimeoutMs ?? DEFAULT_HANG_TIMEOUT_MS;
    this.evalTimeoutMs = options.evalTimeoutMs ?? DEFAULT_EVAL_TIMEOUT_MS;
    this.startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    this.memoryLimitMb = options.memoryLimitMb ?? defaultMemoryLimitMb();
    this.memoryBaseMb = residentMb();
    this.cuts = new EventBuffer(8);
    const rate = engine.sampleRate;
    this.tempo = new TempoMap(rate, checkCps(options.cps ?? 0.5), { frame: engine.now(), cycle: 0 });
    this.baseDir = options.baseDir ?? process.cwd();
    this.sampleSources = [...(options.samples ?? [])];
    this.link = new LinkControl(engine, options.link);
  }

  /** Starts the live worker on an open, running engine. */
  static async start(options: LiveOptions): Promise<LiveSession> {
    const session = new LiveSession(options.engine, options);
    if (options.resume) {
      session.programs = options.resume.programs.map((p) => ({ buffer: p.buffer, code: p.code }));
      session.resumeAudibility = { muted: options.resume.muted, solo: options.resume.solo };
    }
    if (options.link?.on) session.link.start(session.targetCps);
    session.spawn(null, []);
    await session.ready;
    session.watchdog = setInterval(() => session.checkHeartbeat(), 25);
    return session;
  }

  /** Evaluates a program in a buffer; resolves with the outcome (errors are outcomes, not throws). */
  evaluate(code: string, options: { buffer?: string; quantize?: boolean; by?: string; place?: SlotPlace } = {}): Promise<EvalOutcome> {
    this.assertOpen();
    const buffer = options.buffer ?? "main";
    const id = this.nextEvalId++;
    const place = options.place;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, buffer, code, by: options.by, place, sentAt: performance.now() });
      this.send({ type: "eval", id, buffer, code, quantize: options.quantize ?? false, place });
    });
  }

  /**
   * Stops every slot at once: the engine's queue is cleared and its voices
   * fade out from here, whatever the worker does; then the worker is told.
   */
  hush(): void {
    this.assertOpen();
    this.programs = [];
    this.slots = [];
    this.cut(SLOT_ALL);
    this.control({ type: "hush", seq: 0 }, "hush");
  }

  setMuted(slot: string, on: boolean): void {
    this.changeAudibility(this.requireSlot(slot), (s) => (s.muted = on));
    this.control({ type: "mute", seq: 0, slot, on }, `mute ${slot}`);
  }

  setSolo(slot: string, on: boolean): void {
    this.changeAudibility(this.requireSlot(slot), (s) => (s.solo = on));
    this.control({ type: "solo", seq: 0, slot, on }, `solo ${slot}`);
  }

  /** Changes the tempo from the change frame on. */
  /** A value from outside (OSC /ctrl key value): patterns read it with ctrl("key"). */
  setCtrl(key: string, value: number | string): void {
    this.assertOpen();
    if (!this.ctrlValues.has(key) && this.ctrlValues.size >= 1024) throw new RangeError("too many /ctrl keys (1024 at most)");
    this.ctrlValues.set(key, value);
    this.send({ type: "ctrl", key, value });
  }

  setCps(cps: number): void {
    this.assertOpen();
    checkCps(cps);
    const frame = Math.ceil(this.engine.now() + this.lookahead * this.engine.sampleRate);
    this.tempo.setCps(cps, frame);
    this.control({ type: "setCps", seq: 0, cps, frame }, "tempo");
  }

  /** Moves our cycle position forward by `cycles` (0..1) at the worker's horizon: nothing queued moves or doubles. */
  shiftPhase(cycles: number): void {
    this.assertOpen();
    if (!(cycles >= 0 && cycles < 1)) throw new RangeError(`a phase shift is 0 to 1 cycle, got ${cycles}`);
    this.control({ type: "shiftPhase", seq: 0, cycles }, "phase");
  }

  /**
   * Joins (true) or leaves (false) the Ableton Link session. While on, the
   * tempo map follows the session's tempo and bar phase, and our tempo
   * changes go to the session. Throws a clear error where Link is not built.
   */
  setLink(on: boolean): void {
    this.assertOpen();
    if (on === this.link.enabled) return;
    const shared = on ? this.link.start(this.targetCps) : null;
    if (!on) this.link.stop();
    this.control({ type: "link", seq: 0, link: shared }, on ? "link on" : "link off");
  }

  /**
   * The session's MIDI client on the JACK server (MIDI out, in and clock:
   * one client, which outlives every worker, so a restart neither leaks it
   * nor renames its ports); opened on first use. Throws when no JACK server runs.
   */
  midiClient(): MidiOut {
    this.assertOpen();
    this.midi ??= MidiOut.open(this.engine, this.targets.midiClient);
    return this.midi;
  }

  /** midiClient() for the worker: a failure is said once and tried again every few seconds. */
  private openMidi(): MidiOut | undefined {
    if (this.midi || this.closed) return this.midi;
    const now = performance.now();
    if (now - this.midiFailedAt < MIDI_RETRY_MS) return undefined;
    try {
      const midi = this.midiClient();
      if (this.midiFailedAt > -Infinity) this.emit({ type: "warning", message: "MIDI: the JACK server answers again; MIDI patterns play" });
      return midi;
    } catch (err) {
      if (this.midiFailedAt === -Infinity) this.emit({ type: "warning", message: `MIDI: ${(err as Error).message}; MIDI patterns play nowhere until it does (tried again every ${MIDI_RETRY_MS / 1000} s)` });
      this.midiFailedAt = now;
      return undefined;
    }
  }
  private midi?: MidiOut;
  private midiFailedAt = -Infinity;

  /** Stops or starts the Link session's transport (start/stop sync: every peer follows on the next bar). */
  setLinkPlaying(playing: boolean): void {
    this.assertOpen();
    this.link.setPlaying(playing);
  }

  /** The Link nudge, ms: positive plays later. */
  setLinkOffset(ms: number): void {
    this.link.setOffset(ms);
  }

  /** Link on or off, its peers and tempo (for /api/state, /metrics and the editor). */
  linkState(): LinkState {
    return this.link.state();
  }

  /** Tempo now, in cycles per second. */
  get cps(): number {
    return this.tempo.cps(this.engine.now());
  }

  /** The tempo once the changes already made take effect (a change is heard a lookahead after it is made). */
  get targetCps(): number {
    return this.tempo.toPieces().at(-1)!.cps;
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

  /** Plays one sound once (the Sounds panel): fetched and loaded first if need be; what fails comes back as a warning. */
  audition(sound: string, n = 0, source?: string): void {
    if (!this.closed) this.send({ type: "audition", sound, n, source });
  }

  /** The sample sources known (--samples and what programs added), and where relative ones start. */
  get samples(): { sources: readonly (string | SampleMap)[]; baseDir: string } {
    return { sources: this.sampleSources, baseDir: this.baseDir };
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
    if (this.spareTimer) clearTimeout(this.spareTimer);
    this.spare?.terminate();
    this.worker.terminate();
    this.port.close();
    this.link.close();
    // Closed once the terminated worker can no longer be in a call on it (as Link is).
    const midi = this.midi;
    this.midi = undefined;
    if (midi) setTimeout(() => midi.close(), 2000).unref?.();
    for (const [, p] of this.pending) p.resolve({ ok: false, buffer: p.buffer, error: { message: "the live session closed", phase: "evaluate" } });
    this.pending.clear();
  }

  // ------------------------------------------------------------------ worker

  private spawn(horizon: [number, number] | null, failed: { id: string; error: ProgramErrorJSON }[]): void {
    // A spare worker has its modules loaded already: a restart costs the replay, not the start-up.
    const worker = this.spare ?? newWorker();
    this.spare = undefined;
    if (this.spareTimer) clearTimeout(this.spareTimer);
    this.spareTimer = setTimeout(() => {
      if (!this.closed) this.spare ??= newWorker();
    }, 1000);
    const channel = new MessageChannel();
    this.worker = worker;
    this.port = channel.port1;
    this.started = false;
    // Until its first beat the worker is loading modules (slow on a throttled machine): startTimeoutMs applies.
    Atomics.store(this.cells, SHARED.HEARTBEAT, 0);
    this.lastBeat = 0;
    Atomics.store(this.cells, SHARED.PHASE, PHASE.STARTING);
    // Everything sent so far is in the init: nothing is outstanding for the new worker.
    Atomics.store(this.cells, SHARED.CONTROL_ACK, this.controlSeq);
    Atomics.store(this.cells, SHARED.CONTROL_SEQ, this.controlSeq);
    this.controlSentAt = 0;
    this.lastBeatAt = performance.now();
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    channel.port1.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (worker !== this.worker) return; // a terminated predecessor's last words
      if (ev.data.type === "ready") markReady();
      this.receive(ev.data);
    };
    // Only a program could post here (the worker itself uses its port): count, and end a flood.
    worker.onmessage = () => {
      if (worker === this.worker) this.strayMessages++;
    };
    worker.onerror = (ev) => this.emit({ type: "warning", message: `live worker error: ${ev.message}` });
    worker.addEventListener("close", (ev) => {
      if (worker === this.worker && !this.closed) this.restart({ kind: "exit", code: (ev as Event & { code?: number }).code ?? 0 });
    });
    const muted = this.resumeAudibility?.muted ?? this.slots.filter((s) => s.muted).map((s) => s.id);
    const solo = this.resumeAudibility?.solo ?? this.slots.filter((s) => s.solo).map((s) => s.id);
    this.resumeAudibility = undefined;
    worker.postMessage(
      {
        type: "init",
        engine: this.engine.share(),
        ...(this.midi ? { midi: this.midi.share() } : {}),
        tempo: this.tempo.toPieces(),
        horizon,
        lookahead: this.lookahead,
        queueAhead: this.queueAhead,
        tickMs: this.tickMs,
        targets: this.targets,
        ctrl: [...this.ctrlValues],
        programs: this.programs,
        muted,
        solo,
        failed,
        highlight: this.highlight,
        shared: this.shared,
        samples: this.sampleSources,
        // read here: a Bun Worker does not see this thread's changes to process.env (--cache, --github-base)
        cacheDir: defaultCacheDir(),
        githubBase: githubBase(),
        baseDir: this.baseDir,
        port: channel.port2,
        evalTimeoutMs: this.evalTimeoutMs,
        // the watchdog's timeout, its round, and a restart from a spare
        evalCushion: this.hangTimeoutMs / 1000 + 0.3,
        link: this.link.shared(),
      } satisfies ToWorker,
      [channel.port2],
    );
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case "evalResult": {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        const outcome: EvalOutcome = !msg.ok
          ? { ok: false, buffer: p.buffer, error: msg.error }
          : msg.stopped.length
            ? { ok: false, buffer: p.buffer, error: msg.stopped[0]!, slots: msg.slots }
            : { ok: true, buffer: p.buffer, slots: msg.slots, ...(msg.warnings ? { warnings: msg.warnings } : {}) };
        if (msg.ok) this.programs = nextPrograms(this.programs, { buffer: p.buffer, code: p.code, place: p.place });
        p.resolve(outcome);
        this.emit({ type: "evaluated", buffer: p.buffer, code: p.code, outcome, by: p.by });
        if (this.pending.size === 0) this.blamedSlots.clear();
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
      case "link":
        try {
          this.setLink(msg.on);
        } catch (err) {
          this.emit({ type: "warning", message: `link(${msg.on}): ${(err as Error).message}` });
        }
        return this.emit({ type: "state" });
      case "ready":
        for (const d of msg.dropped) this.dropProgram(d.buffer);
        return;
      case "wantMidi": {
        const midi = this.openMidi();
        if (midi) this.send({ type: "midi", shared: midi.share() });
        return;
      }
    }
  }

  /** A program that is not to be replayed again, and its slots. */
  private dropProgram(buffer: string): void {
    this.programs = this.programs.filter((p) => p.buffer !== buffer);
    this.slots = this.slots.filter((s) => s.buffer !== buffer);
  }

  private adoptState(state: WorkerState): void {
    // Sent before a control command was applied: the mirror is newer (the worker sends its state again when it applies it).
    if (Atomics.load(this.cells, SHARED.CONTROL_ACK) < this.controlSeq) return;
    this.slots = state.slots;
    this.tempo = TempoMap.fromPieces(this.engine.sampleRate, state.tempo as TempoPiece[]);
    if (state.linkPhaseErrorMs !== undefined) this.link.phaseErrorMs = state.linkPhaseErrorMs;
    if (state.linkDownbeat !== undefined) this.link.downbeat = state.linkDownbeat;
    if (state.linkTransport !== undefined) this.link.transport = state.linkTransport;
  }

  /** Every 25 ms: is the worker alive, obedient, within its memory, quiet on the global channel? */
  private checkHeartbeat(): void {
    if (this.closed) return;
    const beat = Atomics.load(this.cells, SHARED.HEARTBEAT);
    const now = performance.now();
    const seconds = (this.hangTimeoutMs / 1000).toFixed(1);
    if (beat !== this.lastBeat) {
      this.lastBeat = beat;
      this.lastBeatAt = now;
      this.started = true;
    } else if (now - this.lastBeatAt > (this.started ? this.hangTimeoutMs : this.startTimeoutMs)) {
      return this.restart({ kind: "hang", seconds: this.started ? seconds : (this.startTimeoutMs / 1000).toFixed(1) });
    }
    if (this.controlSentAt && now - this.controlSentAt > this.hangTimeoutMs) {
      if (Atomics.load(this.cells, SHARED.CONTROL_ACK) >= this.controlSeq) this.controlSentAt = 0;
      else return this.restart({ kind: "ignored", command: this.controlName });
    }
    for (const [w, at] of this.zombies) if (now - at > ZOMBIE_MS) this.zombies.delete(w);
    if (residentMb() - this.memoryBaseMb > this.memoryLimitMb) {
      // A terminated worker runs on until it leaves the native call it was in
      // (a fill of 8 GB), and its memory takes a moment to go back after that
      // (about 150 ms): neither is the new worker's fault.
      this.memoryBelowSince = 0;
      if (now >= this.memoryHoldUntil && this.zombies.size === 0) return this.restart({ kind: "memory", limitMb: this.memoryLimitMb });
    } else if (this.memoryHoldUntil) {
      this.memoryBelowSince ||= now;
      if (now - this.memoryBelowSince > 250) this.memoryHoldUntil = 0;
    }
    if (now - this.strayWindowAt >= 1000) {
      const flood = this.strayMessages > FLOOD_PER_SECOND;
      this.strayMessages = 0;
      this.strayWindowAt = now;
      if (flood) return this.restart({ kind: "flood" });
    }
    // The worker's own deadline answers an evaluation; this is the backstop should it not.
    for (const [id, p] of this.pending) {
      if (now - p.sentAt < this.evalTimeoutMs + 2 * this.hangTimeoutMs + 1000) continue;
      this.pending.delete(id);
      this.fail(p, `the evaluation did not answer within ${(this.evalTimeoutMs / 1000).toFixed(1)} s: it was dropped, and the previous program keeps playing`);
    }
  }

  private fail(p: Pending, message: string): void {
    const outcome: EvalOutcome = { ok: false, buffer: p.buffer, error: new ProgramError(message, "evaluate").toJSON() };
    p.resolve(outcome);
    this.emit({ type: "evaluated", buffer: p.buffer, code: p.code, outcome, by: p.by });
  }

  /**
   * Terminates the worker and starts a fresh one from the mirrored state,
   * blaming the code that ran (see watchdog.ts): a hung or oversized
   * evaluation fails, a slot is stopped, a buffer's program is dropped.
   */
  private restart(cause: Cause): void {
    const phase = Atomics.load(this.cells, SHARED.PHASE);
    const old = this.worker;
    this.zombies.set(old, performance.now());
    old.addEventListener("close", () => this.zombies.delete(old));
    old.terminate();
    this.port.close();
    this.restarts++;
    this.memoryHoldUntil = performance.now() + 5000;
    // Whatever the worker queued may belong to the code that is blamed; the new worker schedules again from its horizon.
    const failed = this.slots.filter((s) => s.error).map((s) => ({ id: s.id, error: s.error! }));
    for (const [id, error] of this.blamedSlots) if (!failed.some((f) => f.id === id)) failed.push({ id, error });
    const verdict = judge(phase, cause, { evalId: Atomics.load(this.cells, SHARED.EVAL_ID), name: this.blamedName() });
    if (verdict.blame === "evaluation") {
      const p = this.pending.get(verdict.id);
      if (p) {
        this.pending.delete(verdict.id);
        this.fail(p, verdict.reason);
      }
    } else if (verdict.blame === "slot") {
      const error = new ProgramError(verdict.reason, "query", undefined, undefined, verdict.slot).toJSON();
      failed.push({ id: verdict.slot, error });
      this.blamedSlots.set(verdict.slot, error);
      const known = this.slots.find((s) => s.id === verdict.slot);
      if (known) known.error = error;
      this.emit({ type: "error", error });
    } else if (verdict.blame === "buffer") {
      this.dropProgram(verdict.buffer);
      this.emit({ type: "error", error: new ProgramError(verdict.reason, "evaluate").toJSON() });
    }
    let reason = verdict.reason;
    const now = performance.now();
    // A restart that blamed code removed it (the evaluation failed, the slot or the buffer was stopped):
    // only the others can repeat, so only they count towards a loop.
    if (verdict.blame === "none") this.restartTimes = [...this.restartTimes.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.restartTimes.length >= RESTART_LOOP) {
      // A loop nobody could be blamed for: stop replaying, so the server stays useful.
      this.restartTimes = [];
      this.programs = [];
      this.slots = [];
      this.cut(SLOT_ALL);
      reason = `the live worker was restarted ${RESTART_LOOP} times in ${RESTART_WINDOW_MS / 1000} s (${verdict.reason}): every program was stopped; evaluate again to play`;
      this.emit({ type: "error", error: new ProgramError(reason, "evaluate").toJSON() });
    }
    // Evaluations under way in the old worker are sent again to the new one.
    const requeue = [...this.pending.entries()];
    const [n, d] = [this.horizonCells[0]!, this.horizonCells[1]!];
    this.spawn(d > 0 ? [n, d] : null, failed);
    for (const [id, p] of requeue) this.send({ type: "eval", id, buffer: p.buffer, code: p.code, quantize: false, place: p.place, keepFailed: failed });
    this.emit({ type: "restarted", reason });
    this.emit({ type: "state" });
  }

  /** Sends a control command, mirrored here first; the watchdog checks that the worker applies it. */
  private control(msg: ToWorker & { seq: number }, name: string): void {
    msg.seq = ++this.controlSeq;
    Atomics.store(this.cells, SHARED.CONTROL_SEQ, msg.seq);
    if (!this.controlSentAt) this.controlSentAt = performance.now();
    this.controlName = name;
    this.send(msg);
    this.emit({ type: "state" });
  }

  /** Applies a mute/solo change to the mirror; slots that fall silent are cut in the engine from here at once. */
  private changeAudibility(slot: SlotState, change: (s: SlotState) => void): void {
    const before = new Set(audibleTags(this.slots));
    change(slot);
    const after = new Set(audibleTags(this.slots));
    for (const tag of before) if (!after.has(tag)) this.cut(tag);
  }

  /**
   * Drops a slot's (or every slot's) queued events and fades its voices,
   * natively, from the main thread; for every slot (hush) the delay and
   * reverb tails fade out too.
   */
  private cut(tag: number): void {
    const now = this.engine.now();
    this.cuts.addClear(tag, 0);
    this.cuts.addRelease(tag, now);
    if (tag === SLOT_ALL) this.cuts.addFadeEffects(now);
    this.engine.push(this.cuts);
    this.cuts.drop(this.cuts.length);
  }

  /** The slot or buffer the worker named as running when it stopped. */
  private blamedName(): string {
    const length = new Int32Array(this.shared, SHARED.SLOT_ID_BYTE_OFFSET, 1)[0]!;
    const bytes = new Uint8Array(this.shared, SHARED.SLOT_ID_BYTE_OFFSET + 4, Math.min(length, SHARED.SLOT_ID_MAX_BYTES));
    return new TextDecoder().decode(bytes.slice());
  }

  private send(msg: ToWorker): void {
    this.port.postMessage(msg);
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

  private requireSlot(slot: string): SlotState {
    this.assertOpen();
    const found = this.slots.find((s) => s.id === slot);
    if (!found) throw new RangeError(`no slot "${slot}" (playing: ${this.slots.map((s) => s.id).join(", ") || "none"})`);
    return found;
  }
}

function newWorker(): Worker {
  return new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" });
}

/** The tags of the slots that sound, by the rule of SlotTable.audible. */
function audibleTags(slots: readonly SlotState[]): number[] {
  const live = slots.filter((s) => !s.error);
  const soloed = live.some((s) => s.solo);
  return live.filter((s) => (soloed ? s.solo : !s.muted && !s.silenced)).map((s) => s.tag);
}

/** Blocks evaluated alone, kept per buffer for a restart (the oldest go first). */
const MAX_BLOCKS_PER_BUFFER = 64;

/**
 * The programs a fresh worker replays: the whole buffer's last evaluation
 * replaces the buffer's records; a block evaluated alone is added after
 * them (replayed in order, later blocks overwrite the slots they share).
 */
function nextPrograms(programs: ProgramRecord[], record: ProgramRecord): ProgramRecord[] {
  if (!record.place?.partial) return [...programs.filter((r) => r.buffer !== record.buffer), record];
  const sameBlock = (r: ProgramRecord) => r.buffer === record.buffer && r.place?.firstAnonymous === record.place!.firstAnonymous && r.code === record.code;
  const kept = programs.filter((r) => !sameBlock(r));
  const blocks = kept.filter((r) => r.buffer === record.buffer && r.place?.partial);
  const drop = new Set(blocks.slice(0, Math.max(0, blocks.length + 1 - MAX_BLOCKS_PER_BUFFER)));
  return [...kept.filter((r) => !drop.has(r)), record];
}
