/**
 * The live worker: the only thread that runs user code. It evaluates
 * programs, keeps the slots, and ticks the scheduler, which pushes events to
 * the engine the main thread owns. It is disposable: when it hangs (an
 * endless loop while evaluating or querying), the main thread's watchdog
 * terminates it and starts a fresh one from the state mirrored there
 * (see protocol.ts). The heartbeat and the current phase are written to
 * shared memory so the watchdog can tell a hang and blame the right code.
 *
 * Evaluations run side by side, each with a deadline: one that awaits
 * forever fails when its time is up and holds no other back. An older
 * evaluation of a buffer that finishes after a newer one is dropped.
 * What user code could take from the worker is guarded in guard.ts.
 *
 * A worker starts as "playing" or as a "standby": a standby replays the
 * programs and adopts each one that evaluates in the playing worker, so it
 * holds the same slots, but it schedules and sends nothing and runs no
 * program's timer until the main thread makes it the writer and tells it to
 * take over from the old worker's horizon. A worker that finds it is no
 * longer the writer (it was replaced while stuck, then woke up) retires:
 * its pushes are refused by the engine anyway, and it sends no OSC or MIDI.
 * @module
 */
/// <reference lib="webworker" />
import { Engine, EventBuffer, isRemote, SampleCache, SampleLibrary } from "../engine/index.ts";
import { setPlainStrings, type Pattern } from "../pattern/pattern.ts";
import { setExternalValue, setMidiInputOpener } from "../pattern/external.ts";
import { ratio, type Rational } from "../pattern/rational.ts";
import { ProgramError, programIdOf, type ProgramErrorJSON } from "./errors.ts";
import { runtimeError } from "./evaluate.ts";
import { atomic, catchStrays, clock, disarmProcess, fetchWithSite, hidePostMessage, TimerScope, type TimerHooks } from "./guard.ts";
import type { PositionMap } from "./position-map.ts";
import { evaluate } from "./program.ts";
import { soundValues } from "./preload.ts";
import { unknownSoundWarnings } from "./sound-names.ts";
import { libraryTables } from "../engine/tables.ts";
import { addSampleSources } from "./sample-sources.ts";
import { PHASE, SHARED, type FromWorker, type ProgramRecord, type Takeover, type ToWorker, type WorkerInit } from "./protocol.ts";
import { Scheduler } from "./scheduler.ts";
import { SlotTable, slotIds } from "./slots.ts";
import { TempoMap } from "./tempo.ts";
import { LinkSteering } from "./link-steer.ts";
import type { SlotPlace } from "./block-place.ts";
import { SuperDirtTarget } from "../targets/superdirt.ts";
import { MidiTarget } from "../targets/midi.ts";
import { MidiIn } from "../targets/midi-in.ts";
import { MidiState } from "../targets/midi-state.ts";
import { MidiOut } from "../engine/midi.ts";
import { oscSendAhead, type Routing } from "../targets/target.ts";
import { WallClock } from "../targets/wall-clock.ts";

// This thread only hosts REPL programs: a plain string that reaches the
// library while a pattern is queried is a value, as it was when evaluated.
setPlainStrings(true);

declare const self: Worker;

let port: MessagePort;
/** MessagePort.prototype.postMessage, captured before any program runs. */
const portPost = MessagePort.prototype.postMessage;
let cells: Int32Array;
let horizonCells: Float64Array;
let slotIdLength: Int32Array;
let slotIdBytes: Uint8Array;
let slotIdShown = "";
const utf8 = new TextEncoder();
let engine: Engine;
let slots: SlotTable<Pattern>;
let scheduler: Scheduler;
let highlight = false;
let library: SampleLibrary;
let baseDir = ".";
let evalTimeoutMs = 10000;
let evalCushion = 0;
/** Set when a slot failed during a tick: the main thread needs the new state. */
let stateDirty = false;
let timer: ReturnType<typeof setInterval> | undefined;
/** Frames to wall-clock time for the OSC target, and its (frame, time) pair. */
let wallClock: WallClock;
const clockPair = new Float64Array(2);
let superdirt: SuperDirtTarget | undefined;
let midiOut: MidiTarget | undefined;
let midiIn: MidiIn | undefined;
/** The session's MIDI client (it outlives this worker), once it has one. */
let midiShared: MidiOut | undefined;
let midiAskedAt = -Infinity;

