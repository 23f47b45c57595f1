/**
 * Editor benchmark, in Debian's Chromium (headless, playwright-core) against
 * the real server (`bun server/cli.ts serve --backend null`):
 *
 * 1. Keypress to first event: a fresh named pattern (512 steps a cycle, so
 *    the wait for its next step is under 4 ms) is typed and Ctrl+Enter
 *    pressed (a real key event). Measured in the page from the keydown:
 *    the server's reply, the arrival of the first `events` push of the new
 *    slot, and the engine frame that event is scheduled at (converted to
 *    time: when it sounds, relative to the keypress).
 * 0. Page load: navigation to the editor shown and to the socket open.
 * 2. Frame rate while highlighting a dense pattern (128 events a cycle at
 *    1 cycle per second, every one highlighted): animation frames per
 *    second, the longest frame intervals, and the time the highlighter
 *    takes per frame.
 *
 * No peer in the same run: Strudel's REPL is a web application that is not
 * installable from npm on this machine (design.md: @strudel/core 1.2.6 does
 * not even import), so the figures are absolute; the target is the guide's
 * 20 ms from keypress to sound and a steady 60 frames per second.
 *
 *   bun test/bench/run.ts editor [--runs N]
 * @module
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { BenchOptions, BenchTable } from "./registry.ts";
import { ROOT, editorText, ensureEditorBuilt, freshDirs, launchBrowser, openPage, startServer, typeIntoEditor } from "../web/e2e/harness.ts";

export const name = "editor";
export const description = "browser editor in Chromium against the real server: keypress to first scheduled event, frame rate while highlighting a dense pattern";

const DENSE = [
  "setcps(1)",
  "",
  'hats: s("white*32").decay(0.02).sustain(0).gain(0.04)',
  "",
  'run: note("c3 d3 e3 f3 g3 a3 b3 c4 d4 e4 f4 g4 a4 b4 c5 d5").fast(4).s("sine").decay(0.05).sustain(0).gain(0.04)',
  "",
  'steps: n("0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31").scale("C:minor").s("triangle").decay(0.04).sustain(0).gain(0.03)',
].join("\n");

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (x: number) => x.toFixed(1);

export async function run(options: BenchOptions = { runs: 3, warmup: 1 }): Promise<BenchTable[]> {
  await ensureEditorBuilt();
  const server = await startServer(freshDirs());
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    browser = await launchBrowser();
    const w = await openPage(browser, () => server.origin);
    // Page load: from navigation to the editor on screen and to the socket open (first load, then cached reloads).
    const loads: { editor: number; live: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      if (i === 0) await w.page.goto(server.url);
      else await w.page.reload();
      await w.page.waitForSelector(".monaco-editor .view-lines", { timeout: 30_000 });
      const editor = performance.now() - t0;
      await w.page.waitForFunction(() => document.querySelector("#connection")?.getAttribute("data-state") === "open", null, { timeout: 30_000 });
      loads.push({ editor, live: performance.now() - t0 });
    }
    await w.page.waitForFunction(() => (window as any).ostinato.clock.ready, null, { timeout: 10_000 });

    // ---- 1. keypress to first event
    const trials = Math.max(10, options.runs * 5);
    const rows: { reply: number; arrival: number; sound: number }[] = [];
    for (let i = 0; i < options.warmup + trials; i++) {
      // 512 events a cycle (3.9 ms apart at 0.5 cps): the wait for the pattern's next step is negligible.
      await typeIntoEditor(w.page, `k${i}: note("c4*512").s("sine").decay(0.002).sustain(0).gain(0.02)`);
      if (!(await editorText(w.page)).startsWith(`k${i}:`)) throw new Error("typing did not reach the editor");
      await w.page.keyboard.press("Control+Enter");
      const t = await w.page.waitForFunction(
        () => {
          const e = (window as any).ostinato.lastEval;
          return e.firstEventAt !== undefined && e.frameAtKey !== undefined ? e : undefined;
        },
        null,
        { timeout: 10_000 },
      );
      const e = (await t.jsonValue()) as { keyAt: number; repliedAt: number; firstEventAt: number; firstEventFrame: number; frameAtKey: number };
      const rate = await w.page.evaluate(() => (window as any).ostinato.clock.sampleRate as number);
      if (i >= options.warmup) {
        rows.push({ reply: e.repliedAt - e.keyAt, arrival: e.firstEventAt - e.keyAt, sound: ((e.firstEventFrame - e.frameAtKey) / rate) * 1000 });
      }
      await w.page.keyboard.press("Control+.");
      await w.page.waitForTimeout(150);
    }

    // ---- 2. frame rate while highlighting
    await w.page.evaluate((code) => {
      const m = (window as any).ostinato.editor.getModel();
      m.pushEditOperations([], [{ range: m.getFullModelRange(), text: code }], () => null);
    }, DENSE);
    await w.page.keyboard.press("Alt+Enter");
    await w.page.waitForFunction(() => (window as any).ostinato.highlighter.litCount > 0, null, { timeout: 10_000 });
    await w.page.waitForTimeout(1000);
    const seconds = 5 * Math.max(1, Math.round(options.runs / 3));
    const fps = await w.page.evaluate(async (seconds) => {
      const app = (window as any).ostinato;
      const paint = app.highlighter.paint.bind(app.highlighter);
      const paintMs: number[] = [];
      let lit = 0;
      app.highlighter.paint = (now: number) => {
        const t0 = performance.now();
        paint(now);
        paintMs.push(performance.now() - t0);
        lit += app.highlighter.litCount;
      };
      const stamps: number[] = [];
      const end = performance.now() + seconds * 1000;
      while (performance.now() < end) stamps.push(await new Promise<number>((r) => requestAnimationFrame(r)));
      app.highlighter.paint = paint;
      const gaps = stamps.slice(1).map((t, i) => t - stamps[i]!);
      return { frames: stamps.length, span: (stamps.at(-1)! - stamps[0]!) / 1000, gaps, paintMs, litPerFrame: lit / Math.max(1, paintMs.length) };
    }, seconds);
    await w.page.keyboard.press("Control+.");
    const events = await w.page.evaluate(() => (window as any).ostinato.timeline.size as number);

    const reloads = loads.slice(1);
    return [
      {
        title: "editor: page load",
        columns: ["measure", "first load ms", "reload median ms"],
        rows: [
          ["navigation to the editor shown", ms(loads[0]!.editor), ms(quantile(reloads.map((l) => l.editor), 0.5))],
          ["navigation to connected (socket open)", ms(loads[0]!.live), ms(quantile(reloads.map((l) => l.live), 0.5))],
        ],
        notes: [`includes the token redirect on the first load; main.js is ${(statSync(join(ROOT, "web", "dist", "main.js")).size / 1e6).toFixed(1)} MB; the workers load after the editor is shown`],
      },
      {
        title: "editor: keypress (Ctrl+Enter) to first event of the new pattern",
        columns: ["measure", "median ms", "p95 ms", "max ms"],
        rows: [
          ["server reply (evaluated, slots set)", ms(quantile(rows.map((r) => r.reply), 0.5)), ms(quantile(rows.map((r) => r.reply), 0.95)), ms(Math.max(...rows.map((r) => r.reply)))],
          ["first event pushed to the page", ms(quantile(rows.map((r) => r.arrival), 0.5)), ms(quantile(rows.map((r) => r.arrival), 0.95)), ms(Math.max(...rows.map((r) => r.arrival)))],
          ["first event's sound (its engine frame)", ms(quantile(rows.map((r) => r.sound), 0.5)), ms(quantile(rows.map((r) => r.sound), 0.95)), ms(Math.max(...rows.map((r) => r.sound)))],
        ],
        notes: [
          `${rows.length} evaluations (after ${options.warmup} warm-up), null backend, ${server.origin}; each a new named slot, hushed between`,
          "sound = (scheduled frame of the first event - engine frame estimated at the keydown) / sample rate",
          "no peer in the same run: Strudel's REPL is not installable here; the guide's target is 20 ms to sound",
        ],
      },
      {
        title: "editor: frame rate while highlighting a dense pattern",
        columns: ["measure", "value"],
        rows: [
          ["frames per second", (fps.frames / fps.span).toFixed(1)],
          ["frame interval p50 / p99 / max ms", `${ms(quantile(fps.gaps, 0.5))} / ${ms(quantile(fps.gaps, 0.99))} / ${ms(Math.max(...fps.gaps))}`],
          ["frames longer than 25 ms", String(fps.gaps.filter((g) => g > 25).length)],
          ["highlighter per frame p50 / p99 ms", `${(quantile(fps.paintMs, 0.5)).toFixed(3)} / ${(quantile(fps.paintMs, 0.99)).toFixed(3)}`],
          ["atoms lit per frame (mean)", fps.litPerFrame.toFixed(1)],
        ],
        notes: [
          `${seconds} s of animation frames, 128 events per cycle at 1 cps (3 slots), headless Chromium --disable-gpu at 1600×900; ${events} events in the timeline at the end`,
          "every frame also paints the meters, clock, pianoroll and scope",
        ],
      },
    ];
  } finally {
    await browser?.close();
    await server.stop();
  }
}

if (import.meta.main) {
  for (const t of await run()) {
    console.log(t.title);
    for (const r of t.rows) console.log(`  ${r.join("  |  ")}`);
    for (const n of t.notes ?? []) console.log(`  - ${n}`);
  }
}
