// The API's edges, on the real server: one error shape for REST and the
// WebSocket, 405 with Allow, 429 with Retry-After, the body rule, a malformed
// Host, the headers, the rate limit per client, a failed save beside a
// successful evaluation.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type RunningServer } from "../../server/http/server.ts";
import type { ServerMessage } from "../../server/http/protocol.ts";

const TOKEN = "api-test-token-0123";
let server: RunningServer;
let base: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ostinato-api-"));
  server = await startServer({ port: 0, backend: "null", token: TOKEN, patternsDir: join(dir, "patterns"), stateDir: join(dir, "state"), log: () => {} });
  base = server.url;
});
afterAll(async () => {
  await server?.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const api = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } });
const isErrorShape = (body: unknown, code: string) => expect(body).toEqual({ ok: false, error: expect.objectContaining({ message: expect.any(String), code }) });

/** A raw HTTP/1.1 exchange (any Host header): the whole answer as text. */
function raw(request: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), "127.0.0.1", () => sock.write(request));
    let data = "";
    sock.on("data", (d) => (data += d.toString()));
    sock.on("end", () => resolve(data));
    sock.on("error", reject);
  });
}

describe("one error shape", () => {
  test("REST: {ok:false, error:{message, code}} for every refusal", async () => {
    isErrorShape(await (await fetch(`${base}/api/state`)).json(), "unauthorized");
    isErrorShape(await (await api("/api/nowhere")).json(), "not_found");
    isErrorShape(await (await api("/api/patterns/nope")).json(), "not_found");
    isErrorShape(await (await api("/api/tempo", { method: "PUT", body: JSON.stringify({ cps: 1e9 }) })).json(), "bad_request");
    isErrorShape(await (await api("/api/tempo", { method: "PUT", body: JSON.stringify({ cps: "fast" }) })).json(), "invalid_request");
    isErrorShape(await (await api("/api/tempo", { method: "PUT", headers: { "content-type": "application/json" }, body: "{" })).json(), "invalid_json");
    isErrorShape(await (await api("/api/record/stop", { method: "POST" })).json(), "conflict");
    isErrorShape(await (await api("/api/patterns/a%2Fb")).json(), "invalid_name");
    isErrorShape(await (await api("/api/eval", { method: "POST", body: "x".repeat(3 * 1024 * 1024) })).json(), "too_large");
    const program = await (await api("/api/eval", { method: "POST", body: JSON.stringify({ code: "s(", buffer: "shape" }) })).json();
    expect(program).toEqual({ ok: false, buffer: "shape", error: expect.objectContaining({ code: "program_error", message: expect.any(String), phase: "syntax", line: 1 }) });
  });

  test("WebSocket: the same error object in a failed reply; a message without id is answered only when it fails, with id null", async () => {
    const ws = new WebSocket(`${base.replace("http", "ws")}/ws?token=${TOKEN}`);
    const replies: Extract<ServerMessage, { type: "reply" }>[] = [];
    ws.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as ServerMessage;
      if (m.type === "reply") replies.push(m);
    };
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("refused"));
    });
    try {
      ws.send(JSON.stringify({ type: "ping" })); // no id, succeeds: no reply
      ws.send(JSON.stringify({ type: "tempo", cps: 1e9 })); // no id, fails: a reply with id null
      ws.send(JSON.stringify({ type: "readPattern", id: 5, name: "nope" }));
      ws.send(JSON.stringify({ type: "eval", id: 6, code: "s(", buffer: "wsshape" }));
      ws.send(JSON.stringify({ type: "ping", id: 7 }));
      for (let i = 0; i < 300 && replies.length < 4; i++) await sleep(10);
      await sleep(100); // nothing more comes (the first ping gets no reply)
      const byId = (id: number | null) => replies.find((r) => r.id === id);
      expect(replies.map((r) => r.id).sort()).toEqual([5, 6, 7, null]);
      expect(byId(7)).toMatchObject({ ok: true, data: { serverTime: expect.any(Number) } });
      expect(byId(null)).toEqual({ type: "reply", id: null, ok: false, error: expect.objectContaining({ code: "bad_request", message: expect.stringMatching(/between 0.01 and 100/) }) });
      expect(byId(5)).toMatchObject({ ok: false, error: { code: "not_found", message: expect.any(String) } });
      expect(byId(6)).toMatchObject({ ok: false, error: { code: "program_error", phase: "syntax", line: 1 } });
    } finally {
      ws.close();
    }
  });
});

