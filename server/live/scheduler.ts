/**
 * The scheduler: every few milliseconds, query each audible slot for the
 * onsets between the previous horizon and now + queue depth, turn each onset
 * into an absolute engine frame through the tempo map, and push the batch to
 * the engine in one call.
 *
 * Two figures, not one (see README, "Timing"):
 * - the queue depth: how far ahead events wait in the engine's native queue,
 *   so a garbage-collection pause or a busy worker never starves the audio;
 * - the change latency (`lookahead`): how soon a change is heard. A change
 *   (evaluation, tempo, unmute) takes effect at the change frame
 *   F = now + lookahead: the engine drops the touched slots' queued events
 *   from F on (CLEAR), and the scheduler queries their new patterns for the
 *   events from F to the horizon. The old pattern keeps every event before
 *   frame F, the new one takes every event from F on: nothing is doubled or
 *   lost at the seam.
 *
 * Failure policy (each tick):
 * - a slot whose pattern throws while being queried is stopped alone and
 *   reported once; the other slots are still queried and pushed;
 * - a hap whose value is not a control object, or names a sound the engine
 *   does not know, is skipped and reported once per kind;
 * - a full event ring keeps what did not fit for the next tick (the engine
 *   plays it late and counts it); nothing is lost silently.
 *
 * Query boundaries are exact rationals on a 2^-20 cycle grid, so one tick's
 * end is exactly the next one's start: no onset is played twice or skipped.
 * The tick allocates nothing per event beyond what the pattern query returns.
 * @module
 */
import { DUR_FOREVER, EventBuffer, SLOT_ALL, type Engine, type SampleResolver } from "../engine/index.ts";
import type { Hap } from "../pattern/hap.ts";
import type { Pattern } from "../pattern/pattern.ts";
import { ratio, type Rational } from "../pattern/rational.ts";
import type { ProgramError } from "./errors.ts";
import { queryError } from "./evaluate.ts";
import type { Slot, SlotTable } from "./slots.ts";
import type { TempoMap } from "./tempo.ts";
import type { Routing } from "../targets/target.ts";

/** The grid query boundaries snap to: 2^-20 cycle (about 2 µs at 0.5 cps). */
const GRID = 1 << 20;

/** What the scheduler needs from the engine (an Engine, or a producer view of one in a worker). */
export type EngineProducer = Pick<Engine, "push" | "now" | "sampleRate">;

/** An event as the highlighting and pianoroll see it. */
export type ScheduledEvent = {
  frame: number;
  durFrames: number;
  slot: string;
  /** Source ranges of the mini-notation atoms that made it. */
  locations: readonly { start: number; end: number }[];
  value: unknown;
  /** Offsets of the drawing methods (`._pianoroll()`…) its pattern went through, in the slot's code. */
  visuals?: readonly number[];
  /** The CSS of `.markcss()` for its highlight. */
  markcss?: string;
};

export type SchedulerOptions = {
  /** How soon a change is heard, in seconds (the change frame is now + lookahead). */
  lookahead: number;
  /** How far ahead of the engine clock events are queued, in seconds (at least `lookahead`). */
  queueAhead?: number;
  /** Capacity of the reusable event batch. */
  batchCapacity?: number;
  onError?: (error: ProgramError) => void;
  onWarning?: (message: string) => void;
  /** When set, receives the events of each tick (for highlighting); costs an object per event. */
  onEvents?: (events: ScheduledEvent[]) => void;
  /**
   * Told when queued events are retracted (a replaced, removed, muted or
   * re-tempoed slot, hush), before the events that replace them: so a
   * highlighter or pianoroll drops exactly what will not sound.
   */
  onRetract?: (tags: readonly number[] | "all", fromFrame: number) => void;
  /** Called before each slot is queried (the live worker tells its watchdog which slot it is in). */
  beforeQuery?: (slot: Slot<Pattern>) => void;
  /** Sample banks (names resolved there play samples; see EventBuffer). */
  samples?: SampleResolver;
  /** Where events go besides the engine (targets/target.ts); default: the engine alone. */
  routing?: Routing;
};

export class Scheduler {
  /** Everything before this cycle has been pushed. */
  horizonCycle: Rational;
  private readonly batch: EventBuffer;
  private readonly warned = new Set<string>();
  private lookaheadFrames: number;
  private queueFrames: number;
  private readonly routing: Routing;

