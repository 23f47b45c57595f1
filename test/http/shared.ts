/**
 * A simulated editor for the shared-buffer tests and benchmark: a Yjs
 * document and awareness connected through the editor's own SharedDoc
 * (web/net/shared.ts) to a real server's /ws/doc/:buffer.
 * @module
 */
import * as Y from "yjs";
import { Awareness } from "y-protocols/awareness";
import { TEXT_NAME } from "../../server/http/doc-protocol.ts";
import { SharedDoc } from "../../web/net/shared.ts";

export type Editor = { doc: Y.Doc; text: Y.Text; awareness: Awareness; shared: SharedDoc; refused: string[]; close: () => void };

export function connectEditor(base: string, token: string, buffer: string, name = "tester"): Editor {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalStateField("user", { name, color: "#33aa88" });
  const url = `${base.replace(/^http/, "ws")}/ws/doc/${encodeURIComponent(buffer)}?token=${encodeURIComponent(token)}`;
  const refused: string[] = [];
  const shared = new SharedDoc({ url, doc, awareness, onRefused: (m) => refused.push(m) });
  shared.connect();
  return {
    doc,
    text: doc.getText(TEXT_NAME),
    awareness,
    shared,
    refused,
    close: () => {
      shared.destroy();
      awareness.destroy();
      doc.destroy();
    },
  };
}

export async function until<T>(what: string, fn: () => T | Promise<T>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}
