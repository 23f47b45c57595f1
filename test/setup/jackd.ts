// Vitest global setup: make sure a JACK server with its dummy driver is
// running, so the real-time tests have a real, clocked PortAudio device on a
// machine without a sound card. Starts jackd only when none runs, and stops
// only the one it started.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";

export const JACK_RATE = 48000;
export const JACK_PERIOD = 128;

let started: ChildProcess | undefined;

// A JACK client must never start a server of its own behind our back.
process.env.JACK_NO_START_SERVER = "1";

function jackRunning(): boolean {
  return spawnSync("pgrep", ["-x", "jackd"], { stdio: "ignore" }).status === 0;
}

function jackAvailable(): boolean {
  return spawnSync("sh", ["-c", "command -v jackd"], { stdio: "ignore" }).status === 0;
}

export async function setup(): Promise<void> {
  if (jackRunning() || !jackAvailable()) return;
  // Our own sanitizer preload must not leak into jackd.
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  started = spawn("jackd", ["--no-realtime", "-d", "dummy", "-r", String(JACK_RATE), "-p", String(JACK_PERIOD)], {
    stdio: "ignore",
    env,
    detached: false,
  });
  // jackd takes a moment before clients can connect.
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (spawnSync("jack_lsp", [], { stdio: "ignore", env }).status === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("jackd did not come up within 5 s (jackd --no-realtime -d dummy)");
}

export async function teardown(): Promise<void> {
  if (!started) return;
  started.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 200));
  started = undefined;
}
