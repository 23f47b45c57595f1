/**
 * The jam room: one Yjs document per buffer, shared by every editor that
 * opens /ws/doc/:buffer, over y-protocols' sync and awareness messages
 * (doc-protocol.ts). The server holds each document (store/doclog.ts:
 * snapshot and fsynced update log), relays updates and cursors, and
 * acknowledges an editor's update only once it is on disk. A `view` token's
 * updates are refused here, whatever its page does. The document's text is
 * mirrored into the buffer store, so hello, /api/buffers and a server
 * without shared editing see what was typed.
 * @module
 */
import type { Context } from "hono";
import type { Server, ServerWebSocket } from "bun";
import { HTTPException } from "hono/http-exception";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { DocLog } from "../store/doclog.ts";
import type { BufferStore } from "../store/index.ts";
import { checkName } from "../store/index.ts";
import type { Role } from "./auth.ts";
import { MSG_ACK, MSG_AWARENESS, MSG_REFUSED, MSG_SYNC, TEXT_NAME } from "./doc-protocol.ts";

/** The buffer store is updated at most this often while anyone types (and this long after the last keystroke). */
const MIRROR_MS = 300;

export type DocClient = {
  kind: "doc";
  id: string;
  buffer: string;
  role: Role;
  guestId?: string;
  /** Awareness client ids this connection set (removed when it closes). */
  awarenessIds: Set<number>;
  /** Messages handled one after another, in arrival order, once the room is loaded. */
  queue: Promise<void>;
  /** Document updates received on this connection (the count MSG_ACK reports). */
  received: number;
};
type DocSocket = ServerWebSocket<DocClient>;

