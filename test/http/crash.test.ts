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
  test("SIGKILL in the middle of a stream of saves leaves every file old or new; after a restart the buffers are back", async () => {
    const first = await startServe();
    const ws = new WebSocket(`${first.url.replace("http", "ws")}/ws?token=${TOKEN}`);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("ws refused"));
    });
    let replies = 0;
    ws.onmessage = (e) => {
      if (JSON.parse(String(e.data)).type === "reply") replies++;
    };
    // a stream of saves: buffers and pattern files, several names, growing versions
    let v = 0;
    const pump = setInterval(() => {
      for (let i = 0; i < 4; i++) {
        v++;
        ws.send(JSON.stringify({ type: "save", id: v, buffer: `buf${v % 3}`, code: content(v) }));
        ws.send(JSON.stringify({ type: "writePattern", id: 100000 + v, name: `pat${v % 3}`, code: content(v) }));
      }
    }, 5);
    await new Promise((r) => setTimeout(r, 700));
    expect(replies).toBeGreaterThan(20); // the saves really were being written
    first.child.kill("SIGKILL");
    clearInterval(pump);
    await new Promise((r) => first.child.once("exit", r));

    const patternFiles = readdirSync(patternsDir).filter((f) => f.endsWith(".js"));
    expect(patternFiles.sort()).toEqual(["pat0.js", "pat1.js", "pat2.js"]);
    for (const f of patternFiles) expect(whole(readFileSync(join(patternsDir, f), "utf8")), f).toBe(true);
    for (const f of readdirSync(join(stateDir, "buffers"))) {
      if (f.endsWith(".js")) expect(whole(readFileSync(join(stateDir, "buffers", f), "utf8")), f).toBe(true);
    }

    const second = await startServe();
    const buffers = await (await fetch(`${second.url}/api/buffers`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(buffers.buffers.map((b: { name: string }) => b.name).sort()).toEqual(["buf0", "buf1", "buf2"]);
    for (const b of buffers.buffers) expect(whole(b.code)).toBe(true);
    // a leftover temp file from the killed writer is never listed as a pattern
    const listed = await (await fetch(`${second.url}/api/patterns`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(listed.patterns.map((p: { name: string }) => p.name).sort()).toEqual(["pat0.js", "pat1.js", "pat2.js"]);
    second.child.kill("SIGTERM");
  }, 30_000);
});
