/**
 * The MIDI target: `.midi(port)` patterns through JACK MIDI or the ALSA
 * sequencer (--midi-backend), each message stamped with its engine frame:
 * our JACK client's process callback writes it at that exact frame
 * (native/midi_jack.c); our ALSA client's thread schedules it on an ALSA
 * queue at the frame's wall-clock time, from the map of the live worker's
 * delay-locked loop (native/midi_alsa.c, targets/wall-clock.ts). Every
 * message is moved by --midi-latency on both.
 *
 * As with SuperDirt, what is handed to the native side is not taken back
 * one by one: events wait here until they are `sendAhead` from the clock,
 * then go with their note-off. A retraction drops what waits; a stop (hush,
 * mute, a failed slot, quit) tells the native side to move the slot's
 * pending note-offs to now and drop the rest, and a hush or quit also sends
 * "all notes off" (CC 123) on every channel used: no note hangs.
 *
 * The port: `.midi("name")` gets an output port of ours connected to the
 * first MIDI input of the backend whose name contains "name" (`ostinato
 * midi` lists them); `.midi()` alone plays on our port "out", for the user
 * to connect. The client is the live session's (it outlives workers; MIDI
 * in and clock use it too), asked for when a `.midi()` event first comes;
 * when it cannot open (no JACK server, no ALSA sequencer) the session says
 * so once and tries again every few seconds.
 * @module
 */
import type { Engine } from "../engine/engine.ts";
import { MIDI_DATA_MAX, MIDI_KIND_CUT, MIDI_KIND_MESSAGE, MIDI_RECORD_BYTES, type MidiOut } from "../engine/midi.ts";
import { encodeMidi, type MidiSink } from "./midi-bytes.ts";
import { MidiConnections } from "./midi-connections.ts";
import type { FrameTarget } from "./target.ts";
import type { WallClock } from "./wall-clock.ts";

export type MidiTargetOptions = {
  /** Seconds before its frame an event is handed to the native side. */
  sendAhead: number;
  onWarning?: (message: string) => void;
  /** The session's MIDI client (one client for MIDI out, in and clock), undefined until it has one. */
  connect: () => MidiOut | undefined;
  /** Seconds added to every message's time, to line MIDI up with the engine (--midi-latency; default 0). */
  latency?: number;
  /** Frames to wall-clock time (the ALSA sequencer schedules by it; JACK MIDI keeps frames). */
  clock?: WallClock;
};

type Waiting = { frame: number; durFrames: number; tag: number; id: string; port: string | number | undefined; controls: Record<string, unknown> };

const BATCH = 512;
const SLOT_ALL = 0xffffffff;

export class MidiTarget implements FrameTarget {
  private out: MidiOut | undefined;
  private readonly waiting: Waiting[] = [];
  private readonly pool: Waiting[] = [];
  private readonly records = new Uint8Array((BATCH + 1) * MIDI_RECORD_BYTES); // + a spare slot
  private readonly view = new DataView(this.records.buffer);
  private count = 0;
  private sentBefore = -Infinity;
  private readonly ports = new Map<string | number, number>();
  /** Channels used per port index (bit mask), for "all notes off". */
  private readonly channels = new Map<number, number>();
  private readonly warned = new Set<string>();
  private readonly sendAheadFrames: number;
  /** --midi-latency in frames, added to every message. */
  private readonly shift: number;
  private readonly map = { frame: 0, time: 0, secondsPerFrame: 0 };
  private readonly connections: MidiConnections;
  /** The event being encoded (the sink's context). */
  private current = { frame: 0, durFrames: 0, tag: 0, port: 0 };
  private readonly sink: MidiSink = {
    message: (atEnd, length, b0, b1, b2) => {
      const c = this.current;
      const at = this.record(c.frame + this.shift + (atEnd ? c.durFrames : 0), c.tag, c.port, MIDI_KIND_MESSAGE, length);
      this.records[at] = b0;
      if (length > 1) this.records[at + 1] = b1;
      if (length > 2) this.records[at + 2] = b2;
      if (b0 >= 0x80 && b0 < 0xf0) this.channels.set(c.port, (this.channels.get(c.port) ?? 0) | (1 << (b0 & 15)));
    },
    sysex: (bytes) => {
      if (bytes.length > MIDI_DATA_MAX) throw new RangeError(`sysex of ${bytes.length} bytes: at most ${MIDI_DATA_MAX} go in one message here`);
      const c = this.current;
      const at = this.record(c.frame + this.shift, c.tag, c.port, MIDI_KIND_MESSAGE, bytes.length);
      for (let i = 0; i < bytes.length; i++) this.records[at + i] = bytes[i]!;
    },
  };

