// Vitest global setup: a JACK server with its dummy driver, so the real-time
// tests have a real, clocked PortAudio device on a machine without a sound
// card.
//
// Each test run starts a private, named server (jackd -n ostinato-test-PID)
// and points this process and its children at it, so two runs on one machine
// (a developer's and a helper's, or CI beside a session) never share, stop or
// disturb each other's device. A run whose environment already names a JACK
// server (JACK_DEFAULT_SERVER set before the process started, e.g. by a user
// who wants their own) uses that one when it answers, and stops nothing.
//
// Measured on this machine kind (test/engine/realtime.rt.test.ts settings,
// 10 s, 32 voices): with --no-realtime, period 128 gave 2-6 xruns idle;
// period 256 gave 0 idle but 12 with both cores busy (the dummy driver's own
// timer runs late). With real-time priority (-R, as root) period 256 gave 0
// xruns with both cores busy, so we ask for it and fall back to --no-realtime
// when the system refuses real-time scheduling. Host xruns are reported by
// the tests, never asserted (test/engine/realtime.rt.test.ts).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";

export const JACK_RATE = 48000;
export const JACK_PERIOD = 256;

let started: { child: ChildProcess; name: string } | undefined;

// The sanitizer run (test/asan.mjs) preloads libasan into this process; it
// must not leak into the tools we start (pgrep hangs with it preloaded).
const toolEnv = (name: string) => {
  const env: Record<string, string | undefined> = { ...process.env, JACK_DEFAULT_SERVER: name, JACK_NO_START_SERVER: "1" };
  delete env.LD_PRELOAD;
  return env;
};

/** This process's environment for JACK's tools in a test (the server it names), without the sanitizer run's libasan. */
export function jackToolEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.LD_PRELOAD;
  return env;
}

function jackAnswers(name: string): boolean {
  return spawnSync("jack_lsp", ["-s", name], { stdio: "ignore", env: toolEnv(name), timeout: 5000 }).status === 0;
}

function jackAvailable(): boolean {
  return spawnSync("sh", ["-c", "command -v jackd"], { stdio: "ignore", timeout: 5000 }).status === 0;
}

/**
 * Sets an environment variable in the C environment of this process as well
 * as in process.env. Bun's process.env does not reach getenv(), and libjack,
 * loaded by PortAudio in the test workers (threads of this process), reads
 * JACK_DEFAULT_SERVER with getenv().
 */
async function setProcessEnv(key: string, value: string): Promise<void> {
  process.env[key] = value;
  if (!("Bun" in globalThis)) return;
  const { dlopen, FFIType } = await import("bun:ffi");
  const libc = dlopen("libc.so.6", { setenv: { args: [FFIType.cstring, FFIType.cstring, FFIType.i32], returns: FFIType.i32 } });
  const cstr = (s: string) => Buffer.from(`${s}\0`);
  libc.symbols.setenv(cstr(key), cstr(value), 1);
  libc.close();
}

/**
 * Starts the run's JACK server. Vitest calls this with its project object;
 * the benchmark calls it with a period in frames.
 */
export async function setup(periodOrProject?: unknown): Promise<void> {
  const period = typeof periodOrProject === "number" ? periodOrProject : JACK_PERIOD;
  await setProcessEnv("JACK_NO_START_SERVER", "1"); // a client must never start a server behind our back
  const given = process.env.JACK_DEFAULT_SERVER;
  if (given && jackAnswers(given)) return;
  if (!jackAvailable()) return;
  await reapOrphans();
  const name = `ostinato-test-${process.pid}`;
  for (const realtime of [["-R", "-P", "70"], ["--no-realtime"]]) {
    const child = spawn("jackd", [...realtime, "-n", name, "-d", "dummy", "-r", String(JACK_RATE), "-p", String(period)], {
      stdio: "ignore",
      env: toolEnv(name),
    });
    if (await jackUp(child, name)) {
      started = { child, name };
      // Should this process end without teardown (killed, or vitest exiting
      // early), the server goes with it rather than outliving the run.
      process.once("exit", () => child.kill("SIGKILL"));
      await setProcessEnv("JACK_DEFAULT_SERVER", name);
      return;
    }
    child.kill("SIGKILL");
  }
  throw new Error(`jackd did not come up within 5 s (jackd -n ${name} -d dummy, with and without -R)`);
}

