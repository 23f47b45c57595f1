/**
 * Following an Ableton Link session: Link beats to engine frames.
 *
 * The engine's audio thread stamps each block's first frame with Link's host
 * time at which it is heard and the session's beat and tempo there (the
 * clock_* telemetry). From those stamps this follower keeps:
 * - a line from engine frames to Link host time (least squares over the last
 *   few seconds of stamps), so the sound card's clock, never exactly its
 *   nominal rate, is measured rather than assumed. A stamp is the time its
 *   block was rendered, so it is late when the audio thread woke late (a
 *   loaded machine, a caught-up xrun): such stamps are left out of a second
 *   fit, since one of them at the window's end would tilt the line by a
 *   millisecond where it is read; a run of them all to one side is the
 *   clock itself stepping (an xrun not caught up), and the window starts
 *   again from them;
 * - the session's beat at the scheduler's horizon, through that line.
 * It then steers the tempo map at the horizon (nothing queued moves):
 * - the session's tempo changed: a new piece at the change frame, as a tempo
 *   change of our own would (queued events from there are scheduled again),
 *   whatever the phase (measured at the horizon, it still has the old tempo);
 * - the phase is far off (joining): a jump forward to the session's phase;
 * - otherwise: the session's rate in frames, nudged so the phase error
 *   decays within about a quarter of a second.
 * 4 beats to the cycle, quantum 4 (Tidal's defaults): cycle starts are bar
 * starts.
 * @module
 */
import { BEATS_PER_CYCLE } from "../engine/link.ts";
import type { Telemetry } from "../engine/telemetry.ts";
import { MAX_CPS, MIN_CPS } from "./tempo.ts";

/** Stamps kept for the frame-to-time line (one per tick that saw a new block). */
const WINDOW = 512;
/** Fewer stamps than this: the latest stamp at the nominal rate. */
const MIN_FIT = 16;
/** A stamp this far (µs) from the first fit, at the least, is left out of the second. */
const OUTLIER_FLOOR_US = 150;
/** ...or this many median absolute deviations from the median residual. */
const OUTLIER_MADS = 5;
/** This many outliers in a row, all to one side: the clock stepped, the window starts again. */
const STEP_RUN = 24;
/** A phase error beyond this (seconds) is caught by a jump, not by a tempo nudge. */
const JUMP_S = 0.03;
/** The phase error decays with this time constant, seconds. */
const SLEW_S = 0.25;
/** The nudge never moves the tempo by more than this share. */
const MAX_NUDGE = 0.05;

export type ClockStamp = Pick<Telemetry, "clockCaptures" | "clockFrame" | "clockHostUs" | "clockBeat" | "clockBpm" | "clockPlaying">;

/** What the follower asks of the scheduler. */
export type Steer =
  | { kind: "none" }
  /**
   * the session's tempo changed: a tempo change at `atFrame`, where the
   * session's new beat line meets the map's (the change's own moment), or
   * at the change frame when that moment has passed (undefined)
   */
  | { kind: "tempo"; cps: number; atFrame?: number }
  /**
   * rate and phase: `cps` from the horizon for `frames` frames (which
   * takes the phase error away), then the session's rate `base`
   */
  | { kind: "steer"; cps: number; frames: number; base: number }
  /** catch the session's phase: jump forward to `cycle` at the horizon */
  | { kind: "jump"; cycle: number; cps: number };

export class LinkFollower {
  private readonly frames = new Float64Array(WINDOW);
  private readonly times = new Float64Array(WINDOW);
  /** Residuals of the first fit, and a scratch copy for their median (no allocation per stamp). */
  private readonly residuals = new Float64Array(WINDOW);
  private readonly scratch = new Float64Array(WINDOW);
  private count = 0;
  private next = 0;
  /** The fitted line: host µs = fitUs + (frame - fitFrame) * fitSlope. */
  private fitFrame = 0;
  private fitUs = 0;
  private fitSlope = 0;
  /** Consecutive latest stamps the first fit called outliers, and their side (+1 late, -1 early). */
  private outlierRun = 0;
  private outlierSide = 0;
  /** Stamps left out of the latest fit (for tests and /api/state). */
  rejected = 0;
  /** Times the clock stepped and the window started again. */
  steps = 0;
  private lastCaptures = -1;
  private lastBpm = NaN;
  /** The latest phase error, seconds (session minus us; for /api/state). */
  phaseErrorS = 0;
  /** The session's tempo, BPM, as last captured. */
  bpm = 0;
  playing = false;