/** The session's MIDI client, or undefined while it is asked for (once a second at most). */
function midiClient(): MidiOut | undefined {
  if (midiShared) return midiShared;
  const now = clock.now();
  if (now - midiAskedAt >= 1000) {
    midiAskedAt = now;
    post({ type: "wantMidi" });
  }
  return undefined;
}
/** False when every pattern goes to SuperDirt alone (--superdirt without --targets engine). */
let engineTarget = true;
/** Set while Link is on: the tempo map follows the session. */
let linkSteer: LinkSteering | undefined;
/** What this worker does now: "retired" once another took over. */
let role: "playing" | "standby" | "retired" = "playing";
let writerId = 0;
let writerCell: Int32Array;
const isWriter = () => atomic.load(writerCell, 0) === writerId;
let settings: WorkerInit;
/** A standby beats this often while it waits (the watchdog gives it the hang timeout, 0.4 s). */
const STANDBY_BEAT_MS = 50;
/** A standby's adoptions, run one after another in the order sent. */
let adoptions: Promise<void> = Promise.resolve();
let adoptedCount = 0;
/** Set when told to take over (what comes for the playing worker from then on waits until it plays). */
let takingOver = false;
/** Resolved once the scheduler runs. */
let markPlaying!: () => void;
const whenPlaying = new Promise<void>((resolve) => (markPlaying = resolve));
/** What a worker can do before its scheduler runs. */
const WITHOUT_SCHEDULER = new Set<ToWorker["type"]>(["init", "adopt", "programs", "takeover", "drop", "stop", "ctrl", "highlight"]);

/** An evaluation under way. */
type Flight = { id: number; buffer: string; timers: TimerScope };
const inFlight = new Map<number, Flight>();
/** Per buffer, the id of the evaluation that installed last (an older one finishing later is dropped). */
const installedId = new Map<string, number>();
/** The timers of the program that plays in each buffer. */
const bufferTimers = new Map<string, TimerScope>();
/** Where each recent evaluation's code is, to place errors caught outside it. */
const programMaps = new Map<number, { buffer: string; map: PositionMap }>();
const MAX_PROGRAM_MAPS = 64;
/** Errors caught outside evaluations already reported (each is reported once). */
const reported = new Set<string>();

const apply = Reflect.apply;
const post = (msg: FromWorker) => apply(portPost, port, [msg]);

const timerHooks: TimerHooks = {
  allowed: () => role === "playing",
  enter(owner) {
    const before = atomic.load(cells, SHARED.PHASE);
    phaseStack.push(before);
    showName(owner);
    atomic.store(cells, SHARED.PHASE, PHASE.TIMER);
  },
  leave() {
    atomic.store(cells, SHARED.PHASE, phaseStack.pop() ?? PHASE.IDLE);
  },
  error(owner, err) {
    reportStray(err, "an exception in a timer", owner);
  },
};
const phaseStack: number[] = [];

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (msg.type !== "init" || port) return;
  port = msg.port;
  port.onmessage = (e: MessageEvent<ToWorker>) => receive(e.data);
  // From here on the worker listens on its port only: a program that
  // reassigns self.onmessage or posts to the global changes nothing.
  hidePostMessage(self as unknown as { postMessage?: unknown });
  disarmProcess();
  catchStrays((err, kind) => reportStray(err, `an ${kind}`));
  void init(msg).catch((err) => post({ type: "fatal", message: `live worker failed to start: ${(err as Error).stack ?? err}` }));
};

function receive(msg: ToWorker): void {
  // Before the scheduler runs (a fresh worker replaying, a standby taking over), what needs it waits until it does.
  if (!scheduler && (role !== "standby" || takingOver) && !WITHOUT_SCHEDULER.has(msg.type)) {
    void whenPlaying.then(() => receive(msg));
    return;
  }
  try {
    switch (msg.type) {
      case "eval":
        void runEval(msg.id, msg.buffer, msg.code, msg.quantize, msg.keepFailed ?? [], msg.place);
        return;
      case "hush":
        hushAll();
        return acknowledge(msg.seq);
      case "mute":
        if (slots.has(msg.slot)) changeAudibility(() => slots.setMuted(msg.slot, msg.on));
        return acknowledge(msg.seq);
      case "solo":
        if (slots.has(msg.slot)) changeAudibility(() => slots.setSolo(msg.slot, msg.on));
        return acknowledge(msg.seq);
      case "setCps": {
        const frame = Math.max(msg.frame, scheduler.changeFrame());
        scheduler.setCps(msg.cps, frame);
        linkSteer?.propose(msg.cps, frame);
        return acknowledge(msg.seq);
      }
      case "shiftPhase": {
        const h = scheduler.horizonFrame;
        scheduler.jump(scheduler.tempo.cycleAt(h) + msg.cycles, scheduler.tempo.cps(h));
        return acknowledge(msg.seq);
      }
      case "link":
        linkSteer = msg.link ? new LinkSteering(engine, scheduler, msg.link) : undefined;
        return acknowledge(msg.seq);
      case "transport":
        // Link off (on, the session's transport moves ours): the next bar after the change frame
        if (!linkSteer && scheduler.transportAtBar(msg.playing, scheduler.changeFrame()) !== null) stateDirty = true;
        return acknowledge(msg.seq);
      case "highlight":
        highlight = msg.on;
        return;
      case "audition":
        void audition(msg.sound, msg.n, msg.source).catch((err: Error) => post({ type: "warning", message: `cannot play ${msg.sound}: ${err.message}` }));
        return;
      case "ctrl":
        setExternalValue(msg.key, msg.value);
        return;
      case "midi":
        midiShared ??= MidiOut.attach(msg.shared, engine);
        return;
      case "stop":
        return retire();
      case "adopt":
        return adopt(() => replayOne(msg.record, -1000000 - adoptedCount, "held"));
      case "programs":
        return adopt(async () => {
          clearPrograms();
          for (const program of msg.programs) await replayOne(program, -1000000 - adoptedCount, "held");
        });
      case "takeover":
        takingOver = true;
        void takeOver(msg).catch((err) => post({ type: "fatal", message: `the standby live worker failed to take over: ${(err as Error).stack ?? err}` }));
        return;
      case "release":
        return release(msg.slot, msg.error);
      case "drop":
        // a standby drops in turn with what it adopts
        if (role === "standby") return adopt(async () => dropBuffer(msg.buffer));
        return dropBuffer(msg.buffer);
    }
  } catch (err) {
    post({ type: "warning", message: (err as Error).message });
    if ("seq" in msg) acknowledge(msg.seq);
  }
}

