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
 * A standby worker holds the same programs (it replays them, then adopts
 * each evaluation that works) and sends nothing. When the playing worker
 * is stuck in a tick or a program's timer and the events it queued are
 * about to run out (its heartbeat still for a few on-time watchdog rounds
 * and its horizon less than TAKEOVER_MARGIN_S ahead), the engine's writer
 * becomes the standby, which schedules on from the old worker's horizon:
 * the old worker's events before that frame stand, and nothing it pushes
 * later is taken (the engine checks the writer). The slot it was stuck on
 * is held; if the old worker wakes up within the hang timeout, the slot
 * plays again, else it is blamed as below. Every other restart (a hang of
 * an evaluation, which queued a cushion ahead; an exit; the memory
 * ceiling) also hands over to a ready standby instead of replaying into a
 * new worker. A new standby starts after each takeover.
 *
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
import { PHASE, SHARED, type FromWorker, type ProgramRecord, type Takeover, type ToWorker, type WorkerState } from "./protocol.ts";
import type { ScheduledEvent } from "./scheduler.ts";
import type { SlotState } from "./slots.ts";
import { TempoMap, checkCps, type TempoPiece } from "./tempo.ts";
import { defaultMemoryLimitMb, judge, residentMb, type Cause } from "./watchdog.ts";
import type { SlotPlace } from "./block-place.ts";
import { LinkControl, type LinkOptions, type LinkState } from "./link-control.ts";
import { MidiOut } from "../engine/midi.ts";
import { EngineError } from "../engine/errors.ts";
import { MidiState } from "../targets/midi-state.ts";
import { cpuQuotaCores } from "./cpu-quota.ts";

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
  /**
   * True: a standby worker holds the programs and takes over from a stuck or
   * ended one with no gap. "auto" (what `serve` does by default): on, except
   * under a CPU quota below one core, where two workers share too little and a
   * standby loading beside the playing worker can starve it. False or absent:
   * a hang or crash restarts the worker from the mirrored programs instead.
   */
  standby?: boolean | "auto";
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
/** The watchdog's round; a round later than LATE_ROUND_MS means the host starved this thread too (it judges nobody on that). */
const ROUND_MS = 10;
const LATE_ROUND_MS = 30;
/** A stuck worker's queue this close to running out: the standby takes over (it needs a message and one tick). */
const TAKEOVER_MARGIN_S = 0.08;
/**
 * The first standby starts this long after the session (so that it does not
 * load its modules with the first worker, nor slow the first evaluation);
 * after a takeover the next starts at once, from the spare.
 */
const STANDBY_DELAY_MS = 1000;
/**
 * Under a CPU quota below one core (read once, server/live/cpu-quota.ts) the
 * standby starts only once the playing worker has played this long, and skips
 * its transpiler warm-up: in the first seconds the playing worker loads and
 * warms up itself, and a standby loading beside it inside the quota starved it
 * past the watchdog (quota.rt.test.ts failed 1 run in 5).
 */
const QUOTA_STANDBY_DELAY_MS = 5000;
const TIGHT_QUOTA = (cpuQuotaCores() ?? Infinity) < 1;

/** "on", "off" (asked so), or off because of the CPU quota ("auto" under a quota below one core). */
export type StandbyMode = "on" | "off" | "off: CPU quota";

function standbyMode(asked: boolean | "auto" | undefined): StandbyMode {
  if (asked === true) return "on";
  if (asked === "auto") return TIGHT_QUOTA ? "off: CPU quota" : "on";
  return "off";
}
/**
 * How long a standby that took over may finish its adoptions before it
 * plays: one that merely runs slow on a busy machine is not taken for a
 * program that hangs when replayed (that buffer would be dropped).
 */
const TAKEOVER_PLAY_MS = 2000;
/** The standby adopts evaluations once they pause this long. */
const ADOPT_AFTER_MS = 150;
/** A slot (or timer's buffer) held again this soon after it was released is blamed at once. */
const REOFFEND_MS = 10000;

/** One live worker and its shared memory (heartbeat, phase, horizon, the name of the code that runs). */
type WorkerLink = { worker: Worker; port: MessagePort; shared: SharedArrayBuffer; cells: Int32Array; horizon: Float64Array; writer: number };

