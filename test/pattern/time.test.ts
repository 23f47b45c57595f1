import { describe, expect, it } from "vitest";
import { type Pattern, mini, note, s } from "../../server/pattern/index.ts";

const ev = (p: Pattern, b = 0, e = 1) =>
  p
    .queryArc(b, e)
    .filter((h) => h.hasOnset())
    .map((h) => `${h.whole!.begin}:${typeof h.value === "object" ? JSON.stringify(h.value) : h.value}`)
    .sort();

describe("time operators", () => {
  it("fast, slow, early, late", () => {
    expect(ev(mini("a b").fast(2))).toEqual(["0:a", "1/2:a", "1/4:b", "3/4:b"]);
    expect(ev(mini("a b").slow(2), 0, 2)).toEqual(["0:a", "1:b"]);
    expect(ev(mini("a b").early(0.5))).toEqual(["0:b", "1/2:a"]);
    expect(ev(mini("a b").late(0.25))).toEqual(["1/4:a", "3/4:b"]);
    expect(ev(mini("a b").fast(0))).toEqual([]);
  });
  it("rev", () => {
    expect(ev(mini("a b c").rev())).toEqual(["0:c", "1/3:b", "2/3:a"]);
  });
  it("compress, fastGap, zoom, linger, ply", () => {
    expect(ev(mini("a b").compress(0.25, 0.75))).toEqual(["1/2:b", "1/4:a"]);
    expect(ev(mini("a b").fastGap(2))).toEqual(["0:a", "1/4:b"]);
    expect(ev(mini("a b c d").zoom(0.25, 0.75))).toEqual(["0:b", "1/2:c"]);
    expect(ev(mini("a b c d").linger(0.25))).toEqual(["0:a", "1/2:a", "1/4:a", "3/4:a"]);
    expect(ev(mini("a b").ply(2))).toEqual(["0:a", "1/2:b", "1/4:a", "3/4:b"]);
  });
  it("hurry", () => {
    expect(ev(s("a").hurry(2))).toEqual(['0:{"s":"a","speed":2}', '1/2:{"s":"a","speed":2}']);
  });
});
