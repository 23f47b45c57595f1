import { describe, expect, it } from "vitest";
import { MiniSyntaxError, mini, parseMini } from "../../../server/pattern/index.ts";

const values = (src: string, b = 0, e = 1) =>
  mini(src)
    .queryArc(b, e)
    .map((h) => `${h.whole!.begin}-${h.whole!.end}:${JSON.stringify(h.value)}`)
    .sort();

describe("mini-notation grammar", () => {
  it("sequences, rests and subsequences", () => {
    expect(values("a ~ [b c] -")).toEqual(['0-1/4:"a"', '1/2-5/8:"b"', '5/8-3/4:"c"']);
  });
  it("alternation steps one item per cycle", () => {
    expect(values("<a b>", 0, 2)).toEqual(['0-1:"a"', '1-2:"b"']);
  });
  it("stacks with ,", () => {
    expect(values("[a, b c]")).toEqual(['0-1/2:"b"', '0-1:"a"', '1/2-1:"c"']);
  });
  it("* and / take fractions and patterns", () => {
    expect(values("a*1.5", 0, 2)).toEqual(['0-2/3:"a"', '2/3-4/3:"a"', '4/3-2:"a"']);
    expect(values("a*<1 2>", 1, 2)).toEqual(['1-3/2:"a"', '3/2-2:"a"']);
    expect(values("a/2", 0, 2)).toEqual(['0-2:"a"']);
  });
  it("! repeats, @ and _ weigh", () => {
    expect(values("a!3 b")).toEqual(['0-1/4:"a"', '1/2-3/4:"a"', '1/4-1/2:"a"', '3/4-1:"b"']);
    expect(values("a ! b")).toEqual(['0-1/3:"a"', '1/3-2/3:"a"', '2/3-1:"b"']);
    expect(values("a@3 b")).toEqual(['0-3/4:"a"', '3/4-1:"b"']);
    expect(values("a _ _ b")).toEqual(['0-3/4:"a"', '3/4-1:"b"']);
  });
  it("euclid with rotation and negative pulses", () => {
    expect(values("a(3,8,2)")).toEqual(['0-1/8:"a"', '1/4-3/8:"a"', '5/8-3/4:"a"']);
    expect(values("a(-3,8)").length).toBe(5);
    expect(values("a(<3 5>,8)", 1, 2).length).toBe(5);
  });
  it("polymeter with and without steps", () => {
    expect(values("{a b c}%4")).toEqual(['0-1/4:"a"', '1/2-3/4:"c"', '1/4-1/2:"b"', '3/4-1:"a"']);
    // Two steps per cycle from the first layer: c d e advances by two each cycle.
    expect(values("{a b, c d e}", 1, 2)).toEqual(['1-3/2:"a"', '1-3/2:"e"', '3/2-2:"b"', '3/2-2:"c"']);
  });
  it(". groups and .. ranges", () => {
    expect(values("a . b c")).toEqual(['0-1/2:"a"', '1/2-3/4:"b"', '3/4-1:"c"']);
    expect(values("0 .. 3")).toEqual(["0-1/4:0", "1/2-3/4:2", "1/4-1/2:1", "3/4-1:3"]);
  });
  it(": makes lists, numbers are numbers, note names stay strings", () => {
    expect(values("bd:3 1.5 -2 eb4")).toEqual(['0-1/4:["bd",3]', '1/2-3/4:-2', '1/4-1/2:1.5', '3/4-1:"eb4"']);
  });
  it("? and | are random but deterministic", () => {
    expect(values("a*8?", 0, 4)).toEqual(values("a*8?", 0, 4));
    const kept = values("a*16?", 0, 4).length;
    expect(kept).toBeGreaterThan(16);
    expect(kept).toBeLessThan(48);
    expect(values("a*16?0.9", 0, 4).length).toBeLessThan(kept);
    const chosen = new Set(values("[a|b|c]", 0, 16).map((v) => v.split(":")[1]));
    expect(chosen).toEqual(new Set(['"a"', '"b"', '"c"']));
  });
  it("the empty string is silence", () => {
    expect(values("")).toEqual([]);
    expect(values("  ")).toEqual([]);
  });
});

describe("source locations", () => {
  it("each atom carries its range in the string", () => {
    const haps = mini("bd [hh sd]").queryArc(0, 1);
    expect(haps.map((h) => h.context.locations)).toEqual([[{ start: 0, end: 2 }], [{ start: 4, end: 6 }], [{ start: 7, end: 9 }]]);
  });
  it("an offset makes ranges absolute in the program", () => {
    const haps = mini("bd sd", { offset: 100 }).queryArc(0, 1);
    expect(haps.map((h) => h.context.locations![0])).toEqual([
      { start: 100, end: 102 },
      { start: 103, end: 105 },
    ]);
  });
  it("locations survive transformations and combine", () => {
    const haps = mini("a b").fast(2).queryArc(0, 1);
    expect(haps[3]!.context.locations).toEqual([{ start: 2, end: 3 }]);
    const combined = mini("0 1").add(mini("10")).queryArc(0, 1);
    expect(combined[0]!.context.locations).toEqual([{ start: 0, end: 1 }]);
  });
});

describe("errors name the position and what was expected", () => {
  const cases: [string, number, RegExp][] = [
    ["a [b c", 6, /"\]" to close the "\[" at position 2/],
    ["a <b", 4, /">" to close/],
    ["a(3 8)", 5, /","/],
    ["a ]", 2, /unexpected "\]"/],
    ["a @", 3, /weight/],
    ["_ a", 0, /a step before "_"/],
    ["a ; b", 2, /unexpected character/],
    ["a, b | c", 5, /cannot mix/],
    ["a@x", 2, /a weight after "@"/],
    ["a*b", 2, /a number as the factor after \*/],
    ["a(3,x)", 4, /a number of steps/],
  ];
  it.each(cases)("%j", (src, pos, expected) => {
    let err: unknown;
    try {
      parseMini(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MiniSyntaxError);
    expect((err as MiniSyntaxError).position).toBe(pos);
    expect((err as Error).message).toMatch(expected);
    expect((err as Error).message).toMatch(`position ${pos}`);
  });
});
