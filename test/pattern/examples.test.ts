// Every @example of Strudel 1.2.6's core, mini and tonal sources (read from
// node_modules at test time), evaluated as a REPL program through our
// evaluator and through Strudel, 4 cycles of haps compared (whole, part,
// value). Each remaining difference is listed in examples-known.ts with its
// reason; the test fails when a listed one starts to match (remove it) or
// an unlisted one differs.
import { beforeAll, describe, expect, it } from "vitest";
import { loadStrudel, type StrudelPeer } from "./peer/strudel.ts";
import { strudelDocs } from "./peer/examples.ts";
import { ourRepl, strudelRepl, type Played } from "./peer/repl.ts";
import { KNOWN, MIN_EQUAL } from "./examples-known.ts";

const CYCLES = 4;
const { examples } = strudelDocs();

type Outcome = { ours?: Played; oursError?: string; theirs?: Played; theirsError?: string; same: boolean };
const outcomes = new Map<string, Outcome>();
let peer: StrudelPeer | undefined;

beforeAll(async () => {
  peer = await loadStrudel();
  if (!peer) return;
  for (const ex of examples) {
    const o: Outcome = { same: false };
    try {
      o.theirs = await strudelRepl(peer, ex.code, CYCLES);
    } catch (err) {
      o.theirsError = (err as Error).message;
    }
    try {
      o.ours = await ourRepl(ex.code, CYCLES);
    } catch (err) {
      o.oursError = (err as Error).message;
    }
    o.same = !!o.ours && !!o.theirs && JSON.stringify(o.ours.haps) === JSON.stringify(o.theirs.haps);
    outcomes.set(ex.id, o);
  }
}, 120_000);

describe("Strudel 1.2.6's @examples as REPL programs", () => {
  it("reads the examples of core, mini and tonal", () => {
    expect(peer, "Strudel could not be loaded: see test/pattern/peer/strudel.ts").toBeDefined();
    expect(examples.length).toBeGreaterThan(400);
    expect(new Set(examples.map((e) => e.id)).size).toBe(examples.length);
  });

  it(`at least ${(MIN_EQUAL * 100).toFixed(0)} % give the same haps`, () => {
    const same = [...outcomes.values()].filter((o) => o.same).length;
    expect(same / examples.length).toBeGreaterThanOrEqual(MIN_EQUAL);
  });

  it("every listed difference names an example that exists", () => {
    const ids = new Set(examples.map((e) => e.id));
    expect(Object.keys(KNOWN).filter((id) => !ids.has(id))).toEqual([]);
  });

  it.each(examples.map((e) => [e.id, e.code] as const))("%s", (id, code) => {
    const o = outcomes.get(id)!;
    if (id in KNOWN) {
      expect(o.same, `listed as different (${KNOWN[id]}) but now the same: remove it from examples-known.ts`).toBe(false);
      return;
    }
    expect(o.theirsError, `Strudel fails on:\n${code}`).toBeUndefined();
    expect(o.oursError, `we fail on:\n${code}`).toBeUndefined();
    expect(o.ours!.haps).toEqual(o.theirs!.haps);
  });
});
