/**
 * What a program will play, looked up ahead: the control values of its
 * patterns' events over the next cycles, so their samples are loaded before
 * the first of them is due (no first hit is silent). A pattern whose sounds
 * change later than that is loaded as the scheduler meets them, its lookahead
 * ahead of time.
 * @module
 */
import type { Pattern } from "../pattern/pattern.ts";

/** Cycles looked ahead, and the most haps taken from one pattern. */
export const PRELOAD_CYCLES = 16;
const MAX_HAPS = 20000;

/**
 * The distinct control values (s, n, bank, note) of the patterns' events in
 * [fromCycle, fromCycle + cycles). A pattern that throws is skipped: the
 * scheduler reports it when it plays.
 */
export function soundValues(patterns: readonly Pattern[], fromCycle: number, cycles = PRELOAD_CYCLES): Record<string, unknown>[] {
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const pattern of patterns) {
    let haps;
    try {
      haps = pattern.queryArc(fromCycle, fromCycle + cycles);
    } catch {
      continue;
    }
    for (let i = 0; i < haps.length && i < MAX_HAPS; i++) {
      const v = haps[i]!.value as Record<string, unknown>;
      if (typeof v !== "object" || v === null || typeof v.s !== "string") continue;
      const key = `${v.s}\u0000${String(v.n ?? "")}\u0000${String(v.bank ?? "")}\u0000${String(v.note ?? "")}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ s: v.s, n: v.n, bank: v.bank, note: v.note });
    }
  }
  return out;
}
