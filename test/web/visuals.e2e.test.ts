/**
 * The drawings of Strudel's visual methods in the editor, in Debian's
 * Chromium (playwright-core, headless) against the real server (null
 * backend): `._pianoroll()` draws under its own line, two of them each
 * their own; `.pianoroll()` draws in the visual panel; `.color()` colours
 * the notes; re-evaluating without them removes them. The canvases are
 * read back: note-coloured pixels on the rows of the notes played and none
 * on a row between them.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureEditorBuilt, freshDirs, launchBrowser, openEditor, startServer, typeIntoEditor, until, type RunningServer, type Watched } from "./e2e/harness.ts";

let server: RunningServer;
let browser: Browser;
let w: Watched;
const SHOTS = process.env.OSTINATO_SHOTS; // a directory: screenshots to look at

beforeAll(async () => {
  await ensureEditorBuilt();
  server = await startServer(freshDirs());
  browser = await launchBrowser();
  w = await openEditor(browser, server, { width: 1280, height: 800 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function evaluateAll(code: string): Promise<void> {
  await typeIntoEditor(w.page, code);
  const before = await w.page.evaluate(() => performance.now());
  await w.page.keyboard.press("Control+Enter");
  // The answer, read from the evaluator (a server warning may replace the message line before it is read).
  await until(
    "the evaluation's answer",
    () => w.page.evaluate((t) => { const e = (window as any).ostinato.lastEval; return e.keyAt >= t && e.repliedAt !== undefined; }, before),
    30_000,
  );
}

type Pixel = "note" | "red";
/**
 * How many pixels of each pianoroll row look like a note (the default
 * colour, bright or dim) or red, across the whole width, read back from
 * the canvas: `where` picks the drawing, rows are MIDI pitches.
 */
function rowPixels(where: { inline: number } | { panel: string }, pitches: number[], look: Pixel): Promise<number[]> {
  return w.page.evaluate(
    ([where, pitches, look]) => {
      const v = (window as any).ostinato.visuals;
      const d = "inline" in where ? v.inline[where.inline] : v.panelDrawings.find((p: any) => p.kind === where.panel);
      const canvas = d.canvas as HTMLCanvasElement;
      const { low, high } = d.state;
      const cssHeight = canvas.getBoundingClientRect().height;
      const scale = canvas.height / cssHeight;
      const span = Math.max(12, high - low + 1);
      const rowH = cssHeight / span;
      const ctx = canvas.getContext("2d")!;
      return pitches.map((p) => {
        const y = Math.round((cssHeight - (p - low + 1) * rowH + rowH / 2) * scale);
        const data = ctx.getImageData(0, y, canvas.width, 1).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
          if (look === "note" ? b > 80 && b > r + 40 : r > 90 && r > g + 50 && r > b + 50) n++;
        }
        return n;
      });
    },
    [where, pitches, look] as const,
  );
}

const inlineLines = () => w.page.evaluate(() => (window as any).ostinato.visuals.inline.map((d: any) => [d.kind, d.line]));

