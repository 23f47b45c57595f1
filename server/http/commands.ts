/**
 * What a client can ask of the server, in one place: the REST routes and the
 * WebSocket protocol both call these, so the two cannot drift apart. Each
 * command validates, acts, and returns plain data; failures throw
 * HTTPException (REST answers with its status, WebSocket with a failed reply).
 * @module
 */
import type { LinkState } from "../live/link-control.ts";
import { HTTPException } from "hono/http-exception";
import type { DeviceInfo, Engine, Telemetry } from "../engine/index.ts";
import { BACKENDS, health, isRemote, SampleLibrary } from "../engine/index.ts";
import { listSounds, type SoundList } from "../live/sound-list.ts";
import type { RecordRequest } from "../live/program.ts";
import { RecordingError, type FinishedRecording, type RecordingStatus, type Recordings } from "../live/recording.ts";
import type { EvalOutcome, LiveSession } from "../live/session.ts";
import type { BufferStore, PatternStore } from "../store/index.ts";
import { checkName, KeyedQueue } from "../store/index.ts";
import { ApiError } from "./errors.ts";
import type { ApiErrorInfo, DeviceState, StateSnapshot, TelemetryInfo } from "./protocol.ts";
import { RateLimiter, EVAL_RATE } from "./rate-limit.ts";
import { blockPlace } from "../live/block-place.ts";

export type ServerContext = {
  engine: Engine;
  live: LiveSession;
  patterns: PatternStore;
  buffers: BufferStore;
  /** How many WebSocket clients are connected. */
  clientCount: () => number;
  /** Tells other clients a buffer changed (evaluated or saved). */
  onBufferSaved?: (buffer: string, code: string, by: string) => void;
  /** Takes of the output (recordStart / recordStop). */
  recordings: Recordings;
  /** A shared buffer's text (its Yjs document: http/rooms.ts); undefined when the buffer is not shared. */
  sharedText?: (buffer: string) => Promise<string | undefined>;
  /** Tells every client something went wrong beside a command's answer (a failed save). */
  onWarning?: (message: string) => void;
};

/** An evaluation's answer: its outcome, and the save's failure when the buffer could not be saved. */
export type EvalAnswer = EvalOutcome & { saveError?: ApiErrorInfo };

export class Commands {
  private readonly evalLimiter = new RateLimiter(EVAL_RATE);
  /**
   * Saves of one buffer, in the order they were asked for: the shared-text lookup
   * before each save takes its own time, and a save that overtook a newer one
   * would overwrite it after the newer one was acknowledged.
   */
  private readonly saves = new KeyedQueue();
  private namedDevice?: { index: number; name: string };
  /** Who last evaluated each slot (the musician's chosen name), for the playing-slots panel. */
  private readonly slotBy = new Map<string, string>();

  constructor(readonly ctx: ServerContext) {}

  /** Every sound a program can name (GET /api/sounds; see sound-list.ts). */
  sounds(): Promise<SoundList> {
    const { sources, baseDir } = this.ctx.live.samples;
    return listSounds(sources, { baseDir });
  }

  /** Plays a sound once (POST /api/sounds/play); an unknown name is a 404 naming it. */
  async audition(sound: string, n = 0): Promise<{ ok: true }> {
    const { sounds } = await this.sounds();
    const entry = sounds.find((s) => s.name === sound);
    if (!entry) throw new ApiError(404, "unknown_sound", `no sound named "${sound}" (GET /api/sounds lists them)`);
    this.ctx.live.audition(sound, n, entry.kind === "sample" && entry.origin !== "a sample map" ? entry.origin : undefined);
    return { ok: true };
  }

  /**
   * Downloads sample banks into the cache (POST /api/sounds/fetch, the
   * editor's fetch button): sources (github:..., URLs) or names of banks the
   * list knows. Answers when each file has arrived or failed.
   */
  async fetchSounds(targets: string[]): Promise<{ ok: true; fetched: number; failed: string[] }> {
    const { sources, baseDir } = this.ctx.live.samples;
    const library = new SampleLibrary(this.ctx.engine);
    const failed: string[] = [];
    const banks = new Set<string>();
    for (const source of [...library.cache.remembered(), ...sources]) {
      try {
        if (typeof source === "string" && isRemote(source)) await library.addRemote(source);
        else library.add(source, baseDir);
      } catch {}
    }
    for (const t of targets) {
      try {
        if (isRemote(t)) for (const name of await library.addRemote(t)) banks.add(name);
        else if (library.has(t)) banks.add(t);
        else failed.push(`no bank named "${t}" in the known sources`);
      } catch (err) {
        failed.push((err as Error).message);
      }
    }
    const result = await library.fetch(banks);
    return { ok: true, fetched: result.ok, failed: [...failed, ...result.failed] };
  }

