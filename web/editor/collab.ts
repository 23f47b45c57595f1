/**
 * Playing together: every open buffer is a shared Yjs document (SharedDoc,
 * one socket per buffer) bound to its Monaco model with y-monaco, so each
 * keystroke reaches the other editors and theirs reach this one; the others'
 * cursors and selections are drawn in their colours with their names. The
 * musician's name and colour are kept in localStorage. When the browser goes
 * offline the documents keep the edits and merge them on reconnect.
 *
 * A model is bound once the server's document arrived (its first sync), so
 * the shared text replaces the local copy instead of being added to it; a
 * buffer the server has nothing for yet takes the local text.
 * @module
 */
import * as Y from "yjs";
import { Awareness } from "y-protocols/awareness";
import { MonacoBinding } from "y-monaco";
import { TEXT_NAME } from "../../server/http/doc-protocol.ts";
import { SharedDoc } from "../net/shared.ts";
import type { Editor, Model } from "./monaco.ts";

export const IDENTITY_STORAGE = "ostinato.identity.v1";
const COLOURS = ["#ff7a59", "#4cc9f0", "#f4d35e", "#b388ff", "#7bd389", "#ff5d8f", "#5ad1c8", "#ffa94d"];

export type Identity = { name: string; color: string };
export type Peer = Identity & { clientId: number; buffer: string };

type Shared = { doc: Y.Doc; awareness: Awareness; link: SharedDoc; binding?: MonacoBinding; bindingStarted?: boolean; model: Model };

export type CollabEvents = {
  /** Connection or pending count changed (for the status line). */
  onStatus: () => void;
  /** Who is here changed. */
  onPeers: () => void;
  onRefused: (buffer: string, message: string) => void;
};

export class Collaboration {
  private readonly shared = new Map<string, Shared>();
  private readonly style = document.createElement("style");
  me: Identity;
  /** False until the server said hello: a page without a token must not knock again and again. */
  private started = false;
  /** A view token: any local edit is refused by the server, so the page takes the server's text back. */
  viewOnly = false;

  constructor(
    private readonly editor: Editor,
    private readonly store: Storage,
    private readonly events: CollabEvents,
  ) {
    this.me = loadIdentity(store);
    document.head.append(this.style);
    // The browser knows first: close the sockets at once, keep typing, reconnect when the network is back.
    window.addEventListener("offline", () => this.setOnline(false));
    window.addEventListener("online", () => this.setOnline(true));
  }

  isShared(buffer: string): boolean {
    return this.shared.get(buffer)?.binding !== undefined;
  }

