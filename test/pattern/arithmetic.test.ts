import { describe, expect, it } from "vitest";
import { type Pattern, mini, n, note, s } from "../../server/pattern/index.ts";

const vals = (p: Pattern, b = 0, e = 1) => p.queryArc(b, e).map((h) => h.value);
const spans = (p: Pattern) => p.queryArc(0, 1).map((h) => `${h.whole!.begin}-${h.whole!.end}`);

describe("arithmetic and alignment", () => {
  it("numbers and note names", () => {
    expect(vals(mini("1 2").add(10))).toEqual([11, 12]);
    expect(vals(mini("c3 e3").add(12))).toEqual([60, 64]);
    expect(vals(mini("7").mod(3))).toEqual([1]);
    expect(vals(mini("-1").mod(3))).toEqual([2]);
    expect(vals(mini("1 2 3").lt(2))).toEqual([true, false, false]);
  });
  it("controls combine key by key; a plain number leaves controls alone (as in Strudel)", () => {
    expect(vals(note("c3").add(note(12)))).toEqual([{ note: 60 }]);
    expect(vals(n("1").add(5))).toEqual([{ n: 1 }]);
    expect(vals(s("bd").set(n(3)))).toEqual([{ s: "bd", n: 3 }]);
  });
  it("alignments choose where the structure comes from", () => {
    const a = mini("0 1");
    const b = mini("10 20 30");
    expect(spans(a.add(b))).toEqual(["0-1/2", "0-1/2", "1/2-1", "1/2-1"]);
    expect(spans(a.add.out(b))).toEqual(["0-1/3", "1/3-2/3", "1/3-2/3", "2/3-1"]);
    expect(spans(a.add.mix(b))).toEqual(["0-1/3", "1/3-1/2", "1/2-2/3", "2/3-1"]);
    expect(vals(a.add.squeeze(mini("10 20")))).toEqual([10, 20, 11, 21]);
    expect(vals(mini("0 1").add.squeezeout(mini("10 20")))).toEqual([10, 11, 20, 21]);
    expect(vals(mini("0 1 2 3").add.reset(mini("10 20")))).toEqual([10, 11, 20, 21]);
    expect(vals(mini("a b c").keepif("1 0 1"))).toEqual(["a", "c"]);
    expect(vals(mini("a b").keep.out("1 1 1"))).toEqual(["a", "a", "b", "b"]);
  });
  it("rounding and inversion", () => {
    expect(vals(mini("1.5 -1.5").floor())).toEqual([1, -2]);
    expect(vals(mini("1.5 -1.5").round())).toEqual([2, -1]);
    expect(vals(mini("1 0").inv())).toEqual([false, true]);
  });
});
