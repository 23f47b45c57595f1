/**
 * Serves the bundled editor (web/dist) at `/`. Static files need no token:
 * they are the open-source editor, not the user's code. Paths are resolved
 * inside the directory; anything else is a 404.
 * @module
 */
import { existsSync, statSync } from "node:fs";
import { join, normalize, sep } from "node:path";
import type { Hono } from "hono";

export function mountStatic(app: Hono, dir: string): void {
  const root = normalize(dir);
  app.get("/*", (c) => {
    const path = decodeURIComponent(new URL(c.req.url).pathname);
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (!(file === root || file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      if (path === "/") {
        return c.text("The editor is not built: run `npm start` (it builds web/dist), or use the REST and WebSocket API.", 503);
      }
      return c.json({ error: `not found: ${path}` }, 404);
    }
    const headers: Record<string, string> = { "cache-control": path === "/" || file.endsWith(".html") ? "no-cache" : "public, max-age=3600" };
    return new Response(Bun.file(file), { headers });
  });
}
