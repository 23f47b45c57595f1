import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawn, type ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";

// The server as a user runs it (bun server/cli.ts serve), killed with SIGKILL
// in the middle of a stream of saves, then started again on the same directories.
const TOKEN = "crash-test-token-42";
const dir = mkdtempSync(join(tmpdir(), "ostinato-crash-"));
const patternsDir = join(dir, "patterns");
const stateDir = join(dir, "state");
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
});

async function startServe(extra: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const bun = join(process.cwd(), "node_modules", ".bin", "bun");
  const child = spawn(bun, ["server/cli.ts", "serve", "--port", "0", "--backend", "null", "--token", TOKEN, "--patterns", patternsDir, "--state", stateDir, ...extra], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d.toString();
      const m = /^ostinato (http:\/\/\S+)/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
  return { child, url };
}

/** Every version of every file is "// v N" + a body of N's length marker, so a partial file is detectable. */
const content = (v: number) => `// v ${v}\n${"x".repeat(200_000)}\n// end ${v}\n`;
const whole = (text: string) => {
  const m = /^\/\/ v (\d+)\n(x*)\n\/\/ end (\d+)\n$/.exec(text);
  return m !== null && m[1] === m[3] && m[2]!.length === 200_000;
};

describe("a killed server loses nothing", () => {
  test("SIGKILL in the middle of a stream of saves: every file old or new, every acknowledged save durable, buffers back after a restart", async () => {
    const first = await startServe();
    const ws = new WebSocket(`${first.url.replace("http", "ws")}/ws?token=${TOKEN}`);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("ws refused"));
    });
    // what each save was, by message id, and the newest acknowledged version per file
    const sent = new Map<number, { kind: "buffer" | "pattern"; name: string; version: number }>();
    const acknowledged = new Map<string, number>();
    let replies = 0;
    ws.onmessage = (e) => {
      const m = JSON.parse(String(e.data));
      if (m.type !== "reply" || !m.ok) return;
      const save = sent.get(m.id);
      if (!save) return;
      replies++;
      const key = `${save.kind}:${save.name}`;
      acknowledged.set(key, Math.max(acknowledged.get(key) ?? 0, save.version));
    };
    let v = 0;
    const pump = setInterval(() => {
      for (let i = 0; i < 4; i++) {
        v++;
        sent.set(v, { kind: "buffer", name: `buf${v % 3}`, version: v });
        ws.send(JSON.stringify({ type: "save", id: v, buffer: `buf${v % 3}`, code: content(v) }));
        sent.set(100000 + v, { kind: "pattern", name: `pat${v % 3}`, version: v });
        ws.send(JSON.stringify({ type: "writePattern", id: 100000 + v, name: `pat${v % 3}`, code: content(v) }));
      }
    }, 5);
    // kill while saves are still streaming in, once a good number were acknowledged
    const deadline = Date.now() + 10_000;
    while ((replies < 30 || acknowledged.size < 4) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(replies).toBeGreaterThanOrEqual(30);
    first.child.kill("SIGKILL");
    clearInterval(pump);
    await new Promise((r) => first.child.once("exit", r));

    const version = (text: string) => Number(/^\/\/ v (\d+)\n/.exec(text)![1]);
    for (const [key, ackedVersion] of acknowledged) {
      const [kind, name] = key.split(":") as ["buffer" | "pattern", string];
      const path = kind === "buffer" ? join(stateDir, "buffers", `${name}.js`) : join(patternsDir, `${name}.js`);
      const text = readFileSync(path, "utf8");
      expect(whole(text), `${path} is partial`).toBe(true);
      expect(version(text), `${path} lost an acknowledged save`).toBeGreaterThanOrEqual(ackedVersion);
    }
    // no file anywhere is partial, acknowledged or not
    for (const f of readdirSync(patternsDir).filter((f) => f.endsWith(".js"))) expect(whole(readFileSync(join(patternsDir, f), "utf8")), f).toBe(true);

    const second = await startServe();
    const buffers = await (await fetch(`${second.url}/api/buffers`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    const back = new Map<string, string>(buffers.buffers.map((b: { name: string; code: string }) => [b.name, b.code]));
    for (const [key, ackedVersion] of acknowledged) {
      if (!key.startsWith("buffer:")) continue;
      const code = back.get(key.slice(7));
      expect(code, `${key} did not come back`).toBeDefined();
      expect(whole(code!)).toBe(true);
      expect(version(code!)).toBeGreaterThanOrEqual(ackedVersion);
    }
    // a temp file a killed writer left behind is never listed as a pattern
    const listed = await (await fetch(`${second.url}/api/patterns`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    for (const p of listed.patterns) expect(p.name).toMatch(/^pat\d\.js$/);
    second.child.kill("SIGTERM");
  }, 40_000);
});

const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
const api = (url: string, path: string, body?: unknown, method = body === undefined ? "GET" : "POST") =>
  fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a killed server plays again", () => {

  test("kill -9 while playing, restart: the same slots play again within 2 s, muted as they were, at the same tempo; files with any name are skipped; --no-resume starts silent", async () => {
    const first = await startServe();
    expect(await api(first.url, "/api/eval", { buffer: "song", code: `$: s("bd*4").gain(0.2)\nlead: note("c4 e4").s("sine").gain(0.2)` })).toMatchObject({ ok: true });
    expect(await api(first.url, "/api/eval", { buffer: "other", code: `hats: s("hh*8").gain(0.1)` })).toMatchObject({ ok: true });
    await api(first.url, "/api/slots/lead/mute", { on: true });
    await api(first.url, "/api/tempo", { cps: 0.7 }, "PUT");
    await sleep(500); // saved within 100 ms of a change
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    // names no buffer may have, left in the buffers folder by hand
    writeFileSync(join(stateDir, "buffers", "café.js"), `s("bd")`);
    writeFileSync(join(stateDir, "buffers", "song's.js"), `s("bd")`);

    const t0 = performance.now();
    const second = await startServe();
    let state = await api(second.url, "/api/state");
    while (performance.now() - t0 < 5000 && state.slots.length < 3) {
      await sleep(50);
      state = await api(second.url, "/api/state");
    }
    const before = state.telemetry.eventsPlayed;
    await sleep(600);
    state = await api(second.url, "/api/state");
    console.log(`crash: playing again ${((performance.now() - t0) / 1000).toFixed(2)} s after the restart began (process start included)`);
    expect(state.slots.map((s: { id: string }) => s.id).sort()).toEqual(["hats", "lead", "song/$1"]);
    expect(state.slots.find((s: { id: string }) => s.id === "lead")).toMatchObject({ muted: true });
    expect(state.cps).toBeCloseTo(0.7, 9);
    expect(state.telemetry.eventsPlayed).toBeGreaterThan(before);
    // the odd names are skipped: the buffers list (what hello carries) still answers
    const buffers = await api(second.url, "/api/buffers");
    expect(Array.isArray(buffers.buffers)).toBe(true);
    for (const b of buffers.buffers as { name: string }[]) expect(b.name).not.toMatch(/café|song's/);
    const ws = new WebSocket(`${second.url.replace("http", "ws")}/ws?token=${TOKEN}`);
    const hello = await new Promise<{ type: string }>((resolve, reject) => {
      ws.onmessage = (e) => resolve(JSON.parse(String(e.data)));
      ws.onerror = () => reject(new Error("ws refused"));
    });
    expect(hello.type).toBe("hello");
    ws.close();
    second.child.kill("SIGKILL");
    await new Promise((r) => second.child.once("exit", r));

    const third = await startServe(["--no-resume"]);
    await sleep(300);
    expect((await api(third.url, "/api/state")).slots).toEqual([]);
    third.child.kill("SIGTERM");
  }, 40_000);
});

describe("serve as a user runs it keeps a standby", () => {
  const waitFor = async (url: string, ok: (s: any) => boolean, ms: number) => {
    let state = await api(url, "/api/state");
    for (const t0 = performance.now(); !ok(state) && performance.now() - t0 < ms; state = await api(url, "/api/state")) await sleep(50);
    return state;
  };
  const hang = `$: s("bd*4").gain(0.1)\nhang: s("hh*2").gain(0.1).fmap((v) => { if (globalThis.__t0 === undefined) globalThis.__t0 = Date.now(); if (Date.now() - globalThis.__t0 > 400) while (true) {} return v })`;

  test("by default a pattern function that hangs is taken over by the standby, not restarted; --no-standby restarts", async () => {
    const on = await startServe(["--no-resume"]);
    const ready = await waitFor(on.url, (s) => s.standbyReady, 10_000);
    expect(ready).toMatchObject({ standby: "on", standbyReady: true });
    expect(await api(on.url, "/api/eval", { buffer: "hangs", code: hang })).toMatchObject({ ok: true });
    const after = await waitFor(on.url, (s) => s.takeovers + s.restarts > 0, 5000);
    expect({ takeovers: after.takeovers, restarts: after.restarts }).toEqual({ takeovers: 1, restarts: 0 });
    on.child.kill("SIGKILL");
    await new Promise((r) => on.child.once("exit", r));

    const off = await startServe(["--no-resume", "--no-standby"]);
    expect(await api(off.url, "/api/state")).toMatchObject({ standby: "off", standbyReady: false });
    expect(await api(off.url, "/api/eval", { buffer: "hangs", code: hang })).toMatchObject({ ok: true });
    const restarted = await waitFor(off.url, (s) => s.takeovers + s.restarts > 0, 5000);
    expect({ takeovers: restarted.takeovers, restarts: restarted.restarts }).toEqual({ takeovers: 0, restarts: 1 });
    off.child.kill("SIGKILL");
  }, 40_000);
});
