/**
 * Request bodies and WebSocket messages are validated with zod schemas; a
 * failure says which field is wrong and what was expected.
 * @module
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";

/** One line per problem: "field `code`: expected string, received number". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? `field \`${issue.path.join(".")}\`` : "body";
      return `${path}: ${issue.message}`;
    })
    .join("; ");
}

/** Parses a JSON body and validates it; malformed JSON or a wrong field is a 400 with a message. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch (err) {
    throw new HTTPException(400, { message: `malformed JSON: ${(err as Error).message}` });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HTTPException(400, { message: `invalid request: ${describeIssues(parsed.error)}` });
  return parsed.data;
}
