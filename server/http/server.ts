/**
 * Starts the whole server: the engine on a device (or the null backend when
 * there is none), the live session, the stores, the Hono app and the
 * WebSocket hub on one Bun.serve. `ostinato serve` and the integration tests
 * both start it through `startServer`.
 * @module
 */
import type { TargetConfig } from "../targets/target.ts";
import { startOscControl, type OscControl } from "./osc-control.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine, EngineError, type EngineConfig } from "../engine/index.ts";
import { Recordings } from "../live/recording.ts";
import { LiveSession, type LiveOptions } from "../live/session.ts";
import { BufferStore, PatternStore, PlayingStore } from "../store/index.ts";
import { createApp } from "./app.ts";
import { plainErrorResponse } from "./errors.ts";
import { newToken } from "./auth.ts";
import { Commands } from "./commands.ts";
import { metricsText } from "./metrics.ts";
import { liveRoutes } from "./routes/live.ts";
import { mountStatic } from "./static.ts";
import { Hub, type HubClient } from "./ws.ts";
import { Rooms, type DocClient } from "./rooms.ts";
import { TokenStore } from "../store/tokens.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import type { ServerWebSocket, WebSocketHandler } from "bun";
import { VERSION } from "../version.ts";
import { MidiClock } from "../engine/midi-clock.ts";
import { MidiClockIn } from "../live/midi-clock-in.ts";
import { MidiClockOut } from "../live/midi-clock-out.ts";

export { VERSION };
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type ServerOptions = {
  port?: number;
  host?: string;
  /** Fixed token (scripts); random when absent. */
  token?: string;
  /** "portaudio" (default, falls back to "null" when no device opens) or "null". */
  backend?: "portaudio" | "null";
  device?: string | number;
  sampleRate?: number;
  blockFrames?: number;
  channels?: number;
  /** Pattern files directory. */
  patternsDir?: string;
  /** Editor buffers and history. */
  stateDir?: string;
  lookahead?: number;
  queueAhead?: number;
  /** Where events go besides the engine (--superdirt, --targets, --osc-latency). */
  targets?: Partial<TargetConfig>;
  /** The OSC control port (--osc-port, --osc-bind, --osc-allow); off when absent. */
  oscControl?: { port: number; host?: string; allow?: string[] };
  allowHosts?: string[];
  /** Where the bundled editor is. */
  webDir?: string;
  /** Called with start-up notes (device fallback, security warnings). */
  log?: (line: string) => void;
  /** Sample folders or JSON maps (--samples). */
  samples?: string[];
  /** Where takes go (default <patterns>/recordings). */
  recordingsDir?: string;
  /** Record the output from the start to this file (--record). */
  record?: string;
  /** Orbits sent to their own channel pairs: [orbit, first channel] (--route). */
  routes?: [number, number][];
  /** Test hook: CPU time each audio callback burns, µs (EngineConfig.testBurnUs); not a command-line option. */
  testBurnUs?: number;
  /** Ableton Link: join the session at start (--link), the nudge in ms (--link-offset). */
  link?: { on?: boolean; offsetMs?: number };
  /** MIDI clock through JACK MIDI: send ours (--midi-clock-out), follow an external one's tempo (--midi-clock-in). */
  midiClock?: { out?: boolean; in?: boolean };
  /** Play again what was playing when the server last stopped (default true; --no-resume). */
  resume?: boolean;
  /** A standby live worker (serve: "auto" unless --standby or --no-standby; see LiveOptions.standby). */
  standby?: boolean | "auto";
  /** The watchdog's limits (tests shorten them): hang, evaluation deadline, worker start, memory ceiling. */
  limits?: Pick<LiveOptions, "hangTimeoutMs" | "evalTimeoutMs" | "startTimeoutMs" | "memoryLimitMb">;
};