/** Marks a control command applied and tells the main thread the new state. */
function acknowledge(seq: number): void {
  atomic.store(cells, SHARED.CONTROL_ACK, seq);
  postState();
}

/** Stops every slot and every program's timers (but those of `keep`, a program that called hush() itself). */
function hushAll(keep?: TimerScope): void {
  scheduler.hush();
  for (const t of bufferTimers.values()) t.clear();
  bufferTimers.clear();
  for (const f of inFlight.values()) if (f.timers !== keep) f.timers.clear();
}

async function init(msg: WorkerInit): Promise<void> {
  settings = msg;
  role = msg.role;
  writerId = msg.writer;
  writerCell = new Int32Array(msg.writerCell, 0, 1);
  cells = new Int32Array(msg.shared, 0, SHARED.CELLS);
  horizonCells = new Float64Array(msg.shared, SHARED.HORIZON_BYTE_OFFSET, 2);
  slotIdLength = new Int32Array(msg.shared, SHARED.SLOT_ID_BYTE_OFFSET, 1);
  slotIdBytes = new Uint8Array(msg.shared, SHARED.SLOT_ID_BYTE_OFFSET + 4, SHARED.SLOT_ID_MAX_BYTES);
  atomic.store(cells, SHARED.PHASE, PHASE.STARTING);
  evalTimeoutMs = msg.evalTimeoutMs;
  evalCushion = msg.evalCushion;
  engine = Engine.attach(msg.engine);
  if (msg.midi) midiShared = MidiOut.attach(msg.midi, engine);
  engine.pushAs = writerId;
  baseDir = msg.baseDir;
  library = new SampleLibrary(engine, { onError: (message) => post({ type: "warning", message }), cache: new SampleCache({ dir: msg.cacheDir }), githubBase: msg.githubBase });
  for (const source of msg.samples) {
    try {
      if (typeof source === "string" && isRemote(source)) void library.addRemote(source).catch((err: Error) => post({ type: "warning", message: err.message }));
      else library.add(source, baseDir);
    } catch (err) {
      post({ type: "warning", message: (err as Error).message });
    }
  }
  slots = new SlotTable<Pattern>();
  // Before the replay: a replayed program's midin() registers its input (on the session's client, once the MIDI target is there).
  midiIn = new MidiIn(() => midiOut?.client(), (message) => post({ type: "warning", message }), new MidiState(msg.midiState));
  setMidiInputOpener((input) => midiIn!.input(input));
  const dropped = await replay(msg.programs);
  if (role === "standby") {
    // The first evaluation loads the transpiler and the pattern library's lazy parts: done now, not when it adopts one.
    if (msg.warm !== false) await evaluate(`note("c e g").s("sine").fast(2)`, { id: -999999 }).catch(() => undefined);
    // Alive (the watchdog sees it beat), holding the programs, silent.
    atomic.store(cells, SHARED.PHASE, PHASE.IDLE);
    timer = clock.setInterval(beat, STANDBY_BEAT_MS);
    post({ type: "ready", dropped });
    return;
  }
  await play({ ...msg, tags: [] });
  post({ type: "ready", dropped });
  postState();
}

/**
 * Starts scheduling (a fresh playing worker, or a standby taking over): the
 * mirrored state applied, the targets opened, the scheduler resumed where
 * the last worker's queue ends.
 */
