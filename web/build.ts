#!/usr/bin/env bun
/**
 * Bundles the editor into web/dist with Bun's bundler: the page script
 * (with Monaco and its CSS and font), Monaco's editor worker and its
 * TypeScript worker, index.html, and the pattern language's .d.ts. Nothing
 * is fetched from anywhere at run time; the page's Content-Security-Policy
 * forbids it anyway.
 *
 * The output is reproducible: the same sources give byte-identical files
 * (assets are named by content hash, no time stamps, no absolute paths).
 * It is built in a temporary directory next to the target and swapped in,
 * so a server serving web/dist never sees half a build; index.html is
 * written last, because server/setup/ensure.mjs compares its time with
 * the sources' to decide whether to rebuild.
 *
 *   bun web/build.ts [--out DIR]
 * (OSTINATO_DEBUG_BUILD=1 leaves it unminified, for readable stack traces.)
 * @module
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import reference from "../server/pattern/docs/reference.json";
import { library } from "../server/pattern/library.ts";
import { PATTERN_DTS_FILE, patternDts, type ReferenceEntry } from "./editor/dts.ts";

const WEB = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(WEB, "..");
const MONACO = join(ROOT, "node_modules", "monaco-editor", "esm", "vs");

export type BuildResult = { outDir: string; files: { path: string; bytes: number }[]; ms: number };

export async function buildEditor(outDir = join(WEB, "dist")): Promise<BuildResult> {
  const started = performance.now();
  const target = resolve(outDir);
  const staging = `${target}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });

  const result = await Bun.build({
    entrypoints: [join(WEB, "main.ts"), join(MONACO, "editor", "editor.worker.js"), join(MONACO, "languages", "features", "typescript", "ts.worker.js")],
    outdir: staging,
    root: ROOT,
    target: "browser",
    format: "esm",
    splitting: false,
    minify: !process.env.OSTINATO_DEBUG_BUILD,
    sourcemap: "none",
    naming: { entry: "[name].[ext]", chunk: "[name]-[hash].[ext]", asset: "[name]-[hash].[ext]" },
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [monacoApiAlias()],
  });
  if (!result.success) {
    rmSync(staging, { recursive: true, force: true });
    const logs = result.logs.map((l) => String(l)).join("\n");
    throw new Error(`web/build.ts: bundling failed:\n${logs}`);
  }
  for (const required of ["main.js", "main.css", "editor.worker.js", "ts.worker.js"]) {
    if (!existsSync(join(staging, required))) throw new Error(`web/build.ts: the bundle has no ${required} (outputs: ${readdirSync(staging).join(", ")})`);
  }
  writeFileSync(join(staging, PATTERN_DTS_FILE), patternDts(reference as ReferenceEntry[], controlNames()));
  checkNoAbsolutePaths(staging);
  cpSync(join(WEB, "index.html"), join(staging, "index.html"));

  // Swap the new build in: a reader sees the old directory or the new one.
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });

  const files = readdirSync(target)
    .sort()
    .map((f) => ({ path: f, bytes: statSync(join(target, f)).size }));
  return { outDir: target, files, ms: performance.now() - started };
}

/**
 * y-monaco imports Monaco's API by its old path (monaco-editor/esm/vs/...),
 * which our monaco-editor's exports map elsewhere: point it at the same
 * file the editor imports, so there is one Monaco, not two (by its real
 * path: node_modules may be a symlink, and the bundler keys modules by real path).
 */
function monacoApiAlias(): import("bun").BunPlugin {
  return {
    name: "monaco-api-alias",
    setup(build) {
      build.onResolve({ filter: /^monaco-editor\/esm\/vs\/editor\/editor\.api(\.js)?$/ }, () => ({ path: realpathSync(join(MONACO, "editor", "editor.api.js")) }));
    },
  };
}

/** Every control name and alias, from the library itself. */
export function controlNames(): Set<string> {
  return new Set((library as unknown as { CONTROL_BY_NAME: Map<string, unknown> }).CONTROL_BY_NAME.keys());
}

/** Absolute paths of this machine in the output would make it differ from machine to machine. */
function checkNoAbsolutePaths(dir: string): void {
  for (const f of readdirSync(dir)) {
    if (!/\.(js|css)$/.test(f)) continue;
    const text = readFileSync(join(dir, f), "utf8");
    if (text.includes(ROOT)) throw new Error(`web/build.ts: ${f} contains the absolute path ${ROOT}; the build would not be reproducible`);
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf("--out");
  const out = outAt >= 0 ? args[outAt + 1] : undefined;
  if (outAt >= 0 && !out) {
    console.error("usage: bun web/build.ts [--out DIR]");
    process.exit(2);
  }
  const r = await buildEditor(out);
  const total = r.files.reduce((n, f) => n + f.bytes, 0);
  console.error(`web/build.ts: ${relative(process.cwd(), r.outDir) || "."}: ${r.files.length} files, ${(total / 1e6).toFixed(1)} MB in ${Math.round(r.ms)} ms`);
}