/**
 * Clears what earlier runs whose test process is gone left behind (a run that
 * was killed cannot clean up after itself). JACK's registry holds 8 servers
 * per machine, and a full one keeps new servers from starting ("too many
 * servers already active"). A server stopped with SIGTERM removes its own
 * entry; one that died by SIGKILL leaves it, and the only clean way to take
 * it out is to start a server of that name and stop it properly.
 */
async function reapOrphans(): Promise<void> {
  const orphan = (pid: number) => {
    try {
      process.kill(pid, 0); // the run that started it is alive: leave it
      return false;
    } catch {
      return true;
    }
  };
  const r = spawnSync("pgrep", ["-a", "jackd"], { encoding: "utf8", env: toolEnv("default"), timeout: 5000 });
  const running = new Set<string>();
  for (const line of (r.stdout ?? "").split("\n")) {
    const m = /^(\d+) .*-n (ostinato-test-(\d+)) /.exec(line);
    if (!m) continue;
    if (!orphan(Number(m[3]))) running.add(m[2]!);
    else await stopServer(Number(m[1]));
  }
  let entries: string[] = [];
  try {
    entries = readdirSync("/dev/shm");
  } catch {}
  for (const f of entries) {
    const m = /^jack_(ostinato-test-(\d+))_\d+_\d+$/.exec(f);
    if (!m || running.has(m[1]!) || !orphan(Number(m[2]))) continue;
    const child = spawn("jackd", ["--no-realtime", "-n", m[1]!, "-d", "dummy", "-r", String(JACK_RATE), "-p", String(JACK_PERIOD)], { stdio: "ignore", env: toolEnv(m[1]!) });
    if (await jackUp(child, m[1]!)) await stopServer(child.pid!);
    else child.kill("SIGKILL");
    removeSemaphores(m[1]!);
  }
  for (const f of entries) {
    const m = /^jack_sem\.\d+_(ostinato-test-(\d+))_/.exec(f);
    if (m && !running.has(m[1]!) && orphan(Number(m[2]))) removeSemaphores(m[1]!);
  }
}

/** SIGTERM, so that jackd takes its entry out of JACK's registry; SIGKILL only if it will not go in 3 s. */
async function stopServer(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  for (let i = 0; i < 30 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(pid, "SIGKILL");
}

/** Our clients' semaphores carry the server's name; nothing else uses them. */
function removeSemaphores(name: string): void {
  try {
    for (const f of readdirSync("/dev/shm")) if (f.startsWith("jack_sem.") && f.includes(`_${name}_`)) rmSync(`/dev/shm/${f}`, { force: true });
  } catch {}
}

async function jackUp(child: ChildProcess, name: string): Promise<boolean> {
  let exited = false;
  child.once("exit", () => (exited = true));
  // jackd takes a moment before clients can connect.
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !exited) {
    if (jackAnswers(name)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** The running JACK server's period in frames (jack_bufsize), or undefined when none answers. */
export function jackPeriod(): number | undefined {
  const name = process.env.JACK_DEFAULT_SERVER ?? "default";
  const r = spawnSync("jack_bufsize", [], { encoding: "utf8", env: toolEnv(name), timeout: 5000 });
  const m = /(\d+)/.exec(r.stdout ?? ""); // jack_bufsize prints the period alone: "128"
  return m ? Number(m[1]) : undefined;
}

export async function teardown(): Promise<void> {
  if (!started) return;
  const { child, name } = started;
  started = undefined;
  // SIGTERM lets jackd remove its entry from JACK's shared registry (it holds
  // a handful of servers per machine); wait for it to go.
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  removeSemaphores(name);
}
