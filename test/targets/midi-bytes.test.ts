// The MIDI byte stream every transport shares (JACK MIDI, and the ALSA
// sequencer where a machine has /dev/snd/seq): checked at the seam.
import { describe, expect, test } from "vitest";
import { encodeMidi, sysexBytes, type MidiSink } from "../../server/targets/midi-bytes.ts";

function bytes(controls: Record<string, unknown>): { onset: string[]; end: string[] } {
  const onset: string[] = [];
  const end: string[] = [];
  const hex = (b: readonly number[]) => b.map((x) => x.toString(16).padStart(2, "0")).join(" ");
  const sink: MidiSink = {
    message: (atEnd, length, b0, b1, b2) => (atEnd ? end : onset).push(hex([b0, b1, b2].slice(0, length))),
    sysex: (b) => onset.push(hex(b)),
  };
  encodeMidi(controls, sink);
  return { onset, end };
}

describe("MIDI bytes", () => {
  test("a note: on with velocity x gain (Strudel's default velocity 0.9), off at the end; channel 1-16; note names", () => {
    expect(bytes({ note: 60 })).toEqual({ onset: ["90 3c 72"], end: ["80 3c 00"] });
    expect(bytes({ note: "e4", velocity: 1, gain: 0.5, midichan: 16 })).toEqual({ onset: ["9f 40 40"], end: ["8f 40 00"] });
    expect(bytes({ n: 36, velocity: 0 }).onset).toEqual(["90 24 01"]); // a note-on of velocity 0 would be a note-off
  });

  test("CC, program change, pitch bend, channel aftertouch, NRPN, commands, before the note at the onset", () => {
    expect(bytes({ ccn: 74, ccv: 1, midichan: 2 }).onset).toEqual(["b1 4a 7f"]);
    expect(bytes({ progNum: 5 }).onset).toEqual(["c0 05"]);
    expect(bytes({ midibend: 0 }).onset).toEqual(["e0 00 40"]);
    expect(bytes({ midibend: 1 }).onset).toEqual(["e0 7f 7f"]);
    expect(bytes({ midibend: -1 }).onset).toEqual(["e0 00 00"]);
    expect(bytes({ miditouch: 0.5 }).onset).toEqual(["d0 40"]);
    expect(bytes({ nrpnn: 300, nrpv: 100 }).onset).toEqual(["b0 63 02", "b0 62 2c", "b0 06 64"]);
    expect(bytes({ nrpnn: 1, nrpv: 1000 }).onset).toEqual(["b0 63 00", "b0 62 01", "b0 06 07", "b0 26 68"]);
    expect(bytes({ midicmd: "start" }).onset).toEqual(["fa"]);
    expect(bytes({ note: 60, ccn: 1, ccv: 0 }).onset).toEqual(["b0 01 00", "90 3c 72"]);
  });

  test("SysEx: F0, id, data, F7; a byte out of range is a clear error", () => {
    expect(bytes({ sysexid: "0x7d", sysexdata: "0x01:0x02" }).onset).toEqual(["f0 7d 01 02 f7"]);
    expect(sysexBytes(0x43, [1, 2, 3])).toEqual([0xf0, 0x43, 1, 2, 3, 0xf7]);
    expect(() => sysexBytes(0x43, [200])).toThrow(/sysex: 200 is not a data byte/);
  });
});
