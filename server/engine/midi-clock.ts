/**
 * MIDI clock through JACK MIDI: the binding of native/midi_clock.c. A JACK
 * client of its own (ports clock_out and clock_in) whose real-time callback
 * sends pulses at exact frame offsets and times the pulses it receives.
 * Frames here are JACK frames. The server puts the clock on the MIDI client
 * (MidiClock.on): one JACK client for MIDI out, in and clock.
 * @module
 */
import type { Pointer } from "bun:ffi";
import { check, EngineError } from "./errors.ts";
import type { MidiOut } from "./midi.ts";
import { native } from "./symbols.ts";

/** MIDI clock: 24 pulses per quarter note. */
export const PPQN = 24;

export const TRANSPORT = { pulses: 0, start: 1, continue: 2, stop: 3 } as const;

export type MidiClockStats = {
  pulsesSent: number;
  lastSentFrame: number;
  pulsesReceived: number;
  lastReceivedFrame: number;
  /** Smoothed JACK frames per received pulse (0: none yet). */
  receivedPeriod: number;
  /** Start or Continue received, no Stop since. */
  inputRunning: boolean;
  /** Pulses the output sent past their frame (a plan in the past, a missed cycle). */
  latePulses: number;
  /** The input's song position, in pulses, at its last pulse (lastReceivedFrame) while running. */
  receivedPosition: number;
  /** Starts and Continues received (a new one: the phase is set again). */
  starts: number;
};

const encoder = new TextEncoder();

export class MidiClock {
  #handle: Pointer | null;
  readonly #buf = new Float64Array(10);

  private constructor(handle: Pointer) {
    this.#handle = handle;
  }

  /** Opens the JACK client `name` (a JACK server must be running). */
  static open(name = "ostinato-clock"): MidiClock {
    const out = new BigUint64Array(1);
    const result = native().ost_midi_clock_open(encoder.encode(`${name}\0`), out);
    if (result < 0) throw EngineError.fromResult("MidiClock.open", result, `JACK client "${name}" (is a JACK server running?)`);
    return new MidiClock(Number(out[0]) as Pointer);
  }

  /** The clock's ports (clock_out, clock_in) on the MIDI client: one JACK client for MIDI out, in and clock. */
  static on(midi: MidiOut): MidiClock {
    if (midi.backend !== "jack") throw new EngineError("MidiClock.on", `MIDI clock runs on JACK MIDI only; the session's MIDI is on the ALSA sequencer (start a JACK server, or --midi-backend jack)`);
    const out = new BigUint64Array(1);
    const result = native().ost_midi_clock_on(midi.handle as unknown as Pointer, out);
    if (result < 0) throw EngineError.fromResult("MidiClock.on", result, `clock ports on JACK client "${midi.clientName}"`);
    return new MidiClock(Number(out[0]) as Pointer);
  }

  /** JACK's frame time now and its sample rate. */
  time(): { frame: number; rate: number } {
    check("MidiClock.time", native().ost_midi_clock_time(this.#live("time"), this.#buf));
    return { frame: this.#buf[0]!, rate: this.#buf[1]! };
  }

  /** From JACK frame `startFrame` on, a pulse every `framesPerPulse`, after a transport message (see ostinato.h). */
  plan(startFrame: number, framesPerPulse: number, transport: number = TRANSPORT.pulses, songPosition = 0): void {
    check("MidiClock.plan", native().ost_midi_clock_plan(this.#live("plan"), startFrame, framesPerPulse, transport, songPosition));
  }

  stats(): MidiClockStats {
    check("MidiClock.stats", native().ost_midi_clock_stats(this.#live("stats"), this.#buf));
    const b = this.#buf;
    return {
      pulsesSent: b[0]!,
      lastSentFrame: b[1]!,
      pulsesReceived: b[2]!,
      lastReceivedFrame: b[3]!,
      receivedPeriod: b[4]!,
      inputRunning: b[5] === 1,
      latePulses: b[6]!,
      receivedPosition: b[7]!,
      starts: b[8]!,
    };
  }

  close(): void {
    const h = this.#handle;
    if (h === null) return;
    this.#handle = null;
    native().ost_midi_clock_close(h);
  }

  #live(what: string): Pointer {
    if (this.#handle === null) throw new EngineError(`MidiClock.${what}`, "the MIDI clock is closed", -3);
    return this.#handle;
  }
}