async function play(msg: Omit<Takeover, "type">): Promise<void> {
  const tempo = TempoMap.fromPieces(settings.engine.sampleRate, msg.tempo);
  if (msg.tags.length) slots.adoptTags(msg.tags);
  for (const id of msg.muted) if (slots.has(id)) slots.setMuted(id, true);
  for (const id of msg.solo) if (slots.has(id)) slots.setSolo(id, true);
  for (const f of msg.failed) if (slots.has(f.id)) slots.fail(f.id, toProgramError(f.id, f.error));
  highlight = msg.highlight;
  // Resume where the last worker stopped, unless that is already too close
  // to be heard on time: then from the change frame on (an event pushed
  // after its frame would play late, off its frame; one missing is better).
  const earliest = tempo.cycleAt(engine.now() + settings.lookahead * settings.engine.sampleRate);
  const resume: Rational =
    msg.horizon && msg.horizon[0] / msg.horizon[1] > earliest ? ratio(msg.horizon[0], msg.horizon[1]) : ratio(Math.ceil(earliest * 2 ** 20), 2 ** 20);
  for (const [key, value] of msg.ctrl) setExternalValue(key, value);
  // The session's MIDI client: attached now (a standby held none it flushed to), or asked for when a pattern first needs it.
  if (msg.midi) midiShared ??= MidiOut.attach(msg.midi, engine);
  const routing = await openTargets(settings);
  scheduler = new Scheduler(
    engine,
    slots,
    tempo,
    {
      lookahead: settings.lookahead,
      queueAhead: settings.queueAhead,
      onError: (error) => {
        stateDirty = true;
        post({ type: "error", error: error.toJSON() });
      },
      onWarning: (message) => post({ type: "warning", message }),
      onEvents: (events) => {
        if (highlight) post({ type: "events", events });
      },
      onRetract: (tags, fromFrame) => {
        if (!highlight) return;
        const ids = tags === "all" ? "all" : tags.map((t) => slots.idOf(t)).filter((id): id is string => id !== undefined);
        post({ type: "retract", slots: ids, fromFrame });
      },
      samples: library,
      routing,
      beforeQuery: (slot) => {
        showQueried(slot.id, slot.tag);
        atomic.store(cells, SHARED.PHASE, PHASE.QUERYING);
      },
    },
    resume,
  );
  // stopped before this worker (Link's transport, or ours): it stays so, from its first event on
  if (msg.stopped) scheduler.stopAt(scheduler.horizonFrame);
  if (msg.link) linkSteer = new LinkSteering(engine, scheduler, msg.link);
  atomic.store(cells, SHARED.PHASE, PHASE.IDLE);
  timer = clock.setInterval(tick, settings.tickMs);
  tick();
  markPlaying();
}

/** A standby becomes the playing worker (the main thread made it the engine's writer first). */
async function takeOver(msg: Takeover): Promise<void> {
  await adoptions;
  if (timer) clock.clearInterval(timer);
  role = "playing";
  if (msg.stopTimers) bufferTimers.get(msg.stopTimers)?.clear();
  if (msg.hold && slots.has(msg.hold)) {
    slots.fail(msg.hold, new ProgramError(`slot "${msg.hold}" is held: the live worker was stuck querying it`, "query", undefined, undefined, msg.hold));
  }
  await play(msg);
  postState();
}

/** The slot held at a takeover plays again, from the change frame (what the old worker queued of it there is replaced). */
function release(id: string, error?: ProgramErrorJSON): void {
  const slot = slots.get(id);
  if (!slot || !scheduler) return;
  if (error) {
    slots.fail(id, toProgramError(id, error));
    return postState();
  }
  slots.recover(id);
  scheduler.refresh([slot.tag], scheduler.changeFrame());
  postState();
}

/** Removes a buffer's slots (cut in the engine) and ends its timers. */
function dropBuffer(buffer: string): void {
  bufferTimers.get(buffer)?.clear();
  bufferTimers.delete(buffer);
  const tags = slots.removeBuffer(buffer);
  if (scheduler) for (const tag of tags) scheduler.cut(tag);
  postState();
}

/** Ends everything this worker sends: another worker took over (or the session closed). */
function retire(): void {
  role = "retired";
  if (timer) clock.clearInterval(timer);
  for (const t of bufferTimers.values()) t.clear();
  for (const f of inFlight.values()) f.timers.clear();
  superdirt?.close();
  // The JACK MIDI client goes with its worker (a replaced worker that woke up releases its own).
  if (engine) midiOut?.close(engine.now());
}

/** A standby's work on its programs, in the order sent; each one done is counted back to the main thread. */
function adopt(work: () => Promise<unknown>): void {
  adoptions = adoptions
    .then(work)
    .catch((err) => post({ type: "warning", message: `standby: ${(err as Error).message}` }))
    .then(() => {
      atomic.store(cells, SHARED.PHASE, PHASE.IDLE);
      post({ type: "adopted", count: ++adoptedCount });
    });
}

