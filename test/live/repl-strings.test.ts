// Strudel's REPL semantics of strings and bare controls, each program
// evaluated through our evaluator and through Strudel 1.2.6 (the peer) and
// compared hap for hap: single-quoted strings are plain values, a program
// may start with or be a string, a control with no argument takes the
// pattern's own values.
import { beforeAll, describe, expect, it } from "vitest";
import { evaluate } from "../../server/live/program.ts";
import { s } from "../../server/pattern/index.ts";
import { loadStrudel, type StrudelPeer } from "../pattern/peer/strudel.ts";
import { ourRepl, strudelRepl } from "../pattern/peer/repl.ts";

let peer: StrudelPeer | undefined;
beforeAll(async () => {
  peer = await loadStrudel();
}, 120_000);

const PROGRAMS = [
  `s('bd sd')`,
  `s("bd sd")`,
  `n("0 2 4").scale('C minor')`,
  `n("0 2 4").scale('C:minor')`,
  `"c3 e3".note()`,
  `"c3 [e3 g3]".note().s('sawtooth')`,
  "`<c3 e3>`.note()",
  `"bd sd"`,
  `"0 1 2".n().s("hh")`,
  `"bd*2 sd".s()`,
  `"0.5 1".gain().s("bd")`,
  `cat('bd', "sd hh").s()`,
  `s("bd").bank('RolandTR909')`,
  `note("c e").s('piano gm_piano')`,
  `$: "c e".note()\n$: s('bd')`,
  `const drums = 'bd sd'\ns(drums)`,
  `seq('a b', "c d").note()`,
];

describe("REPL strings and bare controls as in Strudel 1.2.6", () => {
  it("Strudel runs as a peer", () => expect(peer).toBeDefined());
  it.each(PROGRAMS)("%s", async (code) => {
    if (!peer) return;
    const theirs = await strudelRepl(peer, code, 4);
    expect(theirs.haps.length).toBeGreaterThan(0);
    expect((await ourRepl(code, 4)).haps).toEqual(theirs.haps);
  });

  it("the library called directly still reads strings as mini-notation", async () => {
    await evaluate(`s('bd sd')`);
    expect(s("bd sd").queryArc(0, 1)).toHaveLength(2);
  });
});
