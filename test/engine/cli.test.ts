// The two engine commands, run as a user runs them.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

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

test("selftest plays a phrase and reports the clock rate, xruns and CPU load", () => {
  const r = run("selftest", "--backend", "null", "--seconds", "2", "--json");
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.ok).toBe(true);
  expect(Math.abs(report.measuredRate / 48000 - 1)).toBeLessThan(0.01);
  expect(report.eventsPlayed).toBeGreaterThan(0);
  expect(report.cpuLoad).toBeGreaterThan(0);
});

test("an unknown device is a clear error with the device list", () => {
  const r = run("selftest", "--device", "no such device", "--seconds", "1");
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/no audio output device named "no such device"; devices: /);
});
