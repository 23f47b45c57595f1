import { describe, expect, it } from "vitest";
import { control, s } from "../../server/pattern/index.ts";
import { library } from "../../server/pattern/library.ts";

const { lpf, distort, room } = library as any;

describe("effect chains and MIDI control changes", () => {
  it("FX lists the effects in order, chained calls appending, and fxr sets the release", () => {
    const p = (s("saw") as any).FX(lpf(500), distort(1)).FX(room("<0.2 0.5>")).fxr(1.7);
    expect(p.queryArc(1, 2).map((h: any) => h.value)).toEqual([
      { s: "saw", FX: [{ cutoff: 500 }, { distort: 1 }, { room: 0.5 }], FXrelease: 1.7 },
    ]);
  });
  it("control sets ccn and ccv from a pair, and refuses anything else", () => {
    expect(s("bd").control([1, 64]).queryArc(0, 1).map((h: any) => h.value)).toEqual([{ s: "bd", ccn: 1, ccv: 64 }]);
    expect(() => control(7, s("bd")).queryArc(0, 1)).toThrow(/\[ccn, ccv\] pair/);
  });
});
