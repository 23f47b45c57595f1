/**
 * One error shape for the whole API, REST and WebSocket alike:
 * `{ ok: false, error: { message, code, ...details } }`. `message` is for
 * people (what went wrong and what to do), `code` for programs (a stable
 * word, below), details for either (a program error's line and column, a
 * 429's retryAfter seconds, a 405's allow list). One handler turns every
 * thrown error into it; anything unexpected is logged, answered with a 500
 * that shows no internals, and the server keeps answering.
 * @module
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { InvalidNameError, PatternNotFoundError } from "../store/index.ts";
import type { ApiErrorInfo } from "./protocol.ts";

/** The code for each status, when the thrower gave none. */
const CODES: Record<number, string> = {
  400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
  409: "conflict", 413: "too_large", 422: "program_error", 426: "upgrade_required", 429: "rate_limited", 500: "internal",
};

/** An HTTPException that carries its code and details. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(status, { message });
  }
}

/** What a thrown error answers: status, the error object, extra headers. Logs what was not expected. */
export function describeError(err: unknown, where: string): { status: ContentfulStatusCode; error: ApiErrorInfo; headers: Record<string, string> } {
  if (err instanceof ApiError) {
    const headers: Record<string, string> = {};
    if (typeof err.details.retryAfter === "number") headers["retry-after"] = String(Math.max(1, Math.ceil(err.details.retryAfter)));
    if (Array.isArray(err.details.allow)) headers.allow = err.details.allow.join(", ");
    return { status: err.status as ContentfulStatusCode, error: { message: err.message, code: err.code, ...err.details }, headers };
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return { status, error: { message: err.message || `HTTP ${status}`, code: CODES[status] ?? "error" }, headers: {} };
  }
  if (err instanceof InvalidNameError) return { status: 400, error: { message: err.message, code: "invalid_name" }, headers: {} };
  if (err instanceof PatternNotFoundError) return { status: 404, error: { message: err.message, code: "not_found" }, headers: {} };
  if (err instanceof RangeError) return { status: 400, error: { message: err.message, code: "bad_request" }, headers: {} };
  console.error(`ostinato: ${where} failed:`, err);
  return { status: 500, error: { message: "internal error: the server logged it; the request changed nothing it could not finish", code: "internal" }, headers: {} };
}

/**
 * A failed evaluation's answer: the program's error (phase, line, column, slot) in the one shape; `slots`
 * when the program installed but one of its slots is stopped (the error names it).
 */
export function programFailure(outcome: { ok: false; buffer: string; error: { message: string }; slots?: string[] }): {
  ok: false;
  buffer: string;
  error: ApiErrorInfo;
  slots?: string[];
} {
  // the WebSocket's reply carries only the error: the installed slots go in it too
  const slots = outcome.slots ? { slots: outcome.slots } : {};
  return { ok: false, buffer: outcome.buffer, error: { ...outcome.error, code: "program_error", ...slots }, ...slots };
}

/** The JSON body of a failure. */
export function errorJson(error: ApiErrorInfo): { ok: false; error: ApiErrorInfo } {
  return { ok: false, error };
}

/** Hono's onError: every refusal and failure, in the one shape. */
export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof HTTPException && err.res && !(err instanceof ApiError)) return err.res;
  const { status, error, headers } = describeError(err, `${c.req.method} ${c.req.path}`);
  return c.json(errorJson(error), status, headers);
}

/** A response in the one shape, outside Hono (Bun.serve's own error handler). */
export function plainErrorResponse(status: ContentfulStatusCode, code: string, message: string): Response {
  return new Response(JSON.stringify(errorJson({ message, code })), { status, headers: { "content-type": "application/json", ...SECURITY_HEADERS } });
}

/** Headers on every answer: no framing, no sniffing (the page's CSP is set by static.ts). */
export const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};
