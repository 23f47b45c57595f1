// Samples and recording through the real server (engine on the null
// backend, live worker, REST, WebSocket): a program's samples are loaded
// before it plays, and a take started by a program, REST or the WebSocket
// runs until it is stopped, whatever the programs do meanwhile.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DUR_FOREVER, Engine, EventBuffer } from "../../server/engine/index.ts";
import { startServer, type RunningServer } from "../../server/http/server.ts";

const TOKEN = "sound-test-token-0123";
const RATE = 48000;
let server: RunningServer;
let base: string;
let dir: string;
const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const post = (path: string, body: unknown = {}) => fetch(`${base}${path}`, { method: "POST", headers: auth, body: JSON.stringify(body) });
const evaluate = async (code: string) => {
  const outcome = await (await post("/api/eval", { code })).json();
  if (!outcome.ok) console.log(`evaluation of ${JSON.stringify(code)} failed: ${JSON.stringify(outcome)}`); // for a failure's report
  return outcome;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ostinato-sound-"));
  // a bank with files big enough that loading one takes a while (30 s, 16-bit stereo: 11 MB decoded)
  mkdirSync(join(dir, "patterns", "banks", "pad"), { recursive: true });
  const seconds = 30;
  const data = new Float32Array(seconds * RATE * 2);
  for (let i = 0; i < data.length; i++) data[i] = 0.3 * Math.sin(i * 0.01);
  for (const name of ["a", "b", "c"]) Engine.writeAudioFile(join(dir, "patterns", "banks", "pad", `${name}.wav`), "wav16", 2, RATE, data);
  server = await startServer({ port: 0, backend: "null", token: TOKEN, patternsDir: join(dir, "patterns"), stateDir: join(dir, "state"), log: () => {} });
  base = server.url;
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A WAV's frames, read back through an engine. */
function framesOf(path: string): number {
  const engine = Engine.open({ backend: "offline" });
  try {
    const id = engine.loadSample(path);
    engine.waitSamples(30);
    const info = engine.sampleInfo(id);
    if (info.state !== "ready") throw new Error(`${path}: ${info.error}`);
    return info.frames;
  } finally {
    engine.close();
  }
}

describe("samples in a live program", () => {
  test("the samples a program names are loaded before its evaluation answers: no first hit is silent", async () => {
    const outcome = await evaluate(`samples("banks")\n$: s("[pad:0 pad:1 pad:2]*2").gain(0.5)`);
    expect(outcome).toMatchObject({ ok: true });
    // the same paths give the same slots: ask the engine about them right away
    for (const name of ["a", "b", "c"]) {
      const id = server.engine.loadSample(join(dir, "patterns", "banks", "pad", `${name}.wav`));
      expect(server.engine.sampleInfo(id).state, name).toBe("ready");
    }
    await sleep(1000);
    const t = server.engine.telemetry();
    expect(t.samplesNotReady).toBe(0);
    expect(t.eventsPlayed).toBeGreaterThan(0);
    await post("/api/hush");
  });
});

describe("recording", () => {
  test("a program's record() starts a take that outlives the program; REST stops it", async () => {
    const started = await evaluate(`record("from-program")\n$: s("bd*4")`);
    expect(started).toMatchObject({ ok: true });
    await sleep(100);
    const status = await (await fetch(`${base}/api/record`, { headers: auth })).json();
    expect(status).toMatchObject({ recording: true, name: "from-program.wav" });
    // another program replaces it, then everything is hushed: the take goes on
    expect(await evaluate(`$: s("hh*8")`)).toMatchObject({ ok: true });
    await sleep(300);
    await post("/api/hush");
    await sleep(300);
    const res = await post("/api/record/stop");
    expect(res.status).toBe(200);
    const take = await res.json();
    expect(take.path).toBe(join(dir, "patterns", "recordings", "from-program.wav"));
    expect(take.dropped).toBe(0);
    expect(take.seconds).toBeGreaterThan(0.6);
    expect(framesOf(take.path)).toBe(take.frames);
    expect(await (await fetch(`${base}/api/record`, { headers: auth })).json()).toEqual({ recording: false });
  });

  test("REST: start with a name (never overwriting a take), 409 when busy or idle, 400 for a bad name", async () => {
    const first = await (await post("/api/record", { name: "rest" })).json();
    expect(first.path).toBe(join(dir, "patterns", "recordings", "rest.wav"));
    expect((await post("/api/record", { name: "again" })).status).toBe(409);
    await sleep(100);
    expect((await post("/api/record/stop")).status).toBe(200);
    expect((await post("/api/record/stop")).status).toBe(409);
    const second = await (await post("/api/record", { name: "rest" })).json();
    expect(second.path).toBe(join(dir, "patterns", "recordings", "rest-1.wav"));
    await post("/api/record/stop");
    const bad = await post("/api/record", { name: "../outside" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "bad_request", message: expect.stringMatching(/letters, digits/) });
  });

  test("WebSocket: record, recordStatus, recordStop", async () => {
    const ws = new WebSocket(`${base.replace("http", "ws")}/ws?token=${TOKEN}`);
    const replies = new Map<number, { ok: boolean; data?: any; error?: string }>();
    ws.onmessage = (e) => {
      const m = JSON.parse(String(e.data));
      if (m.type === "reply") replies.set(m.id, m);
    };
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("refused"));
    });
    const ask = async (id: number, msg: Record<string, unknown>) => {
      ws.send(JSON.stringify({ id, ...msg }));
      for (let i = 0; i < 200 && !replies.has(id); i++) await sleep(10);
      return replies.get(id)!;
    };
    try {
      expect((await ask(1, { type: "record", name: "ws-take" })).data.path).toBe(join(dir, "patterns", "recordings", "ws-take.wav"));
      await sleep(200);
      const status = await ask(2, { type: "recordStatus" });
      expect(status.data).toMatchObject({ recording: true, name: "ws-take.wav" });
      expect(status.data.frames).toBeGreaterThan(0);
      const stopped = await ask(3, { type: "recordStop" });
      expect(stopped.ok).toBe(true);
      expect(framesOf(stopped.data.path)).toBe(stopped.data.frames);
      expect((await ask(4, { type: "recordStop" })).ok).toBe(false);
    } finally {
      ws.close();
    }
  });
});

describe("engine checks the routes need", () => {
  test("an event with an orbit past the configured count wraps instead of failing", () => {
    const engine = Engine.open({ backend: "offline", orbits: 12 });
    try {
      const buf = new EventBuffer(1);
      buf.add({ s: "sine", orbit: 30, room: 0.5 }, 0, DUR_FOREVER);
      engine.push(buf);
      expect(engine.render(4800).some((x) => x !== 0)).toBe(true);
    } finally {
      engine.close();
    }
  });
});