  constructor(
    private readonly engine: EngineProducer,
    readonly slots: SlotTable<Pattern>,
    readonly tempo: TempoMap,
    private readonly options: SchedulerOptions,
    /** Where to start: resume a previous scheduler's horizon (a restarted worker), else the clock's cycle now. */
    startCycle?: Rational,
  ) {
    // Strudel's envelope defaults and one-shot samples and drums, as a pasted pattern expects.
    this.batch = new EventBuffer(options.batchCapacity ?? 4096, {
      strudel: true,
      samples: options.samples,
      onUnknownWord: (control, word, known, instead) =>
        this.warnOnce(`word:${control}:${word}`, `${control} "${word}" is not one the engine has (${known.join(", ")}): it plays ${instead}`),
    });
    this.lookaheadFrames = Math.max(0, options.lookahead) * engine.sampleRate;
    this.queueFrames = Math.max(this.lookaheadFrames, (options.queueAhead ?? options.lookahead) * engine.sampleRate);
    this.horizonCycle = startCycle ?? snap(tempo.cycleAt(engine.now()));
    this.routing = options.routing ?? { engine: true, oscByDefault: false };
  }

  /** The engine frame of the horizon. */
  get horizonFrame(): number {
    return this.tempo.frameAt(this.horizonCycle.valueOf());
  }

  /**
   * Schedules up to `nowFrame + queue depth` and pushes the batch; returns
   * how many events the engine took. Offline rendering calls it with the
   * rendered frame count; live playback with the engine clock.
   */
  tick(nowFrame: number = this.engine.now()): number {
    const target = snap(this.tempo.cycleAt(nowFrame + this.queueFrames));
    if (target.lte(this.horizonCycle)) {
      this.flushTargets();
      return this.flush();
    }
    const from = this.horizonCycle;
    const events: ScheduledEvent[] | undefined = this.options.onEvents ? [] : undefined;
    for (const slot of this.slots.audible()) this.scheduleSlot(slot, from, target, events);
    this.horizonCycle = target;
    if (events && events.length) this.options.onEvents!(events);
    const taken = this.flush();
    this.flushTargets();
    return taken;
  }

  /** The first frame at which a change made now is heard. */
  changeFrame(nowFrame: number = this.engine.now()): number {
    return Math.ceil(nowFrame + this.lookaheadFrames);
  }

  /**
   * Changes the tempo at a frame (default: the change frame). Events queued
   * from that frame on are retracted and scheduled again at the new tempo;
   * nothing before it moves.
   */
  setCps(cps: number, atFrame: number = this.changeFrame()): void {
    const frame = Math.round(atFrame);
    this.tempo.setCps(cps, frame);
    this.refresh("all", frame);
  }

  /**
   * Adjusts the tempo from the horizon on (nothing queued moves): how a
   * clock follower (Link) steers rate and phase between tempo changes;
   * `cps` for `frames` frames, then `then` (default: `cps` on).
   */
  steer(cps: number, frames = 0, then = cps): void {
    const from = Math.ceil(this.horizonFrame);
    this.tempo.setCps(cps, from);
    if (frames > 0 && then !== cps) this.tempo.setCps(then, from + frames);
  }

  /**
   * Jumps forward to `cycle` at the horizon's frame (joining a session's
   * phase): the cycles between are skipped, nothing queued moves or repeats.
   */
  jump(cycle: number, cps: number): void {
    const frame = Math.ceil(this.horizonFrame);
    const c = Math.ceil(cycle * GRID) / GRID; // on the grid, so the new horizon is exactly the jump's cycle
    this.tempo.jump(c, cps, frame);
    this.horizonCycle = ratio(Math.round(c * GRID), GRID);
  }

  /**
   * The transport (Link's start/stop sync): from `frame` on nothing plays
   * (queued events are retracted, MIDI notes end there) while the tempo map
   * runs on, so the phase is kept for the start.
   */
  stopAt(frame: number): void {
    const f = Math.ceil(frame);
    this.stopFrame = f;
    this.startFrame = Infinity;
    if (f >= this.horizonFrame) return;
    this.batch.addClear(SLOT_ALL, f);
    this.options.onRetract?.("all", f);
    this.routing.osc?.retract("all", f);
    this.routing.midi?.retract("all", f);
    this.routing.midi?.silence?.("all", f);
    this.flush();
  }

  /** The transport starts again at `frame` (after stopAt): what plays from there is scheduled. */
  startAt(frame: number): void {
    if (this.stopFrame === Infinity) return;
    const f = Math.ceil(frame);
    this.startFrame = f;
    this.refresh("all", f);
  }

