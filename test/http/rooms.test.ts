// Shared buffers on the real server: Yjs editors over /ws/doc converge,
// an edit is acknowledged only once it is on disk and survives a restart,
// a view token is refused by the server, guest tokens are made, listed and
// revoked over REST, evaluations say who made them.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type RunningServer } from "../../server/http/server.ts";
import { connectEditor, until, type Editor } from "./shared.ts";

const TOKEN = "rooms-test-token-0123";
let dir: string;
let server: RunningServer;
const open: Editor[] = [];

const start = (port = 0) => startServer({ port, backend: "null", token: TOKEN, patternsDir: join(dir, "patterns"), stateDir: join(dir, "state"), log: () => {} });
const api = (path: string, init: RequestInit = {}, token = TOKEN) =>
  fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers as Record<string, string>) } });
const editor = (buffer: string, token = TOKEN) => {
  const e = connectEditor(server.url, token, buffer);
  open.push(e);
  return e;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ostinato-rooms-"));
  server = await start();
});
afterAll(async () => {
  for (const e of open) e.close();
  await server?.close();
});

describe("shared buffers", () => {
  test("two editors typing at the same place converge; every edit is acknowledged, then in the buffer store", async () => {
    const a = editor("duet");
    const b = editor("duet");
    await until("both synced", () => a.shared.synced && b.shared.synced);
    a.text.insert(0, "AAAA");
    b.text.insert(0, "BBBB");
    await until("convergence", () => a.text.toString().length === 8 && a.text.toString() === b.text.toString());
    expect(a.text.toString()).toMatch(/^(AAAABBBB|BBBBAAAA)$/);
    await until("acks", () => a.shared.pending === 0 && b.shared.pending === 0);
    const mirrored = async () => ((await (await api("/api/buffers")).json()) as { buffers: { name: string; code: string }[] }).buffers.find((x) => x.name === "duet")?.code;
    await until("the buffer store's copy", async () => (await mirrored()) === a.text.toString());
    // An editor's stale copy, saved with an evaluation, does not replace the shared text.
    expect((await api("/api/eval", { method: "POST", body: JSON.stringify({ code: "s('hh')", text: "stale copy", buffer: "duet" }) })).ok).toBe(true);
    expect(await mirrored()).toBe(a.text.toString());
  });

  test("a buffer shared for the first time starts from its saved text", async () => {
    const saved = await api("/api/eval", { method: "POST", body: JSON.stringify({ code: "s('bd')", buffer: "old" }) });
    expect(saved.ok).toBe(true);
    const a = editor("old");
    await until("sync", () => a.shared.synced);
    expect(a.text.toString()).toBe("s('bd')");
  });

  test("a view token reads but the server refuses its edits", async () => {
    const made = await api("/api/tokens", { method: "POST", body: JSON.stringify({ role: "view", label: "projector" }) });
    expect(made.status).toBe(201);
    const { token, id } = (await made.json()) as { token: string; id: string };
    const owner = editor("watched");
    const view = editor("watched", token);
    await until("sync", () => owner.shared.synced && view.shared.synced);
    owner.text.insert(0, "note(60)");
    await until("the view sees it", () => view.text.toString() === "note(60)");
    view.text.insert(0, "hush()//");
    await until("a refusal", () => view.refused.length > 0);
    expect(view.refused[0]).toMatch(/view token/);
    const fresh = editor("watched");
    await until("a fresh editor's sync", () => fresh.shared.synced);
    expect(fresh.text.toString()).toBe("note(60)");
    // Over REST too: a view token may read, not evaluate; only the owner manages tokens.
    expect((await api("/api/state", {}, token)).status).toBe(200);
    expect((await api("/api/eval", { method: "POST", body: JSON.stringify({ code: "s('bd')" }) }, token)).status).toBe(403);
    expect((await api("/api/tokens", {}, token)).status).toBe(403);
    const listed = (await (await api("/api/tokens")).json()) as { tokens: { id: string; role: string; label: string }[] };
    expect(listed.tokens).toContainEqual(expect.objectContaining({ id, role: "view", label: "projector" }));
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await api(`/api/tokens/${id}`, { method: "DELETE" })).status).toBe(200);
    expect((await api("/api/state", {}, token)).status).toBe(401);
    await until("the revoked token's socket closed", () => !view.shared.connected);
  });

  test("the CLI makes, lists and revokes guest tokens of the running server", async () => {
    // Asynchronous: this process is the server, and must keep answering while the CLI runs.
    const cli = (...args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) =>
        execFile(join(process.cwd(), "node_modules", ".bin", "bun"), ["server/cli.ts", "token", ...args, "--url", server.url, "--token", TOKEN], (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        ),
      );
    const made = await cli("create", "--role", "edit", "--label", "bass player", "--json");
    expect(made.code, made.out).toBe(0);
    const { id, token, url } = JSON.parse(made.out) as { id: string; token: string; url: string };
    expect(url).toBe(`${server.url}/?token=${token}`);
    expect((await api("/api/state", {}, token)).status).toBe(200);
    const listed = await cli("list");
    expect(listed.out).toContain(id);
    expect(listed.out).toContain("bass player");
    expect(listed.out).not.toContain(token);
    expect((await cli("revoke", id)).code).toBe(0);
    expect((await api("/api/state", {}, token)).status).toBe(401);
    const bad = await cli("create", "--role", "admin");
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/--role edit or --role view/);
  });

  test("an edit token types and evaluates; the evaluation and the slot say who", async () => {
    const { token } = (await (await api("/api/tokens", { method: "POST", body: JSON.stringify({ role: "edit" }) })).json()) as { token: string };
    const guest = editor("guest", token);
    await until("sync", () => guest.shared.synced);
    guest.text.insert(0, "$lead: note(62)");
    await until("ack", () => guest.shared.pending === 0);
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/ws?token=${token}`);
    const messages: any[] = [];
    ws.onmessage = (e) => messages.push(JSON.parse(e.data as string));
    await until("hello", () => messages.find((m) => m.type === "hello"));
    expect(messages.find((m) => m.type === "hello").role).toBe("edit");
    ws.send(JSON.stringify({ type: "identify", id: 1, name: "Ada", color: "#ff8800" }));
    ws.send(JSON.stringify({ type: "eval", id: 2, buffer: "guest", code: "$lead: note(62)" }));
    const evaluated = await until("evaluated", () => messages.find((m) => m.type === "evaluated" && m.buffer === "guest"));
    expect(evaluated).toMatchObject({ ok: true, name: "Ada", color: "#ff8800" });
    await until("the reply", () => messages.find((m) => m.type === "reply" && m.id === 2));
    const state = (await (await api("/api/state")).json()) as { slots: { id: string; by?: string }[] };
    expect(state.slots.find((s) => s.id === "$lead"), JSON.stringify(state.slots)).toMatchObject({ by: "Ada" });
    ws.close();
  });

  test("acknowledged edits survive a restart, and an editor that kept typing while the server was down merges when it is back", async () => {
    const a = editor("song");
    const b = editor("song");
    await until("sync", () => a.shared.synced && b.shared.synced);
    a.text.insert(0, "one ");
    await until("ack", () => a.shared.pending === 0);
    const port = server.port;
    await server.close();
    await until("both see the server gone", () => !a.shared.connected && !b.shared.connected);
    // The server is down; both keep typing.
    a.text.insert(a.text.length, "two ");
    b.text.insert(0, "zero ");
    expect(a.shared.pending).toBeGreaterThan(0);
    server = await start(port);
    const c = editor("song");
    await until("c's sync", () => c.shared.synced);
    // They reconnect by themselves and merge.
    await until("everything merged", () => [a, b, c].every((e) => e.text.toString() === "zero one two "), 10_000);
    await until("all acknowledged", () => a.shared.pending === 0 && b.shared.pending === 0);
  });
});