/** Every slot and program timer gone (a standby about to hold another set of programs). */
function clearPrograms(): void {
  slots.clear();
  for (const t of bufferTimers.values()) t.clear();
  bufferTimers.clear();
}

/**
 * The targets besides the engine. The SuperDirt target always exists (a
 * pattern's `.osc()` sends there even when --superdirt did not make it the
 * default); its socket opens at start only when every pattern goes there.
 */
async function openTargets(msg: WorkerInit): Promise<Routing> {
  const t = msg.targets;
  wallClock = new WallClock(msg.engine.sampleRate);
  superdirt = new SuperDirtTarget(wallClock, msg.engine.sampleRate, {
    host: t.oscHost,
    port: t.oscPort,
    latency: t.oscLatency,
    sendAhead: oscSendAhead(msg.lookahead, msg.queueAhead),
    gainCurve: t.gainCurve,
    onWarning: (message) => post({ type: "warning", message }),
  });
  engineTarget = t.engine;
  if (t.superdirt) await superdirt.open();
  midiOut = new MidiTarget(engine, msg.engine.sampleRate, {
    sendAhead: oscSendAhead(msg.lookahead, msg.queueAhead),
    latency: t.midiLatency,
    clock: wallClock,
    onWarning: (message) => post({ type: "warning", message }),
    connect: midiClient,
  });
  return { engine: t.engine, oscByDefault: t.superdirt, osc: whileWriter(superdirt), midi: whileWriter(midiOut) };
}

/** A target that sends only while this worker is the writer (a replaced worker that woke up mid-tick sends nothing). */
function whileWriter<T extends { flush(nowFrame: number): void }>(target: T): T {
  const flush = target.flush.bind(target);
  target.flush = (nowFrame: number) => {
    if (isWriter()) flush(nowFrame);
  };
  return target;
}

/**
 * Evaluates the programs that played in the worker before this one, in
 * order, without their side effects (the tempo comes with the init). Each
 * runs marked as REPLAYING its buffer, so a hang is blamed on it; one that
 * fails or passes its deadline is dropped and not replayed again.
 */
async function replay(programs: WorkerInit["programs"]): Promise<{ buffer: string; error: ProgramErrorJSON }[]> {
  const dropped: { buffer: string; error: ProgramErrorJSON }[] = [];
  let id = -1;
  for (const program of programs) {
    const error = await replayOne(program, id--, "replayed");
    if (error) dropped.push({ buffer: program.buffer, error });
  }
  return dropped;
}

/**
 * Evaluates one program as it played before, without its side effects but
 * hush (marked REPLAYING its buffer, so a hang is blamed on it): into a
 * fresh worker ("replayed") or into the standby that keeps up ("held").
 * What fails is reported and returned.
 */
async function replayOne(program: ProgramRecord, evalId: number, how: "replayed" | "held"): Promise<ProgramErrorJSON | undefined> {
  beat();
  showName(program.buffer);
  atomic.store(cells, SHARED.PHASE, PHASE.REPLAYING);
  const timers = new TimerScope(program.buffer, timerHooks);
  try {
    const p = await withDeadline(evaluate(program.code, { id: evalId, host: programNames(timers) }), evalTimeoutMs, program.buffer);
    rememberMap(evalId, program.buffer, p.map);
    await addSampleSources(library, p.effects.samples ?? [], baseDir, undefined, { waitMs: 0 });
    if (how === "held" && p.effects.hush) clearPrograms();
    bufferTimers.get(program.buffer)?.clear();
    slots.apply(program.buffer, p.played, p.map, undefined, program.place);
    bufferTimers.set(program.buffer, timers);
    return undefined;
  } catch (err) {
    timers.clear();
    const reason = err instanceof Error ? err.message : String(err);
    const message =
      how === "replayed"
        ? `buffer "${program.buffer}" failed when replayed into a fresh live worker (${reason}): it was stopped and will not be replayed again`
        : `buffer "${program.buffer}" failed when replayed into the standby live worker (${reason}): it plays on, but a hang or crash of the live worker will stop it`;
    const error = new ProgramError(message, "evaluate").toJSON();
    post({ type: "error", error });
    return error;
  }
}

/**
 * Plays one sound once, as soon as it can be heard: its file is fetched and
 * loaded first if need be. Pushed from this thread, the engine ring's one
 * producer, as the scheduler's events are.
 */