  /**
   * Saves the buffer and evaluates the code; rate-limited per client.
   * `text` is the whole buffer when `code` is a block of it (it is what is saved).
   * A save that fails (a full disk) does not undo or hide the evaluation: the
   * answer is the evaluation's, with `saveError` beside it, and every client is warned.
   */
  async evaluate(code: string, opts: { buffer?: string; quantize?: boolean; client: string; text?: string; name?: string }): Promise<EvalAnswer> {
    const wait = this.evalLimiter.take(opts.client);
    if (wait > 0) {
      throw new ApiError(429, "rate_limited", `too many evaluations from this client: wait ${wait.toFixed(2)} s (limit ${EVAL_RATE.perSecond}/s)`, { retryAfter: wait });
    }
    const buffer = checkName(opts.buffer ?? "main");
    const text = opts.text ?? code;
    // The save (three fsyncs) runs beside the evaluation, not before it, so the
    // disk is not between the keypress and the sound; the answer waits for both,
    // and the live worker runs the code in another thread, so a hang cannot stop the save.
    // A script's buffer (REST) is saved but not opened in the musicians' tabs.
    const saved = this.saves.run(buffer, async () => this.ctx.buffers.save(buffer, await this.textToSave(buffer, text), { evaluated: true, open: !opts.client.startsWith("http:") })).then(
      () => undefined,
      (err: Error) => err,
    );
    // A block of the buffer keeps the slots of its own `$:` blocks, named by their place in the buffer.
    const place = blockPlace(code, opts.text);
    const outcome = await this.ctx.live.evaluate(code, { buffer, quantize: opts.quantize, by: opts.client, place });
    if (outcome.ok) for (const slot of outcome.slots) this.slotBy.set(slot, opts.name || opts.client);
    const failed = await saved;
    if (failed) {
      const message = `saving buffer "${buffer}" failed: ${failed.message}; the evaluation ${outcome.ok ? "plays" : "failed"} all the same, copy your code somewhere safe`;
      this.ctx.onWarning?.(message);
      return { ...outcome, saveError: { message, code: "save_failed" } };
    }
    this.ctx.onBufferSaved?.(buffer, text, opts.client);
    return outcome;
  }

  forgetClient(client: string): void {
    this.evalLimiter.forget(client);
  }

  hush(): void {
    this.ctx.live.hush();
  }

  mute(slot: string, on: boolean): void {
    this.slotCommand(() => this.ctx.live.setMuted(slot, on));
  }

  solo(slot: string, on: boolean): void {
    this.slotCommand(() => this.ctx.live.setSolo(slot, on));
  }

  tempo(): { cps: number; cpm: number } {
    const cps = this.ctx.live.cps;
    return { cps, cpm: cps * 60 };
  }

  setTempo(body: { cps?: number; cpm?: number }): { cps: number; cpm: number } {
    if ((body.cps === undefined) === (body.cpm === undefined)) throw new HTTPException(400, { message: "give exactly one of `cps` or `cpm`" });
    const cps = body.cps ?? body.cpm! / 60;
    try {
      this.ctx.live.setCps(cps);
    } catch (err) {
      throw new HTTPException(400, { message: (err as Error).message });
    }
    return { cps, cpm: cps * 60 };
  }

  async saveBuffer(buffer: string, code: string, client: string): Promise<void> {
    checkName(buffer);
    const kept = await this.saves.run(buffer, async () => {
      const kept = await this.textToSave(buffer, code);
      await this.ctx.buffers.save(buffer, kept);
      return kept;
    });
    this.ctx.onBufferSaved?.(buffer, kept, client);
  }

  /** A shared buffer's text is its document's: one editor's copy (stale, or typed offline) must not replace it. */
  private async textToSave(buffer: string, text: string): Promise<string> {
    return (await this.ctx.sharedText?.(buffer)) ?? text;
  }

  closeBuffer(buffer: string): Promise<void> {
    return this.ctx.buffers.close(buffer);
  }

  devices(): { devices: DeviceInfo[]; current: DeviceState } {
    return { devices: this.ctx.engine.devices(), current: this.device() };
  }

  /** Switches the output: a PortAudio device by name or index, or "null" for no device. Clock and voices carry over. */
  selectDevice(device: string | number): DeviceState {
    const lost = this.ctx.engine.telemetry().deviceLost !== 0;
    try {
      if (device === "null") this.ctx.engine.setBackend("null");
      else this.ctx.engine.setBackend("portaudio", { device });
    } catch (err) {
      // A lost device is tried again every 250 ms and played again by itself (README, "What survives what").
      const message = lost
        ? `cannot open ${JSON.stringify(device)}: ${(err as Error).message}. The audio device was lost while playing and is played again by itself as soon as it answers (a JACK server that runs again, a sound card plugged in again); choose "null" to stop waiting for it`
        : (err as Error).message;
      throw new HTTPException(400, { message });
    }
    return this.device();
  }

