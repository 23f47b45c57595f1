import { describe, expect, it } from "vitest";
import { type Pattern, arrange, binary, cat, fastcat, polymeter, run, seq, stack, timeCat } from "../../server/pattern/index.ts";

const ev = (p: Pattern, b = 0, e = 1) => p.queryArc(b, e).map((h) => `${h.whole!.begin}-${h.whole!.end}:${h.value}`).sort();

describe("structure", () => {
  it("stack plays together, cat in turn, seq within a cycle", () => {
    expect(ev(stack("a", "b"))).toEqual(["0-1:a", "0-1:b"]);
    expect(ev(cat("a", "b c"), 0, 2)).toEqual(["0-1:a", "1-3/2:b", "3/2-2:c"]);
    expect(ev(seq("a", ["b", "c"]))).toEqual(["0-1/2:a", "1/2-3/4:b", "3/4-1:c"]);
    expect(ev(fastcat("a", "b"))).toEqual(["0-1/2:a", "1/2-1:b"]);
  });
  it("timeCat weighs steps, arrange plays sections for whole cycles", () => {
    expect(ev(timeCat([3, "a"], [1, "b"]))).toEqual(["0-3/4:a", "3/4-1:b"]);
    expect(ev(arrange([2, "a"], [1, "b"]), 0, 3)).toEqual(["0-1:a", "1-2:a", "2-3:b"]);
  });
  it("polymeter aligns steps, run and binary count", () => {
    expect(ev(polymeter(["a", "b", "c"], ["d", "e"]))).toEqual(["0-1/3:a", "0-1/3:d", "1/3-2/3:b", "1/3-2/3:e", "2/3-1:c", "2/3-1:d"]);
    expect(ev(run(3))).toEqual(["0-1/3:0", "1/3-2/3:1", "2/3-1:2"]);
    expect(ev(binary(6))).toEqual(["0-1/3:1", "1/3-2/3:1", "2/3-1:0"]);
  });
});
