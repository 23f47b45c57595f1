import { describe, expect, test } from "vitest";
import { RequestError, Socket, type SocketStatus, type WebSocketLike } from "../../web/net/socket.ts";

/** A scripted stand-in for the browser's WebSocket, with a manual clock: the socket's own logic is under test here. */
class FakeWs implements WebSocketLike {
  readyState = 0;
  sent: any[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000, reason = "") {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  push(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

function harness() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let nextTimer = 1;
  const sockets: FakeWs[] = [];
  const statuses: SocketStatus[] = [];
  const messages: unknown[] = [];
  const socket = new Socket({
    url: "ws://x/ws",
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    createSocket: () => {
      const ws = new FakeWs();
      sockets.push(ws);
      return ws;
    },
    now: () => now,
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn, id: nextTimer++ };
      timers.push(t);
      return t.id;
    },
    clearTimer: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    random: () => 0.5,
    initialDelayMs: 100,
    maxDelayMs: 1000,
    silenceMs: 3000,
  });
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const t = timers[0];
      if (!t || t.at > end) break;
      timers.shift();
      now = t.at;
      t.fn();
    }
    now = end;
  };
  return { socket, sockets, statuses, messages, advance, last: () => sockets[sockets.length - 1]! };
}

describe("Socket", () => {
  test("replies resolve requests by id; failed replies reject with the server's reason", async () => {
    const h = harness();
    h.socket.connect();
    h.last().open();
    const a = h.socket.request({ type: "state" });
    const b = h.socket.request({ type: "hush" });
    const [ma, mb] = h.last().sent;
    expect(ma).toEqual({ type: "state", id: 1 });
    h.last().push({ type: "reply", id: mb.id, ok: false, error: { message: "nope", code: "program_error", line: 2 } });
    h.last().push({ type: "reply", id: ma.id, ok: true, data: { cps: 1 } });
    await expect(a).resolves.toEqual({ cps: 1 });
    await expect(b).rejects.toMatchObject({ message: "nope", detail: { code: "program_error", line: 2 } });
    expect(h.messages).toHaveLength(2);
  });

  test("reconnects with doubling delays up to the maximum, and starts over after a success", () => {
    const h = harness();
    h.socket.connect();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      h.last().close(1006);
      const s = h.statuses.at(-1)!;
      expect(s.state).toBe("waiting");
      delays.push((s as { retryInMs: number }).retryInMs);
      h.advance(delays.at(-1)!);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    h.last().open();
    h.last().close(1006);
    expect((h.statuses.at(-1) as { retryInMs: number }).retryInMs).toBe(100);
  });

  test("offline: kept requests wait, coalesce by key, and go out in order on reconnect", async () => {
    const h = harness();
    h.socket.connect();
    const s1 = h.socket.request({ type: "save", buffer: "main", code: "a" }, { queue: "keep", key: "save:main" });
    const s2 = h.socket.request({ type: "save", buffer: "main", code: "ab" }, { queue: "keep", key: "save:main" });
    const p = h.socket.request({ type: "patterns" });
    expect(h.socket.queued).toBe(2);
    h.last().open();
    const sent = h.last().sent;
    expect(sent.map((m: any) => m.code ?? m.type)).toEqual(["ab", "patterns"]);
    h.last().push({ type: "reply", id: sent[0].id, ok: true });
    h.last().push({ type: "reply", id: sent[1].id, ok: true, data: { patterns: [] } });
    await expect(s1).resolves.toBeUndefined();
    await expect(s2).resolves.toBeUndefined();
    await expect(p).resolves.toEqual({ patterns: [] });
  });

  test("an evaluation queued offline is sent only while fresh; drop fails at once", async () => {
    const h = harness();
    h.socket.connect();
    const stale = h.socket.request({ type: "eval", code: "x" }, { queue: "expire", maxAgeMs: 500 });
    await expect(h.socket.request({ type: "ping" }, { queue: "drop" })).rejects.toBeInstanceOf(RequestError);
    h.last().close(1006);
    h.advance(1000);
    const fresh = h.socket.request({ type: "eval", code: "y" }, { queue: "expire", maxAgeMs: 500 });
    h.last().open();
    await expect(stale).rejects.toThrow(/unreachable for 1\.0 s/);
    expect(h.last().sent.map((m: any) => m.code)).toEqual(["y"]);
    void fresh;
  });

  test("a dropped connection: idempotent requests are re-sent, evaluations fail (they may have acted)", async () => {
    const h = harness();
    h.socket.connect();
    h.last().open();
    const save = h.socket.request({ type: "save", buffer: "b", code: "c" }, { queue: "keep" });
    const ev = h.socket.request({ type: "eval", code: "x" }, { queue: "expire" });
    h.last().close(1006);
    await expect(ev).rejects.toThrow(/dropped before the server answered/);
    h.advance(200);
    h.last().open();
    const again = h.last().sent;
    expect(again.map((m: any) => m.type)).toEqual(["save"]);
    h.last().push({ type: "reply", id: again[0].id, ok: true });
    await expect(save).resolves.toBeUndefined();
  });

  test("a silent connection is dropped and reopened", () => {
    const h = harness();
    h.socket.connect();
    h.last().open();
    h.advance(2000);
    h.last().push({ type: "clock" });
    h.advance(2000);
    expect(h.sockets).toHaveLength(1);
    h.advance(3000);
    expect(h.statuses.some((s) => s.state === "waiting" && /no message/.test(s.reason))).toBe(true);
    h.advance(200);
    expect(h.sockets).toHaveLength(2);
  });
});
