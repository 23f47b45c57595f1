/**
 * Playing together under load (issue 18): 16 simulated editors (Yjs
 * documents over WebSocket, the editor's own SharedDoc) type into one shared
 * buffer, 10 characters a second each, for 60 s, while the server plays a
 * pattern. Reports the server's CPU, the edit latency (keystroke in one
 * editor to the change in a 17th that only watches; and to the server's
 * fsynced acknowledgement), whether everyone converged, and the engine's
 * late events and overruns over the run (late events must be 0).
 *
 * The server runs as a child process (`bun server/cli.ts serve --backend
 * null`: the engine renders at real-time pace without a sound card) so its
 * CPU is read from /proc apart from the editors, which run here.
 *   bun test/bench/run.ts ensemble      (OSTINATO_BENCH_SECONDS=10 for a short run)
 * @module
 */
import * as Y from "yjs";
import { connectEditor, until, type Editor } from "../http/shared.ts";
import type { BenchTable } from "./registry.ts";
import { cpuSeconds, startServer } from "./server-process.ts";

export const name = "ensemble";
export const description = "16 editors typing 10 chars/s into one shared buffer: server CPU, edit latency, late events";

const TOKEN = "bench-ensemble-token-0123";
const EDITORS = 16;
const CHARS_PER_SECOND = 10;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

async function telemetry(url: string): Promise<{ lateEvents: number; engineOverruns: number; eventsPlayed: number }> {
  const res = await fetch(`${url}/api/state`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { telemetry: { lateEvents: number; engineOverruns: number; eventsPlayed: number } }).telemetry;
}

export async function run(): Promise<BenchTable[]> {
  const seconds = Number(process.env.OSTINATO_BENCH_SECONDS ?? 60);
  const server = await startServer(TOKEN, "ensemble");
  const editors: Editor[] = [];
  try {
    const played = await fetch(`${server.url}/api/eval`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ code: `note("c3 e3 g3 b3*2").s("sawtooth").lpf(900).decay(0.1).sustain(0)`, buffer: "accomp" }),
    });
    if (!played.ok) throw new Error(`the pattern did not start: ${await played.text()}`);

    // The watcher: when did each keystroke (client, clock) arrive?
    const sentAt = new Map<string, number>();
    const seenLatency: number[] = [];
    const watcher = connectEditor(server.url, TOKEN, "jam", "watcher");
    editors.push(watcher);
    watcher.doc.on("update", (update: Uint8Array) => {
      const now = performance.now();
      for (const s of Y.decodeUpdate(update).structs) {
        const t = sentAt.get(`${s.id.client}:${s.id.clock}`);
        if (t !== undefined) seenLatency.push(now - t);
      }
    });
    const ackLatency: number[] = [];
    const typists: { e: Editor; times: number[] }[] = [];
    for (let i = 0; i < EDITORS; i++) {
      const e = connectEditor(server.url, TOKEN, "jam", `typist ${i}`);
      editors.push(e);
      typists.push({ e, times: [] });
    }
    await until("every editor synced", () => editors.every((e) => e.shared.synced), 20_000);
    await new Promise((r) => setTimeout(r, 500));
    for (const t of typists) {
      // Acks count every update this connection sent; the keystrokes come after those already sent (the sync reply).
      const base = t.e.shared.sentCount;
      let done = 0;
      t.e.shared.onAck = (n) => {
        const now = performance.now();
        for (; done < n - base; done++) if (t.times[done] !== undefined) ackLatency.push(now - t.times[done]!);
      };
    }

    const before = await telemetry(server.url);
    const cpu0 = cpuSeconds(server.child.pid!);
    const wall0 = performance.now();
    const letters = "abcdefghijklmnop";
    const timersToStop: ReturnType<typeof setInterval>[] = [];
    const timers = typists.map((t, i) =>
      setTimeout(() => {
        const timer = setInterval(() => {
          const text = t.e.text;
          const at = Math.floor(Math.random() * (text.length + 1));
          const clock = Y.getState(t.e.doc.store, t.e.doc.clientID);
          sentAt.set(`${t.e.doc.clientID}:${clock}`, performance.now());
          t.times.push(performance.now());
          text.insert(at, letters[i]!);
        }, 1000 / CHARS_PER_SECOND);
        timersToStop.push(timer);
      }, (i * 1000) / CHARS_PER_SECOND / EDITORS),
    );
    await new Promise((r) => setTimeout(r, seconds * 1000));
    for (const t of timersToStop) clearInterval(t);
    for (const t of timers) clearTimeout(t);
    const wall = (performance.now() - wall0) / 1000;
    const cpu = cpuSeconds(server.child.pid!) - cpu0;
    const typed = typists.reduce((n, t) => n + t.times.length, 0);
    await until("every keystroke everywhere", () => editors.every((e) => e.text.length === typed), 30_000).catch(() => undefined);
    await until("every keystroke acknowledged", () => typists.every((t) => t.e.shared.pending === 0), 30_000).catch(() => undefined);
    const after = await telemetry(server.url);
    const texts = new Set(editors.map((e) => e.text.toString()));
    return [
      {
        title: `${EDITORS} editors typing ${CHARS_PER_SECOND} chars/s each into one buffer for ${seconds} s (and a watcher)`,
        columns: ["measure", "value"],
        rows: [
          ["server CPU, % of one core", ((100 * cpu) / wall).toFixed(1)],
          ["keystrokes typed", typed],
          ["edit latency to another editor, p50 ms", quantile(seenLatency, 0.5).toFixed(1)],
          ["edit latency to another editor, p99 ms", quantile(seenLatency, 0.99).toFixed(1)],
          ["edit latency to the server's fsynced ack, p50 ms", quantile(ackLatency, 0.5).toFixed(1)],
          ["edit latency to the server's fsynced ack, p99 ms", quantile(ackLatency, 0.99).toFixed(1)],
          ["keystrokes seen by the watcher", seenLatency.length],
          ["converged (all 17 texts equal, none lost)", texts.size === 1 && watcher.text.length === typed ? "yes" : `no (${texts.size} texts)`],
          ["audio events played during the run", after.eventsPlayed - before.eventsPlayed],
          ["late audio events during the run", after.lateEvents - before.lateEvents],
          ["engine overruns during the run", after.engineOverruns - before.engineOverruns],
        ],
        notes: [
          "the editors run in the benchmark's process on the same machine as the server: latencies include their own event loop's delays",
          "late events must be 0: typing must not disturb the audio or the clock",
        ],
      },
    ];
  } finally {
    for (const e of editors) e.close();
    server.child.kill("SIGTERM");
    await new Promise((r) => server.child.once("exit", r));
  }
}
