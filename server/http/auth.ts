/**
 * The session token. Evaluating code is running code, so every /api route,
 * /metrics and every WebSocket needs it: `Authorization: Bearer TOKEN`, the
 * `token` query parameter, or the cookie set when the printed URL is opened.
 * @module
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import { errorJson } from "./errors.ts";

export const TOKEN_COOKIE = "ostinato_token";

/** A fresh random token (URL-safe, 32 characters). */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** The token a request carries, from the header, the query or the cookie. */
export function presentedToken(c: Context): string | undefined {
  const header = c.req.header("authorization");
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  return c.req.query("token") ?? getCookie(c, TOKEN_COOKIE);
}

/** Constant-time comparison, so response timing tells nothing about the token. */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Refuses with 401 (and does nothing else) unless the request carries the token. */
export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (!tokenMatches(token, presentedToken(c))) {
      throw new HTTPException(401, {
        res: new Response(JSON.stringify(errorJson({ message: "missing or wrong token: open the URL the server printed, or send Authorization: Bearer TOKEN", code: "unauthorized" })), {
          status: 401,
          headers: { "content-type": "application/json", "www-authenticate": 'Bearer realm="ostinato"' },
        }),
      });
    }
    await next();
  };
}

/**
 * Opening the printed URL (`/?token=…`) stores the token in an HttpOnly,
 * same-site cookie and redirects to the bare URL, so the token does not stay
 * in the address bar or the browser history.
 */
export function tokenLanding(token: string): MiddlewareHandler {
  return async (c, next) => {
    const fromQuery = c.req.query("token");
    if (c.req.method === "GET" && fromQuery !== undefined && tokenMatches(token, fromQuery)) {
      setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/" });
      const url = new URL(c.req.url);
      url.searchParams.delete("token");
      return c.redirect(url.pathname + url.search, 302);
    }
    await next();
  };
}
