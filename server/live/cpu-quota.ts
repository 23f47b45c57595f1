/**
 * The CPU quota of this process's cgroup, in cores (cgroup v2's cpu.max, or
 * v1's cpu.cfs_quota_us over cpu.cfs_period_us); undefined when there is none
 * or it cannot be read. Under a quota every thread of the server shares it, so
 * a worker that loads its modules takes CPU from the one that plays.
 */
import { readFileSync } from "node:fs";

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

function cores(quota: number, period: number): number | undefined {
  return quota > 0 && period > 0 ? quota / period : undefined;
}

export function cpuQuotaCores(): number | undefined {
  const groups = read("/proc/self/cgroup")?.split("\n") ?? [];
  for (const line of groups) {
    const [, controllers, path] = line.split(":", 3) as [string, string, string];
    if (path === undefined) continue;
    if (controllers === "") {
      const max = read(`/sys/fs/cgroup${path}/cpu.max`)?.split(" ");
      if (max && max[0] !== "max") return cores(Number(max[0]), Number(max[1]));
    } else if (controllers.split(",").includes("cpu")) {
      for (const root of ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"]) {
        const quota = read(`${root}${path}/cpu.cfs_quota_us`);
        if (quota !== undefined) return cores(Number(quota), Number(read(`${root}${path}/cpu.cfs_period_us`)));
      }
    }
  }
  return undefined;
}
