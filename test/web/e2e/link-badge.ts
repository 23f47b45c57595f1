// The editor's Link badge, driven inside a private network namespace the
// test made (loopback only, multicast on: Link's discovery touches nothing
// else): see link-badge.e2e.test.ts, which asserts what this prints, one
// JSON line per step.
//   bun test/web/e2e/link-badge.ts
import { engineState, freshDirs, launchBrowser, openEditor, startServer, until } from "./harness.ts";

const say = (o: Record<string, unknown>) => console.log(JSON.stringify(o));

async function main(): Promise<void> {
  const server = await startServer(freshDirs(), { args: ["--link", "--no-resume"] });
  const browser = await launchBrowser();
  try {
    const w = await openEditor(browser, server, { width: 1280, height: 800 });
    const badge = async () => {
      const el = (await w.page.$("#link"))!;
      return { text: (await el.textContent()) ?? "", visible: await el.isVisible(), stopped: await el.evaluate((e) => e.classList.contains("stopped")), title: (await el.getAttribute("title")) ?? "" };
    };
    const put = async (body: unknown) => {
      const res = await fetch(`${server.origin}/api/link`, { method: "PUT", headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`PUT /api/link ${JSON.stringify(body)}: ${res.status} ${await res.text()}`);
    };
    const step = async (kind: string, ok: (b: Awaited<ReturnType<typeof badge>>) => boolean) => {
      const b = await until(kind, async () => {
        const b = await badge();
        return ok(b) ? b : undefined;
      }, 10_000);
      say({ kind, ...b, link: (await engineState(server)).link });
    };
    await step("on", (b) => b.visible && b.text.startsWith("Link"));
    await put({ playing: false });
    await step("stopped", (b) => b.text.includes("stopped"));
    await put({ playing: true });
    await step("started", (b) => b.visible && !b.text.includes("stopped"));
    await put({ on: false });
    await step("off", (b) => !b.visible);
    // Off, our own transport: stopped, the badge says so; started, it hides again.
    await put({ playing: false });
    await step("off-stopped", (b) => b.visible && b.text.includes("stopped"));
    await put({ playing: true });
    await step("off-started", (b) => !b.visible);
    say({ kind: "errors", errors: w.errors, blocked: w.blocked });
  } finally {
    await browser.close();
    await server.stop();
  }
}

setTimeout(() => {
  say({ kind: "error", message: "link-badge: overall timeout" });
  process.exit(1);
}, 90_000).unref();

main()
  .catch((err) => say({ kind: "error", message: (err as Error).stack ?? String(err) }))
  .finally(() => setTimeout(() => process.exit(0), 500).unref());
