/**
 * The watchdog's judgement: from what the live worker was doing when it
 * stopped (its phase, in shared memory) and why it was stopped (a hang, too
 * much memory, an exit, a control command it ignored), who is to blame and
 * what the musician is told. The session (session.ts) acts on the verdict.
 * @module
 */
import { readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { PHASE } from "./protocol.ts";

/** Why the worker was stopped, in words that follow "the program ..." (e.g. "used more than 512 MB of memory"). */
export type Cause = { kind: "hang"; seconds: string } | { kind: "memory"; limitMb: number } | { kind: "exit"; code: number } | { kind: "ignored"; command: string } | { kind: "flood" };

/** Who is blamed: an evaluation, a slot, a buffer's program (a timer of it, or its replay), or nobody in particular. */
export type Verdict =
  | { blame: "evaluation"; id: number; reason: string }
  | { blame: "slot"; slot: string; reason: string }
  | { blame: "buffer"; buffer: string; reason: string }
  | { blame: "none"; reason: string };

export function judge(phase: number, cause: Cause, who: { evalId: number; name: string }): Verdict {
  const { name } = who;
  switch (phase) {
    case PHASE.EVALUATING:
      return { blame: "evaluation", id: who.evalId, reason: `the program ${evaluating(cause)}: it was stopped, and the previous program keeps playing` };
    case PHASE.QUERYING:
      return { blame: "slot", slot: name, reason: `slot "${name}" ${querying(cause)}: it was stopped, the others keep playing` };
    case PHASE.TIMER:
      return { blame: "buffer", buffer: name, reason: `a timer of buffer "${name}" ${timer(cause)}: the buffer's program was stopped, the others keep playing` };
    case PHASE.REPLAYING:
      return { blame: "buffer", buffer: name, reason: `buffer "${name}" ${replaying(cause)}: it was stopped and will not be replayed again` };
    default:
      return { blame: "none", reason: `the live worker ${worker(cause)}; it was restarted with the programs that worked` };
  }
}

function evaluating(c: Cause): string {
  if (c.kind === "hang") return `did not finish evaluating within ${c.seconds} s (an endless loop?)`;
  return common(c);
}

function querying(c: Cause): string {
  if (c.kind === "hang") return `did not answer a query within ${c.seconds} s (an endless loop in a pattern function, or far too many events?)`;
  return common(c);
}

function timer(c: Cause): string {
  if (c.kind === "hang") return `did not return within ${c.seconds} s (an endless loop?)`;
  return common(c);
}

function replaying(c: Cause): string {
  if (c.kind === "hang") return `did not finish within ${c.seconds} s when replayed into a fresh live worker (an endless loop?)`;
  return `${common(c)} when replayed into a fresh live worker`;
}

function worker(c: Cause): string {
  if (c.kind === "hang") return `stopped responding for ${c.seconds} s`;
  return common(c);
}

function common(c: Cause): string {
  switch (c.kind) {
    case "memory":
      return `used more than ${c.limitMb} MB of memory`;
    case "exit":
      return `ended the live worker (process.exit(${c.code}) or a crash)`;
    case "ignored":
      return `kept the live worker from applying a command (${c.command}): the engine was silenced from the main thread`;
    case "flood":
      return "flooded the server with messages";
    case "hang":
      return `did not return within ${c.seconds} s`;
  }
}

/**
 * The default memory ceiling of user code, in MB of the server's resident
 * memory above what it used when the session started: a quarter of the
 * memory the server may use (the machine's, or its cgroup's if lower),
 * between 256 MB and 4 GB.
 */
export function defaultMemoryLimitMb(): number {
  let bytes = totalmem();
  try {
    const max = readFileSync("/sys/fs/cgroup/memory.max", "utf8").trim();
    if (/^\d+$/.test(max)) bytes = Math.min(bytes, Number(max));
  } catch {
    // no cgroup v2 limit readable: the machine's memory it is
  }
  return Math.round(Math.min(4096, Math.max(256, bytes / 4 / 2 ** 20)));
}

/** The server's resident memory in MB, read from /proc (cheap enough for every watchdog round). */
export function residentMb(): number {
  try {
    const statm = readFileSync("/proc/self/statm", "utf8");
    const pages = Number(statm.split(" ")[1]);
    return (pages * 4096) / 2 ** 20;
  } catch {
    return process.memoryUsage.rss() / 2 ** 20;
  }
}
