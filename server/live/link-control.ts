/**
 * The main thread's side of Link: the instance, the engine's clock source,
 * the output delay, and what /api/state, /metrics and the editor show.
 * The live worker follows the session (link-steer.ts); this owns the
 * instance's life, which outlasts every worker.
 * @module
 */
import type { Engine } from "../engine/index.ts";
import { BEATS_PER_CYCLE, Link, linkAvailable, type SharedLink } from "../engine/link.ts";

export type LinkOptions = {
  /** The nudge: positive plays later, negative earlier, ms (--link-offset). */
  offsetMs?: number;
  /** The device's output latency, seconds: a block is heard this long after it is rendered. */
  outputLatencyS?: number;
};

export type LinkState = {
  /** Whether this build has the Link module. */
  available: boolean;
  on: boolean;
  /** Other peers in the session. */
  peers: number;
  /** The session's tempo, BPM (0 while off). */
  bpm: number;
  /** The session's transport (start/stop sync) while on; ours while off (it can be stopped and started without Link too). */
  playing: boolean;
  /** The cycle (bar) at which our transport last stopped or started with the session's, and the Link host time (µs) it is heard (null: not yet). */
  transportCycle: number | null;
  transportHostUs: number | null;
  offsetMs: number;
  /** The latest phase error of our tempo map against the session, ms (while on). */
  phaseErrorMs: number | null;
  /** A cycle start and the Link host time (µs, CLOCK_MONOTONIC_RAW) at which it is heard (while on). */
  downbeat: { cycle: number; hostUs: number } | null;
};

export class LinkControl {
  private link?: Link;
  private on = false;
  private offsetMs: number;
  private readonly latencyS: number;
  phaseErrorMs: number | null = null;
  downbeat: { cycle: number; hostUs: number } | null = null;
  /** The worker's view of the transport (its state posts). */
  transport: { playing: boolean; cycle: number | null; hostUs: number | null } = { playing: true, cycle: null, hostUs: null };
  /** Whether our own transport is stopped (the worker's scheduler, mirrored): what joining commits, and what a new worker resumes. */
  stopped = false;

  constructor(
    private readonly engine: Engine,
    options: LinkOptions = {},
  ) {
    this.offsetMs = checkOffset(options.offsetMs ?? 0);
    this.latencyS = options.outputLatencyS ?? engine.outputLatency();
  }

  get enabled(): boolean {
    return this.on;
  }

  /**
   * Joins the session (at our tempo, `cps`, when we are the first peer);
   * returns the instance the worker follows. A build without the module
   * throws a clear error and changes nothing. Our transport goes with us
   * as it is (stopped stays stopped); a session that has other peers gives
   * us theirs once we are in it (link-steer.ts).
   */
  start(cps: number): SharedLink {
    if (!this.link) this.link = Link.open(cps * 60 * BEATS_PER_CYCLE);
    this.applyDelay();
    this.engine.setClockSource(this.link.clockSource());
    this.link.enable(true);
    this.link.setPlaying(!this.stopped);
    this.on = true;
    return this.link.share();
  }

  /** Leaves the session; the tempo map keeps the tempo it had. */
  stop(): void {
    if (!this.on || !this.link) return;
    this.on = false;
    this.phaseErrorMs = null;
    this.downbeat = null;
    this.engine.setClockSource(null);
    this.link.enable(false);
  }

  /**
   * Stops or starts the session's transport (every peer with start/stop
   * sync follows on the next bar); false while Link is off: then the
   * session starts or stops our own transport (the worker, on the next bar).
   */
  setPlaying(playing: boolean): boolean {
    if (!this.on || !this.link) return false;
    this.link.setPlaying(playing);
    return true;
  }

  /** The instance the worker follows, while on. */
  shared(): SharedLink | undefined {
    return this.on && this.link ? this.link.share() : undefined;
  }

  setOffset(ms: number): void {
    this.offsetMs = checkOffset(ms);
    this.applyDelay();
  }

  state(): LinkState {
    const on = this.on && this.link !== undefined;
    return {
      available: linkAvailable(),
      on,
      peers: on ? this.link!.peers() : 0,
      bpm: on ? this.link!.tempo() : 0,
      playing: on ? this.link!.transport().playing : !this.stopped,
      transportCycle: on ? this.transport.cycle : null,
      transportHostUs: on ? this.transport.hostUs : null,
      offsetMs: this.offsetMs,
      phaseErrorMs: on ? this.phaseErrorMs : null,
      downbeat: on ? this.downbeat : null,
    };
  }

  /**
   * Frees the instance once no thread can use it any more: the worker has
   * been terminated (it may still be finishing its last tick), so later.
   */
  close(): void {
    this.stop();
    const link = this.link;
    this.link = undefined;
    if (link) setTimeout(() => link.close(), 2000).unref?.();
  }

  private applyDelay(): void {
    this.link?.setDelay(this.latencyS + this.offsetMs / 1000);
  }
}

function checkOffset(ms: number): number {
  if (!Number.isFinite(ms) || Math.abs(ms) > 1000) throw new RangeError(`the Link offset must be between -1000 and 1000 ms, got ${ms}`);
  return ms;
}
