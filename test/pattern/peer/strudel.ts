/**
 * Strudel as a peer, for differential tests and the query benchmark only.
 *
 * `@strudel/core` 1.2.6 does not import as published: it imports `SalatRepl`
 * from `@kabelsalat/web`, which that package does not export. We bundle
 * core + mini + tonal with Bun's bundler, replacing `@kabelsalat/web` with an
 * empty module (nothing we call touches it), into node_modules/.cache, and
 * import the bundle. Nothing of Strudel is committed and product code never
 * imports this file.
 * @module
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
const CACHE = join(ROOT, "node_modules/.cache/ostinato-strudel");

/** The parts of Strudel we drive (typed loosely: it is someone else's API). */
export interface StrudelPeer {
  core: any;
  mini: any;
  tonal: any;
}

let loaded: Promise<StrudelPeer | undefined> | undefined;

/** Loads Strudel once; undefined when it is not installed or cannot be bundled. */
export function loadStrudel(): Promise<StrudelPeer | undefined> {
  loaded ??= build();
  return loaded;
}

async function build(): Promise<StrudelPeer | undefined> {
  if (!existsSync(join(ROOT, "node_modules/@strudel/core/package.json"))) return undefined;
  if (typeof Bun === "undefined") return undefined;
  const out = join(CACHE, "strudel-peer.js");
  if (!existsSync(out)) {
    mkdirSync(CACHE, { recursive: true });
    const entry = join(CACHE, "entry.mjs");
    writeFileSync(
      entry,
      `export * as core from "@strudel/core";\nexport * as mini from "@strudel/mini";\nexport * as tonal from "@strudel/tonal";\n`,
    );
    const res = await Bun.build({
      entrypoints: [entry],
      outdir: CACHE,
      naming: "strudel-peer.js",
      target: "bun",
      root: ROOT,
      plugins: [
        {
          name: "stub-kabelsalat",
          setup(b) {
            b.onResolve({ filter: /^@kabelsalat\/web$/ }, () => ({ path: "kabelsalat", namespace: "stub" }));
            b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
              contents: "export class SalatRepl {}\nexport default {};\n",
              loader: "js",
            }));
          },
        },
      ],
    });
    if (!res.success) throw new Error(`bundling Strudel failed: ${res.logs.join("\n")}`);
  }
  const quiet = console.log;
  const quietWarn = console.warn;
  console.log = () => {};
  console.warn = () => {};
  try {
    const mod = await import(out);
    mod.mini.miniAllStrings();
    return { core: mod.core, mini: mod.mini, tonal: mod.tonal };
  } finally {
    console.log = quiet;
    console.warn = quietWarn;
  }
}
