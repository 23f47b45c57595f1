/**
 * Pattern query benchmark (benchmarks.md §3): a dense program of 16 stacked
 * layers of transformed mini-notation, queried for 64 cycles in 20 slices
 * per cycle, as a scheduler does. Reports haps per second for our library
 * and for Strudel 1.2.6 on the same program in the same run, and the ratio.
 *
 * `npm run bench` (or `bun test/bench/run.ts pattern`) runs it through the
 * bench registry; `bun test/bench/pattern.bench.ts` runs it alone.
 * @module
 */
import { library } from "../../server/pattern/library.ts";
import { loadStrudel } from "../pattern/peer/strudel.ts";
import { LAYERS } from "./pattern-layers.ts";
import type { BenchOptions, BenchTable } from "./registry.ts";

export { LAYERS };

const CYCLES = 64;
const SLICES = 20;

export function build(lib: Record<string, unknown>): { queryArc(b: unknown, e: unknown): unknown[] } {
  const names = Object.keys(lib).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  const layers = LAYERS.map((code) => new Function(...names, `return (${code});`)(...names.map((k) => lib[k])));
  return (lib.stack as (...p: unknown[]) => { queryArc(b: unknown, e: unknown): unknown[] })(...layers);
}

/** Queries the program like a scheduler; returns haps and seconds. */
function measure(pat: { queryArc(b: unknown, e: unknown): unknown[] }, mkTime: (x: number) => unknown): { haps: number; seconds: number } {
  let haps = 0;
  const t0 = performance.now();
  for (let i = 0; i < CYCLES * SLICES; i++) {
    haps += pat.queryArc(mkTime(i / SLICES), mkTime((i + 1) / SLICES)).length;
  }
  return { haps, seconds: (performance.now() - t0) / 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Registry name and description (test/bench/run.ts). */
export const name = "pattern";
export const description = "haps/s querying 16 stacked layers of transformed mini-notation, 64 cycles in 20 slices per cycle, against Strudel 1.2.6 in the same run";

function rate(pat: { queryArc(b: unknown, e: unknown): unknown[] }, runs: number, warmup: number): { rate: number; haps: number } {
  const time = (x: number) => x;
  for (let i = 0; i < warmup; i++) measure(pat, time);
  const results = Array.from({ length: Math.max(1, runs) }, () => measure(pat, time));
  return { rate: median(results.map((r) => r.haps / r.seconds)), haps: results[0]!.haps };
}

/** The benchmark: ours and Strudel's haps per second (median of `runs` after `warmup`), and the ratio. */
export async function run(options: BenchOptions = { runs: 3, warmup: 1 }): Promise<BenchTable[]> {
  const ours_ = rate(build({ ...library }), options.runs, options.warmup);
  const peer = await loadStrudel();
  let theirs: { rate: number; haps: number } | undefined;
  if (peer) {
    const quiet = console.log;
    console.log = () => {};
    try {
      theirs = rate(build({ ...peer.core, ...peer.tonal, mini: peer.mini.mini }), options.runs, options.warmup);
    } finally {
      console.log = quiet;
    }
  }
  const fmt = (x: number) => Math.round(x).toLocaleString("en");
  const rows: (string | number)[][] = [["ostinato", fmt(ours_.rate), ours_.haps, theirs ? `${(ours_.rate / theirs.rate).toFixed(2)}×` : "—"]];
  if (theirs) rows.push(["Strudel 1.2.6", fmt(theirs.rate), theirs.haps, "1×"]);
  return [
    {
      title: `pattern queries: ${LAYERS.length} layers, ${CYCLES} cycles × ${SLICES} slices per cycle`,
      columns: ["library", "haps/s", "haps", "vs Strudel"],
      rows,
      notes: [
        "target: ≥ 5× Strudel under Bun (benchmarks.md §3)",
        theirs ? "same program, same process, same run" : "Strudel not available: no ratio",
        "hap counts differ only by the palindrome layer's cycle -1 (see test/pattern/differential-corpus.ts)",
      ],
    },
  ];
}

if (import.meta.main) {
  for (const t of await run()) {
    console.log(t.title);
    for (const r of t.rows) console.log(`  ${String(r[0]).padEnd(14)} ${String(r[1]).padStart(10)} haps/s  (${r[2]} haps)  ${r[3]}`);
    for (const n of t.notes ?? []) console.log(`  - ${n}`);
  }
}
