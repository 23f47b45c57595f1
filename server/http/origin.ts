/**
 * Who may talk to the server. Two attacks a local server must stop:
 * - cross-site requests and WebSocket hijacking: a page on another site makes
 *   the browser talk to us. Refused by checking Origin (and Sec-Fetch-Site)
 *   on every WebSocket upgrade and every mutating request.
 * - DNS rebinding: evil.example resolves to 127.0.0.1 and the page is then
 *   "same origin". Refused by accepting only Host names we know: IP
 *   literals, localhost, and names given with --allow-host.
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** True for the hostname part of a Host header we serve: an IP literal, localhost, or an allowed name. */
export function hostAllowed(hostHeader: string | undefined, extraNames: readonly string[] = []): boolean {
  if (!hostHeader) return false;
  const hostname = hostnameOf(hostHeader);
  if (hostname === undefined) return false;
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  if (isIpLiteral(hostname)) return true;
  return extraNames.some((n) => n.toLowerCase() === hostname);
}

/** Refuses requests whose Host is not ours (DNS rebinding) with 403. */
export function hostGuard(extraNames: readonly string[] = []): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host");
    if (!hostAllowed(host, extraNames)) {
      throw new HTTPException(403, { message: `refused: Host "${host ?? ""}" is not this server (use an IP address or localhost, or start with --allow-host NAME)` });
    }
    await next();
  };
}

/** Refuses WebSocket upgrades and mutating requests that come from another origin, with 403. */
export function originGuard(): MiddlewareHandler {
  return async (c, next) => {
    const isUpgrade = c.req.header("upgrade")?.toLowerCase() === "websocket";
    if (isUpgrade || MUTATING.has(c.req.method)) {
      const why = crossOriginReason(c.req.header("origin"), c.req.header("host"), c.req.header("sec-fetch-site"));
      if (why) throw new HTTPException(403, { message: `refused: ${why}` });
    }
    await next();
  };
}

/** Why a request is cross-origin, or undefined when it is not (no Origin at all: a script, not a browser page). */
export function crossOriginReason(origin: string | undefined, host: string | undefined, fetchSite: string | undefined): string | undefined {
  if (fetchSite === "cross-site") return "cross-site request (Sec-Fetch-Site: cross-site)";
  if (origin === undefined) return undefined;
  if (origin === "null") return 'Origin "null" (a sandboxed or file page) may not control the server';
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `malformed Origin "${origin}"`;
  }
  if (originHost.toLowerCase() !== (host ?? "").toLowerCase()) return `Origin "${origin}" is not this server (${host ?? "no Host"})`;
  return undefined;
}

/** A Host header's form: a name or an IPv4 literal, or a bracketed IPv6 one, then an optional port. Nothing else ("127.0.0.1:4321@evil.com"). */
const HOST_FORM = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

function hostnameOf(host: string): string | undefined {
  const h = host.trim().toLowerCase();
  if (!HOST_FORM.test(h)) return undefined;
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end > 0 ? h.slice(1, end) : undefined;
  }
  const colon = h.lastIndexOf(":");
  return colon >= 0 ? h.slice(0, colon) : h;
}

function isIpLiteral(hostname: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(hostname)) return hostname.split(".").every((o) => Number(o) <= 255);
  return hostname.includes(":") && /^[0-9a-f:.]+$/.test(hostname);
}
