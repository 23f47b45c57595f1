/**
 * `ostinato render FILE -o OUT.wav --cycles N`: a pattern file to a WAV,
 * offline, faster than real time, deterministically.
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ProgramError } from "../live/errors.ts";
import { renderToWav } from "../live/render.ts";
import { numberOption, parseCommand, UsageError, withUsage } from "./options.ts";
import { formatProgramError } from "./report.ts";

const HELP = `usage: ostinato render FILE -o OUT.wav --cycles N [options]

Renders a pattern file offline into a 32-bit float WAV, as fast as the
machine can; the same file and options always give the same samples.

  -o, --out FILE    the WAV file to write (required)
  --cycles N        length in cycles (required)
  --cps X           tempo when the program sets none (default 0.5)
  --rate R          sample rate (default 48000)
  --channels C      output channels (default 2)
  --samples DIR     sample folder (Dirt-Samples layout) or JSON sample map (repeatable)`;

export function run(args: string[]): Promise<number> {
  return withUsage(HELP, async () => {
    const { values, positionals } = parseCommand(
      "render",
      args,
      {
        out: { type: "string", short: "o" }, cycles: { type: "string" }, cps: { type: "string" }, rate: { type: "string" }, channels: { type: "string" },
        samples: { type: "string", multiple: true },
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
    const file = positionals[0]!;
    const source = readSource(file);
    const bar = progressBar(process.stderr);
    try {
      const r = await renderToWav(source, values.out, {
        cycles,
        cps: numberOption("cps", values.cps, 0.01, 100),
        sampleRate: numberOption("rate", values.rate, 8000, 384000, true),
        channels: numberOption("channels", values.channels, 1, 64, true),
        onProgress: bar.update,
        onWarning: (m) => bar.note(`warning: ${m}`),
        samples: values.samples?.map((d) => resolve(d)),
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
