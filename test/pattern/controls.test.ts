import { describe, expect, it } from "vitest";
import { CONTROL_KEY, controls, n, note, s } from "../../server/pattern/index.ts";

const values = (p: any) => p.queryArc(0, 1).map((h: any) => h.value);

describe("controls", () => {
  it("write Strudel's canonical keys", () => {
    expect(CONTROL_KEY.get("lpf")).toBe("cutoff");
    expect(CONTROL_KEY.get("lpq")).toBe("resonance");
    expect(CONTROL_KEY.get("hpf")).toBe("hcutoff");
    expect(CONTROL_KEY.get("size")).toBe("roomsize");
    expect(CONTROL_KEY.get("legato")).toBe("clip");
    expect(CONTROL_KEY.get("sound")).toBe("s");
    expect(values(controls.lpf!(300))).toEqual([{ cutoff: 300 }]);
  });
  it("lists fill several keys", () => {
    expect(values(s("bd:3:0.5"))).toEqual([{ s: "bd", n: 3, gain: 0.5 }]);
    expect(values(note("c3:0.5"))).toEqual([{ note: "c3", n: 0.5 }]);
    expect(values(n("1:2"))).toEqual([{ n: [1, 2] }]);
  });
  it("methods add controls to every event, structure from the left", () => {
    expect(values(s("bd sd").lpf("300 600 900"))).toEqual([
      { s: "bd", cutoff: 300 },
      { s: "bd", cutoff: 600 },
      { s: "sd", cutoff: 600 },
      { s: "sd", cutoff: 900 },
    ]);
    expect(values(s("bd").n(3).gain(0.5))).toEqual([{ s: "bd", n: 3, gain: 0.5 }]);
  });
  it("note names stay strings", () => {
    expect(values(note("c3 eb4"))).toEqual([{ note: "c3" }, { note: "eb4" }]);
  });
});
