// The hostile-program harness: a real server (engine on the null backend,
// live worker, REST), a click track playing in its own buffer, the output
// recorded while a hostile program does its worst, and the REST API polled
// throughout. What it reports: every click onset in the take and how far it
// sits from its frame, the gaps (missing clicks), and the server's slowest
// answer. The tests assert what the project owns (clicks on their frames, no
// gap, every request answered); the host's figures are printed.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer, type ServerOptions } from "../../server/http/server.ts";

export const TOKEN = "hostile-test-token-0123";
export const RATE = 48000;
/** Clicks per cycle, and the tempo: 8 clicks a second. */
export const CLICKS = 16;
export const CPS = 0.5;
const FRAMES_PER_CLICK = RATE / (CLICKS * CPS);
/** A short square burst on every eighth, alone in buffer "click": its onsets are easy to find exactly. */
export const CLICK = `click: note("c6*${CLICKS}").s("square").attack(0).decay(0.015).sustain(0).release(0.001).gain(0.3)`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Hostile = {
  server: RunningServer;
  dir: string;
  post(path: string, body?: unknown, method?: string): Promise<Response>;
  evaluate(code: string, buffer?: string): Promise<{ ok: boolean; error?: { message: string; line?: number; column?: number; slot?: string; phase?: string }; slots?: string[] }>;
  state(): Promise<{ slots: { id: string; error?: { message: string } }[]; cps: number; telemetry: { eventsPlayed: number } }>;
  close(): Promise<void>;
};

export async function startHostile(options: Partial<ServerOptions> = {}): Promise<Hostile> {
  const dir = mkdtempSync(join(tmpdir(), "ostinato-hostile-"));
  const server = await startServer({
    port: 0,
    backend: "null",
    token: TOKEN,
    patternsDir: join(dir, "patterns"),
    stateDir: join(dir, "state"),
    log: () => {},
    ...options,
  });
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  const post = (path: string, body: unknown = {}, method = "POST") => fetch(`${server.url}${path}`, { method, headers, body: JSON.stringify(body) });
  return {
    server,
    dir,
    post,
    evaluate: async (code, buffer = "main") => (await post("/api/eval", { code, buffer })).json(),
    state: async () => (await fetch(`${server.url}/api/state`, { headers })).json(),
    close: () => server.close(),
  };
}

export type Take = {
  /** Engine frame of each click onset found. */
  onsets: number[];
  /** Frames from each onset to the nearest click frame of the tempo map. */
  worstOffset: number;
  /** Clicks missing between the first and the last onset. */
  missing: number;
  /** The longest stretch without a click, in seconds. */
  longestGap: number;
  /** The slowest answer of GET /api/state while the take ran, ms, and how many were asked. */
  slowestAnswerMs: number;
  answers: number;
  /** Events the engine played late during the take (pushed after their frame: the host starved the worker). */
  late: number;
};

/**
 * Records the output while `during` runs (and `afterMs` longer), polling the
 * server every 20 ms, and finds the click onsets in the take.
 */
export async function take(h: Hostile, during: () => Promise<void>, afterMs = 600): Promise<Take> {
  const path = join(h.dir, `take-${Date.now()}-${Math.random().toString(36).slice(2)}.wav`);
  h.server.engine.recordStart(path);
  let polling = true;
  let slowest = 0;
  let answers = 0;
  const poller = (async () => {
    while (polling) {
      const t0 = performance.now();
      const res = await fetch(`${h.server.url}/api/state`, { headers: { authorization: `Bearer ${TOKEN}` } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`GET /api/state answered ${res.status}`);
      slowest = Math.max(slowest, performance.now() - t0);
      answers++;
      await sleep(20);
    }
  })();
  const lateBefore = h.server.engine.telemetry().lateEvents;
  let info;
  try {
    await sleep(300);
    await during();
    await sleep(afterMs);
  } finally {
    polling = false;
    await poller.catch(() => undefined);
    info = h.server.engine.recordStop();
  }
  const left = readLeft(path);
  const onsets = findOnsets(left).map((i) => info.startFrame + i);
  const late = h.server.engine.telemetry().lateEvents - lateBefore;
  return { ...judgeOnsets(h, onsets), onsets, slowestAnswerMs: slowest, answers, late };
}

function judgeOnsets(h: Hostile, onsets: number[]): Pick<Take, "worstOffset" | "missing" | "longestGap"> {
  const live = h.server.live;
  let worstOffset = 0;
  let missing = 0;
  let longestGap = 0;
  let previous: number | undefined;
  // The output is a fixed latency behind the clock (the limiter's lookahead): measured from the first onset.
  const clickOf = (frame: number) => live.cycleAt(frame) * CLICKS;
  const latency = onsets.length ? (clickOf(onsets[0]!) - Math.round(clickOf(onsets[0]!))) * FRAMES_PER_CLICK : 0;
  for (const frame of onsets) {
    const click = clickOf(frame);
    const nearest = Math.round(click - latency / FRAMES_PER_CLICK);
    worstOffset = Math.max(worstOffset, Math.abs((click - nearest) * FRAMES_PER_CLICK - latency));
    if (previous !== undefined) {
      missing += Math.max(0, nearest - previous - 1);
      longestGap = Math.max(longestGap, (nearest - previous) / (CLICKS * CPS));
    }
    previous = nearest;
  }
  return { worstOffset, missing, longestGap };
}

/** The left channel of a 32-bit float WAV (what the engine records). */
function readLeft(path: string): Float32Array {
  const bytes = readFileSync(path);
  let at = 12;
  let channels = 2;
  while (at + 8 <= bytes.length) {
    const id = bytes.toString("ascii", at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === "fmt ") channels = bytes.readUInt16LE(at + 10);
    if (id === "data") {
      const end = Math.min(bytes.length, at + 8 + size);
      const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset + at + 8, bytes.byteOffset + end - ((end - at - 8) % 4)));
      const out = new Float32Array(Math.floor(all.length / channels));
      for (let i = 0; i < out.length; i++) out[i] = all[i * channels]!;
      return out;
    }
    at += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

/** Sample indices where the signal rises above 0.01 after at least 400 silent samples. */
function findOnsets(x: Float32Array): number[] {
  const out: number[] = [];
  let quiet = 0; // a take that starts inside a click does not count it
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > 0.01 && quiet >= 400) out.push(i);
    quiet = a < 1e-4 ? quiet + 1 : 0;
  }
  return out;
}

/** One line of host figures for the test log. */
export function report(name: string, t: Take): void {
  console.log(
    `hostile: ${name}: ${t.onsets.length} clicks, worst ${t.worstOffset.toFixed(1)} frames off, ${t.missing} missing (longest gap ${t.longestGap.toFixed(3)} s), ${t.late} events late; slowest of ${t.answers} answers ${t.slowestAnswerMs.toFixed(1)} ms`,
  );
}
