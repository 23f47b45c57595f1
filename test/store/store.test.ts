import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { describe, expect, test } from "vitest";
import { BufferStore, HISTORY_SIZE, InvalidNameError, PatternNotFoundError, PatternStore, patternFileName, writeFileAtomic } from "../../server/store/index.ts";

const tempDir = () => mkdtempSync(join(tmpdir(), "ostinato-store-"));

describe("names", () => {
  test("path traversal and separators are refused", () => {
    for (const bad of ["../../etc/passwd", "..", "a/b", "a\\b", "", ".hidden", "x".repeat(101), "a\0b", "/etc/passwd", "a..b"]) {
      expect(() => patternFileName(bad), bad).toThrow(InvalidNameError);
    }
  });
  test("plain names get .js; known extensions are kept", () => {
    expect(patternFileName("acid")).toBe("acid.js");
    expect(patternFileName("acid.ts")).toBe("acid.ts");
    expect(patternFileName("my tune (2)")).toBe("my tune (2).js");
  });
});

describe("PatternStore", () => {
  test("write, list, read, delete", async () => {
    const store = await PatternStore.open(tempDir());
    await store.write("beat", `s("bd*4")`);
    await store.write("bass.ts", `note("c2")`);
    expect((await store.list()).map((p) => p.name)).toEqual(["bass.ts", "beat.js"]);
    expect(await store.read("beat")).toBe(`s("bd*4")`);
    await store.delete("beat.js");
    await expect(store.read("beat")).rejects.toBeInstanceOf(PatternNotFoundError);
    await expect(store.delete("beat")).rejects.toBeInstanceOf(PatternNotFoundError);
  });

  test("a name outside the directory never touches the disk", async () => {
    const dir = tempDir();
    const store = await PatternStore.open(dir);
    await expect(store.write("../escape", "x")).rejects.toBeInstanceOf(InvalidNameError);
    expect(readdirSync(join(dir, ".."))).not.toContain("escape.js");
  });

  test("concurrent writes of one file land in the order they were made", async () => {
    const store = await PatternStore.open(tempDir());
    const big = "x".repeat(300_000);
    // the first write is much larger, so without ordering it would finish last
    await Promise.all([store.write("race", `1${big}${big}${big}`), store.write("race", "2"), store.write("race", "3")]);
    expect(await store.read("race")).toBe("3");
  });

  test("temp files a crash left behind are cleared at open and never listed", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, ".beat.js.tmp-123-abc"), "partial");
    const store = await PatternStore.open(dir);
    expect(readdirSync(dir)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });
});

describe("BufferStore", () => {
  test("open buffers and their text come back after a restart", async () => {
    const dir = tempDir();
    const a = await BufferStore.open(dir);
    await a.save("main", `s("bd")`, { evaluated: true });
    await a.save("bass", `note("c2")`);
    await a.save("main", `s("bd sd")`);
    const b = await BufferStore.open(dir);
    expect((await b.list()).map(({ name, code }) => ({ name, code }))).toEqual([
      { name: "main", code: `s("bd sd")` },
      { name: "bass", code: `note("c2")` },
    ]);
  });

  test("evaluations build a short history, newest first, without repeats", async () => {
    const store = await BufferStore.open(tempDir());
    for (let i = 0; i < HISTORY_SIZE + 5; i++) await store.save("main", `s("bd*${i}")`, { evaluated: true });
    await store.save("main", `s("bd*${HISTORY_SIZE + 4}")`, { evaluated: true });
    const history = await store.history("main");
    expect(history).toHaveLength(HISTORY_SIZE);
    expect(history[0]!.code).toBe(`s("bd*${HISTORY_SIZE + 4}")`);
    expect(history.at(-1)!.code).toBe(`s("bd*5")`);
  });

  test("a buffer whose save was cut short before the session recorded it still comes back", async () => {
    const dir = tempDir();
    const a = await BufferStore.open(dir);
    await a.save("main", "1");
    // what a kill between the buffer's write and the session's leaves behind
    writeFileSync(join(dir, "buffers", "late.js"), `s("bd")`);
    const b = await BufferStore.open(dir);
    expect((await b.list()).map((x) => x.name)).toEqual(["main", "late"]);
  });

  test("closing a buffer keeps its text on disk", async () => {
    const store = await BufferStore.open(tempDir());
    await store.save("scratch", "1");
    await store.close("scratch");
    expect(await store.list()).toEqual([]);
    expect(await store.get("scratch")).toBe("1");
  });
});

describe("writeFileAtomic", () => {
  test("SIGKILL in the middle of a stream of saves leaves every file old or new, never partial", async () => {
    const dir = tempDir();
    for (let f = 0; f < 5; f++) await writeFileAtomic(join(dir, `file${f}.js`), "// version 0\n\n// end 0\n");
    const bun = join(process.cwd(), "node_modules", ".bin", "bun");
    for (let round = 0; round < 5; round++) {
      const child = spawn(bun, [join(__dirname, "fixtures", "save-loop.ts"), dir], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      for (let f = 0; f < 5; f++) {
        const text = readFileSync(join(dir, `file${f}.js`), "utf8");
        const m = /^\/\/ version (\d+)\n(x*)\n\/\/ end (\d+)\n$/.exec(text);
        expect(m, `file${f}.js is partial (${text.length} bytes)`).not.toBeNull();
        expect(m![1]).toBe(m![3]);
      }
    }
  });
});
