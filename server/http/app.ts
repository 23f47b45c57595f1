/**
 * The Hono app: security first (Host, Origin, token, body size), then the
 * REST routes, /metrics and the WebSocket. `createApp` takes everything it
 * serves as arguments, so tests build it around real stores and a real
 * engine without a socket (`app.request()`), and `serve.ts` puts it on one.
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { BufferStore, PatternStore } from "../store/index.ts";
import type { TokenStore } from "../store/tokens.ts";
import { presentedToken, requireToken, roleOf, tokenLanding } from "./auth.ts";
import { ApiError, errorJson, errorResponse, SECURITY_HEADERS } from "./errors.ts";
import { hostGuard, originGuard } from "./origin.ts";
import { patternRoutes } from "./routes/patterns.ts";

/** The largest request body accepted on /api, in bytes. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type AppDeps = {
  token: string;
  patterns: PatternStore;
  buffers: BufferStore;
  /** Guest tokens (edit, view); absent: only the session token opens anything. */
  guests?: TokenStore;
  /** Host names accepted besides IP literals and localhost (--allow-host). */
  allowHosts?: readonly string[];
  /** Registers the routes that need the live runtime (eval, tempo, state, ws, metrics). */
  mountLive?: (app: Hono) => void;
  /** Serves the editor's files; absent in tests that need no editor. */
  mountStatic?: (app: Hono) => void;
};

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.onError(errorResponse);
  app.notFound((c) => {
    const allow = allowedMethods(app, c.req.path);
    if (allow.length) {
      throw new ApiError(405, "method_not_allowed", `${c.req.method} is not a method of ${c.req.path}; it takes ${allow.join(", ")}`, { allow });
    }
    return c.json(errorJson({ message: `no route for ${c.req.method} ${c.req.path}`, code: "not_found" }), 404);
  });

  app.use("*", securityHeaders());
  app.use("*", hostGuard(deps.allowHosts));
  app.use("*", originGuard());
  app.use("/", tokenLanding(deps.token, deps.guests));
  for (const path of ["/api/*", "/api", "/metrics", "/ws", "/ws/*"]) app.use(path, requireToken(deps.token, deps.guests));
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new HTTPException(413, { message: `request body too large (limit ${MAX_BODY_BYTES} bytes)` });
      },
    }),
  );

  // Whether this request carries the token: the editor asks before it opens
  // its socket, so a page opened without the token can say what to open
  // instead of retrying (it tells nothing a 401 does not).
  app.get("/auth", (c) => {
    const role = roleOf(deps.token, deps.guests, presentedToken(c));
    return c.json({ ok: true, authenticated: role !== undefined, role: role ?? null });
  });
  app.route("/api/patterns", patternRoutes(deps.patterns));
  deps.mountLive?.(app);
  deps.mountStatic?.(app);
  return app;
}

/**
 * Headers on every answer, errors included: no MIME sniffing, no framing; and
 * no caching of anything but the editor's static files, since API answers
 * and the token's landing page are the user's (and carry the token).
 */
function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
    if (!c.res.headers.has("cache-control") || c.req.query("token") !== undefined) c.res.headers.set("cache-control", "no-store");
  };
}

/** The methods routes registered for `path` take (catch-alls and middleware aside), for a 405's Allow. */
function allowedMethods(app: Hono, path: string): string[] {
  const methods = new Set<string>();
  for (const r of app.routes) {
    if (r.method === "ALL" || r.path.includes("*")) continue;
    const pattern = new RegExp(`^${r.path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:[^/]+/g, "[^/]+")}/?$`);
    if (pattern.test(path)) methods.add(r.method);
  }
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}
