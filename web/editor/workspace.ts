/**
 * The buffers as Monaco models, and their saving: every change goes to
 * localStorage at once (debounced to a frame or so) and to the server
 * shortly after; the server's answer marks the buffer synced. On hello the
 * server's buffers are reconciled with the local copy (state/buffers.ts);
 * a buffer another window saved replaces ours only when ours has nothing
 * unsaved.
 *
 * A buffer shared with the other editors (editor/collab.ts) is kept by its
 * Yjs document instead: its text is never replaced from a save or a hello,
 * and its edits are not saved with `save` (the server has each keystroke).
 * @module
 */
import type { BufferInfo } from "../../server/http/protocol.ts";
import type { Socket } from "../net/socket.ts";
import {
  emptyWorkspace,
  freshName,
  isValidName,
  loadWorkspace,
  reconcile,
  storeWorkspace,
  type KeyValueStore,
  type Workspace,
} from "../state/buffers.ts";
import type { Editor, Model, Monaco } from "./monaco.ts";

const LOCAL_SAVE_MS = 150;
const SERVER_SAVE_MS = 700;

export type WorkspaceEvents = {
  /** Tabs, the active tab or a buffer's saved state changed. */
  onChange: () => void;
  onMessage: (text: string, kind: "info" | "warn" | "error") => void;
};

/** What the shared buffers need from the workspace: to know each model, and which buffers they keep. */
export type SharingHooks = { share: (name: string, model: Model) => void; unshare: (name: string) => void; isShared: (name: string) => boolean };

export class EditorWorkspace {
  private sharing?: SharingHooks;
  ws: Workspace;
  private readonly models = new Map<string, Model>();
  private readonly viewStates = new Map<string, unknown>();
  private localTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly serverTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Set while the editor's text is replaced from elsewhere: not an edit to save. */
  private applying = false;

  constructor(
    private readonly monaco: Monaco,
    private readonly editor: Editor,
    private readonly socket: Socket,
    private readonly store: KeyValueStore,
    private readonly events: WorkspaceEvents,
  ) {
    this.ws = loadWorkspace(store) ?? emptyWorkspace();
    for (const name of this.ws.order) this.modelFor(name, this.ws.docs[name]!.code);
    this.show(this.ws.active);
  }

  /** Shares every buffer, open now and opened later. */
  attach(sharing: SharingHooks): void {
    this.sharing = sharing;
    for (const [name, model] of this.models) sharing.share(name, model);
  }

  get activeName(): string {
    return this.ws.active;
  }

  get activeModel(): Model {
    return this.models.get(this.ws.active)!;
  }

  modelOf(name: string): Model | undefined {
    return this.models.get(name);
  }

  nameOf(model: Model): string | undefined {
    for (const [name, m] of this.models) if (m === model) return name;
    return undefined;
  }

  /** The server said hello: take its buffers where they are newer, send ours where they are. */
  reconcileWith(server: readonly BufferInfo[]): void {
    const { workspace, saves, replaced } = reconcile(this.ws, server);
    for (const name of [...this.models.keys()]) if (!(name in workspace.docs)) this.dropModel(name);
    this.ws = workspace;
    for (const name of workspace.order) this.setText(name, workspace.docs[name]!.code);
    if (!(this.ws.active in this.ws.docs)) this.ws.active = this.ws.order[0]!;
    this.show(this.ws.active);
    for (const s of saves) void this.saveToServer(s.name);
    if (replaced.length) this.events.onMessage(`updated from the server (changed in another window): ${replaced.join(", ")}`, "info");
    this.persistLocal();
    this.events.onChange();
  }

  /**
   * Another client saved a buffer. A buffer this editor does not have is
   * opened as a tab when a musician's editor made it, not when a script did
   * (REST, `by` "http:…"): scripts do not take over the musicians' tabs.
   */
  remoteUpdate(name: string, code: string, by: string): void {
    if (!isValidName(name)) return;
    const doc = this.ws.docs[name];
    if (doc && doc.code === code) return;
    if (!doc && by.startsWith("http:")) return;
    if (this.sharing?.isShared(name)) return;
    if (doc && !doc.synced) {
      this.events.onMessage(`"${name}" was changed in another window (${by}); your unsaved text is kept`, "warn");
      return;
    }
    if (!doc) {
      this.ws.docs[name] = { name, code, synced: true, editedAt: Date.now() };
      this.ws.order.push(name);
      this.modelFor(name, code);
    } else {
      this.ws.docs[name] = { ...doc, code, synced: true };
      this.setText(name, code);
    }
    this.persistLocal();
    this.events.onChange();
  }

  /** Opens a buffer (a new one, or text from the pattern browser) and shows it. */
  open(name: string, code = ""): void {
    if (!isValidName(name)) throw new Error(`invalid buffer name "${name}": letters, digits, space, _ . ( ) + -`);
    if (!this.ws.docs[name]) {
      this.ws.docs[name] = { name, code, synced: false, editedAt: Date.now() };
      this.ws.order.push(name);
      this.modelFor(name, code);
      void this.saveToServer(name);
    } else if (code !== "" && this.ws.docs[name]!.code !== code) {
      this.setText(name, code, true);
    }
    this.activate(name);
  }

  newBuffer(): string {
    const name = freshName(this.ws.order, "buffer");
    this.open(name, "");
    return name;
  }

  activate(name: string): void {
    if (!this.ws.docs[name] || name === this.ws.active) {
      this.editor.focus();
      return;
    }
    this.viewStates.set(this.ws.active, this.editor.saveViewState());
    this.ws.active = name;
    this.show(name);
    this.editor.focus();
    this.persistLocal();
    this.events.onChange();
  }

