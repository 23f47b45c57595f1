import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

const bun = join(process.cwd(), "node_modules", ".bin", "bun");
const cli = (args: string[]) => spawnSync(bun, ["server/cli.ts", ...args], { encoding: "utf8" });
const dir = mkdtempSync(join(tmpdir(), "ostinato-cli-"));

describe("ostinato render", () => {
  test("writes a standard WAV that sox reads, faster than real time, the same every time", () => {
    const file = join(dir, "tune.js");
    writeFileSync(file, `setcps(1)\nnote("c3 e3 g3 c4").s("sawtooth").lpf(900).decay(0.1).sustain(0.2)\n`);
    const a = cli(["render", file, "-o", join(dir, "a.wav"), "--cycles", "4", "--rate", "44100", "--channels", "2"]);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/176400 frames, 4\.00 s of audio in [\d.]+ s \(\d+× real time\)/);
    const speed = Number(/\((\d+)× real time\)/.exec(a.stdout)![1]);
    expect(speed).toBeGreaterThan(1);
    const soxi = spawnSync("soxi", [join(dir, "a.wav")], { encoding: "utf8" });
    expect(soxi.stdout).toMatch(/Channels\s+: 2/);
    expect(soxi.stdout).toMatch(/Sample Rate\s+: 44100/);
    expect(soxi.stdout).toMatch(/= 176400 samples/);
    expect(soxi.stdout).toMatch(/32-bit Floating Point PCM/);
    const stat = spawnSync("sox", [join(dir, "a.wav"), "-n", "stat"], { encoding: "utf8" });
    expect(Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(stat.stderr)![1])).toBeGreaterThan(0.01);
    cli(["render", file, "-o", join(dir, "b.wav"), "--cycles", "4", "--rate", "44100"]);
    expect(Bun.file(join(dir, "a.wav")).size).toBe(Bun.file(join(dir, "b.wav")).size);
    expect(Buffer.from(readBytes(join(dir, "a.wav"))).equals(Buffer.from(readBytes(join(dir, "b.wav"))))).toBe(true);
  });

  test("a program error is reported at file:line:column and nothing is written", () => {
    const file = join(dir, "bad.js");
    writeFileSync(file, `note("c3")\n  .s("sine"\n  .fast(2)\n  const\n`);
    const r = cli(["render", file, "-o", join(dir, "bad.wav"), "--cycles", "1"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[/.]/g, "\\$&")}:4:\\d+: syntax error`));
    expect(existsSync(join(dir, "bad.wav"))).toBe(false);
  });

  test("bad options get a usage message and exit code 2", () => {
    const r = cli(["render", "x.js", "-o", "y.wav", "--cycles=0"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--cycles must be a number from/);
    expect(cli(["render"]).stderr).toMatch(/usage: ostinato render/);
  });
});

describe("ostinato play --watch", () => {
  test("every save is evaluated hot; an error is printed and the music continues", async () => {
    const file = join(dir, "live.js");
    writeFileSync(file, `setcps(2)\nnote("c3*4").s("sine").decay(0.05).sustain(0)\n`);
    const child = spawn(bun, ["server/cli.ts", "play", file, "--watch", "--backend", "null", "--cycles", "6"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // the first save only once the watcher is there (not after a fixed time: a busy machine starts slower)
    while (!out.includes("watching")) await sleep(20);
    await sleep(300);
    writeFileSync(file, `setcps(2)\nnote("c3*4").s("sine"\n`);
    while (!err.includes("syntax error")) await sleep(20);
    writeFileSync(file, `setcps(2)\nnote("e3*8").s("sine").decay(0.05).sustain(0)\n`);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code, err).toBe(0);
    expect(out).toMatch(/playing /);
    expect(err).toMatch(/live\.js:3:1: syntax error/);
    expect(out).toMatch(/evaluated .*live\.js/);
    const played = Number(/stopped: (\d+) events, (\d+) late/.exec(out)![1]);
    // about 1 s of c3*4 at cps 2 (8/s) and 2 s of e3*8 (16/s)
    expect(played).toBeGreaterThan(20);
  });
});

function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

describe("ostinato play: recording, samples, routing", () => {
  test("--record FILE records the whole run; a program's record() writes a take beside the file; --samples loads a folder", async () => {
    const banks = join(dir, "banks", "tone");
    mkdirSync(banks, { recursive: true });
    const { Engine } = await import("../../server/engine/index.ts");
    Engine.writeAudioFile(join(banks, "a.wav"), "wav16", 1, 48000, Float32Array.from({ length: 24000 }, (_, i) => 0.4 * Math.sin(i / 10)));
    const whole = join(dir, "whole.wav");
    const file = join(dir, "rec.js");
    writeFileSync(file, `setcps(2)\ns("tone bd")\n`);
    const r = spawnSync(bun, ["server/cli.ts", "play", file, "--backend", "null", "--cycles", "2", "--record", whole, "--samples", join(dir, "banks")], { encoding: "utf8", timeout: 30000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/recording to .*whole\.wav/);
    expect(r.stdout).toMatch(/recorded [\d.]+ s \(\d+ frames\) to .*whole\.wav/);
    const program = join(dir, "take.js");
    writeFileSync(program, `setcps(2)\nrecord("from-program")\ns("tone bd")\n`);
    const p = spawnSync(bun, ["server/cli.ts", "play", program, "--backend", "null", "--cycles", "2", "--samples", join(dir, "banks")], { encoding: "utf8", timeout: 30000 });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/recording to .*recordings\/from-program\.wav/);
    for (const take of [whole, join(dir, "recordings", "from-program.wav")]) {
      const soxi = spawnSync("soxi", ["-D", take], { encoding: "utf8" });
      expect(Number(soxi.stdout), take).toBeGreaterThan(0.5);
      const stat = spawnSync("sox", [take, "-n", "stat"], { encoding: "utf8" });
      expect(Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(stat.stderr)![1]), take).toBeGreaterThan(0.01);
    }
    expect(r.stderr + p.stderr).not.toMatch(/unknown sound/);
  });

  test("--route with an odd channel is a usage error", () => {
    const file = join(dir, "route.js");
    writeFileSync(file, `s("bd")\n`);
    const r = cli(["play", file, "--backend", "null", "--cycles", "1", "--route", "1:3"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--route takes ORBIT:CHANNEL/);
    const r2 = cli(["play", file, "--backend", "null", "--cycles", "1", "--route", "1:2"]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/firstChannel must be an even channel with a pair on this 2-channel output/);
  });
});
