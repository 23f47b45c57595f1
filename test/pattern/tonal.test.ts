import { describe, expect, it } from "vitest";
import { chord, n, note } from "../../server/pattern/index.ts";

const notes = (p: any, b = 0, e = 1) => p.queryArc(b, e).map((h: any) => h.value.note);

describe("tonal", () => {
  it("scale turns degrees into note names", () => {
    expect(notes(n("0 2 4 7 -1").scale("C:minor"))).toEqual(["C3", "Eb3", "G3", "C4", "Bb2"]);
    expect(notes(n("0 1").scale("D4:dorian"))).toEqual(["D4", "E4"]);
    expect(() => n("0").scale("H:major").queryArc(0, 1)).toThrow(/not a tonic/);
    expect(() => n("0").scale("C:nonsense").queryArc(0, 1)).toThrow(/unknown scale type/);
  });
  it("transpose by semitones or intervals", () => {
    expect(notes(note("c3 e3").transpose(3))).toEqual(["Eb3", "G3"]);
    expect(notes(note("c3").transpose("3M"))).toEqual(["E3"]);
    expect(notes(note("48").transpose(12))).toEqual([60]);
  });
  it("scaleTranspose moves along the scale", () => {
    expect(notes(n("0 2").scale("C:major").scaleTranspose(1))).toEqual(["D3", "F3"]);
    expect(notes(n("6").scale("C:major").scaleTranspose(1))).toEqual(["C4"]);
  });
  it("voicing and rootNotes", () => {
    expect(notes(chord("Am7").rootNotes(2))).toEqual(["A2"]);
    expect(notes(chord("C").voicing())).toEqual(["C4", "E4", "G4"]);
    expect(notes(chord("C").mode("root").voicing())).toEqual(["C2", "C4", "E4", "G4"]);
  });
});
