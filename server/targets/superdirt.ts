/**
 * The SuperDirt target: each event as one `/dirt/play` message in its own
 * OSC bundle over UDP, the bundle's time tag the wall-clock time of the
 * event's frame (through the delay-locked loop of wall-clock.ts) plus this
 * target's latency.
 *
 * A sent bundle cannot be taken back, while the engine's queued events can
 * (a change is heard a lookahead after it is made). So events wait here
 * until they are `sendAhead` seconds from the engine clock, and only then
 * go out: a retraction (a replaced program, a tempo change, a mute) drops
 * what still waits, and a re-query of a window already sent is ignored, so
 * nothing is doubled or lost at the seam and no time tag already sent
 * moves. The change latency of this target is therefore `sendAhead`
 * (default 0.1 s), the engine's stays its own.
 *
 * UDP has no connection, but a connected socket hears the "port
 * unreachable" answer of a machine where nothing listens: that is reported
 * once per destination, sending goes on (SuperDirt started later is heard
 * from its first bundle), and the return is reported too.
 *
 * The records waiting are pooled and the encoder writes into one buffer: a
 * tick allocates nothing per event.
 * @module
 */
import { writeDirtArgs, type GainCurve } from "./dirt-args.ts";
import { OscBundleWriter } from "./osc.ts";
import type { FrameTarget } from "./target.ts";
import type { WallClock } from "./wall-clock.ts";

export type SuperDirtOptions = {
  host: string;
  port: number;
  /** Seconds added to every time tag, so SuperDirt is heard with the native engine (--osc-latency). */
  latency: number;
  /** Seconds before its frame an event is sent (at least the scheduler's lookahead). */
  sendAhead: number;
  gainCurve?: GainCurve;
  onWarning?: (message: string) => void;
};

/** An event waiting to be sent. */
type Waiting = {
  frame: number;
  durFrames: number;
  tag: number;
  id: string;
  cps: number;
  cycle: number;
  controls: Record<string, unknown>;
  host: string;
  port: number;
};

type Destination = {
  socket?: { send(data: Uint8Array): boolean; close(): void };
  failing: boolean;
  /** Errors heard since the last send that went through quietly. */
  errors: number;
  /** Bundles sent since the last error. */
  sentSinceError: number;
};

/** Bundles that must go through without an error before SuperDirt counts as back. */
const BACK_AFTER = 8;

export class SuperDirtTarget implements FrameTarget {
  private readonly waiting: Waiting[] = [];
  private readonly pool: Waiting[] = [];
  private readonly writer = new OscBundleWriter();
  private readonly destinations = new Map<string, Destination>();
  /** Every event before this frame has been sent (or dropped): later re-queries of that window are ignored. */
  private sentBefore = -Infinity;
  private readonly sendAheadFrames: number;
  /** Bundles sent, and events whose time had passed before they could go (sent late, or skipped over a second late). */
  sent = 0;
  late = 0;
  private closed = false;

  constructor(
    private readonly clock: WallClock,
    private readonly rate: number,
    readonly options: SuperDirtOptions,
  ) {
    this.sendAheadFrames = options.sendAhead * rate;
  }

  /** Opens the default destination's socket (per-event hosts open theirs when first used). */
  async open(): Promise<void> {
    await this.openDestination(this.options.host, this.options.port);
  }

  /** Takes an event from the scheduler; `controls` is the hap's value (kept by reference, not copied). */
  add(controls: Record<string, unknown>, frame: number, durFrames: number, tag: number, id: string, cps: number, cycle: number): void {
    if (frame < this.sentBefore || this.closed) return;
    const w = this.pool.pop() ?? ({} as Waiting);
    w.frame = frame;
    w.durFrames = durFrames;
    w.tag = tag;
    w.id = id;
    w.cps = cps;
    w.cycle = cycle;
    w.controls = controls;
    w.host = typeof controls.oschost === "string" ? controls.oschost : this.options.host;
    w.port = typeof controls.oscport === "number" ? controls.oscport : this.options.port;
    this.waiting.push(w);
  }

