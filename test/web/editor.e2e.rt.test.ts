/**
 * The editor end to end: Debian's Chromium (playwright-core, headless)
 * against the real server and engine (`bun server/cli.ts serve`, null
 * backend: the native engine rendering at real-time pace with no sound
 * card). Every request that is not for the server is refused, so the page
 * proves it works offline. Writes test/artifacts/editor-playing.png.
 *
 * A real-time test (`.rt`): it checks highlighting against the audio clock
 * and runs Chromium and a server, so it runs in the real-time pass, alone,
 * where it neither disturbs the engine's real-time tests nor is disturbed.
 *
 * The layout is measured from the DOM (e2e/layout.ts) at 1024x640, 1280x720
 * and 1920x1080, with a screenshot of each in test/artifacts/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  editorText,
  engineState,
  ensureEditorBuilt,
  freshDirs,
  launchBrowser,
  onTimeoutDescribe,
  openPage,
  ROOT,
  serverBuffers,
  setCursor,
  startServer,
  typeIntoEditor,
  until,
  type Dirs,
  type RunningServer,
  type Watched,
} from "./e2e/harness.ts";
import { layoutProblems } from "./e2e/layout.ts";

const TOKEN = "e2e-token-0123456789";
const ARTIFACTS = join(ROOT, "test", "artifacts");

let dirs: Dirs;
let server: RunningServer;
let browser: Browser;
let w: Watched;

beforeAll(async () => {
  await ensureEditorBuilt();
  dirs = freshDirs();
  server = await startServer(dirs, { token: TOKEN });
  browser = await launchBrowser();
  w = await openPage(browser, () => server.origin);
  onTimeoutDescribe(async () => `message line: ${await w.page.textContent("#message")}\nbuffer: ${JSON.stringify(await editorText(w.page))}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const eventsPlayed = async () => (await engineState(server)).telemetry.eventsPlayed;
const peak = async () => Number((await w.page.getAttribute("#meters", "data-peak")) ?? 0);
const messageLine = () => w.page.textContent("#message");
const connected = () => w.page.waitForFunction(() => document.querySelector("#connection")?.getAttribute("data-state") === "open", null, { timeout: 20_000 });

/** Texts of the highlighted atoms now. */
const litAtoms = () => w.page.$$eval(".ost-active", (els) => els.map((e) => e.textContent ?? ""));