  /**
   * Stops or starts the transport on the first bar (cycle) start at or
   * after `fromFrame`; returns that cycle, or null when the transport is
   * already so (nothing moves: a stop time is never pushed later, which
   * would let a stopped peer play the events in between).
   */
  transportAtBar(playing: boolean, fromFrame: number): number | null {
    if (playing === !this.transportStopped) return null;
    const bar = Math.ceil(this.tempo.cycleAt(fromFrame) - 1e-9);
    const frame = this.tempo.frameAt(bar);
    if (playing) this.startAt(frame);
    else this.stopAt(frame);
    return bar;
  }

  /**
   * Whether the transport is stopped, or stops on a bar already chosen
   * (stopAt without a startAt since): what a peer shares with a newcomer
   * and what a restarted worker resumes.
   */
  get transportStopped(): boolean {
    return this.stopFrame !== Infinity && this.startFrame === Infinity;
  }

  /** Whether the transport lets an event at `frame` play. */
  private transportPlays(frame: number): boolean {
    return frame < this.stopFrame || frame >= this.startFrame;
  }

  /** Nothing plays in [stopFrame, startFrame) (the transport; Infinity: never stopped / not started again). */
  private stopFrame = Infinity;
  private startFrame = Infinity;

  /**
   * Retracts the queued events of some slots from `fromFrame` on and
   * schedules their current patterns again from there to the horizon: how a
   * replaced, removed, unmuted or re-tempoed slot changes within the change
   * latency although events are queued further ahead.
   */
  refresh(tags: readonly number[] | "all", fromFrame: number): void {
    const frame = Math.ceil(fromFrame);
    if (frame >= this.horizonFrame) return; // nothing queued there yet: the next tick schedules it
    if (tags === "all") this.batch.addClear(SLOT_ALL, frame);
    else for (const tag of tags) this.batch.addClear(tag, frame);
    this.options.onRetract?.(tags, frame);
    this.routing.osc?.retract(tags, frame);
    this.routing.midi?.retract(tags, frame);
    // From one frame earlier on the grid, keeping only events at `frame` or later,
    // so the split between old and new events is exact in frames.
    const from = snap(this.tempo.cycleAt(frame - 1));
    const events: ScheduledEvent[] | undefined = this.options.onEvents ? [] : undefined;
    if (from.lt(this.horizonCycle)) {
      const wanted = tags === "all" ? undefined : new Set(tags);
      for (const slot of this.slots.audible()) {
        if (!wanted || wanted.has(slot.tag)) this.scheduleSlot(slot, from, this.horizonCycle, events, frame);
      }
    }
    if (events && events.length) this.options.onEvents!(events);
    this.flush();
  }

  /** Silences everything now: queued events are dropped and sounding voices fade out. */
  hush(nowFrame: number = this.engine.now()): void {
    this.slots.clear();
    this.cut(SLOT_ALL, nowFrame);
  }

  /** Drops a slot's queued events and fades out its voices (mute, solo, a failed slot). */
  cut(tag: number, nowFrame: number = this.engine.now()): void {
    this.batch.addClear(tag, nowFrame);
    this.batch.addRelease(tag, nowFrame);
    const tags = tag === SLOT_ALL ? "all" : [tag];
    this.options.onRetract?.(tags, nowFrame);
    this.routing.osc?.retract(tags, nowFrame);
    this.routing.midi?.retract(tags, nowFrame);
    this.routing.midi?.silence?.(tag === SLOT_ALL ? "all" : tag, nowFrame);
    this.flush();
  }

  private scheduleSlot(slot: Slot<Pattern>, from: Rational, to: Rational, events?: ScheduledEvent[], minFrame = -Infinity): void {
    let begin = from;
    if (slot.next) {
      const switchAt = snap(slot.next.atCycle);
      if (switchAt.lt(to)) {
        if (begin.lt(switchAt)) this.queryInto(slot, begin, switchAt, events, minFrame);
        this.slots.promote(switchAt.valueOf());
        begin = switchAt.gt(begin) ? switchAt : begin;
      }
    }
    if (!slot.error) this.queryInto(slot, begin, to, events, minFrame);
  }

