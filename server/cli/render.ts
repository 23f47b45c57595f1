/**
 * `ostinato render FILE -o OUT.wav --cycles N`: a pattern file to an audio
 * file, offline, faster than real time, deterministically. A 32-bit float
 * WAV is written as it renders; other formats are encoded from the whole
 * render in memory (libsndfile, through the engine).
 * @module
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Engine, type AudioFileFormat } from "../engine/index.ts";
import { ProgramError } from "../live/errors.ts";
import { renderProgram, renderToWav, type RenderOptions, type RenderResult } from "../live/render.ts";
import { audioFormat } from "./audio-format.ts";
import { CommandFailure } from "./failure.ts";
import { numberOption, parseCommand, samplesOption, cacheOptions, CACHE_OPTIONS, UsageError, withUsage } from "./options.ts";
import { formatProgramError } from "./report.ts";

const HELP = `usage: ostinato render FILE -o OUT.wav --cycles N [options]

Renders a pattern file offline into an audio file, as fast as the machine
can; the same file and options always give the same samples. The format
follows OUT's extension: .wav (32-bit float), .flac, .ogg, .mp3, .aiff.

  -o, --out FILE    the audio file to write (required; its folder must exist)
  --format F        wav, wav16, wav24, flac, ogg, mp3 or aiff, whatever the extension
  --cycles N        length in cycles (required)
  --cps X           tempo when the program sets none (default 0.5)
  --rate R          sample rate (default 48000)
  --channels C      output channels (default 2)
  --samples DIR     sample folder (Dirt-Samples layout) or JSON sample map (repeatable)
  --cache DIR       where samples fetched by URL are kept (default $OSTINATO_CACHE, else ~/.cache/ostinato/samples)
  --github-base URL where github:user/repo points (default $OSTINATO_GITHUB_BASE, else raw.githubusercontent.com)`;

export function run(args: string[]): Promise<number> {
  return withUsage("render", args, HELP, async () => {
    const { values, positionals } = parseCommand(
      "render",
      args,
      {
        out: { type: "string", short: "o" }, format: { type: "string" }, cycles: { type: "string" }, cps: { type: "string" }, rate: { type: "string" }, channels: { type: "string" },
        samples: { type: "string", multiple: true }, ...CACHE_OPTIONS,
      },
      true,
    );
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError("give exactly one pattern FILE");
    if (!values.out) throw new UsageError("-o OUT.wav is required");
    const cycles = numberOption("cycles", values.cycles, 1e-6, 1e6);
    if (cycles === undefined) throw new UsageError("--cycles N is required");
    const format = audioFormat(values.out, values.format);
    const samples = (cacheOptions(values), samplesOption(values.samples));
    const file = positionals[0]!;
    const source = readSource(file);
    checkOutputFolder(values.out);
    const bar = progressBar(process.stderr);
    try {
      const r = await renderToFile(source, values.out, format, {
        cycles,
        cps: numberOption("cps", values.cps, 0.01, 100),
        sampleRate: numberOption("rate", values.rate, 8000, 384000, true),
        channels: numberOption("channels", values.channels, 1, 64, true),
        onProgress: bar.update,
        onWarning: (m) => bar.note(`warning: ${m}`),
        samples,
        baseDir: dirname(resolve(file)),
      });
      bar.done();
      const speed = r.seconds / Math.max(r.renderSeconds, 1e-9);
      console.log(`${values.out}: ${r.frames} frames, ${r.seconds.toFixed(2)} s of audio in ${r.renderSeconds.toFixed(2)} s (${speed.toFixed(0)}× real time)`);
      return 0;
    } catch (err) {
      bar.done();
      if (err instanceof ProgramError) {
        console.error(formatProgramError(file, source, err.toJSON()));
        return 1;
      }
      throw err;
    }
  });
}

/** The 32-bit float WAV streams to disk; other formats are encoded at the end. */
async function renderToFile(source: string, out: string, format: AudioFileFormat, options: RenderOptions): Promise<RenderResult> {
  if (format === "wav-float") return renderToWav(source, out, options);
  const { samples, ...result } = await renderProgram(source, options);
  Engine.writeAudioFile(out, format, options.channels ?? 2, options.sampleRate ?? 48000, samples);
  return result;
}

/** Refuses before rendering when OUT cannot be written where it is. */
function checkOutputFolder(out: string): void {
  const folder = dirname(resolve(out));
  if (!existsSync(folder)) throw new CommandFailure(`cannot write ${out}: the folder ${folder} does not exist; create it or choose another -o`);
  if (!statSync(folder).isDirectory()) throw new CommandFailure(`cannot write ${out}: ${folder} is not a folder`);
}

function readSource(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** A one-line progress bar on a terminal; silent when stderr is a pipe or file. */
function progressBar(stream: NodeJS.WriteStream) {
  const tty = stream.isTTY === true;
  let shown = false;
  return {
    update: (fraction: number) => {
      if (!tty) return;
      const width = 30;
      const filled = Math.round(fraction * width);
      stream.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${Math.round(fraction * 100)}%`);
      shown = true;
    },
    note: (line: string) => {
      if (shown) stream.write("\n");
      stream.write(`${line}\n`);
      shown = false;
    },
    done: () => {
      if (shown) stream.write("\n");
      shown = false;
    },
  };
}
