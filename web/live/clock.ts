/**
 * The engine's frame clock, estimated in the browser between `clock`
 * pushes (40 a second), so highlights and the cycle display move every
 * animation frame in time with the audio.
 *
 * A push says "the engine was at `frame`" and arrives some network delay
 * later, never earlier. So each push gives a lower bound of the offset
 * between the engine clock and the local clock, and the best estimate is
 * the largest recent bound: a leaky maximum that forgets slowly (for drift
 * between the two clocks) and restarts when the engine clock jumps back
 * (a server restart, a new device) or the rate changes.
 * @module
 */

export type ClockSample = { frame: number; cycle: number; cps: number; sampleRate: number };

/** How fast the estimate may fall behind a higher bound, in seconds per second. */
const LEAK_PER_SECOND = 0.002;
/** A bound this far below the estimate means the engine clock moved back: start over. */
const RESET_SECONDS = 0.25;

export class ClockEstimator {
  private rate = 0;
  /** Engine frame minus local seconds × rate: the best bound so far. */
  private offset = 0;
  private offsetAtMs = 0;
  private anchor: ClockSample | undefined;

  /** Takes one clock push, received at local time `localMs` (performance.now()). */
  observe(sample: ClockSample, localMs: number): void {
    const bound = sample.frame - (localMs / 1000) * sample.sampleRate;
    if (!this.anchor || sample.sampleRate !== this.rate) {
      this.reset(sample, bound, localMs);
      return;
    }
    const leaked = this.offset - ((localMs - this.offsetAtMs) / 1000) * LEAK_PER_SECOND * this.rate;
    if (bound < leaked - RESET_SECONDS * this.rate) {
      this.reset(sample, bound, localMs);
      return;
    }
    if (bound >= leaked) {
      this.offset = bound;
      this.offsetAtMs = localMs;
    } else {
      this.offset = leaked;
      this.offsetAtMs = localMs;
    }
    this.anchor = sample;
  }

  get ready(): boolean {
    return this.anchor !== undefined;
  }

  get sampleRate(): number {
    return this.rate;
  }

  /** Tempo of the last push, in cycles per second. */
  get cps(): number {
    return this.anchor?.cps ?? 0;
  }

  /** The engine frame at local time `localMs`. */
  frameAt(localMs: number): number {
    return this.offset + (localMs / 1000) * this.rate;
  }

  /** The cycle position at local time `localMs` (the last push's tempo carried forward). */
  cycleAt(localMs: number): number {
    const a = this.anchor;
    if (!a) return 0;
    return a.cycle + ((this.frameAt(localMs) - a.frame) / this.rate) * a.cps;
  }

  /** Forgets everything (the connection dropped: the next server may be another). */
  clear(): void {
    this.anchor = undefined;
    this.rate = 0;
  }

  private reset(sample: ClockSample, bound: number, localMs: number): void {
    this.rate = sample.sampleRate;
    this.offset = bound;
    this.offsetAtMs = localMs;
    this.anchor = sample;
  }
}