export type RunningServer = {
  url: string;
  /** The URL that opens the editor authenticated. */
  editorUrl: string;
  token: string;
  port: number;
  engine: Engine;
  live: LiveSession;
  /** The OSC control port's UDP port, when it is on. */
  oscPort?: number;
  close(): Promise<void>;
};

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? newToken();
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "::1") {
    log(`ostinato: listening on ${host}: anyone who can reach this machine and has the token can run code on it`);
  }
  const engine = openEngine(options, log);
  try {
    for (const [orbit, channel] of options.routes ?? []) engine.routeOrbit(orbit, channel);
  } catch (err) {
    engine.close();
    throw err;
  }
  engine.start();
  const patternsDir = options.patternsDir ?? join(ROOT, "patterns");
  const stateDir = options.stateDir ?? join(patternsDir, ".ostinato");
  const playing = new PlayingStore(stateDir, (m) => log(`ostinato: ${m}`));
  const before = options.resume === false ? undefined : await playing.load();
  const live = await LiveSession.start({
    engine,
    lookahead: options.lookahead,
    queueAhead: options.queueAhead,
    targets: options.targets,
    samples: options.samples,
    baseDir: patternsDir,
    ...options.limits,
    cps: before?.cps,
    resume: before,
    link: options.link,
    standby: options.standby ?? false,
  });
  const midiClock = startMidiClock(options.midiClock, live, log);
  if (before?.programs.length) log(`ostinato: playing again what played before (${before.programs.map((p) => p.buffer).join(", ")}) at ${before.cps} cps; --no-resume starts silent`);
  // What plays is saved whenever it changes, so a killed server plays it again.
  live.subscribe((e) => {
    if (e.type !== "state" && e.type !== "evaluated") return;
    const slots = live.slotStates();
    playing.save({ programs: live.playingPrograms(), muted: slots.filter((s) => s.muted).map((s) => s.id), solo: slots.filter((s) => s.solo).map((s) => s.id), cps: live.targetCps });
  });
  const recordings = new Recordings(engine, options.recordingsDir ?? join(patternsDir, "recordings"));
  if (options.record) log(`ostinato: recording to ${recordings.startAt(options.record).path}`);
  const patterns = await PatternStore.open(patternsDir);
  const buffers = await BufferStore.open(stateDir, (m) => log(`ostinato: ${m}`));
  const guests = await TokenStore.open(stateDir);

  let hub: Hub | undefined;
  let rooms: Rooms | undefined;
  const commands = new Commands({
    engine,
    live,
    patterns,
    buffers,
    clientCount: () => hub?.count ?? 0,
    onBufferSaved: (buffer, code, by) => hub?.bufferSaved(buffer, code, by),
    onWarning: (message) => hub?.warn(message),
    sharedText: (buffer) => rooms!.sharedText(buffer),
    recordings,
  });
  hub = new Hub(commands, VERSION);
  rooms = new Rooms(stateDir, buffers, (m) => hub?.warn(m));
  const app = createApp({
    token,
    patterns,
    buffers,
    guests,
    allowHosts: options.allowHosts,
    mountLive: (a) => {
      a.route("/api", liveRoutes(commands));
      a.get("/metrics", (c) => c.text(metricsText(commands), 200, { "content-type": "text/plain; version=0.0.4" }));
      a.get("/ws", hub!.upgrade);
      a.get("/ws/doc/:buffer", rooms!.upgrade);
      a.route(
        "/api/tokens",
        tokenRoutes(guests, (id) => {
          hub?.closeGuest(id);
          rooms!.closeGuest(id);
        }),
      );
    },
    mountStatic: (a) => mountStatic(a, options.webDir ?? join(ROOT, "web", "dist")),
  });

  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      port: options.port ?? 4321,
      hostname: host,
      fetch: (req, srv) => app.fetch(req, srv),
      websocket: sockets(hub, rooms),
      // Never Bun's development error page (paths, source lines): a request
      // Hono cannot even parse (a malformed Host) gets the API's error shape.
      development: false,
      error: (err) => {
        console.error("ostinato: a request failed before routing:", err.message);
        return plainErrorResponse(400, "bad_request", "malformed request");
      },
    });
  } catch (err) {
    // a busy port: undo what started, so the process can exit with the error
    midiClock?.close();
    await live.close();
    recordings.close();
    engine.close();
    throw Object.assign(err as Error, { port: options.port ?? 4321 });
  }
  hub.start();
  let osc: OscControl | undefined;
  if (options.oscControl) {
    try {
      osc = await startOscControl({ ...options.oscControl, commands, log });
      log(`ostinato: OSC control port on ${options.oscControl.host ?? "127.0.0.1"}:${osc.port} (loopback${options.oscControl.allow?.length ? ` and ${options.oscControl.allow.join(", ")}` : ""} may send)`);
    } catch (err) {
      server.stop(true);
      hub.stop();
      await live.close();
      recordings.close();
      engine.close();
      throw new Error(`--osc-port ${options.oscControl.port}: ${(err as Error).message}`);
    }
  }
  const shownHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  const url = `http://${shownHost}:${server.port}`;
  let closed = false;
  return {
    url,
    editorUrl: `${url}/?token=${token}`,
    token,
    port: server.port!,
    engine,
    live,
    oscPort: osc?.port,
    async close() {
      if (closed) return;
      closed = true;
      osc?.close();
      hub!.stop();
      server.stop(true);
      await rooms!.closeAll();
      // Teardown order: nothing may push to the engine once it is closed;
      // a take still running is finished (its file closed) first.
      midiClock?.close();
      await live.close();
      await playing.flush();
      const take = recordings.close();
      if (take) log(`ostinato: recorded ${take.seconds.toFixed(1)} s to ${take.path}${take.problem ? ` (${take.problem})` : ""}`);
      engine.close();
    },
  };
}

