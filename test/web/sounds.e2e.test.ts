/**
 * The editor's Sounds panel and sound-name completion, in Debian's Chromium
 * (playwright-core, headless) against the real server (`bun server/cli.ts
 * serve`, null backend) whose cache holds banks fetched from a sample server
 * on 127.0.0.1: the panel lists them with the built-in sounds, searches,
 * plays one on a click (the engine counts the event), inserts a name, and
 * fetches a github: source through the fetch box; completion inside
 * s("…"), bank("…") and scale("…") offers real names. Not real-time: the
 * audition is asserted by the engine's event count, not by timing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Engine, SampleCache, SampleLibrary } from "../../server/engine/index.ts";
import { startSampleServer, type SampleServer } from "../live/sample-server.ts";
import { editorText, engineState, ensureEditorBuilt, freshDirs, launchBrowser, openEditor, setCursor, startServer, typeIntoEditor, until, type RunningServer, type Watched } from "./e2e/harness.ts";
import { layoutProblems } from "./e2e/layout.ts";

let samples: SampleServer;
let server: RunningServer;
let browser: Browser;
let w: Watched;
const cacheDir = mkdtempSync(join(tmpdir(), "ostinato-sounds-e2e-"));
const saved = { cache: process.env.OSTINATO_CACHE, github: process.env.OSTINATO_GITHUB_BASE };

beforeAll(async () => {
  await ensureEditorBuilt();
  samples = await startSampleServer();
  // Fetched "at home": the cache holds the test server's banks before the editor's server starts.
  const engine = Engine.open({ backend: "offline" });
  try {
    const library = new SampleLibrary(engine, { cache: new SampleCache({ dir: cacheDir }) });
    await library.addRemote(`${samples.url}/strudel.json`);
    await library.fetch(["wtone", "piano"]);
  } finally {
    engine.close();
  }
  process.env.OSTINATO_CACHE = cacheDir; // the server (a child process) inherits these
  process.env.OSTINATO_GITHUB_BASE = `${samples.url}/gh`;
  server = await startServer(freshDirs());
  browser = await launchBrowser();
  w = await openEditor(browser, server, { width: 1024, height: 640 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await samples?.stop();
  process.env.OSTINATO_CACHE = saved.cache;
  process.env.OSTINATO_GITHUB_BASE = saved.github;
  rmSync(cacheDir, { recursive: true, force: true });
});

const rows = () => w.page.$$eval("#sounds .sound", (els) => els.map((e) => (e as HTMLElement).dataset.name));
const info = (name: string) => w.page.textContent(`#sounds .sound[data-name='${name}'] .sound-info`);
const suggestions = () => w.page.locator(".suggest-widget .monaco-list-row").allTextContents();

describe("the Sounds panel and completion, in Chromium against the real server", () => {
  test("the panel lists built-in and cached sounds, searches, plays one on a click, inserts one; the layout holds at 1024x640", async () => {
    expect(await layoutProblems(w.page)).toEqual([]); // the pattern list shown
    await w.page.click("#show-sounds");
    await until("the sounds list", () => w.page.$("#sounds .sound[data-name='wtone']"));
    expect(await info("bd")).toBe("drum");
    expect(await info("sawtooth")).toBe("synth");
    expect(await info("wtone")).toBe("2"); // both files cached
    expect(await info("ftone")).toBe("0/1"); // listed, not cached
    expect(await w.page.getAttribute("#sounds .sound[data-name='ftone'] .sound-info", "class")).toContain("missing");
    expect(await layoutProblems(w.page)).toEqual([]);

    await w.page.fill("#sound-search", "pian");
    await until("the search", async () => JSON.stringify(await rows()) === JSON.stringify(["piano"]));

    const before = (await engineState(server)).telemetry.eventsPlayed;
    await w.page.click("#sounds .sound[data-name='piano'] .sound-name");
    await until("the audition to play", async () => (await engineState(server)).telemetry.eventsPlayed > before);

    await typeIntoEditor(w.page, "note(\"a4\").s(");
    await setCursor(w.page, 1, 14);
    await w.page.click("#sounds .sound[data-name='piano'] button.insert");
    expect(await editorText(w.page)).toContain('note("a4").s(piano');
    expect(w.blocked).toEqual([]);
  }, 60_000);

  test("completion inside s(\"…\"), bank(\"…\") and scale(\"…\") offers the real names", async () => {
    await typeIntoEditor(w.page, 's("wt');
    await w.page.keyboard.press("Control+Space");
    await until("wtone offered in s()", async () => (await suggestions()).some((t) => t.startsWith("wtone")), 20_000);
    await w.page.keyboard.press("Enter");
    expect(await editorText(w.page)).toMatch(/^s\("wtone/);

    await typeIntoEditor(w.page, 's("bd").bank("Rol');
    await w.page.keyboard.press("Control+Space");
    await until("RolandTR909 offered in bank()", async () => (await suggestions()).some((t) => t.startsWith("RolandTR909")), 20_000);
    await w.page.keyboard.press("Escape");

    await typeIntoEditor(w.page, 'n("0 2").scale("C:minor:pen');
    await w.page.keyboard.press("Control+Space");
    await until("minor:pentatonic offered in scale()", async () => (await suggestions()).some((t) => t.startsWith("minor:pentatonic")), 20_000);
    await w.page.keyboard.press("Escape");
  }, 60_000);

  test("the fetch box downloads a github: source into the cache; its banks appear, cached", async () => {
    await w.page.fill("#sound-search", "");
    await w.page.fill("#sound-source", "github:ostinato-test/kit");
    await w.page.click("#sound-fetch");
    await until("gtone listed", () => w.page.$("#sounds .sound[data-name='gtone']"), 20_000);
    expect(await info("gtone")).toBe("2");
    expect(await w.page.textContent("#message")).toMatch(/fetched 2 files/);
  }, 60_000);
});
