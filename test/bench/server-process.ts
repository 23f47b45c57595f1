/**
 * A real `ostinato serve` in a child process for the benchmarks that load a
 * server from outside (server.bench.ts, ensemble.bench.ts), and the CPU time
 * it has used, read from /proc.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TICKS_PER_SECOND = 100; // Linux USER_HZ, the unit of /proc/<pid>/stat times

export type Server = { child: ChildProcess; url: string };

/** Starts a server on the null backend with fresh pattern and state folders; resolves with its URL. */
export async function startServer(token: string, name: string): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), `ostinato-bench-${name}-`));
  const bun = join(process.cwd(), "node_modules", ".bin", "bun");
  const child = spawn(bun, ["server/cli.ts", "serve", "--port", "0", "--backend", "null", "--token", token, "--patterns", join(dir, "p"), "--state", join(dir, "s")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /^ostinato (http:\/\/\S+)/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
  return { child, url };
}

/** CPU seconds (user + system) the process has used, its threads included. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
}
