import { describe, expect, it } from "vitest";
import { type Pattern, add, fast, mini, rev } from "../../server/pattern/index.ts";

const vals = (p: Pattern, b = 0, e = 1) =>
  p
    .queryArc(b, e)
    .sort((x, y) => x.part.begin.compare(y.part.begin))
    .map((h) => h.value);

describe("conditionals", () => {
  it("every / firstOf / lastOf pick cycles", () => {
    const p = mini("a b");
    expect(vals(p.every(2, rev), 0, 1)).toEqual(["b", "a"]);
    expect(vals(p.every(2, rev), 1, 2)).toEqual(["a", "b"]);
    expect(vals(p.lastOf(2, rev), 1, 2)).toEqual(["b", "a"]);
  });
  it("when follows a boolean pattern, within a part of the cycle", () => {
    expect(vals(mini("1 2 3 4").when("0 1", add(10)))).toEqual([1, 2, 13, 14]);
    expect(vals(mini("1 2 3 4").within(0.5, 1, add(10)))).toEqual([1, 2, 13, 14]);
  });
  it("chunk applies to one chunk per cycle", () => {
    const p = mini("1 2 3 4").chunk(4, add(10));
    expect(vals(p, 0, 1)).toEqual([11, 2, 3, 4]);
    expect(vals(p, 1, 2)).toEqual([1, 12, 3, 4]);
    expect(vals(mini("1 2 3 4").chunkBack(4, add(10)), 1, 2)).toEqual([1, 2, 3, 14]);
  });
  it("into applies a function inside the true events", () => {
    expect(vals(mini("1 2 3 4").into("1 0", fast(2)))).toEqual([1, 2, 1, 2, 3, 4]);
  });
});
