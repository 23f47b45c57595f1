/**
 * Following an Ableton Link session: Link beats to engine frames.
 *
 * The engine's audio thread stamps each block's first frame with Link's host
 * time at which it is heard and the session's beat and tempo there (the
 * clock_* telemetry). From those stamps this follower keeps:
 * - a line from engine frames to Link host time (least squares over the last
 *   few seconds of stamps), so the sound card's clock, never exactly its
 *   nominal rate, is measured rather than assumed;
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
  /** the session's tempo changed: a tempo change at the change frame */
  | { kind: "tempo"; cps: number }
  /** rate and phase, from the horizon on */
  | { kind: "steer"; cps: number }
  /** catch the session's phase: jump forward to `cycle` at the horizon */
  | { kind: "jump"; cycle: number; cps: number };

export class LinkFollower {
  private readonly frames = new Float64Array(WINDOW);
  private readonly times = new Float64Array(WINDOW);
  private count = 0;
  private next = 0;
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
    return true;
  }

  /** Link host time (µs) at which an engine frame is heard, from the fitted line. */
  hostUsAt(frame: number, stamp: ClockStamp): number {
    const n = this.count;
    const nominal = 1e6 / this.rate;
    if (n < 16) return stamp.clockHostUs + (frame - stamp.clockFrame) * nominal;
    // Least squares about the latest stamp, in doubles well inside their precision.
    const f0 = stamp.clockFrame, t0 = stamp.clockHostUs;
    let sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let i = 0; i < n; i++) {
      const x = this.frames[i]! - f0, y = this.times[i]! - t0;
      sx += x; sy += y; sxx += x * x; sxy += x * y;
    }
    const den = n * sxx - sx * sx;
    const slope = den > 0 ? (n * sxy - sx * sy) / den : nominal;
    // A slope far from nominal means a stall or a reset in the window: trust the nominal rate.
    const s = Math.abs(slope / nominal - 1) < 0.01 ? slope : nominal;
    const intercept = (sy - s * sx) / n;
    return t0 + intercept + (frame - f0) * s;
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
    if (changed && Math.abs(cps / mapCps - 1) > 1e-4) return { kind: "tempo", cps };
    if (Math.abs(this.phaseErrorS) >= JUMP_S) return { kind: "jump", cycle: mapCycle + (error > 0 ? error : error + 1), cps };
    const nudge = Math.max(-MAX_NUDGE, Math.min(MAX_NUDGE, this.phaseErrorS / SLEW_S));
    const steered = clampCps(cps * (1 + nudge));
    if (Math.abs(steered / mapCps - 1) < 1e-7) return { kind: "none" };
    return { kind: "steer", cps: steered };
  }
}

function wrapHalf(x: number): number {
  return x - Math.floor(x + 0.5);
}

function clampCps(cps: number): number {
  return Math.min(MAX_CPS, Math.max(MIN_CPS, cps));
}
