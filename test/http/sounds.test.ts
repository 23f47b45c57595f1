// Sounds from the world through the real server (engine on the null backend,
// live worker, REST, WebSocket) against a real sample server on 127.0.0.1: a
// live program with samples(URL) plays what it can while the rest is
// reported by file and reason; GET /api/sounds lists every sound;
// POST /api/sounds/fetch fetches a bank; POST /api/sounds/play is heard.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type RunningServer } from "../../server/http/server.ts";
import { peakFrequency } from "../engine/audio-analysis.ts";
import { startSampleServer, type SampleServer } from "../live/sample-server.ts";

const TOKEN = "sounds-test-token-0123";
const RATE = 48000;
let server: RunningServer;
let samples: SampleServer;
let base: string;
let dir: string;
let ws: WebSocket;
const warnings: string[] = [];
const saved = { cache: process.env.OSTINATO_CACHE, github: process.env.OSTINATO_GITHUB_BASE };
const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const post = (path: string, body: unknown = {}) => fetch(`${base}${path}`, { method: "POST", headers: auth, body: JSON.stringify(body) });
const get = async (path: string) => (await fetch(`${base}${path}`, { headers: auth })).json();
const until = async (what: string, ok: () => boolean, ms = 10000) => {
  for (const end = Date.now() + ms; !ok(); await sleep(20)) if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}; warnings: ${warnings.join(" | ")}`);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ostinato-sounds-http-"));
  samples = await startSampleServer();
  process.env.OSTINATO_CACHE = join(dir, "cache");
  process.env.OSTINATO_GITHUB_BASE = `${samples.url}/gh`;
  // This test is not about the watchdog: on a loaded shared machine a worker can be off the CPU for longer than the default 0.4 s hang limit.
  // (It also makes each evaluation queue 5.3 s ahead, so a sample that arrives must replace the silent events already queued.)
  server = await startServer({ port: 0, backend: "null", token: TOKEN, patternsDir: join(dir, "patterns"), stateDir: join(dir, "state"), log: () => {}, limits: { hangTimeoutMs: 5000 } });
  base = server.url;
  ws = new WebSocket(`${base.replace("http", "ws")}/ws?token=${TOKEN}`);
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data));
    if (m.type === "warning") warnings.push(m.message);
  };
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("refused"));
  });
  ws.send(JSON.stringify({ type: "subscribe", id: 1, topics: ["log"] }));
  await sleep(100);
});

afterAll(async () => {
  ws?.close();
  await server?.close();
  await samples?.stop();
  process.env.OSTINATO_CACHE = saved.cache;
  process.env.OSTINATO_GITHUB_BASE = saved.github;
  rmSync(dir, { recursive: true, force: true });
});

/** Records the output for `ms` and returns its left channel. */
async function take(name: string, ms: number): Promise<Float32Array> {
  await post("/api/record", { name });
  await sleep(ms);
  const { path } = await (await post("/api/record/stop")).json();
  const raw = spawnSync("sox", [path, "-t", "f32", "-c", "1", "-"], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.stdout.buffer, raw.stdout.byteOffset, raw.stdout.byteLength / 4);
}

/** The pitch of the first hit in a take that starts after silence (so the whole hit is there). */
function hitPitch(x: Float32Array): number {
  let quiet = 0;
  for (let i = 0; i < x.length - 20000; i++) {
    if (Math.abs(x[i]!) > 0.02 && quiet > 4800) return peakFrequency(x, RATE, 100, 2000, 16384, i + 1000);
    quiet = Math.abs(x[i]!) > 0.02 ? 0 : quiet + 1;
  }
  throw new Error(`no hit after silence in the take (peak ${x.reduce((m, v) => Math.max(m, Math.abs(v)), 0)}); warnings: ${warnings.join(" | ")}`);
}

describe("sounds from the world, live", () => {
  test("samples(URL) live: the file that cannot be had is reported by name and reason, once; the one that arrives plays at its pitch", async () => {
    const outcome = await (await post("/api/eval", { code: `samples("${samples.url}/strudel.json")\n$: s("wtone:1 broken:0").gain(0.8)` })).json();
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    const failure = `broken: cannot download ${samples.url}/tree/missing/404.wav: 404 Not Found at the URL; the rest plays`;
    await until("the 404 warning", () => warnings.includes(failure));
    let cached = 0;
    await until("wtone:1 in the cache", () => {
      void get("/api/sounds").then((l) => (cached = l.sounds.find((x: { name: string }) => x.name === "wtone")?.cached ?? 0));
      return cached === 1;
    });
    await sleep(500); // loaded by the engine's loader thread, once arrived; well within the 5.3 s the evaluation queued ahead
    const x = await take("url-live", 4500); // wtone:1 every 2 s (then 1 s of silent broken:0): at least one whole hit after silence
    expect(samples.hits.get("/tree/wtone/1.wav")).toBe(1);
    expect(hitPitch(x)).toBeCloseTo(350, 0);
    expect(warnings.filter((w) => w === failure)).toHaveLength(1);
    await post("/api/hush");
  });

  test("GET /api/sounds lists the built-in synths and drums and every bank with its files, origin and what is cached; fetch and play a bank by REST", async () => {
    const list = await get("/api/sounds");
    expect(list.sounds).toContainEqual({ name: "bd", kind: "drum", origin: "built-in" });
    expect(list.sounds).toContainEqual({ name: "sine", kind: "synth", origin: "built-in" });
    expect(list.sounds.find((s: { name: string }) => s.name === "wtone")).toEqual({ name: "wtone", kind: "sample", files: 2, cached: 1, origin: `${samples.url}/strudel.json`, pitched: false });
    expect(list.sounds.find((s: { name: string }) => s.name === "gtone")).toBeUndefined();

    const unknown = await post("/api/sounds/play", { sound: "gtone" });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toMatch(/no sound named "gtone"/);

    const fetched = await (await post("/api/sounds/fetch", { names: ["github:ostinato-test/kit", "wtone"] })).json();
    expect(fetched).toEqual({ ok: true, fetched: 3, failed: [] }); // gtone's two files and wtone:0
    const after = await get("/api/sounds");
    expect(after.sounds.find((s: { name: string }) => s.name === "gtone")).toMatchObject({ files: 2, cached: 2, origin: "github:ostinato-test/kit" });
    expect(after.sounds.find((s: { name: string }) => s.name === "wtone")).toMatchObject({ cached: 2 });

    await post("/api/record", { name: "audition" });
    await sleep(300);
    expect(await (await post("/api/sounds/play", { sound: "gtone", n: 1 })).json()).toEqual({ ok: true });
    await sleep(1200);
    const { path } = await (await post("/api/record/stop")).json();
    const raw = spawnSync("sox", [path, "-t", "f32", "-c", "1", "-"], { maxBuffer: 1 << 28 });
    expect(hitPitch(new Float32Array(raw.stdout.buffer, raw.stdout.byteOffset, raw.stdout.byteLength / 4))).toBeCloseTo(750, 0);
  });
});
