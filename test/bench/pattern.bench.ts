/**
 * Pattern query benchmark (benchmarks.md §3): a dense program of 16 stacked
 * layers of transformed mini-notation, queried for 64 cycles in 20 slices
 * per cycle, as a scheduler does. Reports haps per second for our library
 * and for Strudel 1.2.6 on the same program in the same run, and the ratio.
 *
 * Standalone: `bun test/bench/pattern.bench.ts`. Also exports `run()` for
 * the bench registry (test/bench/run.ts).
 * @module
 */
import * as ours from "../../server/pattern/index.ts";
import { loadStrudel } from "../pattern/peer/strudel.ts";

import { LAYERS } from "./pattern-layers.ts";

export { LAYERS };

const CYCLES = 64;
const SLICES = 20;

function build(lib: Record<string, unknown>): { queryArc(b: unknown, e: unknown): unknown[] } {
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

/** One row per library: haps per second (median of 3 after a warm-up). */
export async function run(): Promise<{ name: string; value: number; unit: string; peer?: number; ratio?: number }[]> {
  const ourPat = build({ ...ours, ...ours.controls });
  const ourTime = (x: number) => x;
  measure(ourPat, ourTime);
  const oursRuns = [0, 1, 2].map(() => measure(ourPat, ourTime));
  const oursRate = median(oursRuns.map((r) => r.haps / r.seconds));

  const peer = await loadStrudel();
  let peerRate: number | undefined;
  let peerHaps: number | undefined;
  if (peer) {
    const quiet = console.log;
    console.log = () => {};
    try {
      const lib = { ...peer.core, ...peer.tonal, mini: peer.mini.mini };
      const theirPat = build(lib);
      const theirTime = (x: number) => x;
      measure(theirPat, theirTime);
      const runs = [0, 1, 2].map(() => measure(theirPat, theirTime));
      peerRate = median(runs.map((r) => r.haps / r.seconds));
      peerHaps = runs[0]!.haps;
    } finally {
      console.log = quiet;
    }
  }
  return [
    {
      name: `pattern query: ${LAYERS.length} layers, ${CYCLES} cycles × ${SLICES} slices (${oursRuns[0]!.haps} haps${peerHaps !== undefined ? `, Strudel ${peerHaps}` : ""})`,
      value: oursRate,
      unit: "haps/s",
      peer: peerRate,
      ratio: peerRate ? oursRate / peerRate : undefined,
    },
  ];
}

if (import.meta.main) {
  const rows = await run();
  for (const r of rows) {
    console.log(r.name);
    console.log(`  ostinato     ${Math.round(r.value).toLocaleString("en")} ${r.unit}`);
    if (r.peer !== undefined) {
      console.log(`  Strudel 1.2.6 ${Math.round(r.peer).toLocaleString("en")} ${r.unit}`);
      console.log(`  ratio        ${r.ratio!.toFixed(2)}× Strudel (target ≥ 5×)`);
    } else {
      console.log("  Strudel not available: no ratio");
    }
  }
}