  private queryInto(slot: Slot<Pattern>, from: Rational, to: Rational, events: ScheduledEvent[] | undefined, minFrame: number): void {
    let haps: Hap[];
    this.options.beforeQuery?.(slot);
    try {
      // The tempo goes with the query, as Strudel's scheduler passes it: loopAt, splice and fit read it.
      haps = slot.pattern.queryOnsets(from, to, { _cps: this.tempo.cps(this.tempo.frameAt(from.valueOf())) });
    } catch (err) {
      const error = queryError(err, slot.map, slot.id);
      this.slots.fail(slot.id, error);
      this.options.onError?.(error);
      return;
    }
    const skipping = this.tempo.hasSkips;
    for (let i = 0; i < haps.length; i++) this.addHap(slot, haps[i]!, events, minFrame, skipping);
  }

  private addHap(slot: Slot<Pattern>, hap: Hap, events: ScheduledEvent[] | undefined, minFrame: number, skipping: boolean): void {
    const value = hap.value;
    if (typeof value !== "object" || value === null) {
      this.warnOnce(`slot-values:${slot.id}`, `slot "${slot.id}" plays plain values (${String(value).slice(0, 20)}); wrap them in controls such as note(...) or s(...)`);
      return;
    }
    const whole = hap.whole!;
    const begin = whole.begin.valueOf();
    // Jumped over (Link's phase; a refresh from before the jump queries those cycles): never played.
    if (skipping && this.tempo.skips(begin)) return;
    const frame = Math.round(this.tempo.frameAt(begin));
    if (frame < minFrame || !this.transportPlays(frame)) return;
    const controls = value as Record<string, unknown>;
    const clip = typeof controls.clip === "number" && controls.clip > 0 ? controls.clip : 1;
    const endCycle = begin + (whole.end.valueOf() - begin) * clip;
    const durFrames = Math.min(DUR_FOREVER - 1, Math.max(1, Math.round(this.tempo.frameAt(endCycle)) - frame));
    const cps = this.tempo.cps(frame);
    // `.osc()` and `.midi()` route a pattern to that target alone (the hap's context says so).
    const routed = hap.context.target;
    const r = this.routing;
    if (routed === "osc" || (routed === undefined && r.oscByDefault)) r.osc?.add(controls, frame, durFrames, slot.tag, slot.id, cps, begin);
    else if (routed === "midi") {
      if (r.midi) r.midi.add(controls, frame, durFrames, slot.tag, slot.id, cps, begin, hap.context.midiPort as string | number | undefined);
      else this.warnOnce(`midi:${slot.id}`, `slot "${slot.id}" goes to .midi(), and MIDI output is not available here yet: it plays nowhere`);
    }
    if (routed === undefined && r.engine && !this.pushToEngine(controls, frame, durFrames, slot.tag, cps)) return;
    if (!events) return;
    const { visuals, markcss } = hap.context as { visuals?: number[]; markcss?: string };
    const ev: ScheduledEvent = { frame, durFrames, slot: slot.id, locations: hap.context.locations ?? [], value };
    if (visuals) ev.visuals = visuals;
    if (markcss) ev.markcss = markcss;
    events.push(ev);
  }

  /**
   * The other targets send what is due by the engine's real clock, not the
   * tick's `nowFrame`: an evaluation's cushion queues the engine seconds
   * ahead (a hang must not starve the audio), but what a target sent cannot
   * be retracted, so it waits for its time.
   */
  private flushTargets(): void {
    const r = this.routing;
    if (!r.osc && !r.midi) return;
    const now = this.engine.now();
    r.osc?.flush(now);
    r.midi?.flush(now);
  }

  /** Adds an event to the engine's batch; false when the ring is full even after a flush. */
  private pushToEngine(controls: Record<string, unknown>, frame: number, durFrames: number, tag: number, cps: number): boolean {
    if (this.batch.add(controls, frame, durFrames, tag, cps)) return true;
    this.flush();
    if (this.batch.add(controls, frame, durFrames, tag, cps)) return true;
    this.warnOnce("batch-full", "event batch full: the engine's ring is not draining; events will be late");
    return false;
  }

  /** Pushes what the batch holds; keeps what the ring could not take. */
  private flush(): number {
    if (this.batch.length === 0) return 0;
    const taken = this.engine.push(this.batch);
    this.batch.drop(taken);
    for (const [name, count] of this.batch.unknownSounds) {
      this.warnOnce(`sound:${name}`, `unknown sound "${name}" (${count}×): it plays nothing`);
    }
    return taken;
  }

  /** A warning already given elsewhere (an evaluation reports unknown sounds itself): not repeated here. */
  markWarned(key: string): void {
    this.warned.add(key);
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.onWarning?.(message);
  }
}

/** A cycle position snapped down to the query grid. */
function snap(cycle: number): Rational {
  return ratio(Math.floor(cycle * GRID), GRID);
}
