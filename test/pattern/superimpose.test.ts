import { describe, expect, it } from "vitest";
import { type Pattern, add, mini, note, rev, s } from "../../server/pattern/index.ts";

const ev = (p: Pattern, b = 0, e = 1) =>
  p
    .queryArc(b, e)
    .filter((h) => h.hasOnset())
    .map((h) => `${h.whole!.begin}:${typeof h.value === "object" ? JSON.stringify(h.value) : h.value}`)
    .sort();

describe("superimposed copies", () => {
  it("off and echo", () => {
    expect(ev(note("c3").off(0.5, (x: Pattern) => x.transpose(12)))).toEqual(['0:{"note":"c3"}', '1/2:{"note":"C4"}']);
    expect(ev(s("a").echo(2, 0.25, 0.5))).toEqual(['0:{"s":"a","gain":1}', '1/4:{"s":"a","gain":0.5}']);
    expect(ev(s("a").stut(2, 0.5, 0.25))).toEqual(ev(s("a").echo(2, 0.25, 0.5)));
  });
  it("echoWith applies the function to every copy", () => {
    expect(ev(mini("0").echoWith(2, 0.5, add(10)))).toEqual(["0:10", "1/2:10"]);
  });
  it("superimpose keeps the original, layer does not", () => {
    expect(ev(mini("1 2").superimpose(add(10)))).toEqual(["0:1", "0:11", "1/2:12", "1/2:2"]);
    expect(ev(mini("1 2").layer(rev, add(10)))).toEqual(["0:11", "0:2", "1/2:1", "1/2:12"]);
  });
});