describe("the browser editor against the real server", () => {
  test("the printed URL opens the editor: the token becomes a cookie, the socket connects, nothing is requested off the machine", async () => {
    const response = await w.page.goto(server.url);
    expect(response?.ok()).toBe(true);
    expect(new URL(w.page.url()).search).toBe(""); // the token left the address bar
    const cookies = await w.context.cookies(server.origin);
    expect(cookies.find((c) => c.name === "ostinato_token")).toMatchObject({ httpOnly: true, value: TOKEN });
    await connected();
    await w.page.waitForSelector(".monaco-editor .view-lines");
    // The TypeScript worker, the editor worker, the font: all from the server.
    await until("the pattern list", () => w.page.$(".pattern[data-name='acid.js']"));
    expect(w.blocked).toEqual([]);
    expect(w.errors).toEqual([]);
  }, 60_000);

  test("typing a pattern and Ctrl+Enter: the engine plays it and the meters move", async () => {
    const code = 'lead: note("c3 e3 g3 c4").s("sawtooth").lpf(1200).decay(0.2).sustain(0.4).gain(0.5)';
    await typeIntoEditor(w.page, code);
    expect(await editorText(w.page)).toBe(code);
    const before = await eventsPlayed();
    expect(await peak()).toBeLessThan(0.001);
    await w.page.keyboard.press("Control+Enter");
    // The evaluated range flashes at once (the flash lasts 450 ms).
    await w.page.waitForSelector(".ost-flash", { state: "attached", timeout: 400 });
    await until("the server to play events", async () => (await eventsPlayed()) >= before + 4, 10_000);
    await until("the meters to move", async () => (await peak()) > 0.05, 5_000);
    expect(await messageLine()).toMatch(/▶ lead/);
    expect(await w.page.textContent("#slots")).toContain("lead");
    // The status line follows the engine's telemetry.
    await until("voices shown", async () => Number(await w.page.textContent("#voices")) > 0, 5000);
    const t = (await engineState(server)).telemetry;
    expect(Number(await w.page.textContent("#overruns"))).toBeLessThanOrEqual(t.engineOverruns);
    expect(Number(await w.page.textContent("#host-xruns"))).toBeLessThanOrEqual(t.hostXruns);
    expect(await w.page.textContent("#device")).toMatch(/null backend/);
  }, 60_000);

  test("sounding atoms light up in time with the audio; a string edited since does not", async () => {
    // Each of the 4 atoms sounds for a quarter of a cycle: sample the cycle and the lit atom together.
    const samples = await w.page.evaluate(async () => {
      const app = (window as any).ostinato;
      const out: { cycle: number; lit: string[] }[] = [];
      const end = performance.now() + 4000;
      while (performance.now() < end) {
        await new Promise((r) => requestAnimationFrame(r));
        const lit = [...document.querySelectorAll(".ost-active")].map((e) => e.textContent ?? "");
        out.push({ cycle: app.clock.cycleAt(performance.now()), lit });
      }
      return out;
    });
    const atoms = ["c3", "e3", "g3", "c4"];
    const seen = new Set(samples.flatMap((s) => s.lit));
    expect([...seen].sort()).toEqual([...atoms].sort());
    // Away from the step boundaries (where the 60 ms minimum overlaps), the lit atom is the one the audio plays.
    const inside = samples.filter((s) => {
      const pos = (s.cycle % 1) * 4;
      return pos - Math.floor(pos) > 0.2 && pos - Math.floor(pos) < 0.8;
    });
    const agree = inside.filter((s) => s.lit.length === 1 && s.lit[0] === atoms[Math.floor((s.cycle % 1) * 4)]);
    expect(inside.length).toBeGreaterThan(20);
    expect(agree.length / inside.length).toBeGreaterThan(0.9);

    // Edit inside the string without evaluating: its atoms are no longer where the music says.
    await setCursor(w.page, 1, 'lead: note("c3 e'.length + 1);
    await w.page.keyboard.type("b");
    expect(await editorText(w.page)).toContain('"c3 eb3 g3 c4"');
    await w.page.waitForTimeout(100);
    const afterEdit = await w.page.evaluate(async () => {
      const seen = new Set<string>();
      const end = performance.now() + 1500;
      while (performance.now() < end) {
        await new Promise((r) => requestAnimationFrame(r));
        for (const e of document.querySelectorAll(".ost-active")) seen.add(e.textContent ?? "");
      }
      return [...seen];
    });
    expect(afterEdit).toEqual([]);
    // Typing elsewhere (before the string) moves the highlights with the text.
    await w.page.keyboard.press("Backspace");
    await setCursor(w.page, 1, 1);
    await w.page.keyboard.type("  ");
    await until("highlights after an edit outside the string", async () => (await litAtoms()).some((t) => atoms.includes(t)), 3000, 20);
    expect(await w.page.evaluate(() => (window as any).ostinato.highlighter.litCount)).toBeGreaterThan(0);
  }, 60_000);

  test("completion and hover docs come from the pattern reference", async () => {
    await w.page.keyboard.press("Control+End");
    await w.page.keyboard.press("Enter");
    await w.page.keyboard.press("Enter");
    await w.page.keyboard.type('s("sine").fa');
    await w.page.keyboard.press("Control+Space");
    const suggest = w.page.locator(".suggest-widget .monaco-list-row");
    await until("suggestions with fast", async () => (await suggest.allTextContents()).some((t) => /^fast\b/.test(t)), 20_000);
    await w.page.keyboard.press("Escape");
    // Hover over `sine` shows its documentation (reference.json: "A sine wave from 0 to 1 ...") only if a value;
    // hover over the function `s`: "The sound: a sample name or synth".
    const box = await w.page.evaluate(() => {
      const e = (window as any).ostinato.editor;
      const model = e.getModel();
      const lineNumber = model.getLineCount();
      const column = model.getLineFirstNonWhitespaceColumn(lineNumber);
      const p = e.getScrolledVisiblePosition({ lineNumber, column });
      const r = e.getDomNode().getBoundingClientRect();
      return { x: r.left + p.left + 3, y: r.top + p.top + p.height / 2 };
    });
    await w.page.mouse.move(box.x, box.y);
    const hoverText = () => w.page.$$eval(".monaco-hover", (els) => els.map((e) => (e as HTMLElement).innerText).join("\n"));
    const hover = await until("hover docs for s", async () => ((await hoverText()).includes("The sound") ? hoverText() : undefined), 20_000);
    expect(hover).toMatch(/function s\(arg1: Patternable\): Pattern/);
    await w.page.mouse.move(5, 5);
    await w.page.keyboard.press("Escape");
  }, 60_000);

  test("a syntax error: a marker on its line, the reason in the message line, the previous pattern keeps playing", async () => {
    // A second block whose second line is broken: the server reports line 2 of the block, which is line 4 of the buffer.
    await w.page.evaluate(() => {
      const m = (window as any).ostinato.editor.getModel();
      const text = 'lead: note("c3 e3 g3 c4").s("sawtooth").lpf(1200).decay(0.2).sustain(0.4).gain(0.5)\n\nbroken: note("c3 e3")\n  .s("sine").gain(0.5 +)';
      m.pushEditOperations([], [{ range: m.getFullModelRange(), text }], () => null);
    });
    await setCursor(w.page, 4, 5);
    const before = await eventsPlayed();
    await w.page.keyboard.press("Control+Enter");
    const markers = await until("an ostinato marker", () =>
      w.page.evaluate(() => {
        const { monaco, editor } = (window as any).ostinato;
        return monaco.editor.getModelMarkers({ owner: "ostinato", resource: editor.getModel().uri });
      }).then((m: { startLineNumber: number; message: string }[]) => (m.length ? m : undefined)),
    );
    expect(markers).toHaveLength(1);
    expect(markers![0]!.startLineNumber).toBe(4);
    expect(markers![0]!.message).toMatch(/syntax error/i);
    expect(await w.page.getAttribute("#message", "data-kind")).toBe("error");
    expect(await messageLine()).toMatch(/line 4/);
    expect(await w.page.locator(".squiggly-error").count()).toBeGreaterThan(0);
    // The music did not stop: the earlier pattern still plays.
    await until("events after the error", async () => (await eventsPlayed()) >= before + 4, 10_000);
    expect((await engineState(server)).slots.map((s) => s.id)).toEqual(["lead"]);
    // Fixing it and evaluating again clears the marker.
    await w.page.evaluate(() => {
      const m = (window as any).ostinato.editor.getModel();
      const line = m.getLineCount();
      m.pushEditOperations([], [{ range: { startLineNumber: line, startColumn: 1, endLineNumber: line, endColumn: m.getLineMaxColumn(line) }, text: '  .s("sine").gain(0.3)' }], () => null);
    });
    await setCursor(w.page, 4, 3);
    await w.page.keyboard.press("Control+Enter");
    await until("the marker to go", () =>
      w.page.evaluate(() => {
        const { monaco, editor } = (window as any).ostinato;
        return monaco.editor.getModelMarkers({ owner: "ostinato", resource: editor.getModel().uri }).length === 0;
      }),
    );
    await until("both slots playing", async () => (await engineState(server)).slots.length === 2);
  }, 60_000);

  test("a pattern that throws while playing: stopped alone, a marker where it threw, the others play on", async () => {
    await w.page.evaluate(() => {
      const m = (window as any).ostinato.editor.getModel();
      const text = 'lead: note("c3 e3 g3 c4").s("sawtooth").lpf(1200).decay(0.2).sustain(0.4).gain(0.5)\n\nboom: note("c3 e3")\n  .fmap((v) => { if (v.note === "e3") throw new Error("kaboom"); return v })';
      m.pushEditOperations([], [{ range: m.getFullModelRange(), text }], () => null);
    });
    await setCursor(w.page, 3, 1);
    await w.page.keyboard.press("Control+Enter");
    const markers = await until("a query-error marker", () =>
      w.page.evaluate(() => {
        const { monaco, editor } = (window as any).ostinato;
        return monaco.editor.getModelMarkers({ owner: "ostinato", resource: editor.getModel().uri });
      }).then((m: { startLineNumber: number; message: string; source: string }[]) => (m.length ? m : undefined)),
    );
    expect(markers![0]).toMatchObject({ startLineNumber: 4, message: "kaboom", source: "ostinato (slot boom)" });
    expect(await messageLine()).toMatch(/slot boom stopped: kaboom/);
    await until("boom marked failed", () => w.page.$(".slot.failed[data-slot='boom']"));
    const slots = (await engineState(server)).slots;
    expect(slots.find((s) => s.id === "boom")?.error?.message).toBe("kaboom");
    const before = await eventsPlayed();
    await until("lead still playing", async () => (await eventsPlayed()) >= before + 4, 10_000);
  }, 60_000);

  test("the tempo control sets the server's tempo", async () => {
    await w.page.fill("#tempo", "45");
    await w.page.press("#tempo", "Enter");
    await until("cps 0.75", async () => Math.abs((await engineState(server)).cps - 0.75) < 1e-9, 5000);
    await until("the page to show it", async () => (await w.page.textContent("#cps"))?.includes("0.750 cps"), 5000);
    await w.page.fill("#tempo", "30");
    await w.page.press("#tempo", "Enter");
    await until("cps 0.5", async () => Math.abs((await engineState(server)).cps - 0.5) < 1e-9, 5000);
  }, 30_000);

  test("Ctrl+. stops the sound", async () => {
    await w.page.click(".monaco-editor .view-lines");
    await w.page.keyboard.press("Control+.");
    await until("no slot playing", async () => (await engineState(server)).slots.length === 0, 5000);
    await until("the meters to fall silent", async () => (await peak()) < 0.001, 5000);
    const a = await eventsPlayed();
    await new Promise((r) => setTimeout(r, 800));
    expect(await eventsPlayed()).toBe(a);
    expect(await messageLine()).toMatch(/hushed/);
    expect(await w.page.textContent("#slots")).toContain("nothing playing");
  }, 30_000);

  test("a reload restores the buffers", async () => {
    const text = await editorText(w.page);
    await w.page.click(".tab-add");
    await w.page.keyboard.type("// the second buffer");
    await until("the second buffer to be saved", async () => (await serverBuffers(server)).some((b) => b.code === "// the second buffer"), 5000);
    await w.page.reload();
    await connected();
    expect(await w.page.$$eval(".tab .name", (els) => els.map((e) => e.textContent))).toEqual(["main", "buffer"]);
    expect(await editorText(w.page)).toBe("// the second buffer");
    await w.page.click(".tab[data-name='main']");
    expect(await editorText(w.page)).toBe(text);
  }, 30_000);

  test("the server dies: typing goes on, nothing is lost, and the editor reconnects to the restarted server by itself", async () => {
    // Something plays when the server dies, so the page holds events of the old clock.
    await w.page.evaluate(() => {
      const m = (window as any).ostinato.editor.getModel();
      m.pushEditOperations([], [{ range: { startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 1 }, text: 'before: note("e3*4").s("sine").gain(0.3)\n\n' }], () => null);
    });
    await setCursor(w.page, 1, 1);
    await w.page.keyboard.press("Control+Enter");
    await until("events of the first server", () => w.page.evaluate(() => (window as any).ostinato.timeline.size > 4));
    const port = server.port;
    await server.stop();
    await w.page.waitForFunction(() => document.querySelector("#connection")?.getAttribute("data-state") !== "open", null, { timeout: 10_000 });
    await setCursor(w.page, 1, 1);
    await w.page.keyboard.type("// typed while the server was down\n");
    // A new server on the same port and state directory, as after a crash and `npm start`.
    server = await startServer(dirs, { port, token: TOKEN });
    await connected();
    await until(
      "the offline typing to reach the server",
      async () => (await serverBuffers(server)).find((b) => b.name === "main")?.code.startsWith("// typed while the server was down\nbefore:"),
      10_000,
    );
    // The new server's clock starts again at 0: highlighting and the meters work with it.
    await setCursor(w.page, 1, 1);
    await w.page.evaluate(() => {
      const m = (window as any).ostinato.editor.getModel();
      m.pushEditOperations([], [{ range: { startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 1 }, text: 'again: note("c3 g3").s("triangle").gain(0.4)\n\n' }], () => null);
    });
    await setCursor(w.page, 1, 1);
    await w.page.keyboard.press("Control+Enter");
    await until("highlights from the new server", async () => (await litAtoms()).some((t) => t === "c3" || t === "g3"), 5000, 20);
    await until("the meters to move", async () => (await peak()) > 0.01, 5000);
    await w.page.keyboard.press("Control+.");
    await until("silence", async () => (await engineState(server)).slots.length === 0, 5000);
    // The WebSocket's failed reconnection attempts are the only errors the page saw.
    const unexpected = w.errors.filter((e) => !/WebSocket connection to .* failed|Failed to load resource/.test(e));
    expect(unexpected).toEqual([]);
    w.errors.length = 0;
  }, 60_000);

  test("Shift+Enter evaluates the line, Alt+Enter the whole buffer; F1 shows the keys", async () => {
    await w.page.click(".tab[data-name='main']");
    await w.page.evaluate(() => {
      const m = (window as any).ostinato.editor.getModel();
      m.pushEditOperations([], [{ range: m.getFullModelRange(), text: 'one: note("c3").s("sine").gain(0.2)\ntwo: note("e3").s("sine").gain(0.2)\n\nthree: note("g3").s("sine").gain(0.2)' }], () => null);
    });
    await setCursor(w.page, 2, 3);
    await w.page.keyboard.press("Shift+Enter");
    await until("only line 2 evaluated", async () => (await engineState(server)).slots.map((s) => s.id).join() === "two");
    await w.page.keyboard.press("Alt+Enter");
    await until("all three", async () => (await engineState(server)).slots.map((s) => s.id).sort().join() === "one,three,two");
    await w.page.keyboard.press("F1");
    await w.page.waitForSelector("#help:not([hidden])");
    expect(await w.page.inputValue("#help input[data-action='evalAll']")).toBe("Mod+Enter, Alt+Enter");
    // Rebinding hush to Mod+Shift+H works at once and survives a reload.
    await w.page.fill("#help input[data-action='hush']", "Mod+Shift+H");
    await w.page.press("#help input[data-action='hush']", "Tab");
    await w.page.keyboard.press("Escape");
    await w.page.waitForSelector("#help[hidden]", { state: "attached" });
    await w.page.reload();
    await connected();
    await w.page.click(".monaco-editor .view-lines");
    await w.page.keyboard.press("Control+Shift+H");
    await until("silence", async () => (await engineState(server)).slots.length === 0, 5000);
    await w.page.evaluate(() => localStorage.removeItem("ostinato.keys.v1"));
    await w.page.reload();
    await connected();
  }, 60_000);

  test("the pattern browser opens and plays a pattern file", async () => {
    await w.page.click(".pattern[data-name='acid.js'] button.play");
    await until("the acid tab", () => w.page.$(".tab.active[data-name='acid']"));
    expect(await editorText(w.page)).toContain("Acid:");
    await until("acid's slots playing", async () => (await engineState(server)).slots.filter((s) => s.buffer === "acid").length === 2, 10_000);
    await w.page.keyboard.press("Control+.");
    await until("silence", async () => (await engineState(server)).slots.length === 0, 5000);
  }, 30_000);

  test("a clipping output lights the clip indicator", async () => {
    await w.page.click(".tab[data-name='main']");
    await w.page.evaluate(() => {
      const m = (window as any).ostinato.editor.getModel();
      m.pushEditOperations([], [{ range: m.getFullModelRange(), text: 'loud: note("c2").s("square").gain(8)' }], () => null);
    });
    await setCursor(w.page, 1, 1);
    await until("no clip light yet", async () => (await w.page.getAttribute("#meters", "data-clip")) === "false", 3000);
    await w.page.keyboard.press("Control+Enter");
    await until("the clip light", async () => (await w.page.getAttribute("#meters", "data-clip")) === "true", 5000, 20);
    await w.page.keyboard.press("Control+.");
    await until("silence", async () => (await engineState(server)).slots.length === 0, 5000);
  }, 30_000);

  test("screenshot of the editor playing", async () => {
    await w.page.click(".tab[data-name='main']");
    await w.page.evaluate(() => {
      const m = (window as any).ostinato.editor.getModel();
      const code = [
        "// ostinato: Ctrl+Enter plays the buffer, Ctrl+. stops everything",
        "setcps(0.55)",
        "",
        'kick: note("c1*4").s("sine").decay(0.2).sustain(0).gain(0.9)',
        "",
        'hats: s("white*8").decay(0.03).sustain(0).hpf(7000).gain("0.12 0.25")',
        "",
        'bass: note("<c2 c2 eb2 g1>*4 [c3 c2] <bb1 f2>*2 [g2 c2]")',
        '  .s("sawtooth").lpf(sine.range(300, 2400).slow(8)).resonance(8)',
        "  .decay(0.12).sustain(0.2).release(0.05).gain(0.45)",
        "",
        'keys: n("0 <2 3> 4 [7 9]").scale("C4:minor").s("triangle")',
        "  .off(1/8, add(n(12))).decay(0.3).sustain(0.2).gain(0.25)",
      ].join("\n");
      m.pushEditOperations([], [{ range: m.getFullModelRange(), text: code }], () => null);
    });
    await w.page.keyboard.press("Alt+Enter");
    await until("four slots", async () => (await engineState(server)).slots.map((s) => s.id).sort().join() === "bass,hats,keys,kick", 10_000);
    await w.page.waitForTimeout(2500);
    await until("atoms lit", async () => (await litAtoms()).length >= 3, 5000, 10);
    mkdirSync(ARTIFACTS, { recursive: true });
    await w.page.screenshot({ path: join(ARTIFACTS, "editor-playing.png") });
    await w.page.keyboard.press("Control+.");
  }, 60_000);

  test("nothing was requested from outside the server, and the page logged no error", () => {
    expect(w.blocked).toEqual([]);
    expect(w.errors).toEqual([]);
  });
});