  constructor(
    private readonly engine: Engine,
    readonly rate: number,
    private readonly options: MidiTargetOptions,
  ) {
    this.sendAheadFrames = options.sendAhead * rate;
    this.shift = (options.latency ?? 0) * rate;
    this.connections = new MidiConnections(options.onWarning);
  }

  /** The MIDI client (opened when first asked; undefined while it cannot open), shared with MIDI in. */
  client(): MidiOut | undefined {
    return this.ensureOpen() ? this.out : undefined;
  }

  /** The native client's counters (tests, /api/state). */
  stats() {
    return this.out?.stats();
  }

  /** Our port for a `.midi()` port argument (opening the client and the port when first asked). */
  portName(port: string | number | undefined): string | undefined {
    const index = this.portIndex(port);
    return index === undefined ? undefined : this.out?.portName(index);
  }

  add(controls: Record<string, unknown>, frame: number, durFrames: number, tag: number, id: string, _cps: number, _cycle: number, port?: string | number): void {
    if (frame < this.sentBefore) return;
    const w = this.pool.pop() ?? ({} as Waiting);
    w.frame = frame;
    w.durFrames = durFrames;
    w.tag = tag;
    w.id = id;
    w.port = port ?? (typeof controls.midiport === "string" || typeof controls.midiport === "number" ? controls.midiport : undefined);
    w.controls = controls;
    this.waiting.push(w);
  }

