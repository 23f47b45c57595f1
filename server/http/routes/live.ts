/**
 * REST control of the live session: POST /api/eval, POST /api/hush,
 * POST /api/slots/:slot/mute|solo, GET|PUT /api/tempo, GET|PUT /api/link, GET /api/state,
 * GET /api/devices, PUT /api/device, GET /api/buffers,
 * GET /api/record, POST /api/record {name?}, POST /api/record/stop,
 * GET /api/sounds, POST /api/sounds/play {sound, n?}, POST /api/sounds/fetch {names}.
 * Bodies are JSON, validated (POST /api/eval also takes the code as text:
 * the body rule in validate.ts); see README ("REST") for a curl example of
 * each. A failure is `{ ok: false, error: { message, code, ... } }` (errors.ts).
 * @module
 */
import { Hono } from "hono";
import { getConnInfo } from "hono/bun";
import { z } from "zod";
import type { Commands } from "../commands.ts";
import { programFailure } from "../errors.ts";
import { readCodeBody, readJson } from "../validate.ts";

const EvalBody = z.object({
  code: z.string().max(1024 * 1024),
  /** The whole buffer, to save, when `code` is a block of it. */
  text: z.string().max(1024 * 1024).optional(),
  slot: z.string().min(1).max(100).optional(),
  buffer: z.string().min(1).max(100).optional(),
  quantize: z.boolean().optional(),
});
const Toggle = z.object({ on: z.boolean() });
const TempoBody = z.object({ cps: z.number().optional(), cpm: z.number().optional() });
const LinkBody = z.object({ on: z.boolean().optional(), offsetMs: z.number().optional(), playing: z.boolean().optional() });
const DeviceBody = z.object({ device: z.union([z.string().min(1).max(200), z.number().int().nonnegative()]) });
const RecordBody = z.object({ name: z.string().min(1).max(104).optional() });
const PlayBody = z.object({ sound: z.string().min(1).max(200), n: z.number().int().min(0).max(10000).optional() });
const FetchBody = z.object({ names: z.array(z.string().min(1).max(2000)).min(1).max(100) });

export function liveRoutes(commands: Commands): Hono {
  const app = new Hono();
  app.post("/eval", async (c) => {
    const body = await readCodeBody(c, EvalBody);
    const outcome = await commands.evaluate(body.code, { buffer: body.buffer ?? body.slot, quantize: body.quantize, client: clientOf(c), text: body.text });
    return outcome.ok ? c.json(outcome) : c.json(programFailure(outcome), 422);
  });
  app.post("/hush", (c) => {
    commands.hush();
    return c.json({ ok: true });
  });
  app.post("/slots/:slot/mute", async (c) => {
    commands.mute(c.req.param("slot"), (await readJson(c, Toggle)).on);
    return c.json({ ok: true });
  });
  app.post("/slots/:slot/solo", async (c) => {
    commands.solo(c.req.param("slot"), (await readJson(c, Toggle)).on);
    return c.json({ ok: true });
  });
  app.get("/tempo", (c) => c.json(commands.tempo()));
  app.get("/link", (c) => c.json(commands.state().link));
  app.put("/link", async (c) => c.json(commands.setLink(await readJson(c, LinkBody))));
  app.put("/tempo", async (c) => c.json(commands.setTempo(await readJson(c, TempoBody))));
  app.get("/state", (c) => c.json(commands.state()));
  app.get("/devices", (c) => c.json(commands.devices()));
  app.put("/device", async (c) => c.json(commands.selectDevice((await readJson(c, DeviceBody)).device)));
  app.get("/buffers", async (c) => c.json({ buffers: await commands.ctx.buffers.list() }));
  app.get("/record", (c) => c.json(commands.recordStatus()));
  app.post("/record", async (c) => c.json(commands.recordStart((await readJson(c, RecordBody)).name)));
  app.post("/record/stop", (c) => c.json(commands.recordStop()));
  app.get("/sounds", async (c) => c.json(await commands.sounds()));
  app.post("/sounds/play", async (c) => {
    const body = await readJson(c, PlayBody);
    return c.json(await commands.audition(body.sound, body.n));
  });
  app.post("/sounds/fetch", async (c) => c.json(await commands.fetchSounds((await readJson(c, FetchBody)).names)));
  return app;
}

/**
 * The client a request comes from, for rate limiting and for `by` in what
 * other clients are told: the name a script gives itself (X-Ostinato-Client),
 * else its address and User-Agent, so two scripts on one machine (every
 * client of a server on 127.0.0.1 has the same address) are two clients.
 */
function clientOf(c: Parameters<typeof getConnInfo>[0]): string {
  const named = c.req.header("x-ostinato-client");
  if (named) return `http:${named.slice(0, 100)}`;
  let address = "local"; // a socket-less test request
  try {
    address = getConnInfo(c).remote.address ?? "unknown";
  } catch {}
  const agent = c.req.header("user-agent");
  return `http:${address}${agent ? ` ${agent.slice(0, 100)}` : ""}`;
}