/**
 * MIDI clock through JACK MIDI (README, "Playing in time with others"): the
 * ports clock_out (our tempo) and clock_in (sets it) on the session's MIDI
 * client, "ostinato-midi" (one JACK client for MIDI out, in and clock). No
 * JACK server: said once, the rest runs.
 */
function startMidiClock(want: ServerOptions["midiClock"], live: LiveSession, log: (line: string) => void): { close(): void } | undefined {
  if (!want?.out && !want?.in) return undefined;
  let clock: MidiClock;
  try {
    clock = MidiClock.on(live.midiClient());
  } catch (err) {
    log(`ostinato: no MIDI clock: ${(err as Error).message}`);
    return undefined;
  }
  const out = want.out ? new MidiClockOut(clock, live) : undefined;
  const input = want.in ? new MidiClockIn(clock, live) : undefined;
  out?.start();
  input?.start();
  log(`ostinato: MIDI clock on JACK client "${live.midiClient().clientName}"${out ? ", sending on clock_out" : ""}${input ? ", following clock_in" : ""}`);
  return {
    close() {
      out?.stop();
      out?.close();
      input?.close();
      clock.close();
    },
  };
}

/** One WebSocket handler for Bun.serve: the hub's JSON sockets and the shared buffers' binary ones. */
function sockets(hub: Hub, rooms: Rooms): WebSocketHandler<HubClient | DocClient> {
  const h = hub.handlers;
  const doc = (ws: ServerWebSocket<HubClient | DocClient>) => (ws.data.kind === "doc" ? (ws as ServerWebSocket<DocClient>) : undefined);
  const own = (ws: ServerWebSocket<HubClient | DocClient>) => ws as ServerWebSocket<HubClient>;
  return {
    maxPayloadLength: h.maxPayloadLength,
    idleTimeout: h.idleTimeout,
    sendPings: h.sendPings,
    open: (ws) => (doc(ws) ? rooms.open(doc(ws)!) : h.open!(own(ws))),
    message: (ws, raw) => (doc(ws) ? rooms.message(doc(ws)!, raw) : h.message!(own(ws), raw)),
    close: (ws, code, reason) => (doc(ws) ? rooms.close(doc(ws)!) : h.close!(own(ws), code, reason)),
  };
}

/** Opens the requested device; without one, the null backend, saying so. */
function openEngine(options: ServerOptions, log: (line: string) => void): Engine {
  const base: EngineConfig = { sampleRate: options.sampleRate, blockFrames: options.blockFrames, channels: options.channels, testBurnUs: options.testBurnUs };
  if (options.backend === "null") return Engine.open({ ...base, backend: "null" });
  try {
    return Engine.open({ ...base, backend: "portaudio", device: options.device });
  } catch (err) {
    const why = err instanceof EngineError ? err.message : String(err);
    if (options.device !== undefined) throw err; // a device the user named must not be silently replaced
    log(`ostinato: no audio device could be opened (${why}); playing on the null backend (no sound, clock and meters run). Start a sound server or pass --device.`);
    return Engine.open({ ...base, backend: "null" });
  }
}
