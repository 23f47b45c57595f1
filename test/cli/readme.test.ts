// README's commands, run as written, in a fresh copy of the checkout after
// `npm start`, with no Bun on PATH (as on a new machine: npm puts it in
// node_modules/.bin only). What the test chooses is the environment a user
// has: HOME with a Dirt-Samples folder (README's `~/Dirt-Samples`),
// OSTINATO_PORT=0 (so it never takes a port someone else is using), the test
// run's JACK server as the sound card.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Engine } from "../../server/engine/index.ts";

const repo = process.cwd();
const readme = readFileSync(join(repo, "README.md"), "utf8");

/** The command lines of README's sh blocks that a user runs: `npm start` and `npx ostinato ...` (not `npm test`: it runs this). */
function readmeCommands(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.split("\n")).map((l) => l.replace(/\s+#.*$/, "").trim()).filter((l) => l === "npm start" || l.startsWith("npx ostinato "));
}

const clone = mkdtempSync(join(tmpdir(), "ostinato-readme-"));
const home = join(clone, ".home");
const checkout = join(clone, "ostinato");
const env = {
  ...process.env,
  HOME: home,
  OSTINATO_PORT: "0",
  // no directory with a bun in it: only what a fresh machine has
  PATH: (process.env.PATH ?? "").split(delimiter).filter((d) => d && !existsSync(join(d, "bun")) && !d.includes("node_modules")).join(delimiter),
};

beforeAll(() => {
  // the checkout's files as a clone has them, dated before node_modules was installed (as after `npm install`)
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: repo, encoding: "utf8" }).split("\n").filter(Boolean);
  const installed = statSync(join(repo, "node_modules", ".package-lock.json")).mtime;
  const before = new Date(installed.getTime() - 60_000);
  for (const f of files) {
    if (f === "node_modules" || !existsSync(join(repo, f))) continue; // the install (linked below); deleted, not yet committed
    mkdirSync(dirname(join(checkout, f)), { recursive: true });
    cpSync(join(repo, f), join(checkout, f), { preserveTimestamps: true });
    utimesSync(join(checkout, f), before, before);
  }
  symlinkSync(join(repo, "node_modules"), join(checkout, "node_modules"));
  mkdirSync(join(home, "Dirt-Samples", "tick"), { recursive: true });
  Engine.writeAudioFile(join(home, "Dirt-Samples", "tick", "0.wav"), "wav16", 1, 48000, Float32Array.from({ length: 4800 }, (_, i) => 0.5 * Math.sin(i / 8)));
}, 60_000);

afterAll(() => rmSync(clone, { recursive: true, force: true }));

type Run = { pid: number; code: number | null; signal: NodeJS.Signals | null; out: string; err: string };

/** Runs a line as a shell would; a command that runs until Ctrl+C gets it once `ready` is printed. */
function runLine(line: string, ready: RegExp | undefined, timeoutMs = 90_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", `exec ${line}`], { cwd: checkout, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let interrupted = false;
    const check = () => {
      if (ready && !interrupted && ready.test(out)) {
        interrupted = true;
        setTimeout(() => process.kill(-child.pid!, "SIGINT"), 500);
      }
    };
    child.stdout.on("data", (d) => { out += d; check(); });
    child.stderr.on("data", (d) => { err += d; check(); });
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`${line}: no exit within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ pid: child.pid!, code, signal, out, err });
    });
  });
}

/** True once no process of the group `pid` is left (within 10 s). */
async function groupGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(-pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** What a command prints once it is up, for the ones that run until Ctrl+C. */
function readyLine(line: string): RegExp | undefined {
  if (line === "npm start" || line.startsWith("npx ostinato serve")) return /open the editor: http:\/\/127\.0\.0\.1:\d+\/\?token=/;
  if (line.startsWith("npx ostinato play") && !line.includes("--cycles")) return /^playing /m;
  return undefined;
}

describe("README's commands, as written, on a fresh checkout", () => {
  const lines = [...new Set(readmeCommands())];
  test("README has the commands this test runs", () => {
    expect(lines[0]).toBe("npm start");
    expect(lines.filter((l) => l.startsWith("npx ostinato")).length).toBeGreaterThanOrEqual(10);
  });
  for (const line of lines) {
    test(line, async () => {
      const r = await runLine(line, readyLine(line));
      // stopped by Ctrl+C or by itself, cleanly
      // npm and npx end on the Ctrl+C they passed on, as a shell expects; the command itself finished first
      const clean = readyLine(line) ? [{ code: 0, signal: null }, { code: null, signal: "SIGINT" }, { code: 130, signal: null }] : [{ code: 0, signal: null }];
      expect(clean, `${r.out}\n${r.err}`).toContainEqual({ code: r.code, signal: r.signal });
      expect(await groupGone(r.pid), "every process of the command has exited").toBe(true);
      expect(r.err).not.toMatch(/^\s+at |Bun v\d/m);
      const out = / -o (\S+)/.exec(line)?.[1] ?? / --record (\S+)/.exec(line)?.[1];
      if (out) expect(statSync(join(checkout, out)).size).toBeGreaterThan(1000);
      if (line.includes("--samples ~/Dirt-Samples")) expect(r.err).not.toMatch(/no such folder/);
    }, 120_000);
  }
});
