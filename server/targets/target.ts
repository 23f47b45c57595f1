/**
 * Targets: where the scheduler's events turn into sound besides (or instead
 * of) the native engine (design: "Targets and clocks"). The scheduler
 * queries each pattern once and hands every event to the targets it is
 * routed to; a target owns its latency and its way of keeping time.
 * @module
 */

/** A target the scheduler feeds (SuperDirt over OSC, MIDI). */
export interface FrameTarget {
  /** An event: its controls (the hap's value, by reference), absolute frame, duration, slot tag and id, tempo and cycle. */
  add(controls: Record<string, unknown>, frame: number, durFrames: number, tag: number, id: string, cps: number, cycle: number, port?: string | number): void;
  /** Events of these slots (or all) from this frame on will not sound. */
  retract(tags: readonly number[] | "all", fromFrame: number): void;
  /** Called at the end of every live tick with the engine clock. */
  flush(nowFrame: number): void;
  /** A slot (or all) stops now: sounding notes end (MIDI note-offs). */
  silence?(tag: number | "all", nowFrame: number): void;
}

/** Where events go: the default for every pattern, and the targets `.osc()`/`.midi()` name. */
export type Routing = {
  /** Every pattern's events go to the native engine (the default; off with --superdirt alone). */
  engine: boolean;
  /** Every pattern's events go to SuperDirt (--superdirt, --targets). */
  oscByDefault: boolean;
  /** The SuperDirt target (used by default or by `.osc()`). */
  osc?: FrameTarget;
  /** The MIDI target (`.midi(port)`). */
  midi?: FrameTarget;
};

/** The names --targets takes. */
export const TARGET_NAMES = ["engine", "superdirt"] as const;

/** Parses HOST:PORT or PORT (default host 127.0.0.1); throws with the text given. */
export function parseHostPort(text: string, what: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw new RangeError(`${what} takes [HOST:]PORT, PORT 1-65535 (got "${text}")`);
  return { host: m[1]?.replace(/^\[|\]$/g, "") ?? "127.0.0.1", port };
}

/** The targets as the command line sets them (--superdirt, --targets, --osc-latency, --gain-curve). */
export type TargetConfig = {
  /** Every pattern plays on the native engine. */
  engine: boolean;
  /** Every pattern plays on SuperDirt too (or instead, with engine false). */
  superdirt: boolean;
  /** Where SuperDirt listens (also for `.osc()` when superdirt is false). */
  oscHost: string;
  oscPort: number;
  /** Seconds added to every OSC time tag. */
  oscLatency: number;
  /** Strudel's linear gain or Tidal's curve (targets/dirt-args.ts). */
  gainCurve: "strudel" | "tidal";
  /** The client name of the MIDI target (default "ostinato-midi" on JACK, "ostinato" in the ALSA sequencer). */
  midiClient?: string;
  /** Where MIDI goes: JACK MIDI, the ALSA sequencer, or auto (JACK when a JACK server runs, else ALSA). */
  midiBackend?: "auto" | "jack" | "alsa";
  /** Seconds added to every MIDI message's time (--midi-latency). */
  midiLatency?: number;
};

/**
 * The default OSC latency, seconds: measured, not guessed. A time tag is the
 * wall-clock time our block holding the frame finished rendering; the engine
 * is heard that block's way through the device's buffers later, while
 * scsynth (where SuperDirt plays each bundle, at its tag) plays a tag at
 * about its own time. Measured on JACK's dummy driver at 48 kHz, period 256
 * (test/targets/osc-latency.rt.test.ts: scsynth at our exact tags beside the
 * engine, both recorded in the same JACK cycles), scsynth's click came
 * 15.1 ms (727 frames, once its own clock map settled) before the engine's;
 * 15 ms lines them up. Host-dependent: README "Playing with other programs"
 * says how to nudge it.
 */
export const DEFAULT_OSC_LATENCY = 0.015;

export const DEFAULT_TARGETS: TargetConfig = {
  engine: true,
  superdirt: false,
  oscHost: "127.0.0.1",
  oscPort: 57120,
  oscLatency: DEFAULT_OSC_LATENCY,
  gainCurve: "strudel",
  midiBackend: "auto",
  midiLatency: 0,
};

/** How far ahead of its frame an OSC event is sent (its change latency): 0.1 s, within the queue depth. */
export function oscSendAhead(lookahead: number, queueAhead: number): number {
  return Math.max(lookahead, Math.min(0.1, queueAhead * 0.66));
}