describe("visual methods in the editor", () => {
  test("two _pianoroll lines each draw their own notes under their line", async () => {
    await evaluateAll(`setcpm(90)\n$: note("c3 e3 g3")._pianoroll()\n\n$: note("c4 d4")._pianoroll()\n`);
    await until("two inline drawings", async () => JSON.stringify(await inlineLines()) === JSON.stringify([["pianoroll", 2], ["pianoroll", 4]]));
    expect(await w.page.locator(".ost-inline-visual canvas").count()).toBe(2);
    // Each zone sits under its own line: below line 2's text, above line 3's.
    const [first, second] = await w.page.locator(".ost-inline-visual").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(second! - first!).toBeGreaterThan(96);
    // c3 e3 g3 (48 52 55) in the first; c4 d4 (60 62) in the second; nothing between.
    await until("the first drawing's notes", async () => (await rowPixels({ inline: 0 }, [48, 52, 55], "note")).every((n) => n > 10), 10_000);
    await until("the second drawing's notes", async () => (await rowPixels({ inline: 1 }, [60, 62], "note")).every((n) => n > 10), 10_000);
    expect(await rowPixels({ inline: 0 }, [50, 60], "note")).toEqual([0, 0]);
    expect(await rowPixels({ inline: 1 }, [61, 48], "note")).toEqual([0, 0]);
    if (SHOTS) await w.page.screenshot({ path: `${SHOTS}/inline-pianoroll.png` });
  }, 60_000);

  test(".pianoroll() draws in the visual panel, coloured by .color(); the inline drawings are gone", async () => {
    await evaluateAll(`setcpm(90)\n$: note("c3 e3 g3").color("red").pianoroll()\n`);
    await until("the inline drawings removed", async () => (await inlineLines()).length === 0 && (await w.page.locator(".ost-inline-visual").count()) === 0);
    expect(await w.page.isVisible("#visuals canvas[data-kind='pianoroll']")).toBe(true);
    await until("red notes in the panel", async () => (await rowPixels({ panel: "pianoroll" }, [48, 52, 55], "red")).every((n) => n > 10), 10_000);
    expect(await rowPixels({ panel: "pianoroll" }, [50], "red")).toEqual([0]);
    expect(await rowPixels({ panel: "pianoroll" }, [48, 52, 55], "note")).toEqual([0, 0, 0]);
    if (SHOTS) await w.page.screenshot({ path: `${SHOTS}/panel-pianoroll.png` });

    await evaluateAll(`$: note("c3 e3 g3")\n`);
    await until("the panel hidden", async () => !(await w.page.isVisible("#visuals")));
    expect(await w.page.locator("#visuals canvas").count()).toBe(0);
  }, 60_000);

  test("every drawing method draws: punchcard, spiral, pitchwheel, scope and spectrum, inline and in the panel", async () => {
    await w.page.setViewportSize({ width: 1280, height: 1300 }); // every zone on screen (Monaco hides those scrolled away)
    const kinds = ["punchcard", "spiral", "pitchwheel", "scope", "spectrum"];
    const code = ["setcpm(90)", ...kinds.map((k) => `$: note("c3 [e3,g3]").s("sawtooth")._${k}()`), `$: note("c2").s("square").punchcard().spiral()`].join("\n");
    await evaluateAll(code);
    await until("five inline drawings", async () => (await inlineLines()).length === 5);
    expect(await inlineLines()).toEqual(kinds.map((k, i) => [k, i + 2]));
    const panelKinds = () => w.page.$$eval("#visuals canvas", (els) => els.map((e) => (e as HTMLElement).dataset.kind).join(" "));
    await until("the panel's punchcard and spiral", async () => (await panelKinds()) === "punchcard spiral");
    // The event drawings have note-coloured pixels somewhere; scope and spectrum the output's green trace
    // (the null backend renders the mix too).
    const lit = () =>
      w.page.evaluate(() => {
        const v = (window as any).ostinato.visuals;
        return [...v.inline, ...v.panelDrawings].map((d: any) => {
          const c = d.canvas as HTMLCanvasElement;
          const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < data.length; i += 4) {
            const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
            if (d.kind === "scope" || d.kind === "spectrum" ? g > r + 60 && g > b + 40 : b > 80 && b > r + 40) n++;
          }
          return [d.kind, n > 20];
        });
      });
    await until("every drawing drawn", async () => (await lit()).every(([, on]) => on), 10_000);
    if (SHOTS) await w.page.screenshot({ path: `${SHOTS}/all-kinds.png` });
    expect(w.errors).toEqual([]);
  }, 60_000);

  test(".markcss() styles the highlight of the atoms sounding", async () => {
    await evaluateAll(`setcpm(90)\n$: note("c3 e3").markcss('outline: 3px dashed rgb(255, 0, 0)')\n`);
    const style = await until("a styled highlight", () =>
      w.page.evaluate(() => {
        const el = document.querySelector(".monaco-editor .ost-mark");
        return el ? `${getComputedStyle(el).outlineStyle} ${getComputedStyle(el).outlineColor}` : "";
      }),
    );
    expect(style).toBe("dashed rgb(255, 0, 0)");
    expect(w.errors).toEqual([]);
  }, 60_000);

  test("._pianoroll({ fold: 1, labels: 1 }) draws one labelled row per note played", async () => {
    await evaluateAll(`setcpm(90)\n$: note("c3 e3 g3")._pianoroll({ fold: 1, labels: 1 })\n`);
    await until("one inline drawing", async () => (await inlineLines()).length === 1);
    const rows = () =>
      w.page.evaluate(() => {
        const d = (window as any).ostinato.visuals.inline[0];
        const c = d.canvas as HTMLCanvasElement;
        const ctx = c.getContext("2d")!;
        return (d.state.rows as string[]).map((label, i) => {
          const y = Math.round(((i + 0.5) * c.height) / d.state.rows.length);
          const data = ctx.getImageData(0, y, c.width, 1).data;
          let n = 0;
          for (let k = 0; k < data.length; k += 4) if (data[k + 2]! > 80 && data[k + 2]! > data[k]! + 40) n++;
          return [label, n > 10];
        });
      });
    await until("three rows drawn", async () => JSON.stringify(await rows()) === JSON.stringify([["g3", true], ["e3", true], ["c3", true]]), 10_000);
    if (SHOTS) await w.page.screenshot({ path: `${SHOTS}/fold-labels.png` });
  }, 60_000);
});