describe("GET /auth", () => {
  test("says whether the request carries the token, never with a 401 (the editor asks before it connects)", async () => {
    const without = await fetch(`${base}/auth`);
    expect(without.status).toBe(200);
    expect(await without.json()).toEqual({ ok: true, authenticated: false, role: null });
    expect(await (await fetch(`${base}/auth`, { headers: { cookie: `ostinato_token=${TOKEN}` } })).json()).toEqual({ ok: true, authenticated: true, role: "owner" });
    expect(await (await fetch(`${base}/auth`, { headers: { cookie: "ostinato_token=wrong-token-000" } })).json()).toEqual({ ok: true, authenticated: false, role: null });
  });
});

describe("a script's buffers", () => {
  test("a REST evaluation into a new buffer saves it without opening it in the editors' tabs; an open one stays open", async () => {
    const evalInto = (buffer: string) => api("/api/eval", { method: "POST", headers: { "x-ostinato-client": "buffers" }, body: JSON.stringify({ code: "silence", buffer }) });
    expect((await evalInto("script-only")).status).toBe(200);
    const listed = async () => ((await (await api("/api/buffers")).json()).buffers as { name: string }[]).map((b) => b.name);
    expect(await listed()).not.toContain("script-only");
    expect(readFileSync(join(dir, "state", "buffers", "script-only.js"), "utf8")).toBe("silence");
    // a buffer a musician's editor has open is not closed by a script's evaluation
    const ws = new WebSocket(`${base.replace("http", "ws")}/ws?token=${TOKEN}`);
    await new Promise<void>((resolve) => (ws.onopen = () => resolve()));
    ws.send(JSON.stringify({ type: "save", id: 1, buffer: "shared-open", code: "// mine" }));
    for (let i = 0; i < 100 && !(await listed()).includes("shared-open"); i++) await sleep(20);
    ws.close();
    expect((await evalInto("shared-open")).status).toBe(200);
    expect(await listed()).toContain("shared-open");
  });
});

describe("methods and limits", () => {
  test("a wrong method is 405 with Allow", async () => {
    const res = await api("/api/state", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    isErrorShape(await res.json(), "method_not_allowed");
    const patterns = await api("/api/patterns/x", { method: "POST", body: "1" });
    expect(patterns.status).toBe(405);
    expect(patterns.headers.get("allow")).toBe("DELETE, GET, HEAD, PUT");
    expect((await api("/api/eval")).headers.get("allow")).toBe("POST");
  });

  test("too many evaluations: 429 with Retry-After; the limit is per client, not per address", async () => {
    const evalAs = (client: string) => api("/api/eval", { method: "POST", headers: { "x-ostinato-client": client }, body: JSON.stringify({ code: "silence", buffer: "limit" }) });
    let limited: Response | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const r = await evalAs("loop");
      if (r.status === 429) limited = r;
    }
    expect(limited, "a client evaluating in a loop is limited").toBeDefined();
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = await limited!.json();
    isErrorShape(body, "rate_limited");
    expect(body.error.retryAfter).toBeGreaterThan(0);
    // another script on the same machine (same address) is not held up by the first
    expect((await evalAs("other")).status).toBe(200);
  });
});

describe("the body rule (validate.ts): JSON by content type, else a JSON object is JSON and anything else is code", () => {
  test("PUT /api/patterns: a JSON object without a content type is JSON; text is text; text/plain is always text", async () => {
    await api("/api/patterns/j1", { method: "PUT", body: JSON.stringify({ code: `s("bd")` }) });
    expect((await (await api("/api/patterns/j1")).json()).code).toBe(`s("bd")`);
    await api("/api/patterns/j2", { method: "PUT", body: `s("hh*8")` });
    expect((await (await api("/api/patterns/j2")).json()).code).toBe(`s("hh*8")`);
    await api("/api/patterns/j3", { method: "PUT", headers: { "content-type": "text/plain" }, body: `{"code":"x"}` });
    expect((await (await api("/api/patterns/j3")).json()).code).toBe(`{"code":"x"}`);
  });
  test("POST /api/eval takes the code as text too", async () => {
    const res = await api("/api/eval", { method: "POST", headers: { "x-ostinato-client": "text-body" }, body: `note("c3").s("sine")` });
    expect(await res.json()).toMatchObject({ ok: true, buffer: "main", slots: ["main"] });
  });
});

