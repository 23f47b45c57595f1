/**
 * The musician's buffers (tabs) and the rule that nothing typed is lost.
 * Each buffer lives in three places: the editor, this browser's
 * localStorage (written on every change, so a closed tab or a dead server
 * loses nothing), and the server's buffer store (saved shortly after each
 * change and on every evaluation). A buffer is `synced` when the server is
 * known to have its text.
 *
 * When the server says hello it sends its buffers; `reconcile` decides,
 * per buffer, whose text wins:
 * - local edits the server has not acknowledged win, and are sent again;
 * - otherwise the server's text wins (another window, or another machine,
 *   changed it meanwhile);
 * - a buffer only one side has is kept (and sent to the server when only
 *   this browser has it).
 * Pure functions over plain data; the storage is injected.
 * @module
 */
import type { BufferInfo } from "../../server/http/protocol.ts";

export type BufferDoc = {
  name: string;
  code: string;
  /** The server is known to have exactly this text. */
  synced: boolean;
  /** Local time of the last edit (ms since the epoch). */
  editedAt: number;
};

export type Workspace = {
  /** Tab order. */
  order: string[];
  active: string;
  docs: Record<string, BufferDoc>;
};

export const STORAGE_KEY = "ostinato.workspace.v1";

export const STARTER = `// Ctrl+Enter plays the whole buffer (wherever the cursor is), Ctrl+. stops everything, F1 lists the keys.
// Shift+Enter plays one line; named blocks (drums: ...) and $: blocks each keep their own slot.
setcps(0.5)

drums: s("bd*2 [~ bd] ~ bd, ~ sd, [~ hh]*4").bank("RolandTR808")

bass: note("<c2 eb2 g1 bb1>*2 [c3 c2]").s("sawtooth")
  .lpf(sine.range(400, 2400).slow(4)).resonance(6)
  .decay(0.15).sustain(0.3).gain(0.4)
`;

/** Buffer names the server accepts (server/store/names.ts). */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9 _.()+-]{0,99}$/;

export function isValidName(name: string): boolean {
  return NAME.test(name) && !name.includes("..");
}

export function emptyWorkspace(): Workspace {
  return { order: ["main"], active: "main", docs: { main: { name: "main", code: STARTER, synced: false, editedAt: 0 } } };
}

/** A workspace from storage, repaired: unknown shapes are dropped, never trusted. */
export function parseWorkspace(text: string | null): Workspace | undefined {
  if (!text) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== "object") return undefined;
  const r = raw as Partial<Workspace>;
  const docs: Record<string, BufferDoc> = {};
  for (const d of Object.values(r.docs ?? {})) {
    if (!d || typeof d.name !== "string" || typeof d.code !== "string" || !isValidName(d.name)) continue;
    docs[d.name] = { name: d.name, code: d.code, synced: d.synced === true, editedAt: Number(d.editedAt) || 0 };
  }
  const order = (Array.isArray(r.order) ? r.order : []).filter((n): n is string => typeof n === "string" && n in docs);
  for (const name of Object.keys(docs)) if (!order.includes(name)) order.push(name);
  if (order.length === 0) return undefined;
  const active = typeof r.active === "string" && r.active in docs ? r.active : order[0]!;
  return { order, active, docs };
}

export type Reconciled = {
  workspace: Workspace;
  /** Buffers whose local text must be sent to the server. */
  saves: { name: string; code: string }[];
  /** Buffers whose text the server replaced (for a message). */
  replaced: string[];
};

export function reconcile(local: Workspace | undefined, server: readonly BufferInfo[]): Reconciled {
  const saves: { name: string; code: string }[] = [];
  const replaced: string[] = [];
  const docs: Record<string, BufferDoc> = {};
  const order: string[] = [];
  const serverByName = new Map(server.filter((b) => isValidName(b.name)).map((b) => [b.name, b]));

  for (const name of local?.order ?? []) {
    const mine = local!.docs[name]!;
    const theirs = serverByName.get(name);
    order.push(name);
    if (!theirs) {
      docs[name] = { ...mine, synced: false };
      saves.push({ name, code: mine.code });
    } else if (theirs.code === mine.code) {
      docs[name] = { ...mine, synced: true };
    } else if (!mine.synced) {
      docs[name] = mine;
      saves.push({ name, code: mine.code });
    } else {
      docs[name] = { name, code: theirs.code, synced: true, editedAt: mine.editedAt };
      replaced.push(name);
    }
  }
  for (const b of serverByName.values()) {
    if (docs[b.name]) continue;
    docs[b.name] = { name: b.name, code: b.code, synced: true, editedAt: 0 };
    order.push(b.name);
  }
  if (order.length === 0) {
    const fresh = emptyWorkspace();
    return { workspace: fresh, saves: [{ name: "main", code: fresh.docs.main!.code }], replaced };
  }
  const active = local && local.active in docs ? local.active : order[0]!;
  return { workspace: { order, active, docs }, saves, replaced };
}

/** A fresh buffer name: `base`, else base2, base3, ... */
export function freshName(existing: Iterable<string>, base = "buffer"): string {
  const taken = new Set(existing);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** The minimal storage interface (window.localStorage in the browser). */
export type KeyValueStore = { getItem(key: string): string | null; setItem(key: string, value: string): void };

/** Writes the workspace; a full or disabled storage is reported, not thrown. */
export function storeWorkspace(store: KeyValueStore, ws: Workspace): string | undefined {
  try {
    store.setItem(STORAGE_KEY, JSON.stringify(ws));
    return undefined;
  } catch (err) {
    return `could not keep a local copy of the buffers: ${(err as Error).message}`;
  }
}

export function loadWorkspace(store: KeyValueStore): Workspace | undefined {
  try {
    return parseWorkspace(store.getItem(STORAGE_KEY));
  } catch {
    return undefined;
  }
}
