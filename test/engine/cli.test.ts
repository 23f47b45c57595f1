// The two engine commands, run as a user runs them.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { soundLevel } from "../../server/engine/index.ts";

const cli = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "server", "cli.ts");
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 30_000 });

test("devices --json lists the JACK device with its host API, channels and rate", () => {
  const r = run("devices", "--json");
  expect(r.status, r.stderr).toBe(0);
  const devices = JSON.parse(r.stdout);
  const jack = devices.find((d: { hostApi: string }) => d.hostApi.startsWith("JACK"));
  expect(jack).toMatchObject({ maxOutputChannels: expect.any(Number), defaultSampleRate: 48000 });
  expect(run("devices").stdout).toContain(jack.name);
});

test("selftest plays a phrase and reports the clock rate, the engine's and the host's figures, CPU load and the peak", () => {
  const r = run("selftest", "--backend", "null", "--seconds", "2", "--json");
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.ok).toBe(true);
  expect(Math.abs(report.measuredRate / 48000 - 1)).toBeLessThan(0.01);
  expect(report.eventsPlayed).toBeGreaterThan(0);
  expect(report.cpuLoad).toBeGreaterThan(0);
  // what the engine owns is asserted; what the host owns is reported, with its cause when it happened
  expect(report.engineOverruns).toBe(0);
  expect(report.engineProblem).toBeNull();
  expect(report.renderMaxMs).toBeGreaterThan(0);
  expect(report.renderMaxMs).toBeLessThan(report.budgetMs);
  expect(report.hostXruns).toBeGreaterThanOrEqual(0);
  expect(report.callbackGapMaxMs).toBeGreaterThan(0);
  if (report.hostXruns > 0) expect(report.hostProblem).toMatch(/^the audio system missed \d+ periods?: the machine was busy .*try --block 512/);
  else expect(report.hostProblem).toBeNull();
  // the phrase's peak (a triangle at gain 1: full scale x the synth level, panned), not the meter's decayed value at the end
  expect(report.peak[0]).toBeGreaterThan(0.8 * soundLevel("triangle"));
  expect(report.peak[1]).toBeGreaterThan(0.8 * soundLevel("triangle"));
});

test("selftest fails when the engine overruns, and says so in words to act on", () => {
  // the test hook burns 8 ms of CPU in every 5.3 ms callback
  const r = run("selftest", "--backend", "null", "--seconds", "1", "--test-burn-us", "8000");
  expect(r.status, r.stderr).toBe(1);
  // at least the 8 ms burnt (a busy virtual machine can charge the thread a little more)
  const engine = /^engine +(\d+) overruns; the longest render took (\d+\.\d\d) ms of CPU for a 5\.33 ms block \((\d+) %\)$/m.exec(r.stdout);
  expect(engine, r.stdout).not.toBeNull();
  expect(Number(engine![1])).toBeGreaterThan(0);
  expect(Number(engine![2])).toBeGreaterThanOrEqual(8);
  expect(Number(engine![3])).toBeGreaterThanOrEqual(150);
  expect(r.stdout).toMatch(/^selftest FAILED: .*the engine overran \d+ blocks: one render took \d+\.\d ms of CPU for a 5\.3 ms block; play fewer or lighter voices, or use a larger block \(--block 512\)/m);
});

test("an unknown device is a clear error with the device list", () => {
  const r = run("selftest", "--device", "no such device", "--seconds", "1");
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/no audio output device named "no such device"; devices: /);
});
