/**
 * The editor's one WebSocket to the server, kept open: it reconnects by
 * itself with exponential backoff (and jitter, so a room of laptops does
 * not reconnect in lockstep), queues requests while offline, and matches
 * replies to requests by id.
 *
 * What happens to a request when the connection is down is the caller's
 * choice, because it differs by meaning:
 * - `queue: "keep"` (saves, reads): sent when the connection is back; with
 *   a `key`, a newer queued request replaces an older one (the latest text
 *   of a buffer is all that matters). If the connection drops after it was
 *   sent and before the answer, it is sent again: such requests are
 *   idempotent.
 * - `queue: "expire"` (evaluate, hush, tempo): sent on reconnect only if
 *   it is still fresh (`maxAgeMs`); music must not change minutes after
 *   the key was pressed. Never re-sent once sent: it may have acted.
 * - `queue: "drop"`: fails at once when offline.
 * @module
 */
import type { ApiErrorInfo, ClientMessage, ServerMessage } from "../../server/http/protocol.ts";

/** A client message without its id (the socket numbers requests). */
export type Request = ClientMessage extends infer M ? (M extends { id?: number } ? Omit<M, "id"> : never) : never;

export type SocketStatus =
  | { state: "connecting"; attempt: number }
  | { state: "open" }
  | { state: "waiting"; retryInMs: number; attempt: number; reason: string };

export type SendOptions = { queue?: "keep" | "expire" | "drop"; key?: string; maxAgeMs?: number };

/** A request the server refused: `message` is the server's reason, `detail` the whole error ({ message, code, ...details }: a program error's line and column). */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly detail?: ApiErrorInfo,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

type Pending = {
  msg: Request;
  options: SendOptions;
  queuedAt: number;
  resolve: (data: unknown) => void;
  reject: (err: Error) => void;
};

export type WebSocketLike = {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
};

export type SocketOptions = {
  url: string;
  onMessage: (msg: ServerMessage) => void;
  onStatus?: (status: SocketStatus) => void;
  /** For tests; the browser's WebSocket by default. */
  createSocket?: (url: string) => WebSocketLike;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  random?: () => number;
  /** First retry delay; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A connection that brings no message for this long is considered dead (the server pushes the clock 40 times a second). */
  silenceMs?: number;
};

const OPEN = 1;

