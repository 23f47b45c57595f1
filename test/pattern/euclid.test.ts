import { describe, expect, it } from "vitest";
import { bjorklund, mini, note } from "../../server/pattern/index.ts";

const x = (bits: boolean[]) => bits.map((b) => (b ? "x" : ".")).join("");

describe("euclid", () => {
  it("spreads onsets with Bjorklund's algorithm", () => {
    expect(x(bjorklund(3, 8))).toBe("x..x..x.");
    expect(x(bjorklund(5, 8))).toBe("x.xx.xx.");
    expect(x(bjorklund(7, 12))).toBe("x.xx.x.xx.x.");
    expect(x(bjorklund(9, 16))).toBe("x.xx.x.x.xx.x.x.");
    expect(x(bjorklund(0, 4))).toBe("....");
    expect(x(bjorklund(9, 8))).toBe("xxxxxxxx");
  });
  it("rotates right and inverts for negative pulses", () => {
    expect(x(bjorklund(3, 8, 2))).toBe("x.x..x..");
    expect(x(bjorklund(-3, 8, 2))).toBe(".x.xx.xx");
  });
  it("legato variants last until the next onset", () => {
    expect(note("c3").euclidLegato(3, 8).queryArc(0, 1).map((h: any) => h.whole!.show())).toEqual(["0 → 3/8", "3/8 → 3/4", "3/4 → 1"]);
  });
  it("takes patterned arguments", () => {
    expect(mini("a").euclid("<3 5>", 8).queryArc(1, 2).length).toBe(5);
  });
});
