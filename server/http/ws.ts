/**
 * The WebSocket hub at /ws: one connection per client, the commands of
 * commands.ts as messages, and pushes to every client subscribed to a topic:
 * clock and peaks 40 times a second, scope 30 times a second (when asked),
 * the events that start sounding, evaluation results and errors, state.
 * A push is serialised once and the same string goes to every client; a
 * client that does not read its socket is skipped rather than buffered
 * without bound.
 * @module
 */
import type { Context } from "hono";
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import { HTTPException } from "hono/http-exception";
import type { ScheduledEvent } from "../live/scheduler.ts";
import type { LiveEvent } from "../live/session.ts";
import type { Role } from "./auth.ts";
import type { Commands } from "./commands.ts";
import { ApiError } from "./errors.ts";
import { describeError, programFailure } from "./errors.ts";
import { ClientMessage, MAX_WS_MESSAGE_BYTES, TOPICS, type ApiErrorInfo, type EventInfo, type ServerMessage, type Topic } from "./protocol.ts";
import { describeIssues } from "./validate.ts";

export const CLOCK_HZ = 40;
export const SCOPE_HZ = 30;
export const SCOPE_FRAMES = 1024;
/** The master limiter's ceiling (native/limiter.c), less a hair for rounding. */
// The limiter holds sample peaks at 0.851 (-1.4 dBFS) so that true peaks stay at -1 dBTP (native/limiter.h).
const LIMITER_CEILING = 0.85114 - 1e-4;
/** A client with more than this queued is skipped for high-rate pushes. */
const MAX_BUFFERED_BYTES = 1 << 20;

/** `backlog`: pushes held until the client's hello has been sent (hello is always first). */
type ClientData = { kind: "hub"; id: string; topics: Set<Topic>; backlog?: string[]; role: Role; guestId?: string; name?: string; color?: string };
export type HubClient = ClientData;
type Socket = ServerWebSocket<ClientData>;

/** What a view token's socket may ask: reading and watching, nothing that changes the music or the files. */
const VIEW_MAY = new Set<ClientMessage["type"]>(["subscribe", "state", "patterns", "readPattern", "ping", "recordStatus", "identify"]);

export class Hub {
  private readonly clients = new Map<string, Socket>();
  private nextClient = 1;
  private timers: ReturnType<typeof setInterval>[] = [];
  private pendingEvents: EventInfo[] = [];
  private eventFlush?: ReturnType<typeof setTimeout>;
  private unsubscribe?: () => void;
  private stopped = false;
  private readonly telemetry;

  constructor(
    private readonly commands: Commands,
    private readonly version: string,
  ) {
    this.telemetry = commands.ctx.engine.telemetry();
  }

  get count(): number {
    return this.clients.size;
  }

