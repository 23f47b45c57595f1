// The server held to 30 % of one core (a cgroup v1 CPU quota, as a busy or
// small machine would): it starts, plays every event at a slower tempo, and
// its worker is never restarted (a worker that loads slowly is not taken for
// a hung one). Needs a writable /sys/fs/cgroup/cpu (root); skipped, saying
// so, where there is none.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";

const TOKEN = "quota-test-token-0123";
const CG = `/sys/fs/cgroup/cpu/ostinato-quota-${process.pid}`;
let child: ChildProcess | undefined;

function makeGroup(): boolean {
  try {
    mkdirSync(CG);
    writeFileSync(join(CG, "cpu.cfs_period_us"), "100000");
    writeFileSync(join(CG, "cpu.cfs_quota_us"), "30000");
    return true;
  } catch {
    return false;
  }
}
const quota = existsSync("/sys/fs/cgroup/cpu/cgroup.procs") && makeGroup();
if (!quota) console.log("quota: no writable cgroup v1 CPU controller here: the 30 % test is skipped");

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));
  }
  if (quota) for (let i = 0; i < 20; i++) try { rmdirSync(CG); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
});

test.skipIf(!quota)("held to 30 % of a core: it starts, plays every event at 0.25 cps, and no worker is restarted", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ostinato-quota-"));
  const bun = join(process.cwd(), "node_modules", ".bin", "bun");
  const args = ["server/cli.ts", "serve", "--port", "0", "--backend", "null", "--token", TOKEN, "--patterns", join(dir, "p"), "--state", join(dir, "s"), "--no-resume"]; // the default: no standby under a quota below one core (with --standby: 1 of 5 runs passed at load 7-16, README)
  // in the group from its first instruction: the shell moves itself in, then becomes the server
  child = spawn("sh", ["-c", `echo $$ > ${CG}/cgroup.procs && exec "$0" "$@"`, bun, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child!.stdout!.on("data", (d) => {
      out += d.toString();
      const m = /^ostinato (http:\/\/\S+)/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child!.once("exit", (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  const state = async () => (await fetch(`${url}/api/state`, { headers })).json();
  await fetch(`${url}/api/tempo`, { method: "PUT", headers, body: JSON.stringify({ cps: 0.25 }) });
  const outcome = await (await fetch(`${url}/api/eval`, { method: "POST", headers, body: JSON.stringify({ code: `$: s("bd*4").gain(0.1)\n$: note("c3 e3").s("sine").gain(0.1)` }) })).json();
  expect(outcome).toMatchObject({ ok: true });
  const s0 = await state();
  await new Promise((r) => setTimeout(r, 8000));
  const s1 = await state();
  // 6 events a cycle at 0.25 cps: 1.5 a second, counted between the two readings (cycle positions from the server)
  const expected = Math.floor(s1.cycle * 6) - Math.floor(s0.cycle * 6);
  const played = s1.telemetry.eventsPlayed - s0.telemetry.eventsPlayed;
  console.log(`quota: 30 % of a core, 8 s: ${played} events played of ${expected} due, ${s1.restarts} restarts, ${s1.takeovers} takeovers by the standby, ${s1.telemetry.lateEvents} late`);
  expect(s1.restarts).toBe(0);
  expect(s1.standby).toBe("off: CPU quota");
  expect(Math.abs(played - expected)).toBeLessThanOrEqual(1); // the reading is not on an event's frame
  expect(s1.slots.map((s: { id: string }) => s.id)).toEqual(["main/$1", "main/$2"]);
}, 60_000);
