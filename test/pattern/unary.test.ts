import { describe, expect, it } from "vitest";
import { mini, n } from "../../server/pattern/index.ts";

const vals = (p: any) => p.queryArc(0, 1).map((h: any) => h.value);

describe("unary operators", () => {
  it("round numbers, note names and control values", () => {
    expect(vals(mini("1.5 -1.5").floor())).toEqual([1, -2]);
    expect(vals(mini("1.2 -1.2").ceil())).toEqual([2, -1]);
    expect(vals(mini("c3").round())).toEqual([48]);
    expect(vals(n("2.6").round())).toEqual([{ n: 3 }]);
  });
  it("invert booleans", () => {
    expect(vals(mini("1 0 t f").invert())).toEqual([false, true, false, true]);
  });
});
