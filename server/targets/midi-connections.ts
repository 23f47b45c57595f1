/**
 * The JACK connections our MIDI ports were asked for (`.midi("synth")`,
 * `midin("keyboard")`), checked every few seconds: a device that vanished
 * (unplugged, its program quit) is reported once, and its port connected
 * again when it comes back under the same name. Our own ports stay
 * registered throughout, so nothing else changes for the patterns.
 * @module
 */
import type { MidiOut } from "../engine/midi.ts";

type Wanted = { index: number; input: boolean; other: string; lost: boolean };

const CHECK_MS = 2000;

export class MidiConnections {
  private readonly wanted: Wanted[] = [];
  private checkedAt = 0;

  constructor(private readonly onWarning?: (message: string) => void) {}

  /** Our port `index` (an input, or an output) is to be connected with `other`. */
  add(index: number, input: boolean, other: string): void {
    this.wanted.push({ index, input, other, lost: false });
  }

  /** Every few seconds: connects again what came back, reports what vanished. */
  check(out: MidiOut, nowMs = performance.now()): void {
    if (nowMs - this.checkedAt < CHECK_MS) return;
    this.checkedAt = nowMs;
    for (const w of this.wanted) {
      const connected = out.connect(w.index, w.input, w.other);
      if (!connected && !w.lost) this.onWarning?.(`MIDI: "${w.other}" is gone; it is connected again when it comes back`);
      else if (connected && w.lost) this.onWarning?.(`MIDI: "${w.other}" is back and connected again`);
      w.lost = !connected;
    }
  }

  clear(): void {
    this.wanted.length = 0;
  }
}