/** The standby: `sent` adoptions sent, `adopted` done; ready once its replay is done. */
type Standby = WorkerLink & { ready: boolean; sent: number; adopted: number; lastBeat: number; lastBeatAt: number };

/** A worker the standby took over from because it was stuck: kept (its pushes refused) to see whether it wakes up. */
type Suspect = { link: WorkerLink; beat: number; since: number; phase: number; name: string; evalId: number; hold?: string; stopTimers?: string };

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
  private shared = new SharedArrayBuffer(SHARED.SIZE_BYTES);
  private cells = new Int32Array(this.shared, 0, SHARED.CELLS);
  private horizonCells = new Float64Array(this.shared, SHARED.HORIZON_BYTE_OFFSET, 2);
  private writer = 0;
  private nextWriter = 1;
  /** Which worker may write (mirrors the engine's writer for OSC and MIDI). */
  private readonly writerCell = new Int32Array(new SharedArrayBuffer(4));
  private standby?: Standby;
  private suspect?: Suspect;
  /** When standbys failed (hung or ended) within RESTART_WINDOW_MS: past RESTART_LOOP, no standby until the window passes. */
  private standbyFailures: number[] = [];
  private standbyTimer?: ReturnType<typeof setTimeout>;
  /** Programs (buffer + code) the standby failed to replay: not held, so stopped at a takeover. */
  private readonly unheld = new Set<string>();
  private readonly released = new Map<string, number>();
  private lastRoundAt = 0;
  /** The last round that came late (the host starved the main thread too). */
  private hostStallAt = 0;
  private lastSlowChecksAt = 0;
  private noStandby = false;
  /** A standby that took over and has not played yet (it first finishes what it was adopting). */
  private unplayed = false;
  /** Evaluations that worked, waiting to be adopted by the standby (see queueAdoption). */
  private adoptQueue: ProgramRecord[] = [];
  private adoptTimer?: ReturnType<typeof setTimeout>;
  /** Times a standby took over (restarts counts only those that blamed code or found none to blame). */
  takeovers = 0;
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
  /** What the MIDI inputs told so far, shared by every worker (targets/midi-state.ts): a restart keeps the knobs where they are. */
  private readonly midiState = MidiState.create();
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
    session.watchdog = setInterval(() => session.checkHeartbeat(), ROUND_MS);
    session.standbyMode = standbyMode(options.standby);
    if (session.standbyMode === "on") session.startStandby(TIGHT_QUOTA ? QUOTA_STANDBY_DELAY_MS : STANDBY_DELAY_MS);
    else session.noStandby = true;
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
    this.sendStandby({ type: "programs", programs: [] });
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
   * The session's MIDI client (MIDI out, in and clock: one client, which
   * outlives every worker, so a restart neither leaks it nor renames its
   * ports); opened on first use, on the backend --midi-backend names (auto:
   * JACK when a JACK server runs, else the ALSA sequencer). Throws, saying
   * why, when it cannot open.
   */
  midiClient(): MidiOut {
    this.assertOpen();
    this.midi ??= this.openMidiBackend();
    return this.midi;
  }

  private openMidiBackend(): MidiOut {
    const backend = this.targets.midiBackend ?? "auto";
    const name = this.targets.midiClient;
    if (backend !== "auto") return MidiOut.open(this.engine, name, backend);
    try {
      return MidiOut.open(this.engine, name, "jack");
    } catch (jack) {
      try {
        return MidiOut.open(this.engine, name, "alsa");
      } catch (alsa) {
        const why = (err: unknown) => (err as Error).message.replace(/^MidiOut\.open: /, "");
        throw new EngineError("MidiOut.open", `${why(jack)}, and ${why(alsa)}`);
      }
    }
  }

  /** midiClient() for the worker: a failure is said once and tried again every few seconds. */
  private openMidi(): MidiOut | undefined {
    if (this.midi || this.closed) return this.midi;
    const now = performance.now();
    if (now - this.midiFailedAt < MIDI_RETRY_MS) return undefined;
    try {
      const midi = this.midiClient();
      if (this.midiFailedAt > -Infinity) this.emit({ type: "warning", message: `MIDI: the ${midi.backend === "jack" ? "JACK server answers" : "ALSA sequencer opens"} now; MIDI patterns play` });
      return midi;
    } catch (err) {
      if (this.midiFailedAt === -Infinity) this.emit({ type: "warning", message: `MIDI: ${(err as Error).message.replace(/^MidiOut\.open: /, "")}; MIDI patterns play nowhere until it opens (tried again every ${MIDI_RETRY_MS / 1000} s)` });
      this.midiFailedAt = now;
      return undefined;
    }
  }
  private midi?: MidiOut;
  private midiFailedAt = -Infinity;

  /**
   * Stops or starts the transport: the Link session's while Link is on
   * (start/stop sync: every peer follows on the next bar), ours alone while
   * it is off (on the next bar too), so a server stopped with the session
   * and then taken out of it can be started again.
   */
  setLinkPlaying(playing: boolean): void {
    this.assertOpen();
    if (this.link.setPlaying(playing)) return;
    this.link.stopped = !playing;
    this.control({ type: "transport", seq: 0, playing }, playing ? "transport start" : "transport stop");
  }

  /** The Link nudge, ms: positive plays later. */
  setLinkOffset(ms: number): void {
    this.link.setOffset(ms);
  }

  /** Link on or off, its peers and tempo (for /api/state, /metrics and the editor). */
  linkState(): LinkState {
    return this.link.state();
  }

  /** Whether this session keeps a standby, and why not when it does not (for /api/state). */
  standbyMode: StandbyMode = "off";

  /** A standby holds every program that plays and can take over now. */
  get standbyReady(): boolean {
    const sb = this.standby;
    return !!sb?.ready && sb.adopted === sb.sent && this.adoptQueue.length === 0 && !this.suspect;
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
    if (this.standbyTimer) clearTimeout(this.standbyTimer);
    if (this.adoptTimer) clearTimeout(this.adoptTimer);
    this.spare?.terminate();
    this.standby?.worker.terminate();
    this.suspect?.link.worker.terminate();
    this.retireWorker({ worker: this.worker, port: this.port, shared: this.shared, cells: this.cells, horizon: this.horizonCells, writer: this.writer });
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
    const worker = this.takeSpare();
    const channel = new MessageChannel();
    this.worker = worker;
    this.port = channel.port1;
    this.useShared(new SharedArrayBuffer(SHARED.SIZE_BYTES));
    this.becomeWriter(this.nextWriter++);
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
    worker.addEventListener("close", (ev) => this.ended(worker, (ev as Event & { code?: number }).code ?? 0));
    const muted = this.resumeAudibility?.muted ?? this.slots.filter((s) => s.muted).map((s) => s.id);
    const solo = this.resumeAudibility?.solo ?? this.slots.filter((s) => s.solo).map((s) => s.id);
    this.resumeAudibility = undefined;
    worker.postMessage(
      {
        ...this.initCommon(channel.port2),
        ...(this.midi ? { midi: this.midi.share() } : {}),
        horizon,
        ctrl: [...this.ctrlValues],
        programs: this.programs,
        muted,
        solo,
        failed,
        highlight: this.highlight,
        shared: this.shared,
        link: this.link.shared(),
        stopped: this.link.stopped,
        role: "playing",
        writer: this.writer,
      } satisfies ToWorker,
      [channel.port2],
    );
  }

  /**
   * A worker with its modules loaded, and another started a second later:
   * a restart or a new standby costs the replay, not the start-up, even
   * when the standby is not ready.
   */
  private takeSpare(): Worker {
    const worker = this.spare ?? newWorker();
    this.spare = undefined;
    if (this.spareTimer) clearTimeout(this.spareTimer);
    const later = () => {
      if (this.closed || this.spare) return;
      // not while an evaluation runs (see startStandby)
      if (this.pending.size > 0) this.spareTimer = setTimeout(later, 250);
      else this.spare = newWorker();
    };
    this.spareTimer = setTimeout(later, 1000);
    return worker;
  }

  private useShared(shared: SharedArrayBuffer): void {
    this.shared = shared;
    this.cells = new Int32Array(shared, 0, SHARED.CELLS);
    this.horizonCells = new Float64Array(shared, SHARED.HORIZON_BYTE_OFFSET, 2);
  }

  /** From here on only `writer`'s pushes are taken by the engine (and only it sends OSC and MIDI). */
  private becomeWriter(writer: number): void {
    this.engine.setWriter(writer);
    Atomics.store(this.writerCell, 0, writer);
    this.writer = writer;
  }

  // ----------------------------------------------------------------- standby

  /** Starts a standby from the programs that play (unless standbys keep failing: then after a pause). */
  private startStandby(delayMs = 0): void {
    if (this.closed || this.standby || this.noStandby) return;
    const now = performance.now();
    this.standbyFailures = this.standbyFailures.filter((t) => now - t < RESTART_WINDOW_MS);
    // not while an evaluation runs: loading a worker's modules beside it could hold it past the watchdog on a busy machine
    if (!delayMs && this.pending.size > 0) delayMs = 250;
    if (delayMs || this.standbyFailures.length > RESTART_LOOP) {
      this.standbyTimer ??= setTimeout(() => {
        this.standbyTimer = undefined;
        this.startStandby();
      }, delayMs || RESTART_WINDOW_MS);
      return;
    }
    const worker = this.takeSpare();
    this.adoptQueue = []; // the init below holds them
    if (this.adoptTimer) clearTimeout(this.adoptTimer);
    const channel = new MessageChannel();
    const shared = new SharedArrayBuffer(SHARED.SIZE_BYTES);
    const sb: Standby = { worker, port: channel.port1, shared, cells: new Int32Array(shared, 0, SHARED.CELLS), horizon: new Float64Array(shared, SHARED.HORIZON_BYTE_OFFSET, 2), writer: this.nextWriter++, ready: false, sent: 0, adopted: 0, lastBeat: 0, lastBeatAt: now };
    this.standby = sb;
    channel.port1.onmessage = (ev: MessageEvent<FromWorker>) => this.fromStandby(sb, ev.data);
    worker.addEventListener("close", () => {
      if (this.standby === sb && !this.closed) this.standbyFailed(sb, "ended");
    });
    worker.postMessage(
      {
        ...this.initCommon(channel.port2),
        horizon: null,
        ctrl: [],
        programs: this.programs.filter((p) => !this.unheld.has(heldKey(p))),
        muted: [],
        solo: [],
        failed: [],
        highlight: false,
        shared,
        role: "standby",
        warm: !TIGHT_QUOTA,
        writer: sb.writer,
      } satisfies ToWorker,
      [channel.port2],
    );
  }

  /** What a playing worker's and a standby's init share: the engine, the tempo, the settings. */
  private initCommon(port: MessagePort) {
    return {
      type: "init" as const,
      engine: this.engine.share(),
      tempo: this.tempo.toPieces(),
      lookahead: this.lookahead,
      queueAhead: this.queueAhead,
      tickMs: this.tickMs,
      targets: this.targets,
      midiState: this.midiState,
      samples: this.sampleSources,
      // read here: a Bun Worker does not see this thread's changes to process.env (--cache, --github-base)
      cacheDir: defaultCacheDir(),
      githubBase: githubBase(),
      baseDir: this.baseDir,
      port,
      evalTimeoutMs: this.evalTimeoutMs,
      // the watchdog's timeout, its round, and a restart from a spare
      evalCushion: this.hangTimeoutMs / 1000 + 0.3,
      writerCell: this.writerCell.buffer as SharedArrayBuffer,
    };
  }

  private fromStandby(sb: Standby, msg: FromWorker): void {
    if (sb !== this.standby) return;
    if (msg.type === "ready") {
      sb.ready = true;
      for (const d of msg.dropped) this.markUnheld(d.buffer);
    } else if (msg.type === "adopted") {
      sb.adopted = msg.count;
    } else if (msg.type === "error" && /the standby live worker/.test(msg.error.message)) {
      // a program the standby could not replay: it plays on, and a takeover stops it
      const buffer = /^buffer "(.*?)" failed/.exec(msg.error.message)?.[1];
      if (buffer !== undefined) this.markUnheld(buffer);
      this.emit({ type: "error", error: msg.error });
    }
    // its other words (warnings, samples) repeat the playing worker's
  }

  /** The program that plays in `buffer` is not held by the standby. */
  private markUnheld(buffer: string): void {
    for (const p of this.programs) if (p.buffer === buffer) this.unheld.add(heldKey(p));
  }

  /**
   * The standby adopts what evaluated once evaluations pause for
   * ADOPT_AFTER_MS (or at once before it takes over), so that its work does
   * not compete with evaluations in a row. Every one is adopted, in order:
   * one that a later one replaces may have left state the later one needs.
   */
  private queueAdoption(record: ProgramRecord): void {
    this.adoptQueue.push(record);
    if (this.adoptTimer) clearTimeout(this.adoptTimer);
    this.adoptTimer = setTimeout(() => this.flushAdoptions(), ADOPT_AFTER_MS);
  }

  private flushAdoptions(): void {
    if (this.adoptTimer) clearTimeout(this.adoptTimer);
    this.adoptTimer = undefined;
    const queue = this.adoptQueue;
    this.adoptQueue = [];
    for (const record of queue) this.sendStandby({ type: "adopt", record });
  }

  private sendStandby(msg: ToWorker): void {
    const sb = this.standby;
    if (!sb) return;
    if (msg.type !== "adopt" && this.adoptQueue.length) this.flushAdoptions(); // in order
    if (msg.type === "adopt" || msg.type === "programs" || msg.type === "drop") sb.sent++;
    sb.port.postMessage(msg);
  }

  /** The standby hung (replaying a program: that one is not held from now on) or ended: a new one starts. */
  private standbyFailed(sb: Standby, how: "hung" | "ended"): void {
    sb.worker.terminate();
    sb.port.close();
    this.standby = undefined;
    this.standbyFailures.push(performance.now());
    if (Atomics.load(sb.cells, SHARED.PHASE) === PHASE.REPLAYING) {
      const buffer = blamedName(sb.shared);
      this.markUnheld(buffer);
      const what = how === "hung" ? `did not finish within ${(this.hangTimeoutMs / 1000).toFixed(1)} s` : "ended the live worker";
      const message = `buffer "${buffer}" ${what} when replayed into the standby live worker (an endless loop?): it plays on, but a hang or crash of the live worker will stop it`;
      this.emit({ type: "error", error: new ProgramError(message, "evaluate").toJSON() });
    }
    this.startStandby(STANDBY_DELAY_MS);
  }

  /** The standby is alive (it beats while it replays, and while it waits). */
  private checkStandby(now: number, onTime: boolean): void {
    const sb = this.standby;
    if (!sb) return;
    const beat = Atomics.load(sb.cells, SHARED.HEARTBEAT);
    if (beat !== sb.lastBeat || !onTime) {
      sb.lastBeat = beat;
      sb.lastBeatAt = now;
    } else if (now - sb.lastBeatAt > (sb.lastBeat === 0 ? this.startTimeoutMs : this.hangTimeoutMs)) {
      this.standbyFailed(sb, "hung");
    }
  }

  /**
   * Hands over to the standby: it becomes the engine's writer at once and
   * schedules from the old worker's horizon. `suspect`: the old worker is
   * kept to see whether it wakes up (the slot it was stuck on is held, not
   * blamed yet); otherwise it is terminated and `failed`, `drop` say what
   * was blamed. False when no standby is ready.
   */
  private takeOver(failed: { id: string; error: ProgramErrorJSON }[], drop?: string, suspect?: Omit<Suspect, "link" | "beat" | "since">): boolean {
    const sb = this.standby;
    if (!sb?.ready || this.closed) return false;
    this.flushAdoptions();
    const old: WorkerLink = { worker: this.worker, port: this.port, shared: this.shared, cells: this.cells, horizon: this.horizonCells, writer: this.writer };
    this.becomeWriter(sb.writer);
    const [n, d] = [old.horizon[0]!, old.horizon[1]!];
    this.standby = undefined;
    this.takeovers++;
    if (suspect) this.suspect = { ...suspect, link: old, beat: Atomics.load(old.cells, SHARED.HEARTBEAT), since: performance.now() };
    else this.retireWorker(old);
    if (drop) sb.port.postMessage({ type: "drop", buffer: drop } satisfies ToWorker);
    // Programs the standby could not hold are stopped now, and said so.
    for (const p of this.programs.filter((r) => this.unheld.has(heldKey(r)))) {
      this.dropProgram(p.buffer);
      sb.port.postMessage({ type: "drop", buffer: p.buffer } satisfies ToWorker);
      this.emit({ type: "error", error: new ProgramError(`buffer "${p.buffer}" could not be replayed into the standby live worker, which took over: it was stopped`, "evaluate").toJSON() });
    }
    this.unheld.clear();
    this.worker = sb.worker;
    this.port = sb.port;
    this.useShared(sb.shared);
    this.started = true;
    this.unplayed = true;
    Atomics.store(this.cells, SHARED.CONTROL_ACK, this.controlSeq);
    Atomics.store(this.cells, SHARED.CONTROL_SEQ, this.controlSeq);
    this.controlSentAt = 0;
    this.lastBeat = Atomics.load(this.cells, SHARED.HEARTBEAT);
    this.lastBeatAt = performance.now();
    this.attach(sb);
    const takeover: Takeover = {
      type: "takeover",
      tempo: this.tempo.toPieces(),
      horizon: d > 0 ? [n, d] : null,
      muted: this.slots.filter((s) => s.muted).map((s) => s.id),
      solo: this.slots.filter((s) => s.solo).map((s) => s.id),
      failed,
      tags: this.slots.map((s) => ({ id: s.id, tag: s.tag })),
      ctrl: [...this.ctrlValues],
      highlight: this.highlight,
      link: this.link.shared(),
      stopped: this.link.stopped,
      ...(this.midi ? { midi: this.midi.share() } : {}),
      hold: suspect?.hold,
      stopTimers: suspect?.stopTimers,
    };
    sb.port.postMessage(takeover);
    // at once: the spare has its modules loaded, so this costs the replay
    this.startStandby();
    return true;
  }

  /** The standby's port and exit now speak for the playing worker. */
  private attach(sb: Standby): void {
    const worker = sb.worker;
    sb.port.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (worker === this.worker) this.receive(ev.data);
    };
    worker.onmessage = () => {
      if (worker === this.worker) this.strayMessages++;
    };
    worker.addEventListener("close", (ev) => this.ended(worker, (ev as Event & { code?: number }).code ?? 0));
  }

  /** A worker ended by itself: the playing one is replaced; the one the standby took over from is judged now. */
  private ended(worker: Worker, code: number): void {
    if (this.closed) return;
    if (worker === this.worker) this.restart({ kind: "exit", code });
    else if (worker === this.suspect?.link.worker) this.checkSuspect(performance.now(), code);
  }

  private retireWorker(old: WorkerLink): void {
    this.zombies.set(old.worker, performance.now());
    // The JACK MIDI client is the session's: a replaced worker leaves it open for the next one.
    old.worker.addEventListener("close", () => this.zombies.delete(old.worker));
    old.worker.terminate();
    old.port.close();
    this.memoryHoldUntil = performance.now() + 5000;
  }

  /**
   * The worker the standby took over from: it woke up (the slot held plays
   * again; a slot that is held again soon after is blamed at once), or it
   * did not within the hang timeout (it is blamed, as a restart would).
   */
  private checkSuspect(now: number, exited?: number): void {
    const s = this.suspect;
    if (!s) return;
    const woke = exited === undefined && Atomics.load(s.link.cells, SHARED.HEARTBEAT) !== s.beat;
    if (!woke && exited === undefined && now - s.since < this.hangTimeoutMs) return;
    this.suspect = undefined;
    this.retireWorker(s.link);
    const blamed = s.hold ?? s.stopTimers;
    if (woke && blamed !== undefined) this.released.set(blamed, now);
    if (woke) {
      if (s.hold) this.send({ type: "release", slot: s.hold });
      else if (s.stopTimers) this.emit({ type: "warning", message: `a timer of buffer "${s.stopTimers}" held the live worker past its queue: the standby took over, and the buffer's timers were stopped (its patterns play on)` });
      return;
    }
    this.blame(s.phase, exited === undefined ? { kind: "hang", seconds: (this.hangTimeoutMs / 1000).toFixed(1) } : { kind: "exit", code: exited }, s);
  }

  /** The worker the standby took over from is judged at once (it passed the memory ceiling). */
  private blameSuspect(cause: Cause): void {
    const s = this.suspect!;
    this.suspect = undefined;
    this.retireWorker(s.link);
    this.blame(s.phase, cause, s);
  }

  /** A verdict on code the standby already took over from: the slot stays stopped with its reason, or the buffer is dropped. */
  private blame(phase: number, cause: Cause, who: { name: string; evalId: number }): void {
    this.restarts++;
    const verdict = judge(phase, cause, who);
    if (verdict.blame === "slot") {
      const error = new ProgramError(verdict.reason, "query", undefined, undefined, verdict.slot).toJSON();
      this.send({ type: "release", slot: verdict.slot, error });
      const known = this.slots.find((s) => s.id === verdict.slot);
      if (known) known.error = error;
      this.emit({ type: "error", error });
    } else if (verdict.blame === "buffer") {
      this.dropProgram(verdict.buffer);
      this.send({ type: "drop", buffer: verdict.buffer });
      this.emit({ type: "error", error: new ProgramError(verdict.reason, "evaluate").toJSON() });
    }
    this.emit({ type: "restarted", reason: verdict.reason });
    this.emit({ type: "state" });
  }

  /**
   * The playing worker is stuck where the music waits on it (a tick, a
   * program's timer, or nothing we can name), its queue is about to run
   * out, and this thread was not starved itself: the standby takes over.
   */
  private urgent(now: number): boolean {
    if (!this.standby?.ready || this.suspect || !this.started) return false;
    const phase = Atomics.load(this.cells, SHARED.PHASE);
    if (phase !== PHASE.QUERYING && phase !== PHASE.TIMER && phase !== PHASE.IDLE) return false;
    if (now - Math.max(this.lastBeatAt, this.hostStallAt) < 2 * ROUND_MS) return false;
    const [n, d] = [this.horizonCells[0]!, this.horizonCells[1]!];
    if (!(d > 0)) return false;
    const left = (this.tempo.frameAt(n / d) - this.engine.now()) / this.engine.sampleRate;
    if (left > TAKEOVER_MARGIN_S) return false;
    const name = blamedName(this.shared);
    const evalId = Atomics.load(this.cells, SHARED.EVAL_ID);
    const hold = phase === PHASE.QUERYING ? name : undefined;
    const stopTimers = phase === PHASE.TIMER ? name : undefined;
    const blamed = hold ?? stopTimers;
    if (blamed !== undefined && now - (this.released.get(blamed) ?? -Infinity) < REOFFEND_MS) {
      // held, woke up, held again: the same code holds the worker past its queue each time
      this.released.delete(blamed);
      return this.restart({ kind: "hang", seconds: ((now - this.lastBeatAt) / 1000).toFixed(2) }), true;
    }
    return this.takeOver(this.failedSlots(), undefined, { phase, name, evalId, hold, stopTimers });
  }

  /** The slots that are stopped (the mirror's, and those blamed while an evaluation was under way). */
  private failedSlots(): { id: string; error: ProgramErrorJSON }[] {
    const failed = this.slots.filter((s) => s.error).map((s) => ({ id: s.id, error: s.error! }));
    for (const [id, error] of this.blamedSlots) if (!failed.some((f) => f.id === id)) failed.push({ id, error });
    return failed;
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
        if (msg.ok) {
          const record = { buffer: p.buffer, code: p.code, place: p.place };
          this.programs = nextPrograms(this.programs, record);
          this.queueAdoption(record);
        }
        p.resolve(outcome);
        this.emit({ type: "evaluated", buffer: p.buffer, code: p.code, outcome, by: p.by });
        if (this.pending.size === 0) this.blamedSlots.clear();
        return;
      }
      case "state":
        this.unplayed = false;
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
    this.sendStandby({ type: "drop", buffer });
  }

  private adoptState(state: WorkerState): void {
    // Sent before a control command was applied: the mirror is newer (the worker sends its state again when it applies it).
    if (Atomics.load(this.cells, SHARED.CONTROL_ACK) < this.controlSeq) return;
    this.slots = state.slots;
    this.tempo = TempoMap.fromPieces(this.engine.sampleRate, state.tempo as TempoPiece[]);
    if (state.linkPhaseErrorMs !== undefined) this.link.phaseErrorMs = state.linkPhaseErrorMs;
    if (state.linkDownbeat !== undefined) this.link.downbeat = state.linkDownbeat;
    if (state.linkTransport !== undefined) this.link.transport = state.linkTransport;
    if (state.stopped !== undefined) this.link.stopped = state.stopped;
  }

  /** Every 25 ms: is the worker alive, obedient, within its memory, quiet on the global channel? */
  private checkHeartbeat(): void {
    if (this.closed) return;
    const beat = Atomics.load(this.cells, SHARED.HEARTBEAT);
    const now = performance.now();
    const onTime = now - this.lastRoundAt <= LATE_ROUND_MS;
    if (!onTime) {
      this.hostStallAt = now;
      // The host held the whole process (a CPU quota throttling it, a stall): that time is nobody's hang.
      // Only the excess over a late round is forgiven, so a worker that eats the quota itself is still judged.
      this.lastBeatAt = Math.min(now, this.lastBeatAt + (now - this.lastRoundAt - LATE_ROUND_MS));
    }
    this.lastRoundAt = now;
    this.checkSuspect(now);
    this.checkStandby(now, onTime);
    const seconds = (this.hangTimeoutMs / 1000).toFixed(1);
    if (beat !== this.lastBeat) {
      this.lastBeat = beat;
      this.lastBeatAt = now;
      this.started = true;
    } else if (this.urgent(now)) {
      return;
    } else if (now - this.lastBeatAt > (!this.started ? this.startTimeoutMs : this.unplayed ? Math.max(this.hangTimeoutMs, TAKEOVER_PLAY_MS) : this.hangTimeoutMs)) {
      return this.restart({ kind: "hang", seconds: this.started ? seconds : (this.startTimeoutMs / 1000).toFixed(1) });
    }
    // A worker still replaying applies commands once it plays (its own heartbeat guards that time).
    const replaying = [PHASE.STARTING, PHASE.REPLAYING].includes(Atomics.load(this.cells, SHARED.PHASE) as 3 | 5);
    if (this.controlSentAt && !replaying && now - this.controlSentAt > this.hangTimeoutMs) {
      if (Atomics.load(this.cells, SHARED.CONTROL_ACK) >= this.controlSeq) this.controlSentAt = 0;
      else return this.restart({ kind: "ignored", command: this.controlName });
    }
    // The rest needs no finer round than 25 ms (it reads /proc).
    if (now - this.lastSlowChecksAt < 25) return;
    this.lastSlowChecksAt = now;
    for (const [w, at] of this.zombies) if (now - at > ZOMBIE_MS) this.zombies.delete(w);
    if (residentMb() - this.memoryBaseMb > this.memoryLimitMb) {
      // A terminated worker runs on until it leaves the native call it was in
      // (a fill of 8 GB), and its memory takes a moment to go back after that
      // (about 150 ms): neither is the new worker's fault.
      this.memoryBelowSince = 0;
      // The worker the standby took over from runs until it is judged: memory past the ceiling
      // then is its own (a leak slows its tick before it passes the ceiling), not the new worker's.
      if (this.suspect) return this.blameSuspect({ kind: "memory", limitMb: this.memoryLimitMb });
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
    const who = { evalId: Atomics.load(this.cells, SHARED.EVAL_ID), name: blamedName(this.shared) };
    this.restarts++;
    // Whatever the worker queued may belong to the code that is blamed; the new worker schedules again from its horizon.
    const failed = this.failedSlots();
    const verdict = judge(phase, cause, who);
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
    // The standby takes over if it is ready (the buffer blamed is dropped there first); else a new worker replays the programs.
    const dropped = verdict.blame === "buffer" ? verdict.buffer : undefined;
    if (!this.takeOver(failed, dropped)) {
      this.retireWorker({ worker: this.worker, port: this.port, shared: this.shared, cells: this.cells, horizon: this.horizonCells, writer: this.writer });
      this.spawn(d > 0 ? [n, d] : null, failed);
    }
    // each starts again in the new worker: the backstop counts from now
    for (const [, p] of requeue) p.sentAt = performance.now();
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

/** The slot or buffer a worker named as running when it stopped. */
function blamedName(shared: SharedArrayBuffer): string {
  const length = new Int32Array(shared, SHARED.SLOT_ID_BYTE_OFFSET, 1)[0]!;
  const bytes = new Uint8Array(shared, SHARED.SLOT_ID_BYTE_OFFSET + 4, Math.min(length, SHARED.SLOT_ID_MAX_BYTES));
  return new TextDecoder().decode(bytes.slice());
}

/** A program as the standby holds it (one that failed there is not held). */
function heldKey(p: ProgramRecord): string {
  return `${p.buffer}\n${p.code}`;
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