describe("the editor's edges: layout, no token, no device, bad input, scripts", () => {
  const SIZES = [
    { width: 1024, height: 640 },
    { width: 1280, height: 720 },
    { width: 1920, height: 1080 },
  ];
  for (const viewport of SIZES) {
    test(`at ${viewport.width}x${viewport.height} nothing is clipped and nothing overlaps`, async () => {
      const v = await openPage(browser, () => server.origin, viewport);
      try {
        await v.page.goto(server.url);
        await v.page.waitForFunction(() => document.querySelector("#connection")?.getAttribute("data-state") === "open", null, { timeout: 20_000 });
        await v.page.waitForSelector(".monaco-editor .view-lines");
        await until("the pattern list", () => v.page.$(".pattern[data-name='acid.js']"));
        // the null backend: the no-device banner is part of the page as a newcomer sees it
        await v.page.waitForSelector("#banner:not([hidden])");
        // something playing, so the live parts hold what they hold on stage
        await v.page.evaluate(() => (window as any).ostinato.evaluate("all"));
        await until("a slot playing", () => v.page.$(".slot"), 10_000);
        await v.page.waitForTimeout(500);
        mkdirSync(ARTIFACTS, { recursive: true });
        await v.page.screenshot({ path: join(ARTIFACTS, `editor-${viewport.width}x${viewport.height}.png`) });
        expect(await layoutProblems(v.page)).toEqual([]);
        // and with the help open: inside the window
        await v.page.keyboard.press("F1");
        await v.page.waitForSelector("#help:not([hidden])");
        const box = await v.page.$eval(".help-box", (e) => e.getBoundingClientRect().toJSON());
        expect(box.top).toBeGreaterThanOrEqual(0);
        expect(box.bottom).toBeLessThanOrEqual(viewport.height);
        await v.page.keyboard.press("Escape");
        expect(v.blocked).toEqual([]);
        expect(v.errors).toEqual([]);
      } finally {
        await v.page.evaluate(() => (window as any).ostinato?.hush()).catch(() => {});
        await v.context.close();
      }
    }, 60_000);
  }

  test("the address without the token says what to open and does not retry", async () => {
    const v = await openPage(browser, () => server.origin, { width: 1280, height: 720 });
    const sockets: string[] = [];
    v.page.on("websocket", (ws) => sockets.push(ws.url()));
    try {
      await v.page.goto(`${server.origin}/`);
      await v.page.waitForSelector("#banner[data-kind='token']:not([hidden])");
      const text = await v.page.textContent("#banner");
      expect(text).toContain("no session token");
      expect(text).toContain(`Open the URL that "npx ostinato serve" (or "npm start") printed in its terminal: ${server.origin}/?token=`);
      expect(await v.page.getAttribute("#connection", "data-state")).toBe("unauthorised");
      await v.page.waitForTimeout(3000);
      expect(sockets).toEqual([]); // no retries, so no failed WebSocket in the console
      expect(v.errors).toEqual([]);
      expect(await layoutProblems(v.page)).toEqual([]);
      await v.page.screenshot({ path: join(ARTIFACTS, "editor-no-token.png") });
    } finally {
      await v.context.close();
    }
  }, 30_000);

  test("no audio output: a banner with the device list; picking one plays on it; it can be dismissed", async () => {
    const v = await openPage(browser, () => server.origin, { width: 1280, height: 720 });
    const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    try {
      await v.page.goto(server.url);
      await v.page.waitForSelector("#banner[data-kind='device']:not([hidden])");
      expect(await v.page.textContent("#banner")).toMatch(/^No audio output: nothing is heard/);
      // the test run's JACK server is the machine's one device
      const options = await until("the device list", async () => {
        const o = await v.page.$$eval("#banner-devices option", (els) => els.map((e) => e.textContent ?? ""));
        return o.length ? o : undefined;
      });
      expect(options!.some((o) => /JACK/.test(o))).toBe(true);
      await v.page.screenshot({ path: join(ARTIFACTS, "editor-no-device.png") });
      await v.page.click("#banner-use");
      await until("the engine on the device", async () => (await engineState(server)).device.backend === "portaudio", 10_000);
      await v.page.waitForSelector("#banner", { state: "hidden" });
      // back to no output (as the other tests run): the banner is back, and × hides it
      await fetch(`${server.origin}/api/device`, { method: "PUT", headers: auth, body: JSON.stringify({ device: "null" }) });
      await v.page.waitForSelector("#banner[data-kind='device']:not([hidden])", { timeout: 5000 });
      await v.page.click("#banner .dismiss");
      await v.page.waitForSelector("#banner", { state: "hidden" });
    } finally {
      await v.context.close();
    }
  }, 30_000);

  /** The shared page on the editor (when this part runs alone, nothing opened it). */
  const onEditor = async () => {
    if (!w.page.url().startsWith(server.origin)) await w.page.goto(server.url);
    await connected();
  };

  test("the tempo box refuses \"abc\" and says why; the tempo stays", async () => {
    await onEditor();
    const cps = (await engineState(server)).cps;
    await w.page.fill("#tempo", "abc");
    await w.page.press("#tempo", "Enter");
    expect(await w.page.getAttribute("#tempo", "aria-invalid")).toBe("true");
    expect(await messageLine()).toMatch(/tempo not changed: "abc" is not a number of cycles per minute \(0\.6 to 6000\)/);
    await w.page.waitForTimeout(300);
    expect((await engineState(server)).cps).toBe(cps);
    await w.page.click(".monaco-editor .view-lines"); // leaving the box shows the tempo again
    expect(await w.page.inputValue("#tempo")).toBe(String(Math.round(cps * 60 * 100) / 100));
  }, 20_000);

  test("a script's evaluation into a new buffer does not open a tab, now or after a reload", async () => {
    await onEditor();
    const res = await fetch(`${server.origin}/api/eval`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", "x-ostinato-client": "e2e-script" },
      body: JSON.stringify({ code: 'scripted: note("c3").s("sine").gain(0.2)', buffer: "from-script" }),
    });
    expect(res.status).toBe(200);
    await until("the script's slot in the page", () => w.page.$(".slot[data-slot='scripted']"), 5000);
    expect(await w.page.$$eval(".tab .name", (els) => els.map((e) => e.textContent))).not.toContain("from-script");
    await w.page.reload();
    await connected();
    expect(await w.page.$$eval(".tab .name", (els) => els.map((e) => e.textContent))).not.toContain("from-script");
    await w.page.evaluate(() => (window as any).ostinato.hush());
    expect(w.errors).toEqual([]);
  }, 30_000);
});
