/**
 * Guest tokens over REST (session token only: auth.ts refuses the others):
 * GET /api/tokens lists them (no secrets), POST /api/tokens {role, label?}
 * makes one and answers with its secret and the URL that opens the editor
 * with it, DELETE /api/tokens/:id revokes one. A revoked token's open
 * sockets are closed at once (`onRevoked`).
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { GUEST_ROLES, type TokenStore } from "../../store/tokens.ts";
import { ApiError } from "../errors.ts";
import { readJson } from "../validate.ts";

const CreateBody = z.object({ role: z.enum(GUEST_ROLES), label: z.string().max(100).optional() });

export function tokenRoutes(tokens: TokenStore, onRevoked: (id: string) => void): Hono {
  const app = new Hono();
  app.get("/", (c) => c.json({ tokens: tokens.list() }));
  app.post("/", async (c) => {
    const body = await readJson(c, CreateBody);
    const made = await tokens.create(body.role, body.label);
    const url = new URL(c.req.url);
    return c.json({ ...made, url: `${url.origin}/?token=${made.token}` }, 201);
  });
  app.delete("/:id", async (c) => {
    const id = c.req.param("id");
    if (!(await tokens.revoke(id))) throw new ApiError(404, "not_found", `no guest token with id "${id}" (GET /api/tokens lists them)`);
    onRevoked(id);
    return c.json({ revoked: id });
  });
  return app;
}
