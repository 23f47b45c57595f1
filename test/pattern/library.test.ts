import { describe, expect, it } from "vitest";
import { CONTROLS, Pattern } from "../../server/pattern/index.ts";
import { library } from "../../server/pattern/library.ts";
import { METHODS, TOP_LEVEL } from "./surface-names.ts";

describe("library (a program's scope)", () => {
  it("holds every top-level name and every control alias", () => {
    for (const name of TOP_LEVEL) expect(name in library, name).toBe(true);
    for (const spec of CONTROLS) for (const name of spec.names) expect(typeof library[name], name).toBe("function");
  });
  it("control functions there build patterns", () => {
    const lpf = library.lpf as (v: string) => Pattern;
    expect(lpf("300").queryArc(0, 1)[0]!.value).toEqual({ cutoff: 300 });
    expect(METHODS.length).toBe(143);
  });
});
