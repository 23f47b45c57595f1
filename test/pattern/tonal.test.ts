import { describe, expect, it } from "vitest";
import { addVoicings, chord, n, note, reify } from "../../server/pattern/index.ts";

const notes = (p: any, b = 0, e = 1) => p.queryArc(b, e).map((h: any) => h.value.note);

describe("tonal", () => {
  it("scale turns degrees into note names", () => {
    expect(notes(n("0 2 4 7 -1").scale("C:minor"))).toEqual(["C3", "Eb3", "G3", "C4", "Bb2"]);
    expect(notes(n("0 1").scale("D4:dorian"))).toEqual(["D4", "E4"]);
    // Note names move up into the scale, spelled the scale's way.
    expect(notes(note("C1 E1 F1 B1").scale("Cb2:major"))).toEqual(["Db1", "Fb1", "Gb1", "Cb2"]);
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
    // The highest inversion whose top note is at or below the anchor (c5 by default), as Strudel places a voicing.
    expect(notes(chord("C").voicing())).toEqual(["E4", "G4", "C5"]);
    expect(notes(chord("C").anchor("c4").voicing())).toEqual(["E3", "G3", "C4"]);
    expect(notes(chord("C").anchor(66).mode("above").voicing())).toEqual(["E4", "G4", "C5"]);
    expect(notes(chord("C").anchor("e4").mode("duck").voicing())).toEqual(["G3", "C4"]);
    expect(notes(chord("C").offset(1).voicing())).toEqual(["G4", "C5", "E5"]);
    expect(notes(chord("C").mode("root").voicing())).toEqual(["C2", "E4", "G4", "C5"]);
  });

  it("user dictionaries: addVoicings, dict, voicings() by voice leading", () => {
    addVoicings("test-house", { "": ["7 12 16", "0 7 16", "4 7 12"], m: ["0 3 7"] });
    expect(notes(chord("D").dict("test-house").anchor(66).voicing())).toEqual(["A3", "D4", "Gb4"]);
    expect(notes(chord("F").dict("test-house").anchor(66).voicing())).toEqual(["A3", "C4", "F4"]);
    expect(() => chord("C7").dict("test-house").voicing().queryArc(0, 1)).toThrow(/not in the dictionary "test-house"/);
    expect(() => chord("C").dict("nope").voicing().queryArc(0, 1)).toThrow(/no voicing dictionary "nope"/);
    // Rootless B form of C^7 in F3..A4, then the A7 that moves least from it.
    const pat = reify(["C^7", "A7"]).voicings("lefthand");
    expect(pat.queryArc(0, 1).map((h: any) => h.value)).toEqual(["B3", "D4", "E4", "G4", "G3", "B3", "C#4", "F#4"]);
  });
});
