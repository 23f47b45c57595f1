// Two ostinato servers with --link, started by this script, which runs inside
// a private network namespace the test made (loopback only, multicast on):
// see link.rt.test.ts. Prints one JSON line per measurement; the test asserts.
//   bun test/live/link-peers.ts SECONDS
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const seconds = Number(process.argv[2] ?? 60);
const bun = process.execPath;
const token = "link-test-token";
const dirs: string[] = [];
const children: ChildProcess[] = [];

type Peer = { url: string; child: ChildProcess; name: string };
type LinkInfo = {
  on: boolean;
  peers: number;
  bpm: number;
  playing: boolean;
  transportHostUs: number | null;
  phaseErrorMs: number | null;
  downbeat: { cycle: number; hostUs: number } | null;
};
type State = { cps: number; restarts: number; slots: unknown[]; link: LinkInfo; telemetry: { eventsPlayed: number; lateEvents: number } };

const say = (o: Record<string, unknown>) => console.log(JSON.stringify(o));

/** A server at `cps`; with `link: false` it starts outside Link (its tempo is its own until it joins: PUT /api/link {on: true}). */
function startPeer(name: string, cps: number, { link = true } = {}): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), `ostinato-link-${name}-`));
  dirs.push(dir);
  // Link is under test, not the watchdog: on a loaded machine a plain evaluation can pass its default 0.4 s.
  const args = ["server/cli.ts", "serve", "--backend", "null", "--port", "0", "--token", token, ...(link ? ["--link"] : []), "--no-resume", "--patterns", dir, "--hang-timeout", "2000"];
  const child = spawn(bun, args, {
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      const m = /ostinato (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, child, name });
    });
    child.stderr!.on("data", (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
    child.once("exit", (code) => reject(new Error(`${name} exited (${code}) before it listened: ${out}`)));
  }).then(async (p) => {
    await api(p as Peer, "PUT", "/api/tempo", { cps });
    return p as Peer;
  });
}

