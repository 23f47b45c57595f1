/**
 * Server benchmarks (issue 5): the server's idle CPU and memory, and the
 * cost of the WebSocket fan-out (clients × pushes per second). The server
 * runs as a child process (`bun server/cli.ts serve --backend null`) so its
 * CPU is read from /proc apart from the clients, which run here.
 *
 * `bun test/bench/run.ts server` runs it alone.
 * @module
 */
import { readFileSync } from "node:fs";
import type { BenchOptions, BenchTable } from "./registry.ts";
import { cpuSeconds, startServer } from "./server-process.ts";

export const name = "server";
export const description = "server idle CPU and memory; WebSocket fan-out cost per client and per push";

const TOKEN = "bench-token-0123456789";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Share of one core the process uses over `seconds`. */
async function cpuShare(pid: number, seconds: number): Promise<number> {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  return (cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000);
}

type Clients = { sockets: WebSocket[]; received: () => number; close(): void };

async function connect(url: string, n: number, topics?: string[]): Promise<Clients> {
  let received = 0;
  const sockets = await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`${url.replace("http", "ws")}/ws?token=${TOKEN}`);
        ws.onmessage = () => received++;
        ws.onopen = () => {
          if (topics) ws.send(JSON.stringify({ type: "subscribe", topics }));
          resolve(ws);
        };
        ws.onerror = () => reject(new Error("WebSocket refused"));
      }),
    ),
  );
  return { sockets, received: () => received, close: () => sockets.forEach((s) => s.close()) };
}

export async function run(_options: BenchOptions = { runs: 3, warmup: 1 }): Promise<BenchTable[]> {
  const server = await startServer(TOKEN, "server");
  const pid = server.child.pid!;
  try {
    await sleep(1500); // start-up settles (worker, JIT)
    const idle = await cpuShare(pid, 5);
    const idleRss = rssMB(pid);

    await fetch(`${server.url}/api/eval`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ code: `note("c3*16").s("sine").decay(0.05).sustain(0)` }),
    });
    await sleep(500);
    const playing = await cpuShare(pid, 5);

    const rows: (string | number)[][] = [];
    let perClientPush: number[] = [];
    for (const n of [1, 10, 50, 100]) {
      const clients = await connect(server.url, n, ["clock", "peaks", "events", "state", "log"]);
      await sleep(500);
      const before = clients.received();
      const t0 = performance.now();
      const share = await cpuShare(pid, 5);
      const seconds = (performance.now() - t0) / 1000;
      const pushes = (clients.received() - before) / seconds;
      clients.close();
      await sleep(300);
      const costUs = ((share - playing) / Math.max(1, pushes)) * 1e6;
      if (n >= 10) perClientPush.push(costUs);
      rows.push([n, (pushes / n).toFixed(1), pushes.toFixed(0), `${(share * 100).toFixed(1)}%`, costUs.toFixed(1), rssMB(pid).toFixed(0)]);
    }
    perClientPush = perClientPush.sort((a, b) => a - b);
    return [
      {
        title: "Server at rest (null backend, bun server/cli.ts serve)",
        columns: ["state", "CPU (share of one core)", "RSS MB"],
        rows: [
          ["idle: no client, nothing playing", `${(idle * 100).toFixed(2)}%`, idleRss.toFixed(0)],
          ["playing 16 events/cycle, no client", `${(playing * 100).toFixed(2)}%`, rssMB(pid).toFixed(0)],
        ],
        notes: ["5 s each; CPU from /proc/<pid>/stat (all threads: main, live worker, engine), RSS from /proc/<pid>/status"],
      },
      {
        title: "WebSocket fan-out (clock and peaks 40 times a second, events, state, log)",
        columns: ["clients", "pushes/s per client", "pushes/s in all", "server CPU", "µs of server CPU per push delivered", "RSS MB"],
        rows,
        notes: [
          `one push to one client costs about ${perClientPush[Math.floor(perClientPush.length / 2)]?.toFixed(1) ?? "?"} µs of server CPU (median over 10-100 clients; the same serialised text goes to every client)`,
          "clients run in the bench process, on the same 2 cores; the cost excludes what the server spends playing without clients",
        ],
      },
    ];
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((r) => server.child.once("exit", r));
  }
}
