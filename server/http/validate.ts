/**
 * Request bodies and WebSocket messages are validated with zod schemas; a
 * failure says which field is wrong and what was expected.
 *
 * The body rule, the same for every route that takes code (POST /api/eval,
 * PUT /api/patterns/NAME): `Content-Type: application/json` means JSON
 * (`{ code, ... }`; anything else is a 400); `text/plain` or `text/javascript`
 * means the code itself; without either (curl -d sends form-urlencoded), a
 * body that is a JSON object is JSON and anything else is the code. A program
 * is never a JSON object (`{"code": ...}` is a syntax error in JavaScript), so
 * the guess cannot take one for the other.
 * @module
 */
import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "./errors.ts";

/** One line per problem: "field `code`: expected string, received number". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? `field \`${issue.path.join(".")}\`` : "body";
      return `${path}: ${issue.message}`;
    })
    .join("; ");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, "invalid_json", `malformed JSON: ${(err as Error).message}`);
  }
}

function check<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(400, "invalid_request", `invalid request: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Parses a JSON body and validates it; malformed JSON or a wrong field is a 400 with a message. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return check(schema, parseJson(await c.req.text()));
}

/** A body with code, by the rule above: JSON validated by `schema`, or the text as `{ code }`. */
export async function readCodeBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const text = await c.req.text();
  if (type === "application/json" || type.endsWith("+json")) return check(schema, parseJson(text));
  if (type.startsWith("text/")) return check(schema, { code: text });
  return check(schema, looksLikeJsonObject(text) ? parseJson(text) : { code: text });
}

function looksLikeJsonObject(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    const v = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}
