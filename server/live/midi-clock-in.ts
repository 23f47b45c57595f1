/**
 * MIDI clock in: an external clock (a drum machine, a DAW) as a tempo
 * source. The JACK client's real-time callback times each pulse (0xF8) in
 * JACK frames and smooths the pulse period (native/midi_clock.c); every 20 ms
 * this side turns it into a tempo (4 beats to the cycle) and changes ours
 * when it moved by more than 0.2 %. A clock that stops (no pulse for half a
 * second) leaves the tempo where it was: the music keeps playing.
 *
 * Phase: a Start (the first pulse after it is beat 0) or a Song Position
 * with Continue (the next pulse is at that sixteenth) sets where our cycle
 * is: at the first pulse after it, our cycle's position in the bar is moved
 * (forward, at the scheduler's horizon: nothing queued moves or doubles) to
 * the clock's beat / 4. Between Starts the phase is not steered; at a
 * followed tempo it holds. The pulse's JACK frame is converted to an engine
 * frame through both clocks read now (within a JACK period on one server).
 * @module
 */
import { MidiClock, PPQN } from "../engine/midi-clock.ts";
import { BEATS_PER_CYCLE } from "../engine/link.ts";
import { MAX_CPS, MIN_CPS } from "./tempo.ts";

export type TempoSink = {
  readonly targetCps: number;
  setCps(cps: number): void;
  readonly engine: { now(): number; readonly sampleRate: number };
  cycleAt(frame: number): number;
  /** Moves our cycle position forward by `cycles` (0..1) at the horizon. */
  shiftPhase(cycles: number): void;
};

const CHECK_MS = 20;
const SILENT_S = 0.5;
const TOLERANCE = 0.002;

export class MidiClockIn {
  private timer?: ReturnType<typeof setInterval>;
  /** The external clock's tempo, BPM, while it runs (0 otherwise). */
  bpm = 0;
  /** Starts seen, and the pulses received when the latest was seen (its phase is set at a later pulse). */
  private starts = 0;
  private pulsesAtStart = -1;
  /** The last phase correction, cycles (for tests and the note). */
  lastShift: number | null = null;

  constructor(
    readonly clock: MidiClock,
    private readonly sink: TempoSink,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.follow(), CHECK_MS);
    this.timer.unref?.();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private follow(): void {
    const s = this.clock.stats();
    const { frame, rate } = this.clock.time();
    const live = s.pulsesReceived > 2 && s.receivedPeriod > 0 && frame - s.lastReceivedFrame < SILENT_S * rate;
    if (!live) {
      this.bpm = 0;
      return;
    }
    this.bpm = (60 * rate) / (s.receivedPeriod * PPQN);
    const cps = Math.min(MAX_CPS, Math.max(MIN_CPS, this.bpm / 60 / BEATS_PER_CYCLE));
    if (Math.abs(cps / this.sink.targetCps - 1) > TOLERANCE) this.sink.setCps(cps);
    this.followPhase(s, frame, rate);
  }

  private followPhase(s: ReturnType<MidiClock["stats"]>, jackNow: number, jackRate: number): void {
    if (s.starts !== this.starts) {
      this.starts = s.starts;
      this.pulsesAtStart = s.pulsesReceived;
      return;
    }
    if (this.pulsesAtStart < 0 || !s.inputRunning || s.pulsesReceived <= this.pulsesAtStart) return;
    this.pulsesAtStart = -1;
    const engine = this.sink.engine;
    const frame = engine.now() - ((jackNow - s.lastReceivedFrame) * engine.sampleRate) / jackRate;
    const wanted = s.receivedPosition / PPQN / BEATS_PER_CYCLE;
    const shift = wanted - this.sink.cycleAt(frame);
    const forward = shift - Math.floor(shift); // 0..1: the bar position moves forward only
    this.lastShift = forward;
    if (Math.min(forward, 1 - forward) > 1e-6) this.sink.shiftPhase(forward);
  }
}
