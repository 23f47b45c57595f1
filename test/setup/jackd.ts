// Vitest global setup: make sure a JACK server with its dummy driver is
// running, so the real-time tests have a real, clocked PortAudio device on a
// machine without a sound card. Starts jackd only when none runs, and stops
// only the one it started.
//
// Measured on this machine kind (test/engine/realtime.test.ts settings, 10 s,
// 32 voices): with --no-realtime, period 128 gave 2-6 xruns idle; period 256
// gave 0 idle but 12 with both cores busy (the dummy driver's own timer runs
// late). With real-time priority (-R, as root) period 256 gave 0 xruns with
// both cores busy, so we ask for it and fall back to --no-realtime when the
// system refuses real-time scheduling.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";

export const JACK_RATE = 48000;
export const JACK_PERIOD = 256;

let started: ChildProcess | undefined;

// A JACK client must never start a server of its own behind our back.
process.env.JACK_NO_START_SERVER = "1";

// The sanitizer run (test/asan.mjs) preloads libasan into this process; it
// must not leak into the tools we start (pgrep hangs with it preloaded).
const env = { ...process.env };
delete env.LD_PRELOAD;

function jackRunning(): boolean {
  return spawnSync("pgrep", ["-x", "jackd"], { stdio: "ignore", env, timeout: 5000 }).status === 0;
}

function jackAvailable(): boolean {
  return spawnSync("sh", ["-c", "command -v jackd"], { stdio: "ignore", env, timeout: 5000 }).status === 0;
}

export async function setup(period = JACK_PERIOD): Promise<void> {
  if (jackRunning() || !jackAvailable()) return;
  for (const realtime of [["-R", "-P", "70"], ["--no-realtime"]]) {
    started = spawn("jackd", [...realtime, "-d", "dummy", "-r", String(JACK_RATE), "-p", String(period)], {
      stdio: "ignore",
      env,
      detached: false,
    });
    if (await jackUp(started)) return;
    started.kill("SIGTERM");
    started = undefined;
  }
  throw new Error("jackd did not come up within 5 s (jackd -d dummy, with and without -R)");
}

async function jackUp(child: ChildProcess): Promise<boolean> {
  let exited = false;
  child.once("exit", () => (exited = true));
  // jackd takes a moment before clients can connect.
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !exited) {
    if (spawnSync("jack_lsp", [], { stdio: "ignore", env, timeout: 5000 }).status === 0) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** The running JACK server's period in frames (jack_bufsize), or undefined when none answers. */
export function jackPeriod(): number | undefined {
  const r = spawnSync("jack_bufsize", [], { encoding: "utf8", env, timeout: 5000 });
  const m = /(\d+)/.exec(r.stdout ?? ""); // jack_bufsize prints the period alone: "128"
  return m ? Number(m[1]) : undefined;
}

export async function teardown(): Promise<void> {
  if (!started) return;
  started.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 200));
  started = undefined;
}