async function audition(sound: string, n: number, source?: string): Promise<void> {
  library.newEvaluation();
  // a bank the list knows from the cache (fetched from the editor or at home), not yet from a program
  if (source && !library.knows(sound, undefined)) {
    if (isRemote(source)) await library.addRemote(source);
    else library.add(source, baseDir);
  }
  await library.preload([{ s: sound, n }]);
  if (library.pending) await library.settle();
  const failed = library.downloadFailures();
  if (failed.length) throw new Error(failed.join("; "));
  const batch = (auditionBatch ??= new EventBuffer(4, { strudel: true, samples: library }));
  batch.clear();
  batch.unknownSounds.clear();
  const rate = engine.sampleRate;
  batch.add({ s: sound, n }, scheduler.changeFrame(), Math.round(rate * 2), 0, scheduler.tempo.cps(engine.now()));
  engine.push(batch);
  if (batch.unknownSounds.size) throw new Error(`unknown sound "${sound}"`);
}
let auditionBatch: EventBuffer | undefined;

function tick(): void {
  if (!isWriter()) return retire();
  beat();
  midiIn?.poll();
  requeueArrivals();
  followLink();
  queue();
  if (stateDirty) postState();
}

/** While Link is on: the tempo map follows the session (see link-steer.ts). */
function followLink(): void {
  if (!linkSteer) return;
  if (atomic.load(cells, SHARED.CONTROL_SEQ) > atomic.load(cells, SHARED.CONTROL_ACK)) return;
  try {
    if (linkSteer.tick()) stateDirty = true;
  } catch (err) {
    post({ type: "warning", message: `Link: ${(err as Error).message}` });
  }
}

/**
 * A sample that arrived by download was silent in the events already queued
 * (up to the evaluation's cushion ahead): they are queued again from the
 * change frame, with the sample, so it is heard as soon as it can be.
 */
function requeueArrivals(): void {
  if (library.arrivals === arrivalsSeen) return;
  arrivalsSeen = library.arrivals;
  scheduler.refresh("all", scheduler.changeFrame());
}
let arrivalsSeen = 0;

/**
 * Before user code runs on this thread: events are queued `evalCushion`
 * seconds further ahead than usual, so that neither its synchronous work nor
 * a hang in it (until a new worker took over from the horizon) starves the
 * engine. What the evaluation changes is retracted from its change frame as
 * always, and hush, mute and tempo retract what they must however far ahead.
 */
function queueCushion(): void {
  queue(engine.now() + evalCushion * engine.sampleRate);
}

/** Queues events as the scheduler would at `nowFrame` (default: now), and publishes the horizon. */
function queue(nowFrame?: number): void {
  // A control command is on its way: push nothing until it is applied (hush means hush).
  if (atomic.load(cells, SHARED.CONTROL_SEQ) > atomic.load(cells, SHARED.CONTROL_ACK)) return;
  const before = atomic.load(cells, SHARED.PHASE);
  if (engine.clockPair(clockPair)) wallClock.update(clockPair[0]!, clockPair[1]!);
  try {
    scheduler.tick(nowFrame);
  } catch (err) {
    post({ type: "warning", message: `scheduler: ${(err as Error).message}` });
  }
  // The horizon before the phase: a worker seen stuck QUERYING has not published this tick's (a takeover resumes from the last one).
  const h = scheduler.horizonCycle;
  horizonCells[0] = h.n;
  horizonCells[1] = h.d;
  atomic.store(cells, SHARED.PHASE, before === PHASE.QUERYING ? PHASE.IDLE : before);
}

/** Rejects with a clear error when `work` has not settled within `ms`. */
function withDeadline<T>(work: Promise<T>, ms: number, buffer: string): Promise<T> {
  work.catch(() => undefined); // settles after the deadline: nobody waits for it any more
  let timeout: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timeout = clock.setTimeout(() => {
      const seconds = (ms / 1000).toFixed(1);
      reject(new ProgramError(`the program in buffer "${buffer}" did not finish within ${seconds} s (an await that never resolves, or samples that do not load?): it was stopped, and the previous program keeps playing`, "evaluate"));
    }, ms);
  });
  return Promise.race([work, deadline]).finally(() => clock.clearTimeout(timeout));
}

/** What a program sees besides the library: its own timers, and a fetch whose failures name the program's line. */
function programNames(timers: TimerScope): Record<string, unknown> {
  return { ...timers.names(), fetch: fetchWithSite() };
}

