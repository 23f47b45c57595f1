/**
 * Pattern files: GET /api/patterns, GET|PUT|DELETE /api/patterns/:name.
 * PUT takes the file's text as the body (any content type) or JSON `{ code }`.
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import type { PatternStore } from "../../store/index.ts";
import { readJson } from "../validate.ts";

const PutBody = z.object({ code: z.string() });

export function patternRoutes(store: PatternStore): Hono {
  const app = new Hono();
  app.get("/", async (c) => c.json({ patterns: await store.list() }));
  app.get("/:name", async (c) => {
    const name = c.req.param("name");
    return c.json({ name, code: await store.read(name) });
  });
  app.put("/:name", async (c) => {
    const isJson = c.req.header("content-type")?.includes("application/json");
    const code = isJson ? (await readJson(c, PutBody)).code : await c.req.text();
    return c.json(await store.write(c.req.param("name"), code));
  });
  app.delete("/:name", async (c) => {
    await store.delete(c.req.param("name"));
    return c.json({ deleted: c.req.param("name") });
  });
  return app;
}
