import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { buildEditor } from "../../web/build.ts";

function digest(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash("sha256").update(readFileSync(join(dir, f))).digest("hex")]));
}

describe("web/build.ts", () => {
  test("bundles the page, both Monaco workers, the font and the .d.ts; twice gives identical bytes", async () => {
    const a = await buildEditor(join(mkdtempSync(join(tmpdir(), "ostinato-web-a-")), "dist"));
    const b = await buildEditor(join(mkdtempSync(join(tmpdir(), "ostinato-web-b-")), "dist"));
    const names = a.files.map((f) => f.path);
    for (const f of ["index.html", "main.js", "main.css", "editor.worker.js", "ts.worker.js", "ostinato.d.ts"]) expect(names).toContain(f);
    expect(names.some((n) => /^codicon-[a-z0-9]+\.ttf$/.test(n))).toBe(true);
    expect(digest(a.outDir)).toEqual(digest(b.outDir));
  }, 60_000);

  test("nothing in the bundle loads from another machine", async () => {
    const out = await buildEditor(join(mkdtempSync(join(tmpdir(), "ostinato-web-c-")), "dist"));
    const html = readFileSync(join(out.outDir, "index.html"), "utf8");
    // every src/href of the page is relative (or data:)
    for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(m[1]).toMatch(/^(?:[\w.-]+\.(?:js|css)|data:.*)$/);
    expect(html).toMatch(/connect-src 'self'/);
    const css = readFileSync(join(out.outDir, "main.css"), "utf8");
    for (const m of css.matchAll(/url\(([^)]+)\)/g)) expect(m[1]).not.toMatch(/^["']?(?:https?:)?\/\//);
  }, 60_000);
});
