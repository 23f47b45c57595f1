// The shared-buffer log on disk: what was acknowledged (append resolved)
// is read back; a record cut short by a crash is dropped and the next
// appends are read correctly; compaction keeps the document whole.
import { appendFileSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { COMPACT_BYTES, DocLog } from "../../server/store/doclog.ts";

const textOf = (loaded: { snapshot?: Uint8Array; updates: Uint8Array[] }) => {
  const doc = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
  for (const u of loaded.updates) Y.applyUpdate(doc, u);
  return doc.getText("code").toString();
};

/** A document whose every change is appended to `log`, as the server does. */
function typist(log: DocLog) {
  const doc = new Y.Doc();
  const acks: Promise<void>[] = [];
  doc.on("update", (u: Uint8Array) => acks.push(log.append(u)));
  return { doc, text: doc.getText("code"), acks };
}

describe("DocLog", () => {
  test("appends come back in order after a reopen", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ostinato-doclog-"));
    const { log, loaded } = await DocLog.open(dir, "main");
    expect(DocLog.isEmpty(loaded)).toBe(true);
    const t = typist(log);
    for (const ch of "s('bd sn')") t.text.insert(t.text.length, ch);
    await Promise.all(t.acks);
    await log.close();
    const again = await DocLog.open(dir, "main");
    expect(again.loaded.updates.length).toBe(10);
    expect(textOf(again.loaded)).toBe("s('bd sn')");
    await again.log.close();
  });

  test("a record cut short by a crash is dropped, and appends after it are read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ostinato-doclog-"));
    const first = await DocLog.open(dir, "main");
    const t = typist(first.log);
    t.text.insert(0, "note(60)");
    await Promise.all(t.acks);
    await first.log.close();
    // A crash in the middle of a write: a length that promises more than follows.
    appendFileSync(join(dir, "docs", "main.log"), Buffer.from([200, 0, 0, 0, 1, 2, 3]));
    const second = await DocLog.open(dir, "main");
    expect(second.loaded.tornBytes).toBe(7);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, second.loaded.updates[0]!);
    const acks: Promise<void>[] = [];
    doc.on("update", (u: Uint8Array) => acks.push(second.log.append(u)));
    doc.getText("code").insert(8, ".fast(2)");
    await Promise.all(acks);
    await second.log.close();
    const third = await DocLog.open(dir, "main");
    expect(third.loaded.tornBytes).toBe(0);
    expect(textOf(third.loaded)).toBe("note(60).fast(2)");
    await third.log.close();
  });

  test("compaction replaces snapshot and log with the whole document", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ostinato-doclog-"));
    const { log } = await DocLog.open(dir, "long");
    const t = typist(log);
    const chunk = "x".repeat(1024);
    while (!log.needsCompaction) {
      t.text.insert(t.text.length, chunk);
      await Promise.all(t.acks);
    }
    await log.compact(Y.encodeStateAsUpdate(t.doc));
    expect(statSync(join(dir, "docs", "long.log")).size).toBe(0);
    t.text.insert(0, "head ");
    await Promise.all(t.acks);
    await log.close();
    const again = await DocLog.open(dir, "long");
    expect(textOf(again.loaded)).toBe("head " + t.text.toString().slice(5));
    expect(textOf(again.loaded).length).toBeGreaterThan(COMPACT_BYTES / 2);
    expect(readdirSync(join(dir, "docs")).sort()).toEqual(["long.log", "long.snapshot"]);
    await again.log.close();
  });
});
