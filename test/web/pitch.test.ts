import { describe, expect, test } from "vitest";
import { noteToMidi } from "../../server/pattern/index.ts";
import { laneOf, noteNameToMidi, pitchOf } from "../../web/live/pitch.ts";

describe("pitch for the pianoroll", () => {
  test("note names agree with the pattern library's noteToMidi", () => {
    for (const name of ["c4", "a4", "c3", "eb2", "f#3", "bb1", "cs5", "df0", "c-1", "e", "g"]) {
      expect(noteNameToMidi(name), name).toBe(noteToMidi(name));
    }
  });
  test("from note (number or name) or freq; unpitched events get a lane", () => {
    expect(pitchOf({ note: 60 })).toBe(60);
    expect(pitchOf({ note: "a4" })).toBe(69);
    expect(pitchOf({ freq: 880 })).toBeCloseTo(81, 9);
    expect(pitchOf({ s: "white" })).toBeUndefined();
    expect(laneOf({ s: "white" })).toBe("white");
    expect(laneOf({ s: "bd", n: 3 })).toBe("bd:3");
  });
});
