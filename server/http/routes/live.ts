/**
 * REST control of the live session: POST /api/eval, POST /api/hush,
 * POST /api/slots/:slot/mute|solo, GET|PUT /api/tempo, GET /api/state,
 * GET /api/devices, PUT /api/device, GET /api/buffers,
 * GET /api/record, POST /api/record {name?}, POST /api/record/stop.
 * Bodies are JSON, validated; see README ("REST") for a curl example of each.
 * @module
 */
import { Hono } from "hono";
import { getConnInfo } from "hono/bun";
import { z } from "zod";
import type { Commands } from "../commands.ts";
import { readJson } from "../validate.ts";

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
const DeviceBody = z.object({ device: z.union([z.string().min(1).max(200), z.number().int().nonnegative()]) });
const RecordBody = z.object({ name: z.string().min(1).max(104).optional() });

export function liveRoutes(commands: Commands): Hono {
  const app = new Hono();
  app.post("/eval", async (c) => {
    const body = await readJson(c, EvalBody);
    const outcome = await commands.evaluate(body.code, { buffer: body.buffer ?? body.slot, quantize: body.quantize, client: clientOf(c), text: body.text });
    return c.json(outcome, outcome.ok ? 200 : 422);
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
  app.put("/tempo", async (c) => c.json(commands.setTempo(await readJson(c, TempoBody))));
  app.get("/state", (c) => c.json(commands.state()));
  app.get("/devices", (c) => c.json(commands.devices()));
  app.put("/device", async (c) => c.json(commands.selectDevice((await readJson(c, DeviceBody)).device)));
  app.get("/buffers", async (c) => c.json({ buffers: await commands.ctx.buffers.list() }));
  app.get("/record", (c) => c.json(commands.recordStatus()));
  app.post("/record", async (c) => c.json(commands.recordStart((await readJson(c, RecordBody)).name)));
  app.post("/record/stop", (c) => c.json(commands.recordStop()));
  return app;
}

/** The client a request comes from, for rate limiting: its address (a socket-less test request is "local"). */
function clientOf(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return `http:${getConnInfo(c).remote.address ?? "unknown"}`;
  } catch {
    return "http:local";
  }
}