export class Socket {
  private ws: WebSocketLike | undefined;
  private nextId = 1;
  /** Requests waiting for the connection, in order. */
  private queue: Pending[] = [];
  /** Requests sent and not answered yet, by id. */
  private inFlight = new Map<number, Pending>();
  private attempt = 0;
  private retryTimer: unknown;
  private silenceTimer: unknown;
  private lastMessageAt = 0;
  private stopped = false;
  private status: SocketStatus = { state: "connecting", attempt: 0 };
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(private readonly options: SocketOptions) {
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  get state(): SocketStatus {
    return this.status;
  }

  get isOpen(): boolean {
    return this.status.state === "open";
  }

  /** How many requests wait for the connection. */
  get queued(): number {
    return this.queue.length;
  }

  connect(): void {
    this.stopped = false;
    this.open();
  }

  /** Closes for good (page unload). */
  stop(): void {
    this.stopped = true;
    this.clearTimer(this.retryTimer);
    this.clearTimer(this.silenceTimer);
    this.ws?.close(1000, "editor closed");
  }

  /** Drops the connection now and reconnects (a stale connection, or a test). */
  reconnect(reason = "reconnecting"): void {
    this.ws?.close(4000, reason);
  }

  /** Sends a request; resolves with the reply's data, rejects with RequestError on a failed reply. */
  request(msg: Request, options: SendOptions = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const p: Pending = { msg, options, queuedAt: this.now(), resolve, reject };
      if (this.isOpen) return this.transmit(p);
      const mode = options.queue ?? "keep";
      if (mode === "drop") return reject(new RequestError("not connected to the server"));
      if (options.key !== undefined) {
        const i = this.queue.findIndex((q) => q.options.key === options.key);
        if (i >= 0) {
          const older = this.queue[i]!;
          this.queue.splice(i, 1);
          // The older request is answered by the newer one's reply.
          const { resolve: r0, reject: j0 } = older;
          p.resolve = chain(p.resolve, r0);
          p.reject = chain(p.reject, j0);
        }
      }
      this.queue.push(p);
    });
  }

  private open(): void {
    this.clearTimer(this.retryTimer);
    this.setStatus({ state: "connecting", attempt: this.attempt });
    let ws: WebSocketLike;
    try {
      ws = (this.options.createSocket ?? ((u) => new WebSocket(u) as unknown as WebSocketLike))(this.options.url);
    } catch (err) {
      this.scheduleRetry(`cannot open the socket: ${(err as Error).message}`);
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.lastMessageAt = this.now();
      this.watchSilence();
      this.setStatus({ state: "open" });
      this.flush();
    };
    ws.onmessage = (ev) => {
      this.lastMessageAt = this.now();
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === "reply") this.answer(msg);
      this.options.onMessage(msg);
    };
    ws.onerror = () => {};
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.clearTimer(this.silenceTimer);
      this.failInFlight();
      if (this.stopped) return;
      const reason = opened ? `connection closed${ev.reason ? `: ${ev.reason}` : ""}` : "server not reachable";
      this.scheduleRetry(reason);
    };
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    const initial = this.options.initialDelayMs ?? 250;
    const max = this.options.maxDelayMs ?? 4000;
    const base = Math.min(max, initial * 2 ** this.attempt);
    const jitter = 0.8 + 0.4 * (this.options.random ?? Math.random)();
    const delay = Math.round(base * jitter);
    this.attempt++;
    this.setStatus({ state: "waiting", retryInMs: delay, attempt: this.attempt, reason });
    this.retryTimer = this.setTimer(() => this.open(), delay);
  }

  private watchSilence(): void {
    const limit = this.options.silenceMs ?? 3000;
    const check = () => {
      if (!this.ws) return;
      if (this.now() - this.lastMessageAt > limit) {
        this.reconnect("no message from the server for a while");
        return;
      }
      this.silenceTimer = this.setTimer(check, limit / 2);
    };
    this.silenceTimer = this.setTimer(check, limit / 2);
  }

  private flush(): void {
    const waiting = this.queue;
    this.queue = [];
    const now = this.now();
    for (const p of waiting) {
      if ((p.options.queue ?? "keep") === "expire" && now - p.queuedAt > (p.options.maxAgeMs ?? 2000)) {
        p.reject(new RequestError(`not sent: the server was unreachable for ${((now - p.queuedAt) / 1000).toFixed(1)} s`));
        continue;
      }
      this.transmit(p);
    }
  }

  private transmit(p: Pending): void {
    const id = this.nextId++;
    this.inFlight.set(id, p);
    try {
      this.ws!.send(JSON.stringify({ ...p.msg, id }));
    } catch (err) {
      this.inFlight.delete(id);
      p.reject(new RequestError(`could not send: ${(err as Error).message}`));
    }
  }

  private answer(msg: Extract<ServerMessage, { type: "reply" }>): void {
    if (msg.id === null) return; // a failure of a message sent without an id (not by this socket)
    const p = this.inFlight.get(msg.id);
    if (!p) return;
    this.inFlight.delete(msg.id);
    if (msg.ok) p.resolve(msg.data);
    else p.reject(new RequestError(msg.error.message, msg.error));
  }

  /** Requests that were sent but not answered when the connection dropped. */
  private failInFlight(): void {
    const lost = [...this.inFlight.values()];
    this.inFlight.clear();
    const again: Pending[] = [];
    for (const p of lost) {
      if ((p.options.queue ?? "keep") === "keep") again.push(p);
      else p.reject(new RequestError("the connection dropped before the server answered"));
    }
    this.queue = [...again, ...this.queue];
  }

  private setStatus(s: SocketStatus): void {
    this.status = s;
    this.options.onStatus?.(s);
  }
}

function chain<T>(a: (x: T) => void, b: (x: T) => void): (x: T) => void {
  return (x) => {
    a(x);
    b(x);
  };
}
