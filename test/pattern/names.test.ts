// Every name Strudel 1.2.6 documents (its @name tags and @synonyms, read
// from node_modules at test time) exists here: as a function of a program,
// and as a pattern method where Strudel has the method. The few still
// missing are listed with the reason; the test fails when one appears (take
// it off the list) or another goes missing.
import { beforeAll, describe, expect, it } from "vitest";
import { library } from "../../server/pattern/library.ts";
import { Pattern } from "../../server/pattern/index.ts";
import { loadStrudel, type StrudelPeer } from "./peer/strudel.ts";
import { strudelDocs } from "./peer/examples.ts";

/** The live helpers a program also sees (server/live/program.ts). */
const HELPERS = new Set(["setcps", "setcpm", "setCps", "setCpm", "hush", "samples", "record"]);

/** Names not here yet, with the reason. */
const NOT_HERE: Record<string, string> = {
  K: "Strudel's web audio constants, browser only",
  bmod: "modulation from a bus, a web audio feature (its example needs a browser slider)",
  worklet: "Kabelsalat audio worklets, browser only",
  keyDown: "as a method: keyboard state is browser only (the function exists, false headless)",
};

let peer: StrudelPeer | undefined;
beforeAll(async () => {
  peer = await loadStrudel();
}, 120_000);

describe("every name Strudel 1.2.6 documents", () => {
  const { names } = strudelDocs();
  it("reads Strudel's names", () => {
    expect(names.size).toBeGreaterThan(400);
  });

  it.each([...names].sort())("%s", (name) => {
    if (!peer) return;
    const theirs = { ...peer.core, ...peer.tonal, ...peer.mini };
    const theirMethod = typeof peer.core.Pattern.prototype[name] === "function";
    const wantFunction = name in theirs || !theirMethod;
    const hasFunction = name in library || HELPERS.has(name);
    const hasMethod = typeof (Pattern.prototype as unknown as Record<string, unknown>)[name] === "function";
    const complete = (!wantFunction || hasFunction) && (!theirMethod || hasMethod);
    if (name in NOT_HERE) {
      expect(complete, `${name} is here now: take it off NOT_HERE (${NOT_HERE[name]})`).toBe(false);
      return;
    }
    if (wantFunction) expect(hasFunction, `${name}() is missing`).toBe(true);
    if (theirMethod) expect(hasMethod, `.${name}() is missing`).toBe(true);
  });
});
