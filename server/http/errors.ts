/**
 * One error handler for the whole app: every refusal is JSON `{ error }` with
 * the right status; anything unexpected is logged and answered with a 500,
 * and the server keeps answering.
 * @module
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { InvalidNameError, PatternNotFoundError } from "../store/index.ts";

export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof HTTPException) {
    if (err.res) return err.res;
    return c.json({ error: err.message || statusText(err.status) }, err.status);
  }
  if (err instanceof InvalidNameError) return c.json({ error: err.message }, 400);
  if (err instanceof PatternNotFoundError) return c.json({ error: err.message }, 404);
  if (err instanceof RangeError) return c.json({ error: err.message }, 400);
  console.error(`ostinato: ${c.req.method} ${new URL(c.req.url).pathname} failed:`, err);
  return c.json({ error: `internal error: ${err.message}` }, 500);
}

function statusText(status: number): string {
  return status === 413 ? "request body too large" : `HTTP ${status}`;
}
