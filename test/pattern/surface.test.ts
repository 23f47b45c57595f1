// The surface the issue promises: every top-level name is exported, every
// method exists on patterns, and the alignment variants exist.
import { describe, expect, it } from "vitest";
import * as P from "../../server/pattern/index.ts";

import { METHODS, TOP_LEVEL } from "./surface-names.ts";

const ALIGNED = ["add", "sub", "mul", "div", "mod", "pow", "lt", "gte", "keep", "keepif", "set"];
const ALIGNMENTS = ["in", "out", "mix", "squeeze", "squeezeout", "reset", "restart"];

describe("surface", () => {
  it("lists 62 top-level names and 143 methods", () => {
    expect(TOP_LEVEL.length).toBe(62);
    expect(METHODS.length).toBe(143);
  });

  it.each(TOP_LEVEL)("exports %s", (name) => {
    const x = (P as Record<string, unknown>)[name];
    expect(x === undefined ? `${name} missing` : typeof x === "function" || x instanceof P.Pattern).toBe(true);
  });

  it.each(METHODS)("patterns have .%s()", (name) => {
    const pat = P.s("bd sd");
    expect(typeof (pat as Record<string, unknown>)[name]).toBe("function");
  });

  it.each(ALIGNED)("%s has every alignment", (name) => {
    const pat = P.n("0 1");
    const m = (pat as Record<string, any>)[name];
    for (const al of ALIGNMENTS) expect(typeof m[al]).toBe("function");
  });

  it("every control has a function and a method under each alias", () => {
    for (const spec of P.CONTROLS) {
      for (const name of spec.names) {
        expect(typeof P.controls[name]).toBe("function");
        const v = P.controls[name]!(1).queryArc(0, 1)[0]!.value;
        expect(Object.keys(v)).toEqual([spec.names[0]]);
        expect(P.s("bd")[name](2).queryArc(0, 1)[0]!.value).toEqual({ s: "bd", [spec.names[0]!]: 2 });
      }
    }
  });
});