  /** Shares a buffer's model (once per model). */
  share(buffer: string, model: Model): void {
    const existing = this.shared.get(buffer);
    if (existing?.model === model) return;
    if (existing) this.unshare(buffer);
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalStateField("user", this.me);
    const url = new URL(`/ws/doc/${encodeURIComponent(buffer)}`, location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    const entry: Shared = { doc, awareness, model, link: undefined as unknown as SharedDoc };
    entry.link = new SharedDoc({
      url: url.href,
      doc,
      awareness,
      onStatus: (s) => {
        if (s.synced && !entry.bindingStarted && !model.isDisposed()) this.bind(entry);
        this.events.onStatus();
      },
      onRefused: (m) => {
        this.events.onRefused(buffer, m);
        if (this.viewOnly) queueMicrotask(() => this.reshare(buffer));
      },
    });
    awareness.on("change", () => {
      this.paintPeers();
      this.events.onPeers();
    });
    this.shared.set(buffer, entry);
    if (this.started && navigator.onLine) entry.link.connect();
  }

  /** The page has a token (the server said hello): connect every shared buffer. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (navigator.onLine) this.setOnline(true);
  }

  /** Starts the buffer's document afresh from the server's (dropping what this page alone has). */
  private reshare(buffer: string): void {
    const s = this.shared.get(buffer);
    if (!s || s.model.isDisposed()) return;
    this.unshare(buffer);
    this.share(buffer, s.model);
  }

  unshare(buffer: string): void {
    const s = this.shared.get(buffer);
    if (!s) return;
    s.binding?.destroy();
    s.link.destroy();
    s.awareness.destroy();
    s.doc.destroy();
    this.shared.delete(buffer);
    this.paintPeers();
  }

  /** Edits not yet on the server's disk, over every buffer (0: all safe). */
  get pending(): number {
    let n = 0;
    for (const s of this.shared.values()) n += s.link.pending;
    return n;
  }

  get connected(): boolean {
    return [...this.shared.values()].every((s) => s.link.connected);
  }

  /** The others, in every shared buffer. */
  peers(): Peer[] {
    const out: Peer[] = [];
    for (const [buffer, s] of this.shared) {
      s.awareness.getStates().forEach((state, clientId) => {
        const user = (state as { user?: Identity }).user;
        if (clientId !== s.doc.clientID && user) out.push({ ...user, clientId, buffer });
      });
    }
    return out;
  }

  /** A new name or colour: kept, and told to the others. */
  setIdentity(me: Identity): void {
    this.me = { name: me.name.trim().slice(0, 40) || this.me.name, color: /^#[0-9a-fA-F]{6}$/.test(me.color) ? me.color : this.me.color };
    this.store.setItem(IDENTITY_STORAGE, JSON.stringify(this.me));
    for (const s of this.shared.values()) s.awareness.setLocalStateField("user", this.me);
  }

  setOnline(online: boolean): void {
    if (!this.started) return;
    for (const s of this.shared.values()) (online ? s.link.connect() : s.link.disconnect());
    this.events.onStatus();
  }

  private bind(s: Shared): void {
    // Set first: the insert below reports a status, which would bind a second time.
    s.bindingStarted = true;
    const text = s.doc.getText(TEXT_NAME);
    // Nothing on the server yet (a buffer just made here): the local text is the first version.
    if (text.length === 0 && s.model.getValue() !== "") text.insert(0, s.model.getValue());
    s.binding = new MonacoBinding(text, s.model, new Set([this.editor]), s.awareness);
    deferCursorPainting(s.binding, s.awareness);
  }

  /** Each remote cursor's colour and name tag, by awareness client id (y-monaco's class names). */
  private paintPeers(): void {
    const rules: string[] = [];
    for (const p of this.peers()) {
      const id = p.clientId;
      rules.push(
        `.yRemoteSelection-${id} { background-color: ${p.color}44; }`,
        `.yRemoteSelectionHead-${id} { border-left: 2px solid ${p.color}; }`,
        `.yRemoteSelectionHead-${id}::after { content: ${JSON.stringify(p.name)}; background: ${p.color}; }`,
      );
    }
    this.style.textContent = rules.join("\n");
  }
}

/**
 * y-monaco redraws the others' cursors as soon as awareness changes, and our
 * own cursor moving changes awareness: inside Monaco's own decoration update
 * that is a recursive deltaDecorations, which Monaco refuses (and the cursor
 * stops moving). Redraw after the current event instead, once per burst.
 */
function deferCursorPainting(binding: MonacoBinding, awareness: Awareness): void {
  const b = binding as unknown as { _rerenderDecorations: () => void };
  const paint = b._rerenderDecorations;
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      if (!binding.monacoModel.isDisposed()) paint();
    });
  };
  awareness.off("change", paint);
  awareness.on("change", later);
  // The binding's text observer and its destroy() look the function up by this name.
  b._rerenderDecorations = later;
}

function loadIdentity(store: Storage): Identity {
  try {
    const stored = JSON.parse(store.getItem(IDENTITY_STORAGE) ?? "null") as Partial<Identity> | null;
    if (stored?.name && stored.color) return { name: String(stored.name).slice(0, 40), color: String(stored.color) };
  } catch {
    // a damaged entry: pick a fresh identity
  }
  const me = { name: `musician ${Math.floor(Math.random() * 900 + 100)}`, color: COLOURS[Math.floor(Math.random() * COLOURS.length)]! };
  store.setItem(IDENTITY_STORAGE, JSON.stringify(me));
  return me;
}
