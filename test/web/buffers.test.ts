import { describe, expect, test } from "vitest";
import {
  emptyWorkspace,
  freshName,
  isValidName,
  loadWorkspace,
  parseWorkspace,
  reconcile,
  STORAGE_KEY,
  storeWorkspace,
  type Workspace,
} from "../../web/state/buffers.ts";

const ws = (docs: [string, string, boolean][], active = docs[0]?.[0] ?? "main"): Workspace => ({
  order: docs.map((d) => d[0]),
  active,
  docs: Object.fromEntries(docs.map(([name, code, synced]) => [name, { name, code, synced, editedAt: 1 }])),
});
const srv = (name: string, code: string) => ({ name, code, updated: "2026-01-01T00:00:00.000Z" });

describe("reconcile", () => {
  test("local edits the server never acknowledged win and are sent again", () => {
    const r = reconcile(ws([["main", "typed offline", false]]), [srv("main", "old")]);
    expect(r.workspace.docs.main!.code).toBe("typed offline");
    expect(r.saves).toEqual([{ name: "main", code: "typed offline" }]);
  });
  test("a synced buffer the server changed meanwhile takes the server's text", () => {
    const r = reconcile(ws([["main", "mine", true]]), [srv("main", "from another window")]);
    expect(r.workspace.docs.main).toMatchObject({ code: "from another window", synced: true });
    expect(r.saves).toEqual([]);
    expect(r.replaced).toEqual(["main"]);
  });
  test("same text: synced, nothing sent", () => {
    const r = reconcile(ws([["main", "x", false]]), [srv("main", "x")]);
    expect(r.workspace.docs.main!.synced).toBe(true);
    expect(r.saves).toEqual([]);
  });
  test("buffers only this browser has are sent; buffers only the server has are added after ours", () => {
    const r = reconcile(ws([["a", "1", true]], "a"), [srv("b", "2")]);
    expect(r.workspace.order).toEqual(["a", "b"]);
    expect(r.saves).toEqual([{ name: "a", code: "1" }]);
    expect(r.workspace.active).toBe("a");
  });
  test("a fresh browser takes the server's buffers (a reload, a new machine)", () => {
    const r = reconcile(undefined, [srv("main", "s(1)"), srv("bass", "n(2)")]);
    expect(r.workspace.order).toEqual(["main", "bass"]);
    expect(r.workspace.active).toBe("main");
    expect(r.saves).toEqual([]);
  });
  test("nothing anywhere: a starter buffer, which is saved", () => {
    const r = reconcile(undefined, []);
    expect(r.workspace).toEqual(emptyWorkspace());
    expect(r.saves[0]!.name).toBe("main");
  });
});

describe("storage", () => {
  test("round trip through a store; garbage and invalid names are dropped", () => {
    const mem = new Map<string, string>();
    const store = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    const w = ws([["main", "a", true], ["two", "b", false]], "two");
    expect(storeWorkspace(store, w)).toBeUndefined();
    expect(loadWorkspace(store)).toEqual(w);
    mem.set(STORAGE_KEY, "{not json");
    expect(loadWorkspace(store)).toBeUndefined();
    expect(parseWorkspace(JSON.stringify({ docs: { x: { name: "../x", code: "" }, ok: { name: "ok", code: "c" } }, active: "gone" }))).toEqual({
      order: ["ok"],
      active: "ok",
      docs: { ok: { name: "ok", code: "c", synced: false, editedAt: 0 } },
    });
  });
  test("a full storage is reported, not thrown", () => {
    const store = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); } };
    expect(storeWorkspace(store, emptyWorkspace())).toMatch(/QuotaExceededError/);
  });
  test("names as the server's store accepts them; fresh names", () => {
    expect(isValidName("bass line (2)")).toBe(true);
    expect(isValidName("../etc")).toBe(false);
    expect(isValidName("")).toBe(false);
    expect(freshName(["buffer", "buffer2"])).toBe("buffer3");
    expect(freshName([], "x")).toBe("x");
  });
});
