/**
 * Offline rendering: a program to audio, as fast as the machine can, through
 * the same evaluator, scheduler and engine render code as live playback.
 * Deterministic: the same program and options give the same samples.
 * @module
 */
import { rmSync } from "node:fs";
import { Engine, SampleLibrary, type SampleCache } from "../engine/index.ts";
import { setPlainStrings } from "../pattern/pattern.ts";
import { ZERO } from "../pattern/rational.ts";
import { ProgramError } from "./errors.ts";
import { evaluate } from "./program.ts";
import { soundValues } from "./preload.ts";
import { addSampleSources } from "./sample-sources.ts";
import { Scheduler, type ScheduledEvent } from "./scheduler.ts";
import { SlotTable } from "./slots.ts";
import { TempoMap, checkCps, type TempoPiece } from "./tempo.ts";
import { WavWriter } from "./wav.ts";
import type { Pattern } from "../pattern/pattern.ts";

export type RenderOptions = {
  /** Length in cycles (at the program's tempo, tempo changes included). */
  cycles: number;
  /** Tempo when the program sets none (default 0.5, Strudel's). */
  cps?: number;
  sampleRate?: number;
  channels?: number;
  /** Frames rendered per scheduler tick. */
  blockFrames?: number;
  /** Called with 0..1 as rendering advances. */
  onProgress?: (fraction: number) => void;
  /** Tempo changes at given cycles (a test hook for "setcps halfway through"). */
  tempoChanges?: { atCycle: number; cps: number }[];
  onEvents?: (events: ScheduledEvent[]) => void;
  onWarning?: (message: string) => void;
  /** Sample folders or JSON maps (as --samples), before the program's own samples(...). */
  samples?: string[];
  /** Where relative paths in samples(...) start (default: the working directory). */
  baseDir?: string;
  /** The disk cache for samples by URL (default: a SampleCache in defaultCacheDir()). */
  cache?: SampleCache;
  /** Where github: sources point (default: githubBase()). */
  githubBase?: string;
};

export type RenderResult = {
  frames: number;
  seconds: number;
  cycles: number;
  renderSeconds: number;
  /** The tempo map as it ended, to place every event exactly. */
  tempo: TempoPiece[];
};

/** Renders a program into interleaved float samples. */
export async function renderProgram(source: string, options: RenderOptions): Promise<{ samples: Float32Array } & RenderResult> {
  const chunks: Float32Array[] = [];
  const result = await renderChunks(source, options, (chunk) => chunks.push(chunk.slice()));
  const channels = options.channels ?? 2;
  const samples = new Float32Array(result.frames * channels);
  let at = 0;
  for (const c of chunks) {
    samples.set(c, at);
    at += c.length;
  }
  return { samples, ...result };
}

/** Renders a program into a 32-bit float WAV file; on failure no file is left behind. */
export async function renderToWav(source: string, path: string, options: RenderOptions): Promise<RenderResult> {
  let wav: WavWriter | undefined;
  try {
    const result = await renderChunks(source, options, (chunk) => {
      wav ??= new WavWriter(path, options.sampleRate ?? 48000, options.channels ?? 2, "f32");
      wav.write(chunk);
    });
    wav?.close();
    return result;
  } catch (err) {
    wav?.close();
    if (wav) rmSync(path, { force: true });
    throw err;
  }
}

/** Waits for every download and load; a file that could not be had fails the render, with the reason. */
async function arrived(library: SampleLibrary): Promise<void> {
  await library.settle();
  const failed = library.downloadFailures();
  if (failed.length) throw new ProgramError(`an offline render needs every sample: ${failed.length === 1 ? "this one" : `${failed.length} files`} could not be downloaded: ${failed.join("; ")}`, "evaluate");
}

async function renderChunks(source: string, options: RenderOptions, sink: (chunk: Float32Array) => void): Promise<RenderResult> {
  if (!(options.cycles > 0) || !Number.isFinite(options.cycles) || options.cycles > 1e6) {
    throw new RangeError(`cycles must be a number above 0 and at most 1000000 (got ${options.cycles})`);
  }
  const program = await evaluate(source);
  const rate = options.sampleRate ?? 48000;
  const channels = options.channels ?? 2;
  const block = options.blockFrames ?? 512;
  const cps = program.effects.cps ?? checkCps(options.cps ?? 0.5);
  const tempo = new TempoMap(rate, cps);
  const slots = new SlotTable<Pattern>();
  slots.apply("main", program.played, program.map);
  const engine = Engine.open({ backend: "offline", sampleRate: rate, channels });
  const started = performance.now();
  // The program's plain strings stay plain values while its patterns are queried, as when it was evaluated.
  const wasPlain = setPlainStrings(true);
  try {
    const library = new SampleLibrary(engine, { onError: options.onWarning, cache: options.cache, githubBase: options.githubBase });
    await addSampleSources(library, options.samples ?? [], options.baseDir, options.onWarning, { strict: true });
    await addSampleSources(library, program.effects.samples ?? [], options.baseDir, options.onWarning, { strict: true });
    if (program.effects.record) options.onWarning?.("record(...) does nothing in an offline render: the render is the recording");
    // Every sample the program names early on is loaded before the first block.
    await library.preload(soundValues(program.played.map((p) => p.pattern), 0, Math.min(options.cycles, 64)));
    await arrived(library);
    let firstError: ProgramError | undefined;
    // The voices run the limiter's lookahead ahead of the output: events up
    // to the end of the next block plus that much must be queued.
    const latency = engine.telemetry().latencyFrames;
    const scheduler = new Scheduler(
      engine,
      slots,
      tempo,
      { lookahead: (block + latency) / rate, onError: (e) => (firstError ??= e), onEvents: options.onEvents, onWarning: options.onWarning, samples: library },
      ZERO,
    );
    const changes = [...(options.tempoChanges ?? [])].sort((a, b) => a.atCycle - b.atCycle);
    const chunk = new Float32Array(block * channels);
    let frame = 0;
    let lastProgress = -1;
    while (tempo.cycleAt(frame) < options.cycles) {
      // A change whose cycle is already queued takes effect exactly there; the queued events after it are rescheduled.
      while (changes.length && scheduler.horizonCycle.valueOf() >= changes[0]!.atCycle) {
        const change = changes.shift()!;
        scheduler.setCps(change.cps, tempo.frameAt(change.atCycle));
      }
      const endFrame = Math.ceil(tempo.frameAt(options.cycles));
      const n = Math.min(block, endFrame - frame);
      if (n <= 0) break;
      scheduler.tick(frame);
      // A sample met only now is loading: wait for it, so a render does not
      // depend on how fast the disk was (deterministic output).
      if (library.pending) {
        const before = library.arrivals;
        await arrived(library);
        // A download that arrived now was silent in what was just queued: queue it again from here, with the sample.
        if (library.arrivals !== before) scheduler.refresh("all", frame);
      }
      const out = n === block ? chunk : chunk.subarray(0, n * channels);
      engine.renderInto(out);
      sink(out);
      frame += n;
      const progress = Math.floor((tempo.cycleAt(frame) / options.cycles) * 100);
      if (progress !== lastProgress) options.onProgress?.((lastProgress = progress) / 100);
    }
    if (firstError) throw firstError;
    return { frames: frame, seconds: frame / rate, cycles: tempo.cycleAt(frame), renderSeconds: (performance.now() - started) / 1000, tempo: tempo.toPieces() };
  } finally {
    setPlainStrings(wasPlain);
    engine.close();
  }
}
