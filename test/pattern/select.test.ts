import { describe, expect, it } from "vitest";
import { type Pattern, mini, n } from "../../server/pattern/index.ts";

const vals = (p: Pattern, b = 0, e = 1) =>
  p
    .queryArc(b, e)
    .sort((x, y) => x.part.begin.compare(y.part.begin))
    .map((h) => h.value);

describe("selection", () => {
  it("struct and mask", () => {
    expect(vals(mini("a b").struct("1 0 1 1"))).toEqual(["a", "b", "b"]);
    expect(vals(mini("a b").mask("0 1 1 0"))).toEqual(["a", "b"]);
  });
  it("pick by index or name, clamped or wrapped, inner or squeezed", () => {
    expect(vals(mini("0 5").pick(["a", "b c"]))).toEqual(["a", "c"]);
    expect(vals(mini("2").pickmod(["a", "b"]))).toEqual(["a"]);
    expect(vals(mini("x").pick({ x: "p q" }))).toEqual(["p", "q"]);
    expect(vals(mini("0 1").inhabit(["a b", "c"]))).toEqual(["a", "b", "c"]);
  });
  it("arp picks from notes sounding together", () => {
    expect(vals(n("[0,4,7]").arp("0 2 1"))).toEqual([{ n: 0 }, { n: 7 }, { n: 4 }]);
  });
  it("bite plays slices in a new order", () => {
    expect(vals(mini("a b c d").bite(4, "3 0"))).toEqual(["d", "a"]);
  });
});
