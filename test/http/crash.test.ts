import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
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

async function startServe(): Promise<{ child: ChildProcess; url: string }> {
  const bun = join(process.cwd(), "node_modules", ".bin", "bun");
  const child = spawn(bun, ["server/cli.ts", "serve", "--port", "0", "--backend", "null", "--token", TOKEN, "--patterns", patternsDir, "--state", stateDir], {
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
