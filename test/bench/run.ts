#!/usr/bin/env bun
/**
 * `npm run bench`: runs every benchmark module in test/bench/ (each file
 * named <name>.bench.ts exporting a BenchModule) and prints its tables.
 *   bun test/bench/run.ts [NAME...] [--runs N] [--warmup N]
 * Benchmarks report numbers; they assert nothing (tests do that).
 * @module
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchModule, BenchOptions, BenchTable } from "./registry.ts";

const here = dirname(fileURLToPath(import.meta.url));

function parse(argv: string[]): { names: string[]; options: BenchOptions } {
  const options: BenchOptions = { runs: 3, warmup: 1 };
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--runs") options.runs = Number(argv[++i]);
    else if (a === "--warmup") options.warmup = Number(argv[++i]);
    else names.push(a);
  }
  return { names, options };
}

export function formatTable(t: BenchTable): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map(String))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const out = [`### ${t.title}`, "", line(t.columns), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...t.rows.map((r) => line(r.map(String)))];
  if (t.notes?.length) out.push("", ...t.notes.map((n) => `- ${n}`));
  return out.join("\n");
}

/** A module's result as tables: BenchTable[] as is; plain row objects become one table. */
function asTables(name: string, result: unknown): BenchTable[] {
  const list = Array.isArray(result) ? result : [result];
  if (list.every((t) => t && typeof t === "object" && "columns" in t && "rows" in t)) return list as BenchTable[];
  const rows = list as Record<string, unknown>[];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v === undefined ? "" : String(v));
  return [{ title: name, columns, rows: rows.map((r) => columns.map((c) => cell(r[c]))) }];
}

const { names, options } = parse(process.argv.slice(2));
const files = readdirSync(here).filter((f) => f.endsWith(".bench.ts")).sort();
let ran = 0;
for (const file of files) {
  const mod = (await import(join(here, file))) as Partial<BenchModule>;
  const name = mod.name ?? file.replace(/\.bench\.ts$/, "");
  if (names.length && !names.includes(name)) continue;
  if (typeof mod.run !== "function") throw new Error(`test/bench/${file} exports no run()`);
  console.error(`bench ${name}${mod.description ? `: ${mod.description}` : ""}`);
  for (const table of asTables(name, await mod.run(options))) console.log(`${formatTable(table)}\n`);
  ran++;
}
if (!ran) {
  console.error(`no benchmark named ${names.join(", ")}; there are: ${files.map((f) => f.replace(".bench.ts", "")).join(", ")}`);
  process.exitCode = 2;
}