describe("headers and internals", () => {
  test("a malformed Host (127.0.0.1:PORT@evil.com) is refused in the error shape, never Bun's error page", async () => {
    const { port } = new URL(base);
    for (const host of [`127.0.0.1:${port}@evil.com`, `127.0.0.1:${port}/x`, "[::1", "a b"]) {
      const answer = await raw(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(answer, host).toMatch(/^HTTP\/1\.1 (400|403) /);
      const body = answer.slice(answer.indexOf("\r\n\r\n") + 4);
      expect(body.length, host).toBeLessThan(1000);
      expect(body, host).not.toMatch(/<html|\.ts:\d|node_modules|\/work\//i);
      isErrorShape(JSON.parse(body), "forbidden");
    }
  });

  test("the page has its CSP as a header with frame-ancestors 'none'; every answer has nosniff; the token's answers are not stored", async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    const landing = await fetch(`${base}/?token=${TOKEN}`, { redirect: "manual" });
    expect(landing.status).toBe(302);
    expect(landing.headers.get("cache-control")).toBe("no-store");
    for (const res of [page, landing, await api("/api/state"), await fetch(`${base}/api/state`), await api("/metrics"), await api("/api/nowhere")]) {
      expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
    }
    for (const res of [await api("/api/state"), await api("/api/buffers"), await api("/metrics"), await fetch(`${base}/api/state`)]) {
      expect(res.headers.get("cache-control"), res.url).toBe("no-store");
    }
  });
});

describe("a failed save does not hide a successful evaluation", () => {
  test("the answer is the evaluation's, with saveError beside it; the music plays", async () => {
    // the buffer's file cannot be replaced: a folder stands where it goes
    mkdirSync(join(dir, "state", "buffers", "blocked.js"), { recursive: true });
    try {
      const res = await api("/api/eval", { method: "POST", headers: { "x-ostinato-client": "save" }, body: JSON.stringify({ code: `note("c3*4").s("sine")`, buffer: "blocked" }) });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ ok: true, slots: ["blocked"], saveError: { code: "save_failed", message: expect.stringMatching(/saving buffer "blocked" failed: .*the evaluation plays/) } });
      const state = await (await api("/api/state")).json();
      expect(state.slots.map((s: { id: string }) => s.id)).toContain("blocked");
    } finally {
      rmSync(join(dir, "state", "buffers", "blocked.js"), { recursive: true, force: true });
      await api("/api/hush", { method: "POST" });
    }
  });
});

describe("unknown sounds", () => {
  test("every evaluation that uses one says so, with the closest names", async () => {
    const evaluate = async () => (await api("/api/eval", { method: "POST", headers: { "x-ostinato-client": "sounds" }, body: JSON.stringify({ code: `s("kick sd snare bdd")`, buffer: "sounds" }) })).json();
    for (let i = 0; i < 2; i++) {
      const body = await evaluate();
      expect(body).toMatchObject({ ok: true, slots: ["sounds"] });
      expect(body.warnings).toEqual([
        "bdd: unknown sound; did you mean bd? (it plays nothing)",
        "kick: unknown sound; did you mean bd? (it plays nothing)",
        "snare: unknown sound; did you mean sd? (it plays nothing)",
      ]);
    }
    const known = await (await api("/api/eval", { method: "POST", headers: { "x-ostinato-client": "sounds" }, body: JSON.stringify({ code: `s("bd sd")`, buffer: "sounds" }) })).json();
    expect(known.warnings).toBeUndefined();
    await api("/api/hush", { method: "POST" });
  });
});
