/**
 * One shared buffer's connection: a Yjs document kept in step with the
 * server's over /ws/doc/:buffer (y-protocols sync and awareness, plus the
 * server's acks and refusals: server/http/doc-protocol.ts). While offline
 * the document keeps every edit; on reconnect the sync exchange sends what
 * the server misses and takes what it has, so both sides merge without
 * losing a character. `pending` counts edits not yet on the server's disk.
 * Runs in the browser and under Bun (the tests' and benchmark's editors).
 * @module
 */
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { MSG_ACK, MSG_AWARENESS, MSG_REFUSED, MSG_SYNC } from "../../server/http/doc-protocol.ts";

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 4000;

export type SharedStatus = { connected: boolean; synced: boolean; pending: number };

export type SharedOptions = {
  /** ws://host/ws/doc/NAME (with ?token= outside a browser that has the cookie). */
  url: string;
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  onStatus?: (s: SharedStatus) => void;
  /** The server refused an edit (a view token, a failed save): it was not applied there. */
  onRefused?: (message: string) => void;
};

export class SharedDoc {
  private ws?: WebSocket;
  private stopped = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer?: ReturnType<typeof setTimeout>;
  /** Edits made while no socket was open: the next sync sends them. */
  private unsent = false;
  private sent = 0;
  private acked = 0;
  connected = false;
  synced = false;
  /** Called with each acknowledgement: how many of this connection's updates are on the server's disk (benchmark). */
  onAck?: (acked: number) => void;

  constructor(private readonly o: SharedOptions) {
    o.doc.on("update", this.onDocUpdate);
    o.awareness.on("update", this.onAwarenessUpdate);
  }

  /** Updates sent on this connection (what acks count). */
  get sentCount(): number {
    return this.sent;
  }

  /** Edits not yet acknowledged as on the server's disk (0: all safe). */
  get pending(): number {
    return this.sent - this.acked + (this.unsent ? 1 : 0);
  }

  connect(): void {
    this.stopped = false;
    if (this.ws) return;
    clearTimeout(this.retryTimer);
    const ws = new WebSocket(this.o.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => this.opened(ws);
    ws.onmessage = (e) => this.received(new Uint8Array(e.data as ArrayBuffer));
    ws.onclose = () => this.closed(ws);
    ws.onerror = () => {};
  }

  /** Goes offline on purpose (the browser said so): edits stay here until connect(). */
  disconnect(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.ws?.close();
  }

  destroy(): void {
    this.disconnect();
    this.o.doc.off("update", this.onDocUpdate);
    this.o.awareness.off("update", this.onAwarenessUpdate);
  }

  private opened(ws: WebSocket): void {
    if (ws !== this.ws) return;
    this.connected = true;
    this.retryMs = RETRY_MIN_MS;
    this.sent = 0;
    this.acked = 0;
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MSG_SYNC);
    syncProtocol.writeSyncStep1(step1, this.o.doc);
    ws.send(encoding.toUint8Array(step1));
    if (this.o.awareness.getLocalState() !== null) this.sendAwareness([this.o.doc.clientID]);
    this.status();
  }

  private closed(ws: WebSocket): void {
    if (ws !== this.ws) return;
    this.ws = undefined;
    // What was sent and not acknowledged may not be on disk: the next sync sends it again.
    if (this.sent > this.acked) this.unsent = true;
    this.connected = false;
    this.synced = false;
    // Others' cursors are stale without a connection.
    awarenessProtocol.removeAwarenessStates(this.o.awareness, [...this.o.awareness.getStates().keys()].filter((id) => id !== this.o.doc.clientID), this);
    this.status();
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
  }

  private received(bytes: Uint8Array): void {
    const d = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(d);
    switch (type) {
      case MSG_SYNC: {
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, MSG_SYNC);
        const step = syncProtocol.readSyncMessage(d, reply, this.o.doc, this);
        // Our answer to the server's step 1 carries whatever the server misses (edits made offline).
        if (step === syncProtocol.messageYjsSyncStep1) {
          this.send(encoding.toUint8Array(reply), true);
          this.unsent = false;
        }
        if (step === syncProtocol.messageYjsSyncStep2 && !this.synced) {
          this.synced = true;
          this.status();
        }
        return;
      }
      case MSG_AWARENESS:
        awarenessProtocol.applyAwarenessUpdate(this.o.awareness, decoding.readVarUint8Array(d), this);
        return;
      case MSG_ACK: {
        this.acked = Math.max(this.acked, decoding.readVarUint(d));
        this.onAck?.(this.acked);
        this.status();
        return;
      }
      case MSG_REFUSED:
        this.o.onRefused?.(decoding.readVarString(d));
        return;
    }
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return;
    if (!this.connected) {
      this.unsent = true;
      this.status();
      return;
    }
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MSG_SYNC);
    syncProtocol.writeUpdate(e, update);
    this.send(encoding.toUint8Array(e), true);
  };

  private readonly onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin === this) return;
    this.sendAwareness([...added, ...updated, ...removed]);
  };

  private sendAwareness(ids: number[]): void {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MSG_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.o.awareness, ids));
    this.send(encoding.toUint8Array(e), false);
  }

  /** `counted`: a document update the server acknowledges. */
  private send(bytes: Uint8Array, counted: boolean): void {
    if (!this.ws || this.ws.readyState !== 1) return;
    this.ws.send(bytes as Uint8Array<ArrayBuffer>);
    if (counted) {
      this.sent++;
      this.status();
    }
  }

  private status(): void {
    this.o.onStatus?.({ connected: this.connected, synced: this.synced, pending: this.pending });
  }
}
