// `ostinato sounds` and `ostinato sounds fetch` against a real HTTP server on
// 127.0.0.1: two processes fetching the same banks into one cache at once
// download each file once (the cache's lock files); the list says what is
// built in, what each bank holds and what is cached; then, with the server
// stopped, a render plays from the cache.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startSampleServer, type SampleServer } from "../live/sample-server.ts";

const bun = join(process.cwd(), "node_modules", ".bin", "bun");
const dir = mkdtempSync(join(tmpdir(), "ostinato-sounds-"));
const cache = join(dir, "cache");
let server: SampleServer;
beforeAll(async () => {
  server = await startSampleServer();
});
afterAll(async () => {
  await server?.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(bun, ["server/cli.ts", ...args, "--cache", cache, "--github-base", `${server.url}/gh`], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });

describe("ostinato sounds", () => {
  test("two processes fetching the same banks into one cache at once download each file once; the list shows them cached; stopped, the server is not needed", async () => {
    server.delayMs = 300; // each file takes a while, so the two processes overlap
    const sources = [`${server.url}/strudel.json`, "github:ostinato-test/kit"];
    // the good banks only (broken has files that fail by design)
    const [a, b] = await Promise.all([run(["sounds", "fetch", ...sources]), run(["sounds", "fetch", ...sources])]);
    server.delayMs = 0;
    // Both fail for "broken" (its files are bad by design), and both say which file and why.
    for (const r of [a, b]) {
      expect(r.stderr).toMatch(/missing\/404\.wav: 404 Not Found at the URL/);
      expect(r.stdout).toMatch(/\[#+\] \d+\/\d+ files/);
    }
    for (const path of ["/strudel.json", "/gh/ostinato-test/kit/main/strudel.json", "/tree/wtone/0.wav", "/tree/wtone/1.wav", "/tree/ftone/0.flac", "/tree/mtone/0.mp3", "/tree/otone/0.ogg", "/tree/piano/a4.wav", "/gh/ostinato-test/kit/main/gtone/1.flac"]) {
      expect(server.hits.get(path), path).toBe(1);
    }
    const list = await run(["sounds", "--json"]);
    expect(list.status, list.stderr).toBe(0);
    const { sounds } = JSON.parse(list.stdout) as { sounds: { name: string; kind: string; files?: number; cached?: number; origin: string }[] };
    expect(sounds.find((s) => s.name === "bd")).toEqual({ name: "bd", kind: "drum", origin: "built-in" });
    expect(sounds.find((s) => s.name === "sawtooth")?.kind).toBe("synth");
    expect(sounds.find((s) => s.name === "piano")).toEqual({ name: "piano", kind: "sample", files: 2, cached: 2, origin: `${server.url}/strudel.json`, pitched: true });
    expect(sounds.find((s) => s.name === "gtone")).toMatchObject({ files: 2, cached: 2, origin: "github:ostinato-test/kit" });
    expect(sounds.find((s) => s.name === "broken")).toMatchObject({ files: 5, cached: 2 }); // the slow one and the good one (within the 30 s timeout)

    await server.stop();
    try {
      const text = await run(["sounds"]);
      expect(text.stdout).toMatch(/^piano\s+2 files\s+ready\s+http:\/\/127\.0\.0\.1:\d+\/strudel\.json$/m);
      const tune = join(dir, "tune.js");
      writeFileSync(tune, `samples("github:ostinato-test/kit")\ns("gtone:1")\n`);
      const r = await run(["render", tune, "-o", join(dir, "out.wav"), "--cycles", "1"]);
      expect(r.status, r.stderr).toBe(0);
      const stat = spawnSync("sox", [join(dir, "out.wav"), "-n", "stat"], { encoding: "utf8" });
      expect(Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(stat.stderr)![1])).toBeGreaterThan(0.01);
    } finally {
      server = await startSampleServer();
    }
  });

  test("a bank by name needs a known source; fetch with nothing to fetch is a usage error", async () => {
    const r = await run(["sounds", "fetch", "nosuchbank"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no bank named "nosuchbank" in the known sources/);
    const u = await run(["sounds", "fetch"]);
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/name a source \(github:user\/repo, a URL\) or a bank, or give --strudel-defaults/);
  });
});
