/**
 * The Hono app: security first (Host, Origin, token, body size), then the
 * REST routes, /metrics and the WebSocket. `createApp` takes everything it
 * serves as arguments, so tests build it around real stores and a real
 * engine without a socket (`app.request()`), and `serve.ts` puts it on one.
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { BufferStore, PatternStore } from "../store/index.ts";
import { requireToken, tokenLanding } from "./auth.ts";
import { errorResponse } from "./errors.ts";
import { hostGuard, originGuard } from "./origin.ts";
import { patternRoutes } from "./routes/patterns.ts";

/** The largest request body accepted on /api, in bytes. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type AppDeps = {
  token: string;
  patterns: PatternStore;
  buffers: BufferStore;
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
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));

  app.use("*", hostGuard(deps.allowHosts));
  app.use("*", originGuard());
  app.use("/", tokenLanding(deps.token));
  for (const path of ["/api/*", "/api", "/metrics", "/ws"]) app.use(path, requireToken(deps.token));
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new HTTPException(413, { message: `request body too large (limit ${MAX_BODY_BYTES} bytes)` });
      },
    }),
  );

  app.route("/api/patterns", patternRoutes(deps.patterns));
  deps.mountLive?.(app);
  deps.mountStatic?.(app);
  return app;
}
