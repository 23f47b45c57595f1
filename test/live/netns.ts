/**
 * A private network namespace for the Link tests (`unshare -n`: loopback
 * only, multicast on, a route for 224.0.0.0/4 through it), so Link's
 * discovery never touches the machine's real interfaces. A script run in it
 * reports by printing JSON lines; the test asserts them.
 * @module
 */
import { execFileSync, spawn } from "node:child_process";
import { linkAvailable } from "../../server/engine/link.ts";

const NETNS = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo";

/** Why this machine cannot run a Link test (no Link module, no network namespaces), or null. */
export function cannotRunLink(): string | null {
  if (!linkAvailable()) return "the Link module is not built (install ableton-link-dev; npm test does)";
  try {
    execFileSync("unshare", ["-n", "sh", "-c", NETNS], { stdio: "pipe" });
    return null;
  } catch (err) {
    return `no private network namespace here (unshare -n needs root or user namespaces): ${(err as Error).message.split("\n")[0]}`;
  }
}

/** Runs `bun script args...` in a namespace of its own; resolves with the JSON lines it printed (rejects when none). */
export function runInNetns<T>(script: string, args: string[] = [], cwd?: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("unshare", ["-n", "sh", "-c", `${NETNS} && exec "$0" ${[script, ...args].join(" ")}`, process.execPath], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.once("error", reject);
    child.once("exit", () => {
      const lines = out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as T);
      if (!lines.length) reject(new Error(`${script} printed nothing; stderr: ${err.slice(-2000)}`));
      else resolve(lines);
    });
  });
}
