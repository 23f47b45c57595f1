/**
 * The live worker: the only thread that runs user code. It evaluates
 * programs, keeps the slots, and ticks the scheduler, which pushes events to
 * the engine the main thread owns. It is disposable: when it hangs (an
 * endless loop while evaluating or querying), the main thread's watchdog
 * terminates it and starts a fresh one from the state mirrored there
 * (see protocol.ts). The heartbeat and the current phase are written to
 * shared memory so the watchdog can tell a hang and blame the right code.
 * @module
 */
/// <reference lib="webworker" />
import { Engine, SampleLibrary } from "../engine/index.ts";
import type { Pattern } from "../pattern/pattern.ts";
import { ratio, type Rational } from "../pattern/rational.ts";
import { ProgramError, type ProgramErrorJSON } from "./errors.ts";
import { evaluate } from "./program.ts";
import { soundValues } from "./preload.ts";
import { unknownSoundWarnings } from "./sound-names.ts";
import { libraryTables } from "../engine/tables.ts";
import { addSampleSources } from "./sample-sources.ts";
import { PHASE, SHARED, type FromWorker, type ToWorker, type WorkerInit } from "./protocol.ts";
import { Scheduler } from "./scheduler.ts";
import { SlotTable, slotIds } from "./slots.ts";
import { TempoMap } from "./tempo.ts";

declare const self: Worker;

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
/** Set when a slot failed during a tick: the main thread needs the new state. */
let stateDirty = false;
let timer: ReturnType<typeof setInterval> | undefined;
/** Evaluations run one at a time, in the order they arrived. */
let evalChain: Promise<unknown> = Promise.resolve();

const post = (msg: FromWorker) => self.postMessage(msg);

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  try {
    switch (msg.type) {
      case "init":
        void init(msg).catch((err) => post({ type: "fatal", message: `live worker failed to start: ${(err as Error).stack ?? err}` }));
        return;
      case "eval":
        evalChain = evalChain.then(() => runEval(msg.id, msg.buffer, msg.code, msg.quantize, msg.keepFailed ?? []));
        return;
      case "hush":
        scheduler.hush();
        return postState();
      case "mute":
        changeAudibility(() => slots.setMuted(msg.slot, msg.on));
        return postState();
      case "solo":
        changeAudibility(() => slots.setSolo(msg.slot, msg.on));
        return postState();
      case "setCps":
        scheduler.setCps(msg.cps);
        return postState();
      case "highlight":
        highlight = msg.on;
        return;
      case "stop":
        if (timer) clearInterval(timer);
        return;
    }
  } catch (err) {
    post({ type: "warning", message: (err as Error).message });
  }
};

async function init(msg: WorkerInit): Promise<void> {
  cells = new Int32Array(msg.shared, 0, 4);
  horizonCells = new Float64Array(msg.shared, SHARED.HORIZON_BYTE_OFFSET, 2);
  slotIdLength = new Int32Array(msg.shared, SHARED.SLOT_ID_BYTE_OFFSET, 1);
  slotIdBytes = new Uint8Array(msg.shared, SHARED.SLOT_ID_BYTE_OFFSET + 4, SHARED.SLOT_ID_MAX_BYTES);
  Atomics.store(cells, SHARED.PHASE, PHASE.STARTING);
  engine = Engine.attach(msg.engine);
  const tempo = TempoMap.fromPieces(msg.engine.sampleRate, msg.tempo);
  baseDir = msg.baseDir;
  library = new SampleLibrary(engine, { onError: (message) => post({ type: "warning", message }) });
  for (const source of msg.samples) {
    try {
      library.add(source, baseDir);
    } catch (err) {
      post({ type: "warning", message: (err as Error).message });
    }
  }
  slots = new SlotTable<Pattern>();
  for (const program of msg.programs) {
    beat();
    try {
      const p = await evaluate(program.code);
      addSampleSources(library, p.effects.samples ?? [], baseDir);
      slots.apply(program.buffer, p.played, p.map);
    } catch (err) {
      post({ type: "warning", message: `could not restore buffer "${program.buffer}": ${(err as Error).message}` });
    }
  }
  for (const id of msg.muted) if (slots.has(id)) slots.setMuted(id, true);
  for (const id of msg.solo) if (slots.has(id)) slots.setSolo(id, true);
  for (const f of msg.failed) if (slots.has(f.id)) slots.fail(f.id, toProgramError(f.id, f.error));
  highlight = msg.highlight;
  // Resume where the last worker stopped, unless that is already in the past.
  const nowCycle = tempo.cycleAt(engine.now());
  const resume: Rational | undefined = msg.horizon && msg.horizon[0] / msg.horizon[1] > nowCycle ? ratio(msg.horizon[0], msg.horizon[1]) : undefined;
  scheduler = new Scheduler(
    engine,
    slots,
    tempo,
    {
      lookahead: msg.lookahead,
      queueAhead: msg.queueAhead,
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
      beforeQuery: (slot) => {
        showQueried(slot.id, slot.tag);
        Atomics.store(cells, SHARED.PHASE, PHASE.QUERYING);
      },
    },
    resume,
  );
  Atomics.store(cells, SHARED.PHASE, PHASE.IDLE);
  timer = setInterval(tick, msg.tickMs);
  tick();
  post({ type: "ready" });
  postState();
}