async function runEval(
  id: number,
  buffer: string,
  code: string,
  quantize: boolean,
  keepFailed: { id: string; error: ProgramErrorJSON }[],
  place?: SlotPlace,
): Promise<void> {
  beat();
  queueCushion();
  const flight: Flight = { id, buffer, timers: new TimerScope(buffer, timerHooks) };
  inFlight.set(id, flight);
  showEvaluating(id);
  const started = clock.now();
  try {
    const { program, values } = await withDeadline(prepare(flight, code, keepFailed, started, place), evalTimeoutMs, buffer);
    showEvaluating(id);
    // Sounds SuperDirt plays are SuperDirt's to know: only the engine's are checked.
    const warnings = engineTarget ? unknownSoundWarnings(values, knownSound, knownSoundNames) : [];
    for (const v of values) if (typeof v.s === "string") scheduler.markWarned(`sound:${typeof v.bank === "string" ? `${v.bank}_${v.s}` : v.s}`);
    beat();
    // evaluations of one buffer (or of one `$:` block of it) are installed in the order they were made
    const installKey = place?.partial ? `${buffer}#${place.firstAnonymous}` : buffer;
    if ((installedId.get(installKey) ?? 0) > id) {
      throw new ProgramError(`a later evaluation of buffer "${buffer}" finished first: this one was dropped`, "evaluate");
    }
    installedId.set(installKey, id);
    if (program.effects.hush) hushAll(flight.timers);
    bufferTimers.get(buffer)?.clear();
    bufferTimers.set(buffer, flight.timers);
    const ids = install(buffer, program, quantize, keepFailed, place);
    if (program.effects.cps !== undefined) {
      scheduler.setCps(program.effects.cps);
      linkSteer?.propose(program.effects.cps);
    }
    if (program.effects.link !== undefined) post({ type: "link", on: program.effects.link });
    if (program.effects.record) post({ type: "record", request: program.effects.record });
    const stopped = ids.map((s) => slots.get(s)?.error?.toJSON()).filter((e): e is ProgramErrorJSON => e !== undefined);
    finish(id);
    post({ type: "evalResult", id, ok: true, slots: ids, stopped, ...(warnings.length ? { warnings } : {}) });
  } catch (err) {
    flight.timers.clear();
    const error = err instanceof ProgramError ? err : ProgramError.fromRuntime(err, "evaluate", undefined, 0);
    finish(id);
    post({ type: "evalResult", id, ok: false, error: error.toJSON() });
  }
}

/** A sound the engine plays: a sample bank the library resolves, or a built-in synth or drum. */
function knownSound(s: string, bank: string | undefined): boolean {
  return library.knows(s, bank) || (!s.startsWith("_") && libraryTables().soundIndex.has(s));
}

function knownSoundNames(): string[] {
  return [...library.names(), ...libraryTables().soundIndex.keys()];
}

/** An evaluation is over: the watchdog blames another one still under way, if any; the main thread gets the state before the result. */
function finish(id: number): void {
  inFlight.delete(id);
  const other = [...inFlight.keys()].at(-1);
  if (other !== undefined) showEvaluating(other);
  else atomic.store(cells, SHARED.PHASE, PHASE.IDLE);
  postState();
}

/** Runs the program and loads what it names; everything before the patterns are put in place. */
async function prepare(
  flight: Flight,
  code: string,
  keepFailed: { id: string }[],
  started: number,
  place?: SlotPlace,
): Promise<{ program: Awaited<ReturnType<typeof evaluate>>; values: Record<string, unknown>[] }> {
  const { id, buffer } = flight;
  const program = await evaluate(code, { id, host: programNames(flight.timers) });
  showEvaluating(id);
  rememberMap(id, buffer, program.map);
  const known = library.sources.length;
  library.newEvaluation();
  const waitMs = Math.max(0, Math.min(2000, evalTimeoutMs - (clock.now() - started) - 500));
  await addSampleSources(library, program.effects.samples ?? [], baseDir, (message) => post({ type: "warning", message }), { waitMs });
  if (library.sources.length !== known) post({ type: "samples", sources: [...library.sources] });
  // Load what the program names before it plays, so no first hit is
  // silent (a file that fails is reported once, by the library, with its
  // name and the reason). Looking ahead runs the program's pattern code:
  // each pattern is queried as its slot, so a hang there is blamed on
  // that slot, as in a scheduler tick.
  const ahead = slotIds(buffer, program.played, place?.firstAnonymous ?? 0);
  const stopped = new Set(keepFailed.map((f) => f.id));
  const values: Record<string, unknown>[] = [];
  program.played.forEach((p, i) => {
    if (stopped.has(ahead[i]!)) return;
    showQueried(ahead[i]!, 0);
    atomic.store(cells, SHARED.PHASE, PHASE.QUERYING);
    values.push(...soundValues([p.pattern], scheduler.horizonCycle.valueOf()));
    showEvaluating(id);
  });
  // The loads share the evaluation's deadline; what is not ready by then plays when it is.
  await library.preload(values, Math.max(0, evalTimeoutMs - (clock.now() - started) - 50));
  return { program, values };
}

/**
 * Puts a program's patterns in place so that they are heard at the change
 * frame (or, with `quantize`, at the first cycle boundary after it): the
 * touched and removed slots' queued events are retracted from there and the
 * new patterns scheduled in their place.
 */
