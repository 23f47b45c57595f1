import { describe, expect, it } from "vitest";
import { type Pattern, mini } from "../../server/pattern/index.ts";

const ev = (p: Pattern, b = 0, e = 1) =>
  p
    .queryArc(b, e)
    .filter((h) => h.hasOnset())
    .map((h) => `${h.whole!.begin}:${typeof h.value === "object" ? JSON.stringify(h.value) : h.value}`)
    .sort();

describe("cycle rearrangements", () => {
  it("palindrome and iter", () => {
    expect(ev(mini("a b").palindrome(), 1, 2)).toEqual(["1:b", "3/2:a"]);
    expect(ev(mini("a b c d").iter(4), 1, 2)).toEqual(["1:b", "3/2:d", "5/4:c", "7/4:a"]);
    expect(ev(mini("a b c d").iterBack(4), 1, 2)).toEqual(["1:d", "3/2:b", "5/4:a", "7/4:c"]);
  });
  it("repeatCycles and ribbon", () => {
    expect(ev(mini("<a b c>").repeatCycles(2), 0, 4)).toEqual(["0:a", "1:a", "2:b", "3:b"]);
    expect(ev(mini("<a b c d>").ribbon(1, 2), 0, 4)).toEqual(["0:b", "1:c", "2:b", "3:c"]);
  });
});