  /** Drops waiting events of some slots (or all) from a frame on: they will not sound. */
  retract(tags: readonly number[] | "all", fromFrame: number): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const w = this.waiting[i]!;
      if (w.frame >= fromFrame && (tags === "all" || tags.includes(w.tag))) this.release(i);
    }
  }

  /** Sends every waiting event now within `sendAhead` of the engine clock. */
  flush(nowFrame: number): void {
    if (!this.clock.ready) return;
    const before = Math.ceil(nowFrame + this.sendAheadFrames);
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const w = this.waiting[i]!;
      if (w.frame >= before) continue;
      this.send(w, nowFrame);
      this.release(i);
    }
    if (before > this.sentBefore) this.sentBefore = before;
  }

  close(): void {
    this.closed = true;
    for (const d of this.destinations.values()) d.socket?.close();
    this.destinations.clear();
  }

  private send(w: Waiting, nowFrame: number): void {
    const dest = this.destination(w.host, w.port);
    if (!dest?.socket) return; // opening: its first events are skipped, not delayed
    const lateFrames = nowFrame - (w.frame + this.options.latency * this.rate);
    if (lateFrames > 0) {
      // Due before it could go (the worker was held up). As the engine does, it
      // still plays, late (SuperDirt plays a past time tag at once), and is
      // counted; one more than a second late is out of any musical place: skipped.
      if (this.late++ === 0) this.options.onWarning?.(`SuperDirt: an event of slot "${w.id}" was due before it could be sent (the live worker was held up); late events play late`);
      if (lateFrames > this.rate) return;
    }
    const writer = this.writer;
    writer.begin("/dirt/play");
    writeDirtArgs(writer, w.controls, { cps: w.cps, cycle: w.cycle, delta: w.durFrames / this.rate, id: w.id }, this.options.gainCurve ?? "strudel");
    const bytes = writer.end(this.clock.timeAt(w.frame) + this.options.latency);
    if (!bytes) return this.warnOnce(dest, `an event of slot "${w.id}" has too many controls for one OSC message; skipped`);
    dest.socket.send(bytes);
    this.sent++;
    if (dest.failing && ++dest.sentSinceError >= BACK_AFTER) {
      dest.failing = false;
      this.options.onWarning?.(`SuperDirt at ${w.host}:${w.port} answers again`);
    }
  }

  private destination(host: string, port: number): Destination | undefined {
    const key = `${host}:${port}`;
    const d = this.destinations.get(key);
    if (d) return d;
    void this.openDestination(host, port);
    return undefined;
  }

  private async openDestination(host: string, port: number): Promise<void> {
    const key = `${host}:${port}`;
    if (this.destinations.has(key)) return;
    const dest: Destination = { failing: false, errors: 0, sentSinceError: 0 };
    this.destinations.set(key, dest);
    try {
      const open = Bun.udpSocket as unknown as (options: unknown) => Promise<NonNullable<Destination["socket"]>>;
      const socket = await open({
        connect: { hostname: host, port },
        socket: {
          // Bun 1.4 passes the error first although its types say (socket, error).
          error: (a: unknown, b?: unknown) => this.unreachable(dest, host, port, (a instanceof Error ? a : b) as Error),
        },
      });
      dest.socket = socket;
      if (this.closed) socket.close();
    } catch (err) {
      this.options.onWarning?.(`SuperDirt at ${host}:${port}: ${(err as Error).message}; its events are skipped`);
    }
  }

  private unreachable(dest: Destination, host: string, port: number, err: Error): void {
    dest.errors++;
    dest.sentSinceError = 0;
    if (dest.failing) return;
    dest.failing = true;
    const why = (err as { code?: string }).code === "ECONNREFUSED" ? "nothing listens there (is SuperDirt started?)" : err.message;
    this.options.onWarning?.(`SuperDirt at ${host}:${port} does not answer: ${why}; sending on, the native engine plays on`);
  }

  private warnOnce(dest: Destination, message: string): void {
    if (dest.errors++ === 0) this.options.onWarning?.(message);
  }

  private release(i: number): void {
    const w = this.waiting[i]!;
    const last = this.waiting.pop()!;
    if (last !== w) this.waiting[i] = last;
    w.controls = undefined as unknown as Record<string, unknown>;
    this.pool.push(w);
  }
}