  /** The route handler for GET /ws (after the token and origin checks). */
  upgrade = (c: Context): Response => {
    const server = c.env as Server<ClientData> | undefined;
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket" || !server?.upgrade) {
      throw new HTTPException(426, { message: "this route speaks WebSocket: send an Upgrade: websocket request" });
    }
    const data: ClientData = { kind: "hub", id: `ws:${this.nextClient++}`, topics: new Set(TOPICS.filter((t) => t !== "scope")), role: c.get("role"), guestId: c.get("guestId") };
    if (!server.upgrade(c.req.raw, { data })) throw new HTTPException(400, { message: "WebSocket upgrade failed" });
    return new Response(null);
  };

  /** Bun's websocket handlers for Bun.serve. */
  readonly handlers: WebSocketHandler<ClientData> = {
    maxPayloadLength: MAX_WS_MESSAGE_BYTES,
    idleTimeout: 120,
    sendPings: true,
    open: (ws) => void this.open(ws),
    message: (ws, raw) => void this.message(ws, raw),
    close: (ws) => this.close(ws),
  };

  start(): void {
    const live = this.commands.ctx.live;
    this.unsubscribe = live.subscribe((e) => this.onLive(e));
    this.timers.push(setInterval(() => this.pushClock(), 1000 / CLOCK_HZ));
    this.timers.push(setInterval(() => this.pushScope(), 1000 / SCOPE_HZ));
    this.timers.push(setInterval(() => this.clients.size && this.broadcast("state", { type: "state", state: this.commands.state() }), 1000));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribe?.();
    for (const ws of this.clients.values()) ws.close(1001, "server shutting down");
  }

  /** Tells the other clients that a buffer's text changed. */
  bufferSaved(buffer: string, code: string, by: string): void {
    this.broadcast("buffers", { type: "buffer", buffer, code, by }, by);
  }

  // -------------------------------------------------------------- sockets

  /**
   * Joins the broadcasts at once, holding what they send until hello has
   * gone out: hello is always first, and nothing that happens while it is
   * being prepared is missed.
   */
  private async open(ws: Socket): Promise<void> {
    const { ctx } = this.commands;
    ws.data.backlog = [];
    this.clients.set(ws.data.id, ws);
    this.updateHighlight();
    const buffers = await ctx.buffers.list();
    if (this.stopped || ws.readyState !== 1) return;
    this.send(ws, {
      type: "hello",
      version: this.version,
      clientId: ws.data.id,
      buffers,
      state: this.commands.state(),
      sampleRate: ctx.engine.sampleRate,
      programs: ctx.live.playingPrograms(),
      role: ws.data.role,
    });
    const held = ws.data.backlog;
    ws.data.backlog = undefined;
    for (const text of held) ws.send(text);
  }

  private close(ws: Socket): void {
    this.clients.delete(ws.data.id);
    this.commands.forgetClient(ws.data.id);
    if (!this.stopped) this.updateHighlight();
  }

  /** Answers a message: a reply to one with an `id`; to one without, only a failure (with `id: null`). */
  private async message(ws: Socket, raw: string | Buffer): Promise<void> {
    if (this.stopped) return;
    let json: unknown;
    try {
      json = JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8"));
    } catch (err) {
      return this.fail(ws, null, { message: `malformed JSON: ${(err as Error).message}`, code: "invalid_json" });
    }
    const parsed = ClientMessage.safeParse(json);
    const id = typeof (json as { id?: unknown })?.id === "number" ? (json as { id: number }).id : null;
    if (!parsed.success) return this.fail(ws, id, { message: `invalid message: ${describeIssues(parsed.error)}`, code: "invalid_request" });
    let data: unknown;
    try {
      data = await this.dispatch(ws, parsed.data);
    } catch (err) {
      return this.fail(ws, id, describeError(err, `WebSocket ${parsed.data.type}`).error);
    }
    if (data && typeof data === "object" && "ok" in data && data.ok === false && "error" in data) {
      return this.fail(ws, id, programFailure(data as never).error);
    }
    if (id !== null) this.send(ws, { type: "reply", id, ok: true, data });
  }

  private fail(ws: Socket, id: number | null, error: ApiErrorInfo): void {
    this.send(ws, { type: "reply", id, ok: false, error });
  }

  /** Tells every client (topic `log`) something went wrong beside an answer. */
  warn(message: string): void {
    this.broadcast("log", { type: "warning", message });
  }

  /** Closes the sockets a revoked guest token opened. */
  closeGuest(id: string): void {
    for (const ws of this.clients.values()) if (ws.data.guestId === id) ws.close(4001, "token revoked");
  }

  private async dispatch(ws: Socket, m: ClientMessage): Promise<unknown> {
    const c = this.commands;
    const client = ws.data.id;
    if (ws.data.role === "view" && !VIEW_MAY.has(m.type)) {
      throw new ApiError(403, "forbidden", `a view token can read and watch, not ${m.type}: ask the session's owner for an edit token`);
    }
    switch (m.type) {
      case "identify":
        ws.data.name = m.name;
        ws.data.color = m.color;
        return { name: m.name };
      case "eval":
        return c.evaluate(m.code, { buffer: m.buffer, quantize: m.quantize, client, text: m.text, name: ws.data.name });
      case "hush":
        return c.hush();
      case "mute":
        return c.mute(m.slot, m.on);
      case "solo":
        return c.solo(m.slot, m.on);
      case "tempo":
        return m.cps === undefined && m.cpm === undefined ? c.tempo() : c.setTempo(m);
      case "save":
        return c.saveBuffer(m.buffer, m.code, client);
      case "close":
        return c.closeBuffer(m.buffer);
      case "subscribe":
        ws.data.topics = new Set(m.topics);
        this.updateHighlight();
        return { topics: m.topics };
      case "state":
        return c.state();
      case "devices":
        return c.devices();
      case "selectDevice":
        return c.selectDevice(m.device);
      case "patterns":
        return { patterns: await c.ctx.patterns.list() };
      case "sounds":
        return c.sounds();
      case "playSound":
        return c.audition(m.sound, m.n);
      case "fetchSounds":
        return c.fetchSounds(m.names);
      case "readPattern":
        return { name: m.name, code: await c.ctx.patterns.read(m.name) };
      case "writePattern":
        return c.ctx.patterns.write(m.name, m.code);
      case "deletePattern":
        await c.ctx.patterns.delete(m.name);
        return { deleted: m.name };
      case "ping":
        return { serverTime: Date.now() };
      case "record":
        return c.recordStart(m.name);
      case "recordStop":
        return c.recordStop();
      case "recordStatus":
        return c.recordStatus();
    }
  }

  // ---------------------------------------------------------------- pushes

  private onLive(e: LiveEvent): void {
    switch (e.type) {
      case "evaluated": {
        const o = e.outcome;
        return this.broadcast("log", {
          type: "evaluated",
          buffer: e.buffer,
          code: e.code,
          ok: o.ok,
          slots: o.ok ? o.slots : undefined,
          error: o.ok ? undefined : o.error,
          by: e.by ?? "",
          ...this.identity(e.by),
        });
      }
      case "error":
        return this.broadcast("log", { type: "error", error: e.error });
      case "warning":
        return this.broadcast("log", { type: "warning", message: e.message });
      case "restarted":
        return this.broadcast("log", { type: "warning", message: e.reason });
      case "state":
        return this.broadcast("state", { type: "state", state: this.commands.state() });
      case "events":
        return this.queueEvents(e.events);
      case "retract":
        // After the events already waiting (they were scheduled before the retraction), before any that follow.
        this.flushEvents();
        return this.broadcast("events", { type: "retract", slots: e.slots, fromFrame: e.fromFrame });
      case "record":
        return this.broadcast("log", { type: "warning", message: this.commands.recordFromProgram(e.request) });
    }
  }

  /** The name and colour a client gave, for the editors' "evaluated by". */
  private identity(client: string | undefined): { name?: string; color?: string } {
    const ws = client ? this.clients.get(client) : undefined;
    return ws?.data.name ? { name: ws.data.name, color: ws.data.color } : {};
  }

  private queueEvents(events: ScheduledEvent[]): void {
    const live = this.commands.ctx.live;
    for (const ev of events) {
      this.pendingEvents.push({
        frame: ev.frame,
        cycle: live.cycleAt(ev.frame),
        durFrames: ev.durFrames,
        slot: ev.slot,
        locations: ev.locations.map((l) => ({ start: l.start, end: l.end })),
        value: summarise(ev.value),
        ...(ev.visuals ? { visuals: [...ev.visuals] } : {}),
        ...(ev.markcss ? { markcss: ev.markcss } : {}),
      });
    }
    // Events are pushed ahead of time; a 10 ms coalescing window keeps them ahead.
    this.eventFlush ??= setTimeout(() => this.flushEvents(), 10);
  }

  private flushEvents(): void {
    if (this.eventFlush) clearTimeout(this.eventFlush);
    this.eventFlush = undefined;
    if (this.pendingEvents.length === 0) return;
    const batch = this.pendingEvents;
    this.pendingEvents = [];
    this.broadcast("events", { type: "events", events: batch });
  }

  private pushClock(): void {
    if (this.clients.size === 0) return;
    const { engine, live } = this.commands.ctx;
    const t = engine.readTelemetry(this.telemetry);
    const frame = engine.now();
    this.broadcast("clock", { type: "clock", frame, cycle: live.cycleAt(frame), cps: live.cps, sampleRate: t.sampleRate, serverTime: Date.now() }, undefined, true);
    const peaks = Array.from(t.peak.subarray(0, t.channels));
    // The master limiter holds the output at its ceiling (LIMITER_CEILING): reaching it is this meter's clip.
    this.broadcast("peaks", { type: "peaks", peaks, clipped: peaks.map((p) => p >= LIMITER_CEILING), limiting: t.limiterGain < 1 }, undefined, true);
  }

  private pushScope(): void {
    if (!this.anySubscribed("scope")) return;
    const { engine } = this.commands.ctx;
    const samples = engine.scope(SCOPE_FRAMES);
    this.broadcast("scope", { type: "scope", samples: Array.from(samples, (x) => Math.round(x * 10000) / 10000), sampleRate: engine.sampleRate }, undefined, true);
  }

  private broadcast(topic: Topic, msg: ServerMessage, except?: string, droppable = false): void {
    let text: string | undefined;
    for (const ws of this.clients.values()) {
      if (!ws.data.topics.has(topic) || ws.data.id === except) continue;
      if (ws.data.backlog) {
        // Before hello: keep what matters, drop the rate pushes (the next ones follow in 25 ms).
        if (!droppable) ws.data.backlog.push((text ??= JSON.stringify(msg)));
        continue;
      }
      if (droppable && ws.getBufferedAmount() > MAX_BUFFERED_BYTES) continue;
      ws.send((text ??= JSON.stringify(msg)));
    }
  }

  private send(ws: Socket, msg: ServerMessage): void {
    ws.send(JSON.stringify(msg));
  }

  private anySubscribed(topic: Topic): boolean {
    for (const ws of this.clients.values()) if (ws.data.topics.has(topic)) return true;
    return false;
  }

  private updateHighlight(): void {
    this.commands.ctx.live.setHighlight(this.anySubscribed("events"));
  }
}

/** The controls a pianoroll or a highlighter needs, as plain numbers and strings. */
function summarise(value: unknown): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (typeof value !== "object" || value === null) return out;
  const v = value as Record<string, unknown>;
  for (const k of ["s", "note", "n", "freq", "gain", "velocity", "pan", "color", "colour"]) {
    const x = v[k];
    if (typeof x === "number" || typeof x === "string") out[k] = x;
  }
  return out;
}

