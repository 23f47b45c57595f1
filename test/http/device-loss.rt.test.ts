// The audio device vanishes under a playing server (its private JACK server
// is killed) and comes back: the server says the device is lost, keeps
// answering and playing on the null backend; asked for the device again
// once jackd is back, it answers with a clear error that says to restart
// (PortAudio cannot open a device again in a process that lost one: see
// README, "What survives what"). Its own process, so that the private
// server's name does not reach this process's PortAudio.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const jackd = spawnSync("sh", ["-c", "command -v jackd"], { stdio: "ignore" }).status === 0;

test.skipIf(!jackd)("jackd killed under a playing server: the loss is reported, the server answers and plays on; asking for the device back says to restart", () => {
  const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "device-loss-server.ts");
  const r = spawnSync(process.execPath, [fixture], { encoding: "utf8", timeout: 60_000, env: { ...process.env, JACK_DEFAULT_SERVER: `ostinato-dl-${process.pid}` } });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  const result = JSON.parse(line);
  console.log(`device loss: detected after ${result.lostMs.toFixed(0)} ms; ${result.answers} answers while lost, the slowest ${result.slowestMs.toFixed(1)} ms; PUT /api/device: ${result.putStatus} ${result.putBody.error?.message}`);
  expect(result.before).toMatchObject({ backend: "portaudio", lost: false });
  expect(result.lostMs).toBeGreaterThanOrEqual(0);
  expect(result.lostMs).toBeLessThan(2000);
  expect(result.lost).toMatchObject({ backend: "null", lost: true });
  expect(result.answers).toBeGreaterThan(20);
  expect(result.slowestMs).toBeLessThan(1000); // blocked would be the whole 3 s
  expect(result.playedLater).toBeGreaterThan(result.playedWhileLost); // the pattern plays on, on the null backend
  expect(result.putStatus).toBe(400);
  expect(result.putBody.error.message).toMatch(/the audio device was lost while playing.*restart the server to get the device back/);
  expect(result.after).toMatchObject({ backend: "null", lost: true });
}, 90_000);