  state(): StateSnapshot {
    const { engine, live } = this.ctx;
    const frame = engine.now();
    const t = engine.telemetry();
    return {
      slots: live.slotStates().map((s) => (this.slotBy.has(s.id) ? { ...s, by: this.slotBy.get(s.id) } : s)),
      cps: live.cps,
      cycle: live.cycleAt(frame),
      frame,
      device: this.device(t),
      telemetry: this.telemetry(t),
      lookahead: live.lookahead,
      queueAhead: live.queueAhead,
      clients: this.ctx.clientCount(),
      restarts: live.restarts,
      takeovers: live.takeovers,
      standby: live.standbyMode,
      standbyReady: live.standbyReady,
      link: live.linkState(),
    };
  }

  /** Joins or leaves the Link session, sets the offset, stops or starts its transport (PUT /api/link). */
  setLink(body: { on?: boolean; offsetMs?: number; playing?: boolean }): LinkState {
    try {
      if (body.offsetMs !== undefined) this.ctx.live.setLinkOffset(body.offsetMs);
      if (body.on !== undefined) this.ctx.live.setLink(body.on);
      if (body.playing !== undefined) this.ctx.live.setLinkPlaying(body.playing);
    } catch (err) {
      throw new HTTPException(400, { message: (err as Error).message });
    }
    return this.ctx.live.linkState();
  }

  telemetry(t: Telemetry = this.ctx.engine.telemetry()): TelemetryInfo {
    const h = health(t);
    return {
      engineOverruns: h.engine.overruns,
      hostXruns: h.host.xruns,
      renderMaxMs: h.engine.renderMaxMs,
      budgetMs: h.engine.budgetMs,
      callbackGapMaxMs: h.host.gapMaxMs,
      engineProblem: h.engineProblem,
      hostProblem: h.hostProblem,
      lateEvents: t.lateEvents,
      cpuLoad: t.cpuLoad,
      activeVoices: t.activeVoices,
      eventsPlayed: t.eventsPlayed,
      stolenVoices: t.stolenVoices,
      ringFill: t.ringFill,
    };
  }

  device(t: Telemetry = this.ctx.engine.telemetry()): DeviceState {
    const { engine } = this.ctx;
    const backend = BACKENDS[t.backend] ?? "null";
    const index = backend === "portaudio" ? engine.deviceIndex() : -1;
    const name = index >= 0 ? this.deviceName(index) : backend === "null" ? "no device (null backend)" : backend;
    return { backend, name, sampleRate: t.sampleRate, channels: t.channels, blockFrames: engine.config.blockFrames, lost: t.deviceLost !== 0, losses: t.deviceLosses, returns: t.deviceReturns };
  }

  /** Starts recording the output to a new take in the recordings folder. */
  recordStart(name?: string): { path: string; name: string } {
    try {
      return this.ctx.recordings.start(name);
    } catch (err) {
      throw new HTTPException(err instanceof RecordingError && /already recording/.test(err.message) ? 409 : 400, { message: (err as Error).message });
    }
  }

  /** Stops the take: its file, length and dropped frames (0 in a healthy take). */
  recordStop(): FinishedRecording {
    try {
      return this.ctx.recordings.stop();
    } catch (err) {
      throw new HTTPException(409, { message: (err as Error).message });
    }
  }

  recordStatus(): RecordingStatus {
    return this.ctx.recordings.status();
  }

  /** A program's record(...): the same commands, errors as warnings (the program already ran). */
  recordFromProgram(request: RecordRequest): string {
    try {
      if ("stop" in request) {
        const r = this.recordStop();
        return `recorded ${r.seconds.toFixed(1)} s to ${r.path}`;
      }
      const r = this.recordStart(request.start);
      return `recording to ${r.path}`;
    } catch (err) {
      return `record: ${(err as Error).message}`;
    }
  }

  /** The device's name, listed once per device index (listing opens PortAudio; state() runs every second). */
  private deviceName(index: number): string {
    if (this.namedDevice?.index !== index) {
      this.namedDevice = { index, name: this.ctx.engine.devices().find((d) => d.index === index)?.name ?? `device ${index}` };
    }
    return this.namedDevice.name;
  }

  private slotCommand(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      throw new HTTPException(404, { message: (err as Error).message });
    }
  }
}
