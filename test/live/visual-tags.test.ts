// The drawing methods, headless: `._pianoroll()` and friends leave every hap
// as it was (times and values) and only list, in the hap's context, where
// the call is in the code, so the editor can draw each event in its own
// drawing; `.markcss()` puts its CSS there too.
import { describe, expect, test } from "vitest";
import { evaluate } from "../../server/live/program.ts";
import { transpile } from "../../server/live/transpile.ts";
import type { Pattern } from "../../server/pattern/index.ts";

async function patterns(code: string): Promise<Pattern[]> {
  return (await evaluate(code)).played.map((p) => p.pattern);
}
const plain = (pat: Pattern) => pat.queryArc(0, 2).map((h) => [h.whole?.begin.toFraction(), h.whole?.end.toFraction(), JSON.stringify(h.value)]);

describe("drawing methods headless", () => {
  test("the transpiler passes each drawing call its place in the code", () => {
    const code = `$: note("c3 e3")._pianoroll()\n$: s("bd").pianoroll({cycles: 2})\nconst f = x => x.scope`;
    const out = transpile(code).code;
    expect(out).toContain(`._pianoroll({__visualAt: ${code.indexOf("_pianoroll")}})`);
    expect(out).toContain(`.pianoroll({__visualAt: ${code.indexOf("pianoroll({")}}, {cycles: 2})`);
    expect(out).toContain("x.scope"); // a reference, not a call: untouched
  });

  test("the haps are unchanged; their context lists the drawings they went through", async () => {
    const code = `$: note("c3 [e3 g3]").color("red")._pianoroll().spiral()\n$: s("bd sd")`;
    const [drawn, other] = await patterns(code);
    const [bare] = await patterns(`$: note("c3 [e3 g3]").color("red")`);
    expect(plain(drawn!)).toEqual(plain(bare!));
    const haps = drawn!.queryArc(0, 1);
    expect(haps.map((h) => h.context.visuals)).toEqual(Array(3).fill([code.indexOf("_pianoroll"), code.indexOf("spiral")]));
    expect(other!.queryArc(0, 1).every((h) => h.context.visuals === undefined)).toBe(true);
  });

  test("every drawing method, inline and in the panel, and called without the editor's transpiler", async () => {
    for (const kind of ["pianoroll", "punchcard", "scope", "spiral", "pitchwheel", "spectrum"]) {
      for (const name of [kind, `_${kind}`]) {
        const code = `note("c3 e3").${name}()`;
        const [pat] = await patterns(code);
        expect(pat!.queryArc(0, 1).map((h) => h.context.visuals), name).toEqual([[code.indexOf(name)], [code.indexOf(name)]]);
      }
    }
    const [pat] = await patterns(`note("c3 e3")`);
    expect(((pat as any).pianoroll() as Pattern).queryArc(0, 1).map((h) => h.context.visuals)).toEqual([undefined, undefined]);
  });

  test("markcss puts its CSS in the context, and nothing else changes", async () => {
    const [pat] = await patterns(`s("bd sd").markcss('outline: 2px solid red')`);
    expect(pat!.queryArc(0, 1).map((h) => [h.context.markcss, h.value])).toEqual([
      ["outline: 2px solid red", { s: "bd" }],
      ["outline: 2px solid red", { s: "sd" }],
    ]);
  });

  test("all(f) applies f to every pattern the program plays, as in Strudel's REPL", async () => {
    const code = `all(x => x.pianoroll().gain(0.5))\n$: s("bd sd")\n$: note("c3")`;
    const [a, b] = await patterns(code);
    const at = code.indexOf("pianoroll");
    expect(a!.queryArc(0, 1).map((h) => [h.value, h.context.visuals])).toEqual([[{ s: "bd", gain: 0.5 }, [at]], [{ s: "sd", gain: 0.5 }, [at]]]);
    expect(b!.queryArc(0, 1).map((h) => h.value)).toEqual([{ note: "c3", gain: 0.5 }]);
    await expect(evaluate(`all(3)\n$: s("bd")`)).rejects.toThrow(/all\(\) expects a function of a pattern/);
    await expect(evaluate(`all(x => { x.gain(1) })\n$: s("bd")`)).rejects.toThrow(/returned nothing, not a pattern/);
  });
});
