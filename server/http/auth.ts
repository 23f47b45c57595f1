/**
 * The session token. Evaluating code is running code, so every /api route,
 * /metrics and every WebSocket needs it: `Authorization: Bearer TOKEN`, the
 * `token` query parameter, or the cookie set when the printed URL is opened.
 * Guest tokens (store/tokens.ts) open the same doors with less: `edit` does
 * all the session token does but manage tokens; `view` only reads. The role
 * is checked here for REST and again per message on the sockets.
 * @module
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import type { TokenStore } from "../store/tokens.ts";
import { errorJson } from "./errors.ts";

/** Who is asking: the session token's holder, or a guest. */
export type Role = "owner" | "edit" | "view";

declare module "hono" {
  interface ContextVariableMap {
    role: Role;
    /** The guest token's id (to close its sockets when it is revoked); undefined for the session token. */
    guestId: string | undefined;
  }
}

/** The role a presented token grants, or undefined when it grants none. */
export function roleOf(token: string, guests: TokenStore | undefined, presented: string | undefined): Role | undefined {
  if (presented === undefined) return undefined;
  if (tokenMatches(token, presented)) return "owner";
  return guests?.find(presented)?.role;
}

/** What a role may not do over REST, in words; undefined when it may. */
export function restRefusal(role: Role, method: string, path: string): string | undefined {
  if (path.startsWith("/api/tokens") && role !== "owner") return "only the session token makes, lists and revokes guest tokens";
  if (role === "view" && method !== "GET" && method !== "HEAD") return "a view token can read, not change: ask the session's owner for an edit token";
  return undefined;
}

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

/** Refuses with 401 (and does nothing else) unless the request carries the token; 403 when its role may not. */
export function requireToken(token: string, guests?: TokenStore): MiddlewareHandler {
  return async (c, next) => {
    const role = roleOf(token, guests, presentedToken(c));
    if (role === undefined) {
      throw new HTTPException(401, {
        res: new Response(JSON.stringify(errorJson({ message: "missing or wrong token: open the URL the server printed, or send Authorization: Bearer TOKEN", code: "unauthorized" })), {
          status: 401,
          headers: { "content-type": "application/json", "www-authenticate": 'Bearer realm="ostinato"' },
        }),
      });
    }
    const refused = restRefusal(role, c.req.method, c.req.path);
    if (refused) {
      throw new HTTPException(403, {
        res: new Response(JSON.stringify(errorJson({ message: refused, code: "forbidden" })), { status: 403, headers: { "content-type": "application/json" } }),
      });
    }
    c.set("role", role);
    c.set("guestId", role === "owner" ? undefined : guests?.find(presentedToken(c)!)?.id);
    await next();
  };
}

/**
 * Opening the printed URL (`/?token=…`) stores the token in an HttpOnly,
 * same-site cookie and redirects to the bare URL, so the token does not stay
 * in the address bar or the browser history.
 */
export function tokenLanding(token: string, guests?: TokenStore): MiddlewareHandler {
  return async (c, next) => {
    const fromQuery = c.req.query("token");
    if (c.req.method === "GET" && fromQuery !== undefined && roleOf(token, guests, fromQuery) !== undefined) {
      setCookie(c, TOKEN_COOKIE, fromQuery, { httpOnly: true, sameSite: "Strict", path: "/" });
      const url = new URL(c.req.url);
      url.searchParams.delete("token");
      return c.redirect(url.pathname + url.search, 302);
    }
    await next();
  };
}
