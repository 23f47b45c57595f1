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
 * the clock's beat / 4. From then on, while the clock runs, a phase loop
 * holds it there: at each check the clock's position at its last pulse is
 * compared with our cycle at that frame, and our tempo is the clock's plus
 * the wrapped error (cycles, smoothed over about 0.2 s) over a 2 s time constant, clamped to ±1 % of the
 * clock's tempo, so an error decays smoothly and is never jumped. The tempo
 * is only set again when that moved by more than 0.02 % (each change is a
 * tempo piece at the horizon; the map keeps its last 16). A tempo change of
 * the clock (more than 0.2 %) is followed at once, and the loop resumes a
 * second later, from the error the change left. The pulse's JACK
 * frame is converted to an engine frame through both clocks read now
 * (within a JACK period on one server). When the clock stops, our tempo goes
 * back to the clock's, without the correction.
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
/** The phase loop: an error of e cycles changes our tempo by e / TIME_CONSTANT_S cycles per second. */
const TIME_CONSTANT_S = 2;
/** The largest correction, a fraction of the clock's tempo. */
const MAX_STEER = 0.01;
/** While steering, the tempo is set again only when the wanted one moved by more than this fraction. */
const STEER_TOLERANCE = 0.0002;
/** The error is smoothed over about 0.2 s (a 20 ms check's weight), so the clocks' read jitter does not set the tempo at every check. */
const ERROR_SMOOTHING = 0.1;
/**
 * After a phase jump the loop waits this long (the jump is made at the
 * worker's horizon, and the mirror learns it later); after a tempo change of
 * the clock too (while the smoothed period settles, the error says nothing).
 */
const SETTLE_S = 1;

export class MidiClockIn {
  private timer?: ReturnType<typeof setInterval>;
  /** The external clock's tempo, BPM, while it runs (0 otherwise). */
  bpm = 0;
  /** Starts seen, and the pulses received when the latest was seen (its phase is set at a later pulse). */
  private starts = 0;
  private pulsesAtStart = -1;
  /** The last phase correction, cycles (for tests and the note). */
  lastShift: number | null = null;
  /** The phase loop's last error, cycles (clock minus ours, wrapped), or null while it does not steer. */
  phaseError: number | null = null;
  /** Tempo changes the phase loop made (for tests and the note). */
  steers = 0;
  /** The engine frame from which the phase loop steers (null: no phase set since the clock started). */
  private steerFrom: number | null = null;
  /** The clock's own tempo as last followed, cps (0: none). */
  private clockCps = 0;
  /** The clock's tempo the loop steers around (a move of more than TOLERANCE from it is a tempo change). */
  private steeredCps = 0;

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
      this.unlock();
      return;
    }
    this.bpm = (60 * rate) / (s.receivedPeriod * PPQN);
    const cps = Math.min(MAX_CPS, Math.max(MIN_CPS, this.bpm / 60 / BEATS_PER_CYCLE));
    this.clockCps = cps;
    if (!this.steer(s, frame, rate, cps) && Math.abs(cps / this.sink.targetCps - 1) > TOLERANCE) this.sink.setCps(cps);
    this.followPhase(s, frame, rate);
  }

  /** The engine frame of the clock's last pulse. */
  private pulseFrame(s: ReturnType<MidiClock["stats"]>, jackNow: number, jackRate: number): number {
    const engine = this.sink.engine;
    return engine.now() - ((jackNow - s.lastReceivedFrame) * engine.sampleRate) / jackRate;
  }

  /** The clock's position minus ours at its last pulse, cycles, wrapped to -0.5..0.5. */
  private errorAt(s: ReturnType<MidiClock["stats"]>, frame: number): number {
    const d = s.receivedPosition / PPQN / BEATS_PER_CYCLE - this.sink.cycleAt(frame);
    return d - Math.round(d);
  }

  /** The phase loop; false when it does not steer (no phase set, the clock stopped, or a jump settling). */
  private steer(s: ReturnType<MidiClock["stats"]>, jackNow: number, jackRate: number, clockCps: number): boolean {
    if (this.steerFrom === null) return false;
    if (!s.inputRunning || s.starts !== this.starts) {
      this.unlock();
      return false;
    }
    if (Math.abs(clockCps / this.steeredCps - 1) > TOLERANCE) {
      // The clock changed its tempo: ours follows it at once, and the loop waits until it has settled.
      this.steeredCps = clockCps;
      this.steerFrom = this.sink.engine.now() + SETTLE_S * this.sink.engine.sampleRate;
      this.phaseError = null;
      this.sink.setCps(clockCps);
      return true;
    }
    const frame = this.pulseFrame(s, jackNow, jackRate);
    if (frame < this.steerFrom) return true;
    const raw = this.errorAt(s, frame);
    const error = this.phaseError === null ? raw : this.phaseError + ERROR_SMOOTHING * (raw - this.phaseError);
    this.phaseError = error;
    const limit = MAX_STEER * clockCps;
    const wanted = Math.min(MAX_CPS, Math.max(MIN_CPS, clockCps + Math.min(limit, Math.max(-limit, error / TIME_CONSTANT_S))));
    if (Math.abs(wanted / this.sink.targetCps - 1) > STEER_TOLERANCE) {
      this.steers++;
      this.sink.setCps(wanted);
    }
    return true;
  }

  /** Stops the phase loop; our tempo goes back to the clock's (without the loop's correction). */
  private unlock(): void {
    if (this.steerFrom === null) return;
    this.steerFrom = null;
    this.phaseError = null;
    if (this.clockCps > 0 && this.clockCps !== this.sink.targetCps) this.sink.setCps(this.clockCps);
  }

  private followPhase(s: ReturnType<MidiClock["stats"]>, jackNow: number, jackRate: number): void {
    if (s.starts !== this.starts) {
      this.starts = s.starts;
      this.pulsesAtStart = s.pulsesReceived;
      return;
    }
    if (this.pulsesAtStart < 0 || !s.inputRunning || s.pulsesReceived <= this.pulsesAtStart) return;
    this.pulsesAtStart = -1;
    const frame = this.pulseFrame(s, jackNow, jackRate);
    const shift = this.errorAt(s, frame);
    const forward = shift - Math.floor(shift); // 0..1: the bar position moves forward only
    this.lastShift = forward;
    if (Math.min(forward, 1 - forward) > 1e-6) this.sink.shiftPhase(forward);
    this.steerFrom = this.sink.engine.now() + SETTLE_S * this.sink.engine.sampleRate;
    this.steeredCps = this.clockCps;
  }
}