  /** Closes a tab: the server keeps the file and its history; at least one tab stays. */
  close(name: string): void {
    if (!this.ws.docs[name]) return;
    const code = this.ws.docs[name]!.code;
    void this.flushServerSave(name);
    delete this.ws.docs[name];
    this.ws.order = this.ws.order.filter((n) => n !== name);
    this.dropModel(name);
    void this.socket.request({ type: "close", buffer: name }, { queue: "keep", key: `close:${name}` }).catch(() => {});
    if (this.ws.order.length === 0) {
      this.ws.docs.main = { name: "main", code: "", synced: false, editedAt: Date.now() };
      this.ws.order = ["main"];
      this.modelFor("main", "");
    }
    if (this.ws.active === name) {
      this.ws.active = this.ws.order[0]!;
      this.show(this.ws.active);
    }
    this.persistLocal();
    this.events.onChange();
    this.events.onMessage(`closed "${name}" (${code.length} characters kept on the server)`, "info");
  }

  rename(from: string, to: string): void {
    if (from === to || !this.ws.docs[from]) return;
    if (!isValidName(to)) throw new Error(`invalid buffer name "${to}": letters, digits, space, _ . ( ) + -`);
    if (this.ws.docs[to]) throw new Error(`a buffer named "${to}" is already open`);
    const doc = this.ws.docs[from]!;
    const index = this.ws.order.indexOf(from);
    this.ws.docs[to] = { ...doc, name: to, synced: false };
    delete this.ws.docs[from];
    this.ws.order[index] = to;
    const model = this.models.get(from)!;
    this.models.delete(from);
    // Models are keyed by name in their URI; a rename makes a new model with the same text.
    const fresh = this.modelFor(to, model.getValue());
    if (this.ws.active === from) {
      this.ws.active = to;
      this.editor.setModel(fresh);
    }
    model.dispose();
    void this.saveToServer(to);
    void this.socket.request({ type: "close", buffer: from }, { queue: "keep" }).catch(() => {});
    this.persistLocal();
    this.events.onChange();
  }

  /** Saves a buffer to the server now (after an evaluation, which saved only the evaluated part). */
  saveNow(name: string): Promise<void> {
    return this.flushServerSave(name);
  }

  private show(name: string): void {
    const model = this.models.get(name)!;
    if (this.editor.getModel() !== model) {
      this.editor.setModel(model);
      const view = this.viewStates.get(name);
      if (view) this.editor.restoreViewState(view as never);
    }
  }

  private modelFor(name: string, code: string): Model {
    const existing = this.models.get(name);
    if (existing) return existing;
    const uri = this.monaco.Uri.parse(`file:///buffers/${encodeURIComponent(name)}.ts`);
    const model = this.monaco.editor.getModel(uri) ?? this.monaco.editor.createModel(code, "typescript", uri);
    model.setEOL(this.monaco.editor.EndOfLineSequence.LF);
    model.onDidChangeContent(() => {
      if (!this.applying) this.edited(name, model);
    });
    this.models.set(name, model);
    this.sharing?.share(name, model);
    return model;
  }

  private dropModel(name: string): void {
    this.sharing?.unshare(name);
    this.models.get(name)?.dispose();
    this.models.delete(name);
    this.viewStates.delete(name);
  }

  /** Replaces a buffer's text as one undoable edit (the musician can undo a server update). */
  private setText(name: string, code: string, asEdit = false): void {
    const model = this.models.get(name) ?? this.modelFor(name, code);
    if (model.getValue() === code || this.sharing?.isShared(name)) return;
    this.applying = !asEdit;
    try {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: code }], () => null);
    } finally {
      this.applying = false;
    }
  }

  private edited(name: string, model: Model): void {
    const doc = this.ws.docs[name];
    if (!doc) return;
    const wasSynced = doc.synced;
    doc.code = model.getValue();
    doc.synced = false;
    doc.editedAt = Date.now();
    clearTimeout(this.localTimer);
    this.localTimer = setTimeout(() => this.persistLocal(), LOCAL_SAVE_MS);
    if (this.sharing?.isShared(name)) {
      // The server has every keystroke already (the status line counts those not yet on its disk).
      doc.synced = true;
      return;
    }
    clearTimeout(this.serverTimers.get(name));
    this.serverTimers.set(name, setTimeout(() => void this.flushServerSave(name), SERVER_SAVE_MS));
    if (wasSynced) this.events.onChange();
  }

  private flushServerSave(name: string): Promise<void> {
    clearTimeout(this.serverTimers.get(name));
    this.serverTimers.delete(name);
    return this.saveToServer(name);
  }

  private async saveToServer(name: string): Promise<void> {
    const doc = this.ws.docs[name];
    if (!doc) return;
    const code = doc.code;
    if (this.sharing?.isShared(name) && doc.synced) return;
    try {
      await this.socket.request({ type: "save", buffer: name, code }, { queue: "keep", key: `save:${name}` });
      const now = this.ws.docs[name];
      if (now && now.code === code && !now.synced) {
        now.synced = true;
        this.persistLocal();
        this.events.onChange();
      }
    } catch (err) {
      this.events.onMessage(`could not save "${name}" on the server: ${(err as Error).message} (a local copy is kept)`, "warn");
    }
  }

  persistLocal(): void {
    clearTimeout(this.localTimer);
    const problem = storeWorkspace(this.store, this.ws);
    if (problem) this.events.onMessage(problem, "warn");
  }
}
