import { describe, expect, it } from "vitest";
import { Pattern, every, fast, mini, rev, s } from "../../server/pattern/index.ts";

const starts = (p: Pattern, b = 0, e = 1) =>
  p
    .queryArc(b, e)
    .map((h) => h.whole!.begin)
    .sort((x, y) => x.compare(y))
    .map((t) => t.toString());

describe("operators are functions and methods", () => {
  it("top-level functions apply directly or curry", () => {
    expect(starts(fast(2, "a b"))).toEqual(["0", "1/4", "1/2", "3/4"]);
    const twice = fast(2);
    expect(typeof twice).toBe("function");
    expect(starts(twice(mini("a b")))).toEqual(starts(mini("a b").fast(2)));
    expect(starts(every(2, rev, "a b c"))).toEqual(starts(mini("c b a")));
    expect(starts(mini("a b").apply(fast(2)))).toEqual(["0", "1/4", "1/2", "3/4"]);
  });
  it("numeric arguments may be patterns (strings are mini-notation)", () => {
    expect(starts(mini("a").fast("<1 2>"), 1, 2)).toEqual(["1", "3/2"]);
    // fast 1 in the first half (a's whole starts at 0), fast 2 in the second
    expect(starts(mini("a").fast("1 2"))).toEqual(["0", "1/2"]);
  });
  it("several arguments to a one-argument method are a sequence", () => {
    expect(starts(mini("a").fast(1, 2))).toEqual(starts(mini("a").fast("1 2")));
  });
  it("wrong argument counts are clear errors", () => {
    expect(() => (s("bd") as any).euclid(3)).toThrow(/expects 2 arguments/);
    expect(() => (fast as any)()).toThrow(/takes 1 argument/);
  });
});
