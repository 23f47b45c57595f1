import { describe, expect, test } from "vitest";
import { transpile } from "../../server/live/transpile.ts";
import { visualSites } from "../../web/live/visual-sites.ts";
import { safeDeclarations } from "../../web/editor/highlight.ts";

describe("the editor's drawing calls", () => {
  test("found where the server's transpiler tags them; strings and comments are not calls", () => {
    const code = [
      `$: note("c3 e3")._pianoroll()`,
      `// $: s("bd").pianoroll()`,
      `$: s("bd .pianoroll() sd") . scope ({ pos: 0.5 })`,
      `/* .spiral() */ $: n("0 2").scale('C:major').punchcard()._pitchwheel()`,
    ].join("\n");
    const sites = visualSites(code);
    expect(sites.map((s) => [code.slice(s.at, s.at + s.kind.length + (s.inline ? 1 : 0)), s.inline])).toEqual([
      ["_pianoroll", true],
      ["scope", false],
      ["punchcard", false],
      ["_pitchwheel", true],
    ]);
    const out = transpile(code).code;
    for (const s of sites) expect(out).toContain(`{__visualAt: ${s.at}}`);
    expect(out.match(/__visualAt/g)).toHaveLength(sites.length);
  });

  test("a call's literal options are read (fold, labels, cycles…); anything else is left out", () => {
    const [a, b, c] = visualSites(`$: note("c e")._pianoroll({ fold: 1, labels: true, cycles: 2.5, playheadColor: 'red' })\n$: s("bd").punchcard()\n$: n("0").spiral({ size: x, steady: .96 })`);
    expect(a!.options).toEqual({ fold: 1, labels: true, cycles: 2.5, playheadColor: "red" });
    expect(b!.options).toEqual({});
    expect(c!.options).toEqual({ steady: 0.96 });
  });

  test(".markcss() text passes only as declarations", () => {
    expect(safeDeclarations("outline: 2px solid red; color: #fff")).toBe(true);
    for (const bad of ["} body { display: none", "background: url(http://x/y.png)", "@import 'x'", "color: red</style>"]) expect(safeDeclarations(bad), bad).toBe(false);
  });
});