  retract(tags: readonly number[] | "all", fromFrame: number): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const w = this.waiting[i]!;
      if (w.frame >= fromFrame && (tags === "all" || tags.includes(w.tag))) this.release(i);
    }
  }

  flush(nowFrame: number): void {
    if (this.waiting.length === 0 && this.count === 0) return;
    if (!this.ensureOpen()) return this.dropDue(nowFrame);
    if (!this.out!.sync(this.timeMap(nowFrame))) return;
    this.connections.check(this.out!);
    const before = Math.ceil(nowFrame + this.sendAheadFrames);
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const w = this.waiting[i]!;
      if (w.frame >= before) continue;
      this.encode(w);
      this.release(i);
    }
    if (before > this.sentBefore) this.sentBefore = before;
    this.push();
  }

  /** The wall-clock map at the clock now, for the ALSA client (undefined before the loop has a pair). */
  private timeMap(nowFrame: number) {
    const clock = this.options.clock;
    if (this.out?.backend !== "alsa" || !clock?.ready) return undefined;
    this.map.frame = nowFrame;
    this.map.time = clock.timeAt(nowFrame);
    this.map.secondsPerFrame = 1 / clock.rate;
    return this.map;
  }

  /** Stops a slot's notes now (or every slot's, with "all notes off" on every channel used). */
  silence(tag: number | "all", nowFrame: number): void {
    if (!this.out) return;
    const t = tag === "all" ? SLOT_ALL : tag;
    nowFrame += Math.max(0, this.shift); // what is pending was moved by the latency too
    this.record(nowFrame, t, 0, MIDI_KIND_CUT, 0);
    if (tag === "all") {
      for (const [port, mask] of this.channels) {
        for (let ch = 0; ch < 16; ch++) {
          if (!(mask & (1 << ch))) continue;
          const at = this.record(nowFrame, SLOT_ALL, port, MIDI_KIND_MESSAGE, 3);
          this.records[at] = 0xb0 | ch;
          this.records[at + 1] = 123;
          this.records[at + 2] = 0;
        }
      }
    }
    this.push();
  }

  /** Quit: every note off now (the session closes the client after a while, once they are written). */
  close(nowFrame: number): void {
    if (!this.out) return;
    this.silence("all", nowFrame);
    this.out = undefined;
  }

  private encode(w: Waiting): void {
    const port = this.portIndex(w.port);
    if (port === undefined) return;
    this.current.frame = w.frame;
    this.current.durFrames = w.durFrames;
    this.current.tag = w.tag;
    this.current.port = port;
    try {
      encodeMidi(w.controls, this.sink);
    } catch (err) {
      this.warnOnce(`encode:${w.id}`, `slot "${w.id}": ${(err as Error).message}; that event is skipped`);
    }
  }

  /** Starts a record in the batch and returns where its data bytes go. */
  private record(frame: number, tag: number, port: number, kind: number, length: number): number {
    if (this.count === BATCH) this.push();
    if (this.count === BATCH) {
      // The native queue is full (push warned): this message is written to the spare slot, never sent.
      return BATCH * MIDI_RECORD_BYTES + 16;
    }
    const base = this.count * MIDI_RECORD_BYTES;
    this.view.setFloat64(base, frame, true);
    this.view.setUint32(base + 8, tag >>> 0, true);
    this.records[base + 12] = port;
    this.records[base + 13] = kind;
    this.view.setUint16(base + 14, length, true);
    this.count++;
    return base + 16;
  }

  private push(): void {
    if (!this.out || this.count === 0) return;
    const taken = this.out.push(this.records, this.count);
    if (taken < this.count) {
      this.records.copyWithin(0, taken * MIDI_RECORD_BYTES, this.count * MIDI_RECORD_BYTES);
      this.warnOnce("ring-full", `MIDI: the ${this.out.backend === "jack" ? "JACK client's queue is full (is the JACK server running its cycles?)" : "ALSA client's queue is full"}; events wait`);
    }
    this.count -= taken;
  }

  /** The client, once the session has one (asked for until then: see the live session's openMidi). */
  private ensureOpen(): boolean {
    this.out ??= this.options.connect();
    return this.out !== undefined;
  }

  /** No client yet: what is already due plays nowhere (it would only play late). */
  private dropDue(nowFrame: number): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) if (this.waiting[i]!.frame < nowFrame) this.release(i);
  }

  private portIndex(port: string | number | undefined): number | undefined {
    const key = port ?? "";
    const known = this.ports.get(key);
    if (known !== undefined) return known;
    if (!this.ensureOpen()) return undefined;
    const out = this.out!;
    let target: string | undefined;
    if (port !== undefined && port !== "") {
      const inputs = out.destinations();
      target = typeof port === "number" ? inputs[port] : inputs.find((p) => p === port) ?? inputs.find((p) => p.includes(port));
      if (!target) {
        this.warnOnce(`port:${key}`, `MIDI: no port "${port}" (there are: ${inputs.join(", ") || "none"}); its events play on ${out.portName(this.portIndex(undefined) ?? 0) || "our port out"}`);
        const fallback = this.portIndex(undefined);
        if (fallback !== undefined) this.ports.set(key, fallback);
        return fallback;
      }
    }
    try {
      const name = target ? `to-${target.replace(/[^A-Za-z0-9_-]+/g, "-")}`.slice(0, 60) : "out";
      const index = out.addPort(name, target);
      this.ports.set(key, index);
      if (target) this.connections.add(index, false, target);
      return index;
    } catch (err) {
      this.warnOnce(`port:${key}`, `MIDI: ${(err as Error).message}`);
      return undefined;
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.onWarning?.(message);
  }

  private release(i: number): void {
    const w = this.waiting[i]!;
    const last = this.waiting.pop()!;
    if (last !== w) this.waiting[i] = last;
    w.controls = undefined as unknown as Record<string, unknown>;
    this.pool.push(w);
  }
}
