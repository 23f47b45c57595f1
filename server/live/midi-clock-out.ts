/**
 * MIDI clock out: 24 pulses per beat (4 beats to the cycle, as Link), Song
 * Position and Start at a cycle start, Stop. The pulses are planned in JACK
 * frames and sent by the JACK client's real-time callback at their exact
 * frame offsets (native/midi_clock.c), so their jitter is the device's, not
 * a timer's. This side only re-plans when the tempo changes (checked every
 * 20 ms), from the next pulse on, so the pulse train never breaks.
 * @module
 */
import { MidiClock, PPQN, TRANSPORT } from "../engine/midi-clock.ts";
import { BEATS_PER_CYCLE } from "../engine/link.ts";

/** What the clock needs from the live session. */
export type TempoSource = { readonly targetCps: number; cycleNow(): number; readonly cps: number };

const CHECK_MS = 20;
/** A re-plan starts at least this far ahead of JACK's frame time (seconds): past the cycle being processed. */
const MARGIN_S = 0.03;

export class MidiClockOut {
  private timer?: ReturnType<typeof setInterval>;
  private cps = 0;
  private fpp = 0;
  private rate = 0;

  constructor(
    readonly clock: MidiClock,
    private readonly tempo: TempoSource,
  ) {}

  /** Song Position 0 and Start at the next cycle start, then pulses at our tempo. */
  start(): void {
    const { frame, rate } = this.clock.time();
    this.rate = rate;
    this.cps = this.tempo.targetCps;
    this.fpp = framesPerPulse(rate, this.cps);
    const cycle = this.tempo.cycleNow();
    const next = Math.ceil(cycle + MARGIN_S * this.tempo.cps);
    const startFrame = Math.round(frame + ((next - cycle) / this.tempo.cps) * rate);
    this.clock.plan(startFrame, this.fpp, TRANSPORT.start, 0);
    this.timer ??= setInterval(() => this.follow(), CHECK_MS);
    this.timer.unref?.();
  }

  /** Stop, now. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clock.plan(this.clock.time().frame, 0, TRANSPORT.stop);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A tempo change: the same pulse train, at the new spacing from the next pulse far enough ahead. */
  private follow(): void {
    const cps = this.tempo.targetCps;
    if (cps === this.cps) return;
    const { frame } = this.clock.time();
    const { lastSentFrame } = this.clock.stats();
    const ahead = frame + MARGIN_S * this.rate;
    const k = Math.max(1, Math.ceil((ahead - lastSentFrame) / this.fpp));
    const from = lastSentFrame + k * this.fpp;
    this.cps = cps;
    this.fpp = framesPerPulse(this.rate, cps);
    this.clock.plan(from, this.fpp, TRANSPORT.pulses);
  }
}

export function framesPerPulse(rate: number, cps: number): number {
  return rate / (cps * BEATS_PER_CYCLE * PPQN);
}
