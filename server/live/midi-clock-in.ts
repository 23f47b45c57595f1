/**
 * MIDI clock in: an external clock (a drum machine, a DAW) as a tempo
 * source. The JACK client's real-time callback times each pulse (0xF8) in
 * JACK frames and smooths the pulse period (native/midi_clock.c); every 20 ms
 * this side turns it into a tempo (4 beats to the cycle) and changes ours
 * when it moved by more than 0.2 %. A clock that stops (no pulse for half a
 * second) leaves the tempo where it was: the music keeps playing.
 * Phase (aligning our cycle starts to its beats) is not followed yet.
 * @module
 */
import { MidiClock, PPQN } from "../engine/midi-clock.ts";
import { BEATS_PER_CYCLE } from "../engine/link.ts";
import { MAX_CPS, MIN_CPS } from "./tempo.ts";

export type TempoSink = { readonly targetCps: number; setCps(cps: number): void };

const CHECK_MS = 20;
const SILENT_S = 0.5;
const TOLERANCE = 0.002;

export class MidiClockIn {
  private timer?: ReturnType<typeof setInterval>;
  /** The external clock's tempo, BPM, while it runs (0 otherwise). */
  bpm = 0;

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
  }
}