  constructor(
    /** The engine's nominal sample rate. */
    readonly rate: number,
  ) {}

  /** Takes a new stamp; false when the engine captured no block since the last one. */
  take(stamp: ClockStamp): boolean {
    if (stamp.clockCaptures === 0 || stamp.clockCaptures === this.lastCaptures) return false;
    this.lastCaptures = stamp.clockCaptures;
    this.frames[this.next] = stamp.clockFrame;
    this.times[this.next] = stamp.clockHostUs;
    this.next = (this.next + 1) % WINDOW;
    if (this.count < WINDOW) this.count++;
    this.bpm = stamp.clockBpm;
    this.playing = stamp.clockPlaying === 1;
    this.fit(stamp);
    return true;
  }

  /** Fits the line: least squares, then again without the stamps far from it. */
  private fit(stamp: ClockStamp): void {
    const nominal = 1e6 / this.rate;
    this.fitFrame = stamp.clockFrame;
    this.fitUs = stamp.clockHostUs;
    this.fitSlope = nominal;
    this.rejected = 0;
    if (this.count < MIN_FIT) return;
    const first = this.line(Infinity);
    const n = this.count;
    for (let i = 0; i < n; i++) this.residuals[i] = this.times[i]! - this.at(this.frames[i]!, first);
    this.scratch.set(this.residuals);
    const median = nth(this.scratch, n, n >> 1);
    for (let i = 0; i < n; i++) this.scratch[i] = Math.abs(this.residuals[i]! - median);
    const limit = Math.max(OUTLIER_FLOOR_US, OUTLIER_MADS * nth(this.scratch, n, n >> 1));
    for (let i = 0; i < n; i++) this.residuals[i] -= median;
    if (this.stepped(limit)) return this.fit(stamp);
    this.line(limit);
  }

  /**
   * Whether the latest stamps have been outliers, all to one side, for
   * STEP_RUN stamps: then the window keeps only them (the old line is
   * history) and true.
   */
  private stepped(limit: number): boolean {
    const latest = this.residuals[(this.next + WINDOW - 1) % WINDOW]!;
    const side = Math.abs(latest) <= limit ? 0 : Math.sign(latest);
    this.outlierRun = side !== 0 && side === this.outlierSide ? this.outlierRun + 1 : side !== 0 ? 1 : 0;
    this.outlierSide = side;
    if (this.outlierRun < STEP_RUN) return false;
    const keep = this.outlierRun;
    for (let k = 0; k < keep; k++) {
      const from = (this.next + WINDOW - keep + k) % WINDOW;
      this.frames[k] = this.frames[from]!;
      this.times[k] = this.times[from]!;
    }
    this.count = keep;
    this.next = keep % WINDOW;
    this.outlierRun = 0;
    this.outlierSide = 0;
    this.steps++;
    return true;
  }