function tick(): void {
  beat();
  const before = Atomics.load(cells, SHARED.PHASE);
  try {
    scheduler.tick();
  } catch (err) {
    post({ type: "warning", message: `scheduler: ${(err as Error).message}` });
  }
  Atomics.store(cells, SHARED.PHASE, before === PHASE.QUERYING ? PHASE.IDLE : before);
  const h = scheduler.horizonCycle;
  horizonCells[0] = h.n;
  horizonCells[1] = h.d;
  if (stateDirty) postState();
}

async function runEval(id: number, buffer: string, code: string, quantize: boolean, keepFailed: { id: string; error: ProgramErrorJSON }[]): Promise<void> {
  beat();
  Atomics.store(cells, SHARED.EVAL_ID, id);
  Atomics.store(cells, SHARED.PHASE, PHASE.EVALUATING);
  try {
    const program = await evaluate(code);
    const known = library.sources.length;
    addSampleSources(library, program.effects.samples ?? [], baseDir, (message) => post({ type: "warning", message }));
    if (library.sources.length !== known) post({ type: "samples", sources: [...library.sources] });
    // Load what the program names before it plays, so no first hit is
    // silent (a file that fails is reported once, by the library, with its
    // name and the reason). Looking ahead runs the program's pattern code:
    // each pattern is queried as its slot, so a hang there is blamed on
    // that slot, as in a scheduler tick.
    const ahead = slotIds(buffer, program.played);
    const stopped = new Set(keepFailed.map((f) => f.id));
    const values: Record<string, unknown>[] = [];
    program.played.forEach((p, i) => {
      if (stopped.has(ahead[i]!)) return;
      showQueried(ahead[i]!, 0);
      Atomics.store(cells, SHARED.PHASE, PHASE.QUERYING);
      values.push(...soundValues([p.pattern], scheduler.horizonCycle.valueOf()));
      Atomics.store(cells, SHARED.PHASE, PHASE.EVALUATING);
    });
    await library.preload(values, 10000);
    const warnings = unknownSoundWarnings(values, knownSound, knownSoundNames);
    for (const v of values) if (typeof v.s === "string") scheduler.markWarned(`sound:${typeof v.bank === "string" ? `${v.bank}_${v.s}` : v.s}`);
    beat();
    if (program.effects.hush) scheduler.hush();
    const ids = install(buffer, program, quantize, keepFailed);
    if (program.effects.cps !== undefined) scheduler.setCps(program.effects.cps);
    if (program.effects.record) post({ type: "record", request: program.effects.record });
    post({ type: "evalResult", id, ok: true, slots: ids, ...(warnings.length ? { warnings } : {}) });
  } catch (err) {
    const error = err instanceof ProgramError ? err : ProgramError.fromRuntime(err, "evaluate", undefined, 0);
    post({ type: "evalResult", id, ok: false, error: error.toJSON() });
  } finally {
    Atomics.store(cells, SHARED.PHASE, PHASE.IDLE);
    postState();
  }
}

/** A sound the engine plays: a sample bank the library resolves, or a built-in synth or drum. */
function knownSound(s: string, bank: string | undefined): boolean {
  return library.resolve(s, 0, bank, 60) !== undefined || (!s.startsWith("_") && libraryTables().soundIndex.has(s));
}

function knownSoundNames(): string[] {
  return [...library.names(), ...libraryTables().soundIndex.keys()];
}

/**
 * Puts a program's patterns in place so that they are heard at the change
 * frame (or, with `quantize`, at the first cycle boundary after it): the
 * touched and removed slots' queued events are retracted from there and the
 * new patterns scheduled in their place.
 */
function install(buffer: string, program: Awaited<ReturnType<typeof evaluate>>, quantize: boolean, keepFailed: { id: string; error: ProgramErrorJSON }[] = []): string[] {
  const tempo = scheduler.tempo;
  const boundary = quantize ? Math.ceil(tempo.cycleAt(scheduler.changeFrame())) : undefined;
  if (boundary !== undefined && boundary >= scheduler.horizonCycle.valueOf()) {
    // Nothing is queued at the boundary yet: each slot switches there by itself.
    return slots.apply(buffer, program.played, program.map, boundary).ids;
  }
  const { ids, tags, removedTags } = slots.apply(buffer, program.played, program.map);
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
  stateDirty = false;
  const h = scheduler.horizonCycle;
  post({ type: "state", slots: slots.list(), tempo: scheduler.tempo.toPieces(), horizon: [h.n, h.d] });
}

function toProgramError(slot: string, e: ProgramErrorJSON): ProgramError {
  return new ProgramError(e.message, e.phase, e.line, e.column, slot);
}

/** Tells the watchdog which slot's pattern code runs now (read only after a hang). */
function showQueried(id: string, tag: number): void {
  if (id !== slotIdShown) {
    // The watchdog reads this only after a hang, so the slot it blames may be one the main thread has not heard of yet.
    slotIdShown = id;
    slotIdLength[0] = utf8.encodeInto(id, slotIdBytes).written;
  }
  Atomics.store(cells, SHARED.SLOT_TAG, tag);
}

function beat(): void {
  Atomics.add(cells, SHARED.HEARTBEAT, 1);
}
