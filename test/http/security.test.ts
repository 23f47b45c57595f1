import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { createApp, MAX_BODY_BYTES } from "../../server/http/app.ts";
import { BufferStore, PatternStore } from "../../server/store/index.ts";
import type { Hono } from "hono";

const TOKEN = "test-token-123";
const HOST = "127.0.0.1:7000";
let app: Hono;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ostinato-http-"));
  app = createApp({ token: TOKEN, patterns: await PatternStore.open(join(dir, "patterns")), buffers: await BufferStore.open(join(dir, "state")) });
});

function req(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return app.request(path, { ...init, headers: { host: HOST, authorization: `Bearer ${TOKEN}`, ...init.headers } });
}

describe("token", () => {
  test("no token: 401, and nothing is written", async () => {
    const res = await app.request("/api/patterns/x", { method: "PUT", body: "s('bd')", headers: { host: HOST } });
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/token/);
    expect((await req("/api/patterns/x")).status).toBe(404);
  });
  test("wrong token: 401; bearer, query and cookie tokens work", async () => {
    expect((await app.request("/api/patterns", { headers: { host: HOST, authorization: "Bearer nope" } })).status).toBe(401);
    expect((await req("/api/patterns")).status).toBe(200);
    expect((await app.request(`/api/patterns?token=${TOKEN}`, { headers: { host: HOST } })).status).toBe(200);
    expect((await app.request("/api/patterns", { headers: { host: HOST, cookie: `ostinato_token=${TOKEN}` } })).status).toBe(200);
  });
  test("the printed URL sets an HttpOnly same-site cookie and drops the token from the address", async () => {
    const res = await app.request(`/?token=${TOKEN}`, { headers: { host: HOST } });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(res.headers.get("set-cookie")).toMatch(/ostinato_token=test-token-123;.*HttpOnly.*SameSite=Strict/i);
  });
  test("/metrics and /ws need the token too", async () => {
    expect((await app.request("/metrics", { headers: { host: HOST } })).status).toBe(401);
    expect((await app.request("/ws", { headers: { host: HOST, upgrade: "websocket" } })).status).toBe(401);
  });
});

describe("origin and host", () => {
  test("Host: evil.example is refused (DNS rebinding)", async () => {
    const res = await req("/api/patterns", { headers: { host: "evil.example" } });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/Host "evil.example"/);
  });
  test("localhost and IP literals are accepted", async () => {
    for (const host of ["localhost:7000", "127.0.0.1:7000", "[::1]:7000", "192.168.1.20:7000"]) {
      expect((await req("/api/patterns", { headers: { host } })).status, host).toBe(200);
    }
  });
  test("a mutating request from another origin is refused; same origin and no origin pass", async () => {
    const put = (origin?: string) => req("/api/patterns/o", { method: "PUT", body: "1", headers: origin ? { origin } : {} });
    expect((await put("http://evil.example")).status).toBe(403);
    expect((await put("null")).status).toBe(403);
    expect((await put(`http://${HOST}`)).status).toBe(200);
    expect((await put()).status).toBe(200);
  });
  test("a cross-origin WebSocket upgrade is refused", async () => {
    const res = await req("/ws", { headers: { upgrade: "websocket", origin: "http://evil.example" } });
    expect(res.status).toBe(403);
  });
});

describe("bodies", () => {
  test("a 10 MB body gets 413", async () => {
    const res = await req("/api/patterns/big", { method: "PUT", body: "x".repeat(10 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toMatch(String(MAX_BODY_BYTES));
  });
  test("malformed JSON gets 400 with a message", async () => {
    const res = await req("/api/patterns/j", { method: "PUT", body: "{nope", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/malformed JSON/);
  });
  test("a wrong field gets 400 naming the field", async () => {
    const res = await req("/api/patterns/j", { method: "PUT", body: JSON.stringify({ code: 42 }), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/field `code`/);
  });
});

describe("pattern files", () => {
  test("../../etc/passwd as a name is refused", async () => {
    const encoded = await req(`/api/patterns/${encodeURIComponent("../../etc/passwd")}`);
    expect(encoded.status).toBe(400);
    const raw = await req("/api/patterns/../../etc/passwd");
    expect([400, 404]).toContain(raw.status);
    expect(await raw.text()).not.toMatch(/root:/);
  });
  test("write, read, list, delete", async () => {
    expect((await req("/api/patterns/beat", { method: "PUT", body: `s("bd*4")` })).status).toBe(200);
    expect(await (await req("/api/patterns/beat")).json()).toEqual({ name: "beat", code: `s("bd*4")` });
    expect((await (await req("/api/patterns")).json()).patterns.map((p: { name: string }) => p.name)).toContain("beat.js");
    expect((await req("/api/patterns/beat", { method: "DELETE" })).status).toBe(200);
    expect((await req("/api/patterns/beat")).status).toBe(404);
  });
});
