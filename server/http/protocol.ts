/**
 * The WebSocket protocol at /ws, shared by the server and the browser editor
 * (which imports only its types). JSON text frames. Every client message may
 * carry an `id`; the server answers it with a `reply` of the same id. A
 * message without an `id` gets no reply when it succeeds (nothing waits for
 * one) and a reply with `id: null` when it fails (a mistake is never silent).
 * Pushes (clock, peaks, scope, events, ...) go to every client subscribed to
 * their topic; a new client is subscribed to everything but `scope`.
 * README.md ("WebSocket") documents each message with an example.
 * @module
 */
import type { LinkState } from "../live/link-control.ts";
import type { StandbyMode } from "../live/session.ts";
import { z } from "zod";

/** The largest WebSocket message accepted, in bytes. */
export const MAX_WS_MESSAGE_BYTES = 2 * 1024 * 1024;

export const TOPICS = ["clock", "peaks", "scope", "events", "log", "state", "buffers"] as const;
export type Topic = (typeof TOPICS)[number];

const id = z.number().int().nonnegative().optional();
const name = z.string().min(1).max(100);
const code = z.string().max(1024 * 1024);

/** Messages a client sends. */
export const ClientMessage = z.discriminatedUnion("type", [
  // `text`: the whole buffer, to save, when `code` is a block of it (default: `code`).
  z.object({ type: z.literal("eval"), id, code, text: code.optional(), buffer: name.optional(), quantize: z.boolean().optional() }),
  z.object({ type: z.literal("hush"), id }),
  z.object({ type: z.literal("mute"), id, slot: name, on: z.boolean() }),
  z.object({ type: z.literal("solo"), id, slot: name, on: z.boolean() }),
  z.object({ type: z.literal("tempo"), id, cps: z.number().optional(), cpm: z.number().optional() }),
  z.object({ type: z.literal("save"), id, buffer: name, code }),
  z.object({ type: z.literal("close"), id, buffer: name }),
  z.object({ type: z.literal("subscribe"), id, topics: z.array(z.enum(TOPICS)) }),
  z.object({ type: z.literal("state"), id }),
  z.object({ type: z.literal("devices"), id }),
  z.object({ type: z.literal("selectDevice"), id, device: z.union([z.string().min(1).max(200), z.number().int().nonnegative()]) }),
  z.object({ type: z.literal("patterns"), id }),
  z.object({ type: z.literal("readPattern"), id, name }),
  z.object({ type: z.literal("writePattern"), id, name, code }),
  z.object({ type: z.literal("deletePattern"), id, name }),
  z.object({ type: z.literal("ping"), id }),
  // The musician's name and colour, shown with their evaluations (and, over /ws/doc, their cursor).
  z.object({ type: z.literal("identify"), id, name: z.string().min(1).max(40), color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional() }),
  z.object({ type: z.literal("record"), id, name: z.string().min(1).max(104).optional() }),
  z.object({ type: z.literal("recordStop"), id }),
  z.object({ type: z.literal("recordStatus"), id }),
  // the Sounds panel: every sound, one played once, banks fetched into the cache
  z.object({ type: z.literal("sounds"), id }),
  z.object({ type: z.literal("playSound"), id, sound: z.string().min(1).max(200), n: z.number().int().min(0).max(10000).optional() }),
  z.object({ type: z.literal("fetchSounds"), id, names: z.array(z.string().min(1).max(2000)).min(1).max(100) }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

// ------------------------------------------------------------ server → client

/**
 * The one error shape of the API, REST and WebSocket: `message` for people,
 * `code` for programs (bad_request, invalid_json, invalid_request,
 * invalid_name, unauthorized, forbidden, not_found, method_not_allowed,
 * conflict, too_large, program_error, upgrade_required, rate_limited,
 * save_failed, internal), and details by code (program_error: phase, line,
 * column, slot; rate_limited: retryAfter seconds; method_not_allowed: allow).
 */
export type ApiErrorInfo = { message: string; code: string; [detail: string]: unknown };

export type ErrorInfo = { message: string; phase: "syntax" | "evaluate" | "query"; line?: number; column?: number; slot?: string };

/** `by`: who last evaluated the slot (a musician's name, or the client id of a script). */
export type SlotInfo = { id: string; buffer: string; muted: boolean; silenced: boolean; solo: boolean; error?: ErrorInfo; by?: string };

export type DeviceState = {
  backend: "offline" | "null" | "portaudio";
  /** Device name (portaudio), or a description. */
  name: string;
  sampleRate: number;
  channels: number;
  blockFrames: number;
  /** The device died and the engine fell back to the null backend. */
  lost: boolean;
  /** Times the device died under the engine since it opened. */
  losses: number;
  /** Times a lost JACK device came back and the engine went back to it by itself. */
  returns: number;
};

export type TelemetryInfo = {
  /** The engine's own faults: renders over their block's duration (red in the editor: our problem). */
  engineOverruns: number;
  /** Periods the audio system missed: a busy host (shown with its cause; a larger block helps). */
  hostXruns: number;
  /** Longest CPU time of one render, ms, and the block's duration it must fit in. */
  renderMaxMs: number;
  budgetMs: number;
  /** Longest gap between two callbacks, ms (host scheduling). */
  callbackGapMaxMs: number;
  /** What the engine did wrong, in words to act on; null when nothing. */
  engineProblem: string | null;
  /** What the host missed, with the cause and what helps; null when nothing. */
  hostProblem: string | null;
  lateEvents: number;
  cpuLoad: number;
  activeVoices: number;
  eventsPlayed: number;
  stolenVoices: number;
  ringFill: number;
};

export type StateSnapshot = {
  slots: SlotInfo[];
  cps: number;
  cycle: number;
  frame: number;
  device: DeviceState;
  telemetry: TelemetryInfo;
  /** Seconds until a change is heard. */
  lookahead: number;
  /** Seconds of events queued ahead of the clock. */
  queueAhead: number;
  clients: number;
  /** Times the watchdog replaced the live worker since the server started (each is also reported with its reason). */
  restarts: number;
  /** Times the standby worker took over from the playing one (a hang, an exit, a worker stuck past its queue). */
  takeovers: number;
  /** Whether a standby worker is kept: "on", "off" (--no-standby), or "off: CPU quota" (a quota below one core). */
  standby: StandbyMode;
  /** A standby holds every program that plays and could take over now. */
  standbyReady: boolean;
  /** Ableton Link: on or off, peers, the session's tempo (README, "Playing in time with others"). */
  link: LinkState;
};

/** An event that starts sounding: when, for how long, from which code. */
export type EventInfo = {
  frame: number;
  cycle: number;
  durFrames: number;
  slot: string;
  /** Source ranges (offsets into the evaluated buffer) of the atoms that made it. */
  locations: { start: number; end: number }[];
  /** A few of its controls, for the pianoroll (note, s, n, gain, color). */
  value: Record<string, string | number>;
  /** Offsets (in the slot's evaluated code) of the drawing methods its pattern went through: which drawings show it. */
  visuals?: number[];
  /** CSS for its highlight, from `.markcss()`. */
  markcss?: string;
};

export type BufferInfo = { name: string; code: string; updated: string };

export type ServerMessage =
  | {
      type: "hello";
      version: string;
      clientId: string;
      buffers: BufferInfo[];
      state: StateSnapshot;
      sampleRate: number;
      /** The code that last evaluated in each buffer: what the playing slots came from (for highlighting after a reload). */
      programs: { buffer: string; code: string }[];
      /** What this connection's token may do: owner (the session token), edit, or view (read only). */
      role: "owner" | "edit" | "view";
    }
  | { type: "reply"; id: number; ok: true; data?: unknown }
  | { type: "reply"; id: number | null; ok: false; error: ApiErrorInfo }
  | { type: "clock"; frame: number; cycle: number; cps: number; sampleRate: number; serverTime: number }
  /** `clipped`: the channel reached the limiter's ceiling; `limiting`: the master limiter is reducing gain. */
  | { type: "peaks"; peaks: number[]; clipped: boolean[]; limiting: boolean }
  | { type: "scope"; samples: number[]; sampleRate: number }
  | { type: "events"; events: EventInfo[] }
  /** Queued events of these slots from `fromFrame` on will not sound (replaced, muted, removed, hushed); sent before their replacements. */
  | { type: "retract"; slots: string[] | "all"; fromFrame: number }
  /** `by`: the client id that evaluated; `name`, `color`: the musician's, when they said (identify). */
  | { type: "evaluated"; buffer: string; code: string; ok: boolean; slots?: string[]; error?: ErrorInfo; by: string; name?: string; color?: string }
  | { type: "error"; error: ErrorInfo }
  | { type: "warning"; message: string }
  | { type: "state"; state: StateSnapshot }
  | { type: "buffer"; buffer: string; code: string; by: string };