async function api(p: Peer, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(p.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p.name} ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const state = (p: Peer) => api(p, "GET", "/api/state") as Promise<State>;

async function until(what: string, ms: number, ok: () => Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  while (!(await ok())) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms: ${what}`);
    await Bun.sleep(5);
  }
  return performance.now() - t0;
}

/** A's downbeat minus B's, µs, wrapped to the nearest bar. */
function downbeatDiff(a: LinkInfo, b: LinkInfo): number {
  const bar = (240 / a.bpm) * 1e6;
  const d = a.downbeat!.hostUs - b.downbeat!.hostUs;
  return d - Math.round(d / bar) * bar;
}

/** `by` stops or starts the session's transport; both peers have done so (on a bar) when this returns; says on what host times. */
async function transport(by: Peer, other: Peer, playing: boolean): Promise<void> {
  const before = (await state(other)).link.transportHostUs;
  await api(by, "PUT", "/api/link", { playing });
  const ms = await until(`both ${playing ? "start" : "stop"}`, 5000, async () => {
    const [l1, l2] = [(await state(by)).link, (await state(other)).link];
    return l1.playing === playing && l2.playing === playing && l2.transportHostUs !== before && l1.transportHostUs !== null && l2.transportHostUs !== null;
  });
  const [l1, l2] = [(await state(by)).link, (await state(other)).link];
  say({ kind: playing ? "start" : "stop", ms, byUs: l1.transportHostUs, otherUs: l2.transportHostUs });
}

async function main(): Promise<void> {
  const a = await startPeer("a", 0.5);
  const b = await startPeer("b", 0.6);
  // Found, and agreed on the session's tempo: a peer is counted a moment before the two sessions have merged.
  const discoverMs = await until("the peers find each other and share a tempo", 20_000, async () => {
    const [la, lb] = [(await state(a)).link, (await state(b)).link];
    return la.peers === 1 && lb.peers === 1 && Math.abs(la.bpm - lb.bpm) < 0.01;
  });
  say({ kind: "discovered", ms: discoverMs, a: (await state(a)).link, b: (await state(b)).link });
  for (const p of [a, b]) await api(p, "POST", "/api/eval", { code: `s("bd*4")`, buffer: "main" });

  // A tempo change on A: how soon B's own tempo (its tempo map) is at it.
  await Bun.sleep(1000);
  await api(a, "PUT", "/api/tempo", { cpm: 35 }); // 140 BPM
  const t0 = performance.now();
  await until("B follows A's tempo", 5000, async () => Math.abs((await state(b)).cps * 60 - 35) < 0.01);
  say({ kind: "followed", ms: performance.now() - t0, a: (await state(a)).cps, b: (await state(b)).cps });

  // Downbeats, once locked (a second or two after the change), for `seconds`.
  await Bun.sleep(2000);
  const diffs: number[] = [];
  const played: [number, number, number, number][] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const [sa, sb] = await Promise.all([state(a), state(b)]);
    if (sa.link.downbeat && sb.link.downbeat) diffs.push(downbeatDiff(sa.link, sb.link));
    played.push([sa.telemetry.eventsPlayed, sb.telemetry.eventsPlayed, sa.restarts, sb.restarts]);
    await Bun.sleep(250);
  }
  say({ kind: "downbeats", diffsUs: diffs, played });

  // Start/stop sync: A stops the session's transport; B stops on the bar A
  // stops on (the same Link host time); then B starts it, and both start on
  // one bar, in phase.
  await transport(a, b, false);
  await Bun.sleep(3500); // past the bar it stops on (a bar is 1.7 s at 140 BPM)
  const stopped = await Promise.all([state(a), state(b)]);
  await Bun.sleep(2000);
  const stillStopped = await Promise.all([state(a), state(b)]);
  say({ kind: "stopped", a: stopped[0].link, b: stopped[1].link, played: [stopped.map((s) => s.telemetry.eventsPlayed), stillStopped.map((s) => s.telemetry.eventsPlayed)] });

  // A third server joins the stopped session while it plays (at its own
  // tempo, set before it joins: once in, a tempo change is the session's).
  // A and B give it the session's transport: it stops on a bar and plays
  // nothing after; A and B stay stopped, at the session's tempo.
  const c = await startPeer("c", 0.55, { link: false });
  await api(c, "POST", "/api/eval", { code: `s("hh*8")`, buffer: "main" });
  await until("C plays", 10_000, async () => (await state(c)).telemetry.eventsPlayed > 0);
  const beforeJoin = await Promise.all([state(a), state(b), state(c)]);
  await api(c, "PUT", "/api/link", { on: true });
  const joinMs = await until("C joins A and B", 20_000, async () => {
    const ls = (await Promise.all([state(a), state(b), state(c)])).map((s) => s.link);
    return ls.every((l) => l.peers === 2) && Math.abs(ls[2]!.bpm - ls[0]!.bpm) < 0.01;
  });
  // C stops on a bar: "stopped" and the events it plays no longer growing (what it queued before the bar plays)
  const saysStoppedMs = await until("C's Link transport says stopped", 15_000, async () => !(await state(c)).link.playing);
  let lastC = -1;
  await until("C stops with the session", 15_000, async () => {
    const sc = await state(c);
    const still = !sc.link.playing && sc.telemetry.eventsPlayed === lastC;
    lastC = sc.telemetry.eventsPlayed;
    if (!still) await Bun.sleep(1000);
    return still;
  });
  const joined1 = await Promise.all([state(a), state(b), state(c)]);
  await Bun.sleep(2000);
  const joined2 = await Promise.all([state(a), state(b), state(c)]);
  say({
    kind: "joined",
    joinMs,
    stoppedMs: saysStoppedMs,
    link: joined2.map((s) => s.link),
    cps: joined2.map((s) => s.cps),
    cpsBefore: beforeJoin.map((s) => s.cps),
    played: [beforeJoin, joined1, joined2].map((ss) => ss.map((s) => s.telemetry.eventsPlayed)),
  });

  // C leaves: it stays stopped (leaving changes no transport), and starts
  // and stops alone (PUT /api/link {playing} without Link is ours).
  await api(c, "PUT", "/api/link", { on: false });
  await Bun.sleep(1500);
  const left = (await state(c)).telemetry.eventsPlayed;
  await api(c, "PUT", "/api/link", { playing: true });
  const aloneStartMs = await until("C starts alone", 10_000, async () => (await state(c)).telemetry.eventsPlayed > left);
  await api(c, "PUT", "/api/link", { playing: false });
  let lastC2 = -1;
  await until("C stops alone", 10_000, async () => {
    const sc = await state(c);
    const still = !sc.link.playing && sc.telemetry.eventsPlayed === lastC2;
    lastC2 = sc.telemetry.eventsPlayed;
    if (!still) await Bun.sleep(1000);
    return still;
  });
  say({ kind: "left", playedOnLeaving: [left, (await state(c)).telemetry.eventsPlayed], aloneStartMs, link: (await state(c)).link });

  await transport(b, a, true);
  await Bun.sleep(3500);
  const started = await Promise.all([state(a), state(b)]);
  await Bun.sleep(1000);
  const playing = await Promise.all([state(a), state(b)]);
  say({
    kind: "started",
    a: started[0].link,
    b: started[1].link,
    played: [started.map((s) => s.telemetry.eventsPlayed), playing.map((s) => s.telemetry.eventsPlayed)],
    downbeatUs: downbeatDiff(playing[0].link, playing[1].link),
  });

  // C, stopped, joins the playing session again: it starts, on the session's bars; A and B play on.
  const beforeRejoin = await Promise.all([state(a), state(b), state(c)]);
  await api(c, "PUT", "/api/link", { on: true });
  const rejoinMs = await until("C starts with the session", 20_000, async () => {
    const sc = await state(c);
    return sc.link.peers === 2 && sc.link.playing && sc.telemetry.eventsPlayed > beforeRejoin[2]!.telemetry.eventsPlayed + 2;
  });
  await Bun.sleep(2000);
  const rejoined = await Promise.all([state(a), state(b), state(c)]);
  say({
    kind: "rejoined",
    rejoinMs,
    link: rejoined.map((s) => s.link),
    played: [beforeRejoin, rejoined].map((ss) => ss.map((s) => s.telemetry.eventsPlayed)),
    downbeatUs: downbeatDiff(rejoined[0].link, rejoined[2].link),
  });
  c.child.kill("SIGTERM");
  await new Promise((r) => c.child.once("exit", r));

  // Stopping A: B plays on, alone, at the session's tempo.
  const before = await state(b);
  a.child.kill("SIGTERM");
  await new Promise((r) => a.child.once("exit", r));
  const aloneMs = await until("B is alone", 20_000, async () => (await state(b)).link.peers === 0);
  const playsOnMs = await until("B plays on", 10_000, async () => (await state(b)).telemetry.eventsPlayed >= before.telemetry.eventsPlayed + 2);
  const after = await state(b);
  say({ kind: "alone", ms: aloneMs, playsOnMs, before: { cps: before.cps, ...before.telemetry }, after: { cps: after.cps, bpm: after.link.bpm, ...after.telemetry } });
}

// Never outlive the test that started us.
setTimeout(() => {
  say({ kind: "error", message: "link-peers: overall timeout" });
  for (const c of children) c.kill("SIGKILL");
  process.exit(1);
}, (seconds + 120) * 1000).unref();

main()
  .catch((err) => say({ kind: "error", message: (err as Error).message }))
  .finally(() => {
    for (const c of children) c.kill("SIGTERM");
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    setTimeout(() => process.exit(0), 1500).unref();
  });
