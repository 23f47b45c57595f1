/**
 * Serves the bundled editor (web/dist) at `/`. Static files need no token:
 * they are the open-source editor, not the user's code. Paths are resolved
 * inside the directory; anything else is a 404.
 * @module
 */
import { existsSync, statSync } from "node:fs";
import { join, normalize, sep } from "node:path";
import type { Hono } from "hono";
import { errorJson } from "./errors.ts";

/**
 * The page's Content-Security-Policy, as a header (web/index.html repeats it
 * in a meta tag for a page opened from disk; frame-ancestors works only here):
 * nothing loads from anywhere but this server, and no site may frame it.
 */
export const EDITOR_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
  "worker-src 'self'", "connect-src 'self'", "base-uri 'self'", "form-action 'none'", "frame-ancestors 'none'",
].join("; ");

export function mountStatic(app: Hono, dir: string): void {
  const root = normalize(dir);
  app.get("/*", (c) => {
    const path = decodeURIComponent(new URL(c.req.url).pathname);
    if (path === "/api" || path.startsWith("/api/")) return c.notFound(); // the API's own 404 or 405

    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (!(file === root || file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      if (path === "/") {
        return c.text("The editor is not built: run `npm start` (it builds web/dist), or use the REST and WebSocket API.", 503);
      }
      return c.json(errorJson({ message: `not found: ${path}`, code: "not_found" }), 404);
    }
    const html = file.endsWith(".html");
    const headers: Record<string, string> = { "cache-control": path === "/" || html ? "no-cache" : "public, max-age=3600" };
    if (html) headers["content-security-policy"] = EDITOR_CSP;
    return new Response(Bun.file(file), { headers });
  });
}
