import { describe, expect, it } from "vitest";
import { type Pattern, mini } from "../../server/pattern/index.ts";

const show = (p: Pattern, b = 0, e = 1) => p.queryArc(b, e).map((h) => h.show());

describe("joins", () => {
  const inner = mini("a b c");
  const outer = mini("x y");
  it("innerBind takes the inner structure, cut by the outer parts", () => {
    expect(show(outer.innerBind(() => inner))).toEqual([
      "[ 0 → 1/3 | a ]",
      "[ (1/3 → 1/2) ⇝ 2/3 | b ]",
      "[ 1/3 ⇜ (1/2 → 2/3) | b ]",
      "[ 2/3 → 1 | c ]",
    ]);
  });
  it("outerBind keeps the outer structure and samples the inner at each onset", () => {
    expect(show(outer.outerBind(() => inner))).toEqual(["[ 0 → 1/2 | a ]", "[ 1/2 → 1 | b ]"]);
  });
  it("squeezeBind fits a cycle of the inner into each outer event", () => {
    expect(show(outer.squeezeBind(() => mini("a b")))).toEqual([
      "[ 0 → 1/4 | a ]",
      "[ 1/4 → 1/2 | b ]",
      "[ 1/2 → 3/4 | a ]",
      "[ 3/4 → 1 | b ]",
    ]);
  });
  it("appLeft, appRight and appBoth choose the structure", () => {
    const a = mini("1 2");
    const b = mini("10 20 30");
    const add = (x: number, y: number) => x + y;
    expect(a.appLeft(b, add).queryArc(0, 1).map((h) => h.value)).toEqual([11, 21, 22, 32]);
    expect(a.appRight(b, add).queryArc(0, 1).length).toBe(4);
    expect(a.appBoth(b, add).queryArc(0, 1).map((h) => h.whole!.show())).toEqual(["0 → 1/3", "1/3 → 1/2", "1/2 → 2/3", "2/3 → 1"]);
  });
});
