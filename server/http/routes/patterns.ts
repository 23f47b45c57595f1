/**
 * Pattern files: GET /api/patterns, GET|PUT|DELETE /api/patterns/:name.
 * PUT takes JSON `{ code }` or the file's text (the body rule: validate.ts).
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import type { PatternStore } from "../../store/index.ts";
import { readCodeBody } from "../validate.ts";

const PutBody = z.object({ code: z.string() });

export function patternRoutes(store: PatternStore): Hono {
  const app = new Hono();
  app.get("/", async (c) => c.json({ patterns: await store.list() }));
  app.get("/:name", async (c) => {
    const name = c.req.param("name");
    return c.json({ name, code: await store.read(name) });
  });
  app.put("/:name", async (c) => {
    const { code } = await readCodeBody(c, PutBody);
    return c.json(await store.write(c.req.param("name"), code));
  });
  app.delete("/:name", async (c) => {
    await store.delete(c.req.param("name"));
    return c.json({ deleted: c.req.param("name") });
  });
  return app;
}
