import { mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type RunningServer } from "../../server/http/server.ts";
import type { ServerMessage } from "../../server/http/protocol.ts";

// The real server on a loopback port: engine (null backend), live worker,
// stores, Hono, Bun.serve; real HTTP and WebSocket clients.
const TOKEN = "integration-token-0123";
let server: RunningServer;
let base: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ostinato-server-"));
  server = await startServer({ port: 0, backend: "null", token: TOKEN, patternsDir: join(dir, "patterns"), stateDir: join(dir, "state"), log: () => {} });
  base = server.url;
});

afterAll(async () => {
  await server?.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond` holds: patience, not a time asserted. */
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
}

async function eventsPlayed(): Promise<number> {
  const state = await (await fetch(`${base}/api/state`, { headers: auth })).json();
  return state.telemetry.eventsPlayed;
}

type Client = { ws: WebSocket; messages: ServerMessage[]; opened: Promise<void> };

function client(opts: { token?: string; headers?: Record<string, string> } = {}): Client {
  const url = `${base.replace("http", "ws")}/ws${opts.token === undefined ? `?token=${TOKEN}` : opts.token ? `?token=${opts.token}` : ""}`;
  const ws = new WebSocket(url, { headers: opts.headers } as never);
  const messages: ServerMessage[] = [];
  ws.onmessage = (e) => messages.push(JSON.parse(String(e.data)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("WebSocket refused"));
  });
  return { ws, messages, opened };
}

/** Sends a raw HTTP/1.1 request (to set any Host header) and returns the status code. */
function rawStatus(request: string): Promise<number> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), "127.0.0.1", () => sock.write(request));
    let data = "";
    sock.on("data", (d) => {
      data += d.toString();
      const m = /^HTTP\/1\.1 (\d+)/.exec(data);
      if (m) {
        resolve(Number(m[1]));
        sock.destroy();
      }
    });
    sock.on("error", reject);
  });
}

describe("REST", () => {
  test("evaluating through REST makes the engine play", async () => {
    const before = await eventsPlayed();
    const res = await fetch(`${base}/api/eval`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ code: `note("c3*16").s("sine").decay(0.05).sustain(0)` }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, slots: ["main"] });
    await sleep(1000);
    // 8 events a second at the default 0.5 cps
    expect(await eventsPlayed()).toBeGreaterThanOrEqual(before + 6);
  });

  test("an evaluation error is 422 with line and column, and the music keeps playing", async () => {
    const res = await fetch(`${base}/api/eval`, { method: "POST", headers: auth, body: JSON.stringify({ code: `s("bd")\n  .fast(` }) });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body).toMatchObject({ ok: false, error: { code: "program_error", phase: "syntax", line: 2, message: expect.any(String) } });
    const before = await eventsPlayed();
    await sleep(600);
    expect(await eventsPlayed()).toBeGreaterThan(before);
  });

  test("tempo: get, set, and absurd values refused", async () => {
    const put = (body: unknown) => fetch(`${base}/api/tempo`, { method: "PUT", headers: auth, body: JSON.stringify(body) });
    expect(await (await put({ cpm: 36 })).json()).toEqual({ cps: 0.6, cpm: 36 });
    await sleep(100);
    expect((await (await fetch(`${base}/api/tempo`, { headers: auth })).json()).cps).toBeCloseTo(0.6);
    const bad = await put({ cps: 1e9 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/between 0.01 and 100/);
  });

  test("no token: 401 over real HTTP; metrics with the token in Prometheus format", async () => {
    expect((await fetch(`${base}/api/state`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const text = await (await fetch(`${base}/metrics`, { headers: auth })).text();
    for (const name of ["ostinato_engine_overruns_total", "ostinato_host_xruns_total", "ostinato_render_max_seconds", "ostinato_callback_gap_max_seconds", "ostinato_late_events_total", "ostinato_cpu_load", "ostinato_active_voices", "ostinato_events_played_total", "ostinato_queue_fill", "ostinato_clients"]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge)$`, "m"));
      expect(text).toMatch(new RegExp(`^${name} [0-9.e+-]+$`, "m"));
    }
    // the render-time histogram: cumulative buckets in shares of a block, every callback counted once
    expect(text).toMatch(/^# TYPE ostinato_render_budget_share histogram$/m);
    const buckets = [...text.matchAll(/^ostinato_render_budget_share_bucket\{le="([^"]+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])] as const);
    expect(buckets.map(([le]) => le)).toEqual(["0.0625", "0.125", "0.25", "0.5", "0.75", "1", "2", "+Inf"]);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]![1]).toBeGreaterThanOrEqual(buckets[i - 1]![1]);
    const count = Number(/^ostinato_render_budget_share_count (\d+)$/m.exec(text)![1]);
    expect(count).toBe(buckets.at(-1)![1]);
    expect(count).toBeGreaterThan(0);
    expect(buckets.find(([le]) => le === "1")![1]).toBe(count); // no render over its block: no engine overrun
    expect(text).toMatch(/^ostinato_engine_overruns_total 0$/m);
  });

  test("/api/state splits the engine's health from the host's", async () => {
    const { telemetry: t, device } = await (await fetch(`${base}/api/state`, { headers: auth })).json();
    expect(t.engineOverruns).toBe(0);
    // the render kept up; an event the scheduler queued late on a loaded machine (this file runs beside
    // others) is named there too, and is asserted to be zero only in the real-time pass
    expect(t.engineProblem ?? "").not.toMatch(/overran/);
    expect(t.budgetMs).toBeCloseTo((device.blockFrames / device.sampleRate) * 1000, 6);
    expect(t.renderMaxMs).toBeGreaterThan(0);
    expect(t.renderMaxMs).toBeLessThan(t.budgetMs);
    expect(t.callbackGapMaxMs).toBeGreaterThan(0);
    expect(typeof t.hostXruns).toBe("number");
    if (t.hostXruns === 0) expect(t.hostProblem).toBeNull();
    else expect(t.hostProblem).toMatch(/the machine was busy/);
  });

  test("Host: evil.example is refused (DNS rebinding); the real host is served", async () => {
    const get = (host: string) => rawStatus(`GET /api/state HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`);
    expect(await get("evil.example")).toBe(403);
    expect(await get(new URL(base).host)).toBe(200);
  });

  test("a 10 MB body gets 413; malformed JSON gets 400 with a message", async () => {
    const big = await fetch(`${base}/api/eval`, { method: "POST", headers: auth, body: "x".repeat(10 * 1024 * 1024) });
    expect(big.status).toBe(413);
    const bad = await fetch(`${base}/api/eval`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: "{not json" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "invalid_json", message: expect.stringMatching(/malformed JSON/) });
    // without a JSON content type, a body that is no JSON object is the code itself (the body rule)
    const code = await fetch(`${base}/api/eval`, { method: "POST", headers: auth, body: "{not json" });
    expect(code.status).toBe(422);
    expect((await code.json()).error).toMatchObject({ code: "program_error", phase: "syntax" });
  });

  test("../../etc/passwd as a pattern name is refused", async () => {
    const res = await fetch(`${base}/api/patterns/${encodeURIComponent("../../etc/passwd")}`, { headers: auth });
    expect(res.status).toBe(400);
    const put = await fetch(`${base}/api/patterns/${encodeURIComponent("../../tmp/x")}`, { method: "PUT", headers: auth, body: "owned" });
    expect(put.status).toBe(400);
  });

  test("evaluations are rate-limited per client", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${base}/api/eval`, { method: "POST", headers: auth, body: JSON.stringify({ code: `note("c3").s("sine")`, buffer: "rate" }) });
      statuses.push(res.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(15);
  });
});

describe("WebSocket", () => {
  // The server pushes the clock and peaks on timers (CLOCK_HZ, PEAKS_HZ); how
  // often a timer fires on a busy machine is the host's, so the tests wait for
  // the pushes (patience) and report the rate instead of asserting it.
  test("a client receives hello, then the clock and peaks, over and over", async () => {
    const c = client();
    await c.opened;
    const t0 = performance.now();
    const count = (type: string) => c.messages.filter((m) => m.type === type).length;
    await until(() => count("clock") >= 30 && count("peaks") >= 30);
    const seconds = (performance.now() - t0) / 1000;
    c.ws.close();
    console.log(`one client: ${(count("clock") / seconds).toFixed(0)} clock and ${(count("peaks") / seconds).toFixed(0)} peaks pushes/s (host-dependent, not asserted)`);
    expect(c.messages[0]!.type).toBe("hello");
    const peaks = c.messages.filter((m) => m.type === "peaks");
    if (peaks[0]!.type === "peaks") expect(peaks[0]!.peaks).toHaveLength(2);
    // the clock moves forward, push after push
    const frames = c.messages.flatMap((m) => (m.type === "clock" ? [m.frame] : []));
    for (let i = 1; i < frames.length; i++) expect(frames[i]!).toBeGreaterThanOrEqual(frames[i - 1]!);
    expect(frames.at(-1)!).toBeGreaterThan(frames[0]!);
  });

  test("50 concurrent clients all receive updates", async () => {
    const clients = Array.from({ length: 50 }, () => client());
    await Promise.all(clients.map((c) => c.opened));
    const t0 = performance.now();
    const clocks = (c: Client) => c.messages.filter((m) => m.type === "clock").length;
    await until(() => clients.every((c) => clocks(c) >= 25));
    const seconds = (performance.now() - t0) / 1000;
    for (const c of clients) c.ws.close();
    const slowest = Math.min(...clients.map(clocks));
    console.log(`50 clients: the slowest got ${(slowest / seconds).toFixed(0)} clock pushes/s (host-dependent, not asserted)`);
    for (const c of clients) expect(c.messages[0]!.type).toBe("hello");
  });

  test("commands over the socket; what one client evaluates, the others see", async () => {
    const a = client();
    const b = client();
    await Promise.all([a.opened, b.opened]);
    a.ws.send(JSON.stringify({ type: "eval", id: 7, code: `note("e3*4").s("triangle")`, buffer: "shared" }));
    await sleep(500);
    const reply = a.messages.find((m) => m.type === "reply" && m.id === 7);
    expect(reply).toMatchObject({ ok: true, data: { ok: true, slots: ["shared"] } });
    expect(b.messages.some((m) => m.type === "evaluated" && m.buffer === "shared" && m.ok)).toBe(true);
    expect(b.messages.some((m) => m.type === "buffer" && m.buffer === "shared")).toBe(true);
    expect(b.messages.some((m) => m.type === "events" && m.events.some((e) => e.slot === "shared" && e.locations.length > 0))).toBe(true);
    a.ws.send(JSON.stringify({ type: "eval", id: 8, code: "note(" }));
    a.ws.send("{bad json");
    a.ws.send(JSON.stringify({ type: "mute", id: 9, slot: 3 }));
    await sleep(300);
    expect(a.messages.find((m) => m.type === "reply" && m.id === 8)).toMatchObject({ ok: false, error: { code: "program_error", phase: "syntax", message: expect.any(String) } });
    expect(a.messages.find((m) => m.type === "reply" && m.id === null)).toMatchObject({ ok: false, error: { code: "invalid_json", message: expect.stringMatching(/malformed JSON/) } });
    expect(a.messages.find((m) => m.type === "reply" && m.id === 9)).toMatchObject({ ok: false, error: { code: "invalid_request", message: expect.stringMatching(/field `slot`/) } });
    a.ws.close();
    b.ws.close();
  });

  test("a block's evaluation saves the whole buffer it came from; hello carries what is playing", async () => {
    const a = client();
    await a.opened;
    const whole = `// drums\nnote("c3*2").s("sine")\n\n// the block evaluated\nnote("g3*2").s("sine")`;
    a.ws.send(JSON.stringify({ type: "eval", id: 21, code: `note("g3*2").s("sine")`, text: whole, buffer: "blocks" }));
    await sleep(400);
    expect(a.messages.find((m) => m.type === "reply" && m.id === 21)).toMatchObject({ ok: true });
    const buffers = await (await fetch(`${base}/api/buffers`, { headers: auth })).json();
    expect(buffers.buffers.find((b: { name: string }) => b.name === "blocks").code).toBe(whole);
    const b = client();
    await b.opened;
    await sleep(100);
    const hello = b.messages[0]!;
    expect(hello.type).toBe("hello");
    if (hello.type === "hello") expect(hello.programs).toContainEqual({ buffer: "blocks", code: `note("g3*2").s("sine")` });
    a.ws.close();
    b.ws.close();
  });

  test("a replaced or muted slot's queued events are retracted before their replacements arrive", async () => {
    const c = client();
    await c.opened;
    c.ws.send(JSON.stringify({ type: "eval", id: 31, code: `note("c3*16").s("sine")`, buffer: "retr" }));
    await sleep(400);
    const mark = c.messages.length;
    c.ws.send(JSON.stringify({ type: "eval", id: 32, code: `note("e3*16").s("sine")`, buffer: "retr" }));
    await sleep(400);
    const after = c.messages.slice(mark);
    const retractAt = after.findIndex((m) => m.type === "retract" && m.slots !== "all" && m.slots.includes("retr"));
    expect(retractAt).toBeGreaterThanOrEqual(0);
    const retract = after[retractAt]!;
    // every event of the new pattern comes after the retraction, and none sounds before its frame
    const newEvents = after.flatMap((m, i) => (m.type === "events" ? m.events.filter((e) => e.slot === "retr" && e.value.note === "e3").map((e) => ({ i, e })) : []));
    expect(newEvents.length).toBeGreaterThan(0);
    for (const { i, e } of newEvents) {
      expect(i).toBeGreaterThan(retractAt);
      if (retract.type === "retract") expect(e.frame).toBeGreaterThanOrEqual(retract.fromFrame);
    }
    const beforeMute = c.messages.length;
    c.ws.send(JSON.stringify({ type: "mute", id: 33, slot: "retr", on: true }));
    await sleep(200);
    expect(c.messages.slice(beforeMute).some((m) => m.type === "retract" && m.slots !== "all" && m.slots.includes("retr"))).toBe(true);
    const peaks = c.messages.find((m) => m.type === "peaks");
    if (peaks?.type === "peaks") expect(typeof peaks.limiting).toBe("boolean");
    c.ws.close();
  });

  test("without the token the upgrade is refused", async () => {
    const c = client({ token: "" });
    await expect(c.opened).rejects.toThrow(/refused/);
  });

  test("a cross-origin WebSocket upgrade is refused", async () => {
    const c = client({ headers: { origin: "http://evil.example" } });
    await expect(c.opened).rejects.toThrow(/refused/);
    const same = client({ headers: { origin: base } });
    await same.opened;
    same.ws.close();
  });
});