class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Set<DocSocket>();
  private mirrorTimer?: ReturnType<typeof setTimeout>;
  private compacting = false;

  constructor(
    readonly name: string,
    readonly log: DocLog,
    private readonly buffers: BufferStore,
    private readonly warn: (m: string) => void,
  ) {
    // The server is not an editor: no cursor of its own.
    this.awareness.setLocalState(null);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      const msg = encoding.createEncoder();
      encoding.writeVarUint(msg, MSG_SYNC);
      syncProtocol.writeUpdate(msg, update);
      this.broadcast(encoding.toUint8Array(msg), origin);
      this.scheduleMirror();
    });
    this.awareness.on("update", ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const from = this.conns.has(origin as DocSocket) ? (origin as DocSocket) : undefined;
      if (from) {
        for (const id of added) from.data.awarenessIds.add(id);
        for (const id of removed) from.data.awarenessIds.delete(id);
      }
      const changed = [...added, ...updated, ...removed];
      const msg = encoding.createEncoder();
      encoding.writeVarUint(msg, MSG_AWARENESS);
      encoding.writeVarUint8Array(msg, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      this.broadcast(encoding.toUint8Array(msg), from);
    });
  }

  get text(): string {
    return this.doc.getText(TEXT_NAME).toString();
  }

  broadcast(bytes: Uint8Array, except?: unknown): void {
    for (const ws of this.conns) if (ws !== except) ws.send(bytes);
  }

  /** Compacts once the log is long, after the appends already asked for. */
  async maybeCompact(): Promise<void> {
    if (this.compacting || !this.log.needsCompaction) return;
    this.compacting = true;
    try {
      await this.log.compact(Y.encodeStateAsUpdate(this.doc));
    } catch (err) {
      this.warn(`shared buffer "${this.name}": compaction failed (${(err as Error).message}); the log keeps growing, nothing is lost`);
    } finally {
      this.compacting = false;
    }
  }

  /** A throttle, not a debounce: sixteen musicians who never pause must still reach the buffer store. */
  private scheduleMirror(): void {
    this.mirrorTimer ??= setTimeout(() => void this.mirror(), MIRROR_MS);
  }

  async mirror(): Promise<void> {
    clearTimeout(this.mirrorTimer);
    this.mirrorTimer = undefined;
    await this.buffers.save(this.name, this.text).catch((err: Error) => this.warn(`shared buffer "${this.name}": saving its text failed: ${err.message}`));
  }

  async close(): Promise<void> {
    if (this.mirrorTimer) await this.mirror();
    await this.log.close();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

export class Rooms {
  private readonly rooms = new Map<string, Promise<Room>>();
  private nextClient = 1;

  constructor(
    private readonly stateDir: string,
    private readonly buffers: BufferStore,
    private readonly warn: (message: string) => void,
  ) {}

  /** The route handler for GET /ws/doc/:buffer (after the token check). */
  upgrade = (c: Context): Response => {
    const server = c.env as Server<DocClient> | undefined;
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket" || !server?.upgrade) {
      throw new HTTPException(426, { message: "this route speaks WebSocket (y-protocols): send an Upgrade: websocket request" });
    }
    let buffer: string;
    try {
      buffer = checkName(decodeURIComponent(c.req.param("buffer") ?? ""));
    } catch (err) {
      throw new HTTPException(400, { message: (err as Error).message });
    }
    const data: DocClient = { kind: "doc", id: `doc:${this.nextClient++}`, buffer, role: c.get("role"), guestId: c.get("guestId"), awarenessIds: new Set(), queue: Promise.resolve(), received: 0 };
    if (!server.upgrade(c.req.raw, { data })) throw new HTTPException(400, { message: "WebSocket upgrade failed" });
    return new Response(null);
  };

  /** A shared buffer's text; undefined when the buffer has never been shared (no document on disk). */
  async sharedText(buffer: string): Promise<string | undefined> {
    if (!this.rooms.has(buffer) && !(await DocLog.exists(this.stateDir, buffer))) return undefined;
    return (await this.room(buffer)).text;
  }

  open(ws: DocSocket): void {
    this.enqueue(ws, async (room) => {
      room.conns.add(ws);
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, MSG_SYNC);
      syncProtocol.writeSyncStep1(step1, room.doc);
      ws.send(encoding.toUint8Array(step1));
      const others = [...room.awareness.getStates().keys()];
      if (others.length) {
        const aw = encoding.createEncoder();
        encoding.writeVarUint(aw, MSG_AWARENESS);
        encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(room.awareness, others));
        ws.send(encoding.toUint8Array(aw));
      }
    });
  }

  message(ws: DocSocket, raw: string | Buffer): void {
    if (typeof raw === "string") return this.refuse(ws, "this socket speaks binary y-protocols messages, not text");
    const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength).slice();
    this.enqueue(ws, (room) => this.handle(room, ws, bytes));
  }

  close(ws: DocSocket): void {
    this.enqueue(ws, async (room) => {
      room.conns.delete(ws);
      awarenessProtocol.removeAwarenessStates(room.awareness, [...ws.data.awarenessIds], null);
    });
  }

  /** Closes the sockets a revoked guest token opened. */
  closeGuest(id: string): void {
    void Promise.all([...this.rooms.values()]).then((rooms) => {
      for (const r of rooms) for (const ws of r.conns) if (ws.data.guestId === id) ws.close(4001, "token revoked");
    });
  }

  /** Writes every document's text to the buffer store and closes the logs. */
  async closeAll(): Promise<void> {
    const rooms = await Promise.allSettled([...this.rooms.values()]);
    for (const r of rooms) if (r.status === "fulfilled") await r.value.close();
    this.rooms.clear();
  }

  private enqueue(ws: DocSocket, task: (room: Room) => Promise<void>): void {
    ws.data.queue = ws.data.queue
      .then(() => this.room(ws.data.buffer))
      .then(task)
      .catch((err: Error) => this.refuse(ws, `shared buffer "${ws.data.buffer}": ${err.message}`));
  }

  private async handle(room: Room, ws: DocSocket, bytes: Uint8Array): Promise<void> {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    if (type === MSG_AWARENESS) {
      // The audience's cursor is nobody's business: a view token is seen by no one.
      if (ws.data.role !== "view") awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), ws);
      return;
    }
    if (type !== MSG_SYNC) return this.refuse(ws, `unknown message type ${type}`);
    const step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) {
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MSG_SYNC);
      syncProtocol.writeSyncStep2(reply, room.doc, decoding.readVarUint8Array(decoder));
      ws.send(encoding.toUint8Array(reply));
      return;
    }
    if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate) return this.refuse(ws, `unknown sync step ${step}`);
    const update = decoding.readVarUint8Array(decoder);
    const n = ++ws.data.received;
    if (isEmptyUpdate(update)) return this.ack(ws, n);
    if (ws.data.role === "view") return this.refuse(ws, `a view token can read "${room.name}" but not type in it: ask the session's owner for an edit token`);
    try {
      Y.applyUpdate(room.doc, update, ws);
    } catch (err) {
      return this.refuse(ws, `a malformed update was ignored (${(err as Error).message})`);
    }
    // Not awaited here: the next message is applied (and relayed) while this one is fsynced; acks follow in order.
    room.log.append(update).then(
      () => {
        this.ack(ws, n);
        void room.maybeCompact();
      },
      (err: Error) => this.refuse(ws, `saving an edit to "${room.name}" failed (${err.message}): it is in every open editor but not on disk; copy your code somewhere safe`),
    );
  }

  private ack(ws: DocSocket, n: number): void {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MSG_ACK);
    encoding.writeVarUint(e, n);
    if (ws.readyState === 1) ws.send(encoding.toUint8Array(e));
  }

  private refuse(ws: DocSocket, message: string): void {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MSG_REFUSED);
    encoding.writeVarString(e, message);
    if (ws.readyState === 1) ws.send(encoding.toUint8Array(e));
  }

  private room(name: string): Promise<Room> {
    let room = this.rooms.get(name);
    if (!room) {
      room = this.load(name);
      this.rooms.set(name, room);
      room.catch(() => this.rooms.delete(name));
    }
    return room;
  }

  /** Reads the document from disk; a buffer shared for the first time starts from its saved text. */
  private async load(name: string): Promise<Room> {
    const { log, loaded } = await DocLog.open(this.stateDir, name);
    const room = new Room(name, log, this.buffers, this.warn);
    if (loaded.tornBytes) this.warn(`shared buffer "${name}": ${loaded.tornBytes} bytes of an edit cut short by a crash were dropped (it was never acknowledged)`);
    if (DocLog.isEmpty(loaded)) {
      const text = (await this.buffers.get(name)) ?? "";
      if (text) room.doc.getText(TEXT_NAME).insert(0, text);
      // Kept at once: every later start must begin from this same history, or edits made offline would duplicate.
      await log.compact(Y.encodeStateAsUpdate(room.doc));
    } else {
      Y.transact(room.doc, () => {
        if (loaded.snapshot) Y.applyUpdate(room.doc, loaded.snapshot);
        for (const u of loaded.updates) Y.applyUpdate(room.doc, u);
      });
      // The buffer store's copy lags by MIRROR_MS: after a kill it may miss the last keystrokes.
      if ((await this.buffers.get(name)) !== room.text) await room.mirror();
    }
    return room;
  }
}

/** An update that inserts and deletes nothing (a sync reply with nothing new). */
function isEmptyUpdate(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
}
