/**
 * Whole-process timing as vbench defines it: GNU time around the command,
 * CPU s = user + sys of the process and its threads, median of the timed
 * runs after the warm-up runs.
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Timing { cpu: number; wall: number; maxRssKb: number }

export function timeOnce(cmd: string[], cwd: string): Timing {
  const dir = mkdtempSync(join(tmpdir(), "ost-time-"));
  const file = join(dir, "time.txt");
  try {
    const r = spawnSync("/usr/bin/time", ["-f", "%U %S %e %M", "-o", file, ...cmd], { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed (exit ${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`);
    const [user, sys, wall, rss] = readFileSync(file, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
    return { cpu: user! + sys!, wall: wall!, maxRssKb: rss! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Median timing of `runs` runs after `warmup` untimed ones. */
export function timeMedian(cmd: string[], cwd: string, runs: number, warmup: number): Timing & { cpuMin: number; cpuMax: number } {
  for (let i = 0; i < warmup; i++) timeOnce(cmd, cwd);
  const ts = Array.from({ length: runs }, () => timeOnce(cmd, cwd));
  return {
    cpu: median(ts.map((t) => t.cpu)), wall: median(ts.map((t) => t.wall)), maxRssKb: median(ts.map((t) => t.maxRssKb)),
    cpuMin: Math.min(...ts.map((t) => t.cpu)), cpuMax: Math.max(...ts.map((t) => t.cpu)),
  };
}
