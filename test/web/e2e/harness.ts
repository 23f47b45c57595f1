/**
 * What the editor's end-to-end tests and benchmark share: the real server
 * started as a child process (`bun server/cli.ts serve`, its printed URL
 * parsed), Debian's Chromium through playwright-core with every request
 * that is not for the server refused, and the REST state of the engine.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { StateSnapshot } from "../../../server/http/protocol.ts";
import { buildEditor } from "../../../web/build.ts";

export const ROOT = join(import.meta.dirname, "..", "..", "..");
const BUN = join(ROOT, "node_modules", ".bin", "bun");

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Builds web/dist when a source is newer than its index.html (the rule of server/setup/ensure.mjs). */
export async function ensureEditorBuilt(): Promise<void> {
  const index = join(ROOT, "web", "dist", "index.html");
  const newest = Math.max(newestMtime(join(ROOT, "web"), (p) => !p.includes(join("web", "dist"))), newestMtime(join(ROOT, "server", "pattern")));
  if (existsSync(index) && statSync(index).mtimeMs >= newest) return;
  await buildEditor();
}

function newestMtime(dir: string, keep: (p: string) => boolean = () => true): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    if (e.isFile() && keep(p)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export type Dirs = { patterns: string; state: string };

/** Fresh pattern and state directories; the repository's example patterns are copied in. */
export function freshDirs(): Dirs {
  const dir = mkdtempSync(join(tmpdir(), "ostinato-editor-"));
  const patterns = join(dir, "patterns");
  cpSync(join(ROOT, "patterns"), patterns, { recursive: true });
  return { patterns, state: join(dir, "state") };
}

export type RunningServer = { url: string; origin: string; token: string; port: number; output: () => string; stop: () => Promise<void>; process: ChildProcess };

/** Starts `bun server/cli.ts serve` and waits for the URL it prints. */
export async function startServer(dirs: Dirs, opts: { port?: number; token?: string; backend?: "null" | "portaudio"; args?: string[] } = {}): Promise<RunningServer> {
  const args = ["server/cli.ts", "serve", "--port", String(opts.port ?? 0), "--patterns", dirs.patterns, "--state", dirs.state, ...(opts.args ?? [])];
  if ((opts.backend ?? "null") === "null") args.push("--backend", "null");
  if (opts.token) args.push("--token", opts.token);
  // The editor is under test, not the watchdog (test/http/hostile*): on a busy host a plain evaluation can take longer than 0.4 s.
  args.push("--hang-timeout", "2000");
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  const child = spawn(BUN, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A server that never came up must not outlive the test.
      child.kill("SIGKILL");
      reject(new Error(`the server printed no URL within 30 s:\n${output}`));
    }, 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /open the editor: (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before printing its URL:\n${output}`));
    });
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get("token")!,
    port: Number(u.port),
    output: () => output,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
}

export type Watched = { context: BrowserContext; page: Page; blocked: string[]; errors: string[] };

/**
 * A fresh context and page that may talk only to `origin`: every other
 * request is aborted and recorded. Page errors and console errors are
 * recorded too.
 */
export async function openPage(browser: Browser, origin: () => string, viewport = { width: 1600, height: 900 }): Promise<Watched> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const blocked: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin()}/`) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    blocked.push(url);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return { context, page, blocked, errors };
}

/**
 * A watched page on the server's editor, connected and with Monaco drawn; a
 * failed wait prints the page's message line and buffer.
 */
export async function openEditor(browser: Browser, server: RunningServer, viewport?: { width: number; height: number }): Promise<Watched> {
  const w = await openPage(browser, () => server.origin, viewport);
  onTimeoutDescribe(async () => `message line: ${await w.page.textContent("#message")}\nbuffer: ${JSON.stringify(await editorText(w.page))}`);
  await w.page.goto(server.url);
  await w.page.waitForFunction(() => document.querySelector("#connection")?.getAttribute("data-state") === "open", null, { timeout: 20_000 });
  await w.page.waitForSelector(".monaco-editor .view-lines");
  return w;
}

export async function engineState(server: RunningServer): Promise<StateSnapshot> {
  const res = await fetch(`${server.origin}/api/state`, { headers: { authorization: `Bearer ${server.token}` } });
  if (!res.ok) throw new Error(`GET /api/state: ${res.status} ${await res.text()}`);
  return (await res.json()) as StateSnapshot;
}

export async function serverBuffers(server: RunningServer): Promise<{ name: string; code: string }[]> {
  const res = await fetch(`${server.origin}/api/buffers`, { headers: { authorization: `Bearer ${server.token}` } });
  return ((await res.json()) as { buffers: { name: string; code: string }[] }).buffers;
}

/** Something to print when a wait fails (the page's message line, say). */
let context: (() => Promise<string>) | undefined;
export function onTimeoutDescribe(fn: () => Promise<string>): void {
  context = fn;
}

/** Polls `fn` until it returns a truthy value; fails with `what` and the last value after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T> | T, ms = 10_000, every = 100): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, every));
  }
  const extra = context ? await context().catch((e) => `(no context: ${e})`) : "";
  throw new Error(`timed out after ${ms} ms waiting for ${what} (last value: ${JSON.stringify(last)}${lastError ? `, last error: ${lastError}` : ""})${extra ? `\n${extra}` : ""}`);
}

/** Replaces the editor's text by typing it (select all, delete, type), as a musician would. */
export async function typeIntoEditor(page: Page, text: string): Promise<void> {
  await page.click(".monaco-editor .view-lines");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type(text, { delay: 0 });
  // Typing may open the suggest widget; close it so Enter keys mean what the test says.
  await page.keyboard.press("Escape");
}

/** The active buffer's text, read from Monaco. */
export function editorText(page: Page): Promise<string> {
  return page.evaluate(() => (window as any).ostinato.editor.getValue() as string);
}

/** Puts the cursor at a 1-based line and column. */
export async function setCursor(page: Page, lineNumber: number, column = 1): Promise<void> {
  await page.evaluate(([lineNumber, column]) => {
    const e = (window as any).ostinato.editor;
    e.setPosition({ lineNumber, column });
    e.focus();
  }, [lineNumber, column] as const);
}
