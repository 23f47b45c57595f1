/**
 * Engine frames to wall-clock time, for the targets that speak wall-clock
 * time (OSC bundles' time tags). A sound card's clock is never exactly its
 * nominal rate (a JACK dummy driver measured 375 ppm fast against system
 * time), so the map is a delay-locked loop on (frame, CLOCK_REALTIME) pairs:
 * a second-order loop (a phase and a period, both corrected by the error of
 * each new pair) as described by F. Adriaensen, "Using a DLL to filter time"
 * (2005). Our own code; the formulas are the paper's public ones.
 *
 * The pairs are the end of a block's render: late when the host woke the
 * audio thread late, never early. A pair far later than the loop expects is
 * therefore the host's, not the clock's: it is skipped (and counted), unless
 * the pairs stay there, which means the clock itself moved (a stalled or
 * restarted device): then the loop locks again.
 *
 * The loop starts wide (it converges in a second or two) and narrows to
 * `bandwidthHz`, so the jitter of the pairs hardly moves the time tags.
 * @module
 */

export type WallClockOptions = {
  /** The loop's final bandwidth in Hz (default 0.1: jitter of the pairs is averaged over about 10 s). */
  bandwidthHz?: number;
  /** A pair later than expected by more than this is the host's (seconds; default 0.002). */
  outlierSeconds?: number;
};

/** How many outliers in a row mean the clock moved rather than the host being late. */
const RELOCK_AFTER = 25;

export class WallClock {
  /** Frame of the anchor (the last pair taken). */
  private anchorFrame = 0;
  /** Wall-clock seconds (CLOCK_REALTIME) of the anchor, as the loop estimates it. */
  private anchorTime = 0;
  /** Seconds per frame, as measured. */
  private period: number;
  /** Seconds of locked operation (the bandwidth narrows with it). */
  private lockedFor = 0;
  private locked = false;
  private outliersInRow = 0;
  /** Pairs skipped as the host's lateness. */
  outliers = 0;
  /** Times the loop locked (1 after the first pair). */
  locks = 0;
  private readonly bandwidth: number;
  private readonly outlierLimit: number;

  constructor(
    /** The nominal sample rate, the loop's first guess. */
    readonly nominalRate: number,
    options: WallClockOptions = {},
  ) {
    this.period = 1 / nominalRate;
    this.bandwidth = options.bandwidthHz ?? 0.1;
    this.outlierLimit = options.outlierSeconds ?? 0.002;
  }

  /** True once a pair was taken. */
  get ready(): boolean {
    return this.locked;
  }

  /** The measured sample rate (frames per wall-clock second). */
  get rate(): number {
    return 1 / this.period;
  }

  /** Takes a (frame, wall-clock seconds) pair. Pairs for a frame already taken are ignored. */
  update(frame: number, time: number): void {
    if (!this.locked) return this.lock(frame, time);
    const frames = frame - this.anchorFrame;
    if (frames <= 0) return;
    const expected = this.anchorTime + frames * this.period;
    const error = time - expected;
    if (Math.abs(error) > this.outlierLimit) {
      this.outliers++;
      if (++this.outliersInRow >= RELOCK_AFTER) this.lock(frame, time);
      return;
    }
    this.outliersInRow = 0;
    const dt = frames * this.period;
    this.lockedFor += dt;
    // Wide at first (1 Hz over the first seconds), then the configured bandwidth.
    const bw = Math.max(this.bandwidth, 1 / (1 + this.lockedFor));
    const omega = 2 * Math.PI * bw * dt;
    const b = Math.SQRT2 * Math.min(omega, 0.5);
    const c = Math.min(omega, 0.5) ** 2;
    this.anchorFrame = frame;
    this.anchorTime = expected + b * error;
    this.period += (c * error) / frames;
  }

  /** The wall-clock seconds (CLOCK_REALTIME) of a frame, fractional frames allowed. */
  timeAt(frame: number): number {
    return this.anchorTime + (frame - this.anchorFrame) * this.period;
  }

  private lock(frame: number, time: number): void {
    this.anchorFrame = frame;
    this.anchorTime = time;
    this.locked = true;
    this.lockedFor = 0;
    this.outliersInRow = 0;
    this.locks++;
  }
}