describe("a server whose engine overruns (the test hook burns 1.5 blocks of CPU per callback)", () => {
  let slow: RunningServer;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "ostinato-server-slow-"));
    slow = await startServer({ port: 0, backend: "null", token: TOKEN, blockFrames: 256, testBurnUs: 8000, patternsDir: join(dir, "patterns"), stateDir: join(dir, "state"), log: () => {} });
  });
  afterAll(async () => {
    await slow?.close();
  });

  test("/api/state and /metrics name the engine's overruns, with what to do", async () => {
    // an overrunning render pauses as long as it took (the null backend's guard for the machine): about
    // 30 overruns a second; patient, since a loaded host stretches each 8 ms burn
    let t: any;
    for (let i = 0; i < 100 && !(t?.engineOverruns > 10); i++) {
      await sleep(100);
      t = (await (await fetch(`${slow.url}/api/state`, { headers: auth })).json()).telemetry;
    }
    expect(t.engineOverruns).toBeGreaterThan(10);
    expect(t.renderMaxMs).toBeGreaterThan(t.budgetMs);
    expect(t.engineProblem).toMatch(/^the engine overran \d+ blocks: one render took \d+\.\d ms of CPU for a 5\.3 ms block; .*--block 512/);
    const text = await (await fetch(`${slow.url}/metrics`, { headers: auth })).text();
    expect(Number(/^ostinato_engine_overruns_total (\d+)$/m.exec(text)![1])).toBeGreaterThan(10);
    const underOne = Number(/^ostinato_render_budget_share_bucket\{le="1"\} (\d+)$/m.exec(text)![1]);
    expect(underOne).toBe(0); // every render took more than its block
  });
});