  /**
   * Least squares over the stamps whose residual (from the previous fit,
   * median removed) is within `limit`, about the latest stamp, in doubles
   * well inside their precision; sets the fit and returns its slope.
   */
  private line(limit: number): number {
    const nominal = 1e6 / this.rate;
    const f0 = this.fitFrame, t0 = this.fitUs;
    let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let i = 0; i < this.count; i++) {
      if (limit !== Infinity && Math.abs(this.residuals[i]!) > limit) continue;
      const x = this.frames[i]! - f0, y = this.times[i]! - t0;
      n++; sx += x; sy += y; sxx += x * x; sxy += x * y;
    }
    if (limit !== Infinity) this.rejected = this.count - n;
    const den = n * sxx - sx * sx;
    const slope = den > 0 ? (n * sxy - sx * sy) / den : nominal;
    // A slope far from nominal means a stall or a reset in the window: trust the nominal rate.
    this.fitSlope = Math.abs(slope / nominal - 1) < 0.01 ? slope : nominal;
    this.fitUs = t0 + (n > 0 ? (sy - this.fitSlope * sx) / n : 0);
    return this.fitSlope;
  }

  private at(frame: number, slope: number): number {
    return this.fitUs + (frame - this.fitFrame) * slope;
  }

  /** Link host time (µs) at which an engine frame is heard, from the fitted line. */
  hostUsAt(frame: number, _stamp?: ClockStamp): number {
    return this.at(frame, this.fitSlope);
  }

  /** The engine frame heard at Link host time `us`, from the fitted line. */
  frameAtHostUs(us: number, stamp: ClockStamp): number {
    return stamp.clockFrame + (us - this.hostUsAt(stamp.clockFrame, stamp)) / (this.usPerFrame(stamp) / this.rate);
  }

  /** µs of Link host time per engine frame, from the fitted line. */
  private usPerFrame(stamp: ClockStamp): number {
    return this.hostUsAt(stamp.clockFrame + this.rate, stamp) - this.hostUsAt(stamp.clockFrame, stamp);
  }

  /**
   * What to do so that the map's cycle at `horizonFrame` (where `mapCycle`
   * and `mapCps` are the map's there) lands on the session's bar phase.
   */
  follow(stamp: ClockStamp, horizonFrame: number, mapCycle: number, mapCps: number): Steer {
    if (stamp.clockCaptures === 0 || !(stamp.clockBpm > 0)) return { kind: "none" };
    const bpm = stamp.clockBpm;
    const sessionCps = bpm / 60 / BEATS_PER_CYCLE;
    // The session's rate in the map's terms (cycles per nominal second of frames).
    const cps = clampCps((sessionCps * this.usPerFrame(stamp)) / 1e6);
    const changed = bpm !== this.lastBpm;
    this.lastBpm = bpm;
    const beat = stamp.clockBeat + ((this.hostUsAt(horizonFrame, stamp) - stamp.clockHostUs) * bpm) / 60e6;
    const error = wrapHalf(beat / BEATS_PER_CYCLE - mapCycle); // cycles, in [-0.5, 0.5)
    this.phaseErrorS = error / sessionCps;
    // A new session tempo goes in first, at the change frame: the phase error
    // measured at the horizon still assumes the old tempo until then.
    if (changed && Math.abs(cps / mapCps - 1) > 1e-4) {
      // The two beat lines (the session's new one, the map's at its old
      // tempo) meet where the session changed; after the horizon it is not.
      const meet = horizonFrame - (error * this.rate) / (cps - mapCps);
      return { kind: "tempo", cps, atFrame: Number.isFinite(meet) && meet <= horizonFrame ? meet : undefined };
    }
    if (Math.abs(this.phaseErrorS) >= JUMP_S) return { kind: "jump", cycle: mapCycle + (error > 0 ? error : error + 1), cps };
    // The nudge lasts just long enough to take the error away: the horizon
    // (where the error is measured) can stand still for a while (an
    // evaluation queues 0.7 s ahead), and a nudge left on past its span
    // would overshoot by as much again each SLEW_S.
    const nudge = Math.max(-MAX_NUDGE, Math.min(MAX_NUDGE, this.phaseErrorS / SLEW_S));
    const steered = clampCps(cps * (1 + nudge));
    if (Math.abs(steered / mapCps - 1) < 1e-7) return { kind: "none" };
    const frames = nudge === 0 ? 0 : Math.round((this.phaseErrorS / nudge) * this.rate);
    return { kind: "steer", cps: steered, frames, base: cps };
  }
}

/** The k-th smallest of a[0..n) (Hoare's selection; reorders a, allocates nothing). */
function nth(a: Float64Array, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!; a[i] = a[j]!; a[j] = t;
        i++; j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

function wrapHalf(x: number): number {
  return x - Math.floor(x + 0.5);
}

function clampCps(cps: number): number {
  return Math.min(MAX_CPS, Math.max(MIN_CPS, cps));
}