function install(
  buffer: string,
  program: Awaited<ReturnType<typeof evaluate>>,
  quantize: boolean,
  keepFailed: { id: string; error: ProgramErrorJSON }[] = [],
  place?: SlotPlace,
): string[] {
  const tempo = scheduler.tempo;
  const boundary = quantize ? Math.ceil(tempo.cycleAt(scheduler.changeFrame())) : undefined;
  if (boundary !== undefined && boundary >= scheduler.horizonCycle.valueOf()) {
    // Nothing is queued at the boundary yet: each slot switches there by itself.
    return slots.apply(buffer, program.played, program.map, boundary, place).ids;
  }
  const { ids, tags, removedTags } = slots.apply(buffer, program.played, program.map, undefined, place);
  // Replayed after a hang: the slot that hung stays stopped, so it is not queried again.
  for (const f of keepFailed) if (slots.has(f.id)) slots.fail(f.id, toProgramError(f.id, f.error));
  const at = boundary !== undefined ? Math.round(tempo.frameAt(boundary)) : scheduler.changeFrame();
  scheduler.refresh([...tags, ...removedTags], at);
  return ids;
}

/** Applies a mute/solo change: slots that fall silent are cut now, slots that become audible are scheduled from the change frame. */
function changeAudibility(change: () => void): void {
  const before = new Set(slots.audible().map((s) => s.tag));
  change();
  const after = new Set(slots.audible().map((s) => s.tag));
  for (const tag of before) if (!after.has(tag)) scheduler.cut(tag);
  const woke = [...after].filter((tag) => !before.has(tag));
  if (woke.length) scheduler.refresh(woke, scheduler.changeFrame());
}

function postState(): void {
  if (!scheduler) return; // a standby: the main thread's mirror is the playing worker's
  stateDirty = false;
  const h = scheduler.horizonCycle;
  const linkPhase = linkSteer ? { linkPhaseErrorMs: linkSteer.phaseErrorMs, linkDownbeat: linkSteer.downbeat(), linkTransport: linkSteer.transportState() } : {};
  post({ type: "state", slots: slots.list(), tempo: scheduler.tempo.toPieces(), horizon: [h.n, h.d], stopped: scheduler.transportStopped, ...linkPhase });
}

function toProgramError(slot: string, e: ProgramErrorJSON): ProgramError {
  return new ProgramError(e.message, e.phase, e.line, e.column, slot);
}

/** Tells the watchdog which slot's pattern code runs now (read only after a hang). */
function showQueried(id: string, tag: number): void {
  // The watchdog reads this only after a hang, so the slot it blames may be one the main thread has not heard of yet.
  showName(id);
  atomic.store(cells, SHARED.SLOT_TAG, tag);
}

/** Marks an evaluation as the code that runs now (what the watchdog blames if the worker hangs). */
function showEvaluating(id: number): void {
  atomic.store(cells, SHARED.EVAL_ID, id);
  atomic.store(cells, SHARED.PHASE, PHASE.EVALUATING);
}

/** Writes a buffer or slot name where the watchdog reads it after a hang. */
function showName(name: string): void {
  if (name === slotIdShown) return;
  slotIdShown = name;
  slotIdLength[0] = utf8.encodeInto(name, slotIdBytes).written;
}

function rememberMap(id: number, buffer: string, map: PositionMap): void {
  programMaps.set(id, { buffer, map });
  if (programMaps.size > MAX_PROGRAM_MAPS) programMaps.delete(programMaps.keys().next().value!);
}

/**
 * Reports, once, an error caught outside any evaluation: an unhandled
 * rejection, an uncaught exception, a timer that threw. It is placed in the
 * program it came from when its stack (or, for fetch, its call site) names
 * one; nothing stops: the slots keep their patterns.
 */
function reportStray(err: unknown, what: string, owner?: string): void {
  const e = err instanceof Error ? err : new Error(String(err));
  const site = (e as Error & { programSite?: string }).programSite;
  const stack = programIdOf(e.stack ?? "") === undefined && site ? site : (e.stack ?? "");
  const id = programIdOf(stack);
  const known = id === undefined ? undefined : programMaps.get(id);
  const located = Object.assign(new Error(e.message), { name: e.name, stack });
  const placed = runtimeError(located, "evaluate", known?.map);
  const buffer = owner ?? known?.buffer;
  const key = `${buffer}|${id}|${placed.message}`;
  if (reported.has(key)) return;
  if (reported.size > 1000) reported.clear();
  reported.add(key);
  const where = buffer === undefined ? "a program" : `buffer "${buffer}"`;
  const error = new ProgramError(`${what} in ${where}: ${placed.reason}; it was caught, and the music plays on`, "evaluate", placed.line, placed.column);
  post({ type: "error", error: error.toJSON() });
}

function beat(): void {
  atomic.add(cells, SHARED.HEARTBEAT, 1);
}
