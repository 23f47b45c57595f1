/**
 * Real-time health, split by who owns it.
 *
 * The engine owns its render: every requested frame written, the callback's
 * own CPU time inside the block's duration, events on their frames, none
 * late. The host owns the scheduling of the callbacks: on a busy machine
 * without real-time priority the audio system misses periods, which no
 * engine can prevent. Tests assert the first and report the second; the
 * selftest, /api/state, /metrics and the editor say which one happened, in
 * words a musician can act on.
 * @module
 */
import type { Telemetry } from "./telemetry.ts";

export interface EngineHealth {
  /** Callbacks whose render took more CPU time than the block lasts. */
  overruns: number;
  /** NOTE events that arrived after their frame. */
  lateEvents: number;
  /** Longest CPU time of one callback's render, ms. */
  renderMaxMs: number;
  /** Longest wall-clock time of one callback's render, ms (host preemption included). */
  renderWallMaxMs: number;
  /** The duration of one block, ms: the render's budget. */
  budgetMs: number;
  /** Frames per callback, as rendered on average. */
  blockFrames: number;
}

export interface HostHealth {
  /** Periods the audio system missed. */
  xruns: number;
  /** Longest time between two callbacks, ms (nominal: budgetMs). */
  gapMaxMs: number;
}

export interface Health {
  engine: EngineHealth;
  host: HostHealth;
  /** What went wrong on the engine's side, in words a musician can act on; empty when nothing did. */
  engineProblem: string | null;
  /** What the host did, with its cause and what helps; null when it missed nothing. */
  hostProblem: string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Frames per callback so far, as rendered (0 before the first block). */
function blockFrames(t: Telemetry): number {
  return t.blocks > 0 ? Math.round(t.frames / t.blocks) : 0;
}

/** Health from one telemetry snapshot (counters since the engine opened). */
export function health(t: Telemetry): Health {
  const frames = blockFrames(t);
  const budgetMs = frames > 0 && t.sampleRate > 0 ? (frames / t.sampleRate) * 1000 : 0;
  const engine: EngineHealth = {
    overruns: t.engineOverruns,
    lateEvents: t.lateEvents,
    renderMaxMs: t.renderMaxNs / 1e6,
    renderWallMaxMs: t.renderWallMaxNs / 1e6,
    budgetMs,
    blockFrames: frames,
  };
  const host: HostHealth = { xruns: t.hostXruns, gapMaxMs: t.callbackGapMaxNs / 1e6 };
  return { engine, host, engineProblem: engineProblem(engine), hostProblem: hostProblem(host, engine) };
}

const larger = (frames: number) => (frames > 0 ? Math.min(8192, frames * 2) : 512);

function engineProblem(e: EngineHealth): string | null {
  const parts: string[] = [];
  if (e.overruns > 0) {
    parts.push(
      `the engine overran ${plural(e.overruns, "block")}: one render took ${e.renderMaxMs.toFixed(1)} ms of CPU ` +
        `for a ${e.budgetMs.toFixed(1)} ms block; play fewer or lighter voices, or use a larger block (--block ${larger(e.blockFrames)})`,
    );
  }
  if (e.lateEvents > 0) {
    parts.push(`${plural(e.lateEvents, "event")} arrived after ${e.lateEvents === 1 ? "its" : "their"} frame and played late`);
  }
  return parts.length ? parts.join("; ") : null;
}

function hostProblem(h: HostHealth, e: EngineHealth): string | null {
  if (h.xruns === 0) return null;
  if (e.overruns > 0) return `the audio system missed ${plural(h.xruns, "period")}, at least some because the engine overran (see above)`;
  const gap = e.budgetMs > 0 ? ` (the longest gap between callbacks was ${h.gapMaxMs.toFixed(1)} ms for a ${e.budgetMs.toFixed(1)} ms block)` : "";
  return (
    `the audio system missed ${plural(h.xruns, "period")}: the machine was busy${gap}; ` +
    `try --block ${larger(e.blockFrames)}, close other programs, or give the audio system real-time priority (jackd -R)`
  );
}
