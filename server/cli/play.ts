/**
 * `ostinato play FILE [--watch]`: plays a pattern file on the audio device,
 * headless. With --watch, every save of the file is evaluated hot: errors
 * are printed with file:line:column and the music continues.
 * @module
 */
import { readFileSync, watch } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Engine, EngineError, health, type EngineConfig } from "../engine/index.ts";
import { Recordings } from "../live/recording.ts";
import { TARGET_HELP, TARGET_OPTIONS, targetOptions } from "./target-options.ts";
import { LiveSession, type LiveEvent } from "../live/session.ts";
import { deviceOption, numberOption, parseCommand, recordOption, routeOptions, samplesOption, cacheOptions, CACHE_OPTIONS, UsageError, withUsage, STANDBY_OPTIONS, standbyOption } from "./options.ts";
import { formatProgramError } from "./report.ts";

const HELP = `usage: ostinato play FILE [options]

Plays a pattern file until Ctrl+C (or for --cycles N).

  --watch           evaluate the file again every time it is saved
  --device NAME|N   audio device (see: ostinato devices); default: the default output
  --backend null    no audio device (clock only)
  --cycles N        stop after N cycles
  --lookahead S     seconds until a change is heard (default 0.01)
  --queue S         seconds of events queued ahead of the clock (default 0.15)
  --samples DIR     sample folder (Dirt-Samples layout) or JSON sample map (repeatable)
  --cache DIR       where samples fetched by URL are kept (default $OSTINATO_CACHE, else ~/.cache/ostinato/samples)
  --github-base URL where github:user/repo points (default $OSTINATO_GITHUB_BASE, else raw.githubusercontent.com)
  --record FILE     record the output to FILE (32-bit float WAV) until the end
  --channels C      output channels (default 2)
  --route O:C       send orbit O to channels C and C+1 instead of the master (repeatable; C even)
  --standby         keep a standby live worker that takes over from a stuck pattern with no gap
                    (off by default for play; serve keeps one)
${TARGET_HELP}
  A program's record("name") writes takes to recordings/ beside FILE.`;

export function run(args: string[]): Promise<number> {
  return withUsage("play", args, HELP, async () => {
    const { values, positionals } = parseCommand(
      "play",
      args,
      {
        watch: { type: "boolean" }, device: { type: "string" }, backend: { type: "string" }, cycles: { type: "string" }, lookahead: { type: "string" }, queue: { type: "string" },
        samples: { type: "string", multiple: true }, ...CACHE_OPTIONS, record: { type: "string" },
        channels: { type: "string" }, route: { type: "string", multiple: true },
        ...TARGET_OPTIONS, ...STANDBY_OPTIONS,
      },
      true,
    );
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError("give exactly one pattern FILE");
    if (values.backend !== undefined && values.backend !== "null" && values.backend !== "portaudio") {
      throw new UsageError(`--backend must be "null" or "portaudio" (got "${values.backend}")`);
    }
    const file = resolve(positionals[0]!);
    let source = readSource(file);
    const cycles = numberOption("cycles", values.cycles, 1e-6, 1e9);
    const routes = routeOptions(values.route);
    const targets = targetOptions(values);
    const samples = (cacheOptions(values), samplesOption(values.samples));
    const record = recordOption(values.record);
    const engine = openEngine(values.backend === "null", deviceOption(values.device), numberOption("channels", values.channels, 1, 8, true));
    try {
      for (const [orbit, channel] of routes) engine.routeOrbit(orbit, channel);
    } catch (err) {
      engine.close();
      throw new UsageError((err as Error).message);
    }
    const recordings = new Recordings(engine, join(dirname(file), "recordings"));
    if (record) console.log(`recording to ${recordings.startAt(record).path}`);
    engine.start();
    const live = await LiveSession.start({
      engine,
      lookahead: numberOption("lookahead", values.lookahead, 0, 2),
      queueAhead: numberOption("queue", values.queue, 0, 5),
      targets,
      samples,
      baseDir: dirname(file),
      // off unless --standby: a play that ends (--cycles) while its standby starts could hang on exit under load (seen 4 of 16 runs beside a busy core); serve keeps it on
      standby: standbyOption(values) === true,
    });
    live.subscribe((e) => report(e, file, () => source, recordings));
    const first = await live.evaluate(source, { buffer: basename(file).replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 90) || "main" });
    if (first.ok) console.log(`playing ${positionals[0]} (${describe(engine)}); Ctrl+C stops`);
    else if (!values.watch) return closeAll(live, engine, 1);

    let watcher: ReturnType<typeof watch> | undefined;
    if (values.watch) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Watch the directory: editors often save by renaming a new file over the old one.
      watcher = watch(dirname(file), (_event, name) => {
        if (name !== basename(file)) return;
        clearTimeout(timer);
        timer = setTimeout(async () => {
          let next: string;
          try {
            next = readFileSync(file, "utf8");
          } catch {
            return; // between an editor's delete and rename
          }
          if (next === source) return;
          source = next;
          const o = await live.evaluate(source, { buffer: first.buffer });
          if (o.ok) console.log(`${new Date().toLocaleTimeString()} evaluated ${positionals[0]}`);
        }, 30);
      });
      console.log(`watching ${positionals[0]} for changes`);
    }
    const startCycle = live.cycleNow();
    await new Promise<void>((done) => {
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
      if (cycles !== undefined) {
        const check = setInterval(() => {
          if (live.cycleNow() - startCycle >= cycles) {
            clearInterval(check);
            done();
          }
        }, 20);
      }
    });
    watcher?.close();
    const t = engine.telemetry();
    const h = health(t);
    console.log(`stopped: ${t.eventsPlayed} events, ${t.lateEvents} late, ${h.engine.overruns} engine overruns, ${h.host.xruns} periods missed by the host`);
    for (const problem of [h.engineProblem, h.hostProblem]) if (problem) console.log(`  ${problem}`);
    const take = recordings.close();
    if (take) console.log(`recorded ${take.seconds.toFixed(2)} s (${take.frames} frames${take.dropped ? `, ${take.dropped} dropped` : ""}) to ${take.path}`);
    if (take?.problem) console.error(`warning: recording: ${take.problem}`);
    return closeAll(live, engine, 0);
  });
}

function report(e: LiveEvent, file: string, source: () => string, recordings: Recordings): void {
  if (e.type === "record") {
    try {
      if ("stop" in e.request) {
        const r = recordings.stop();
        console.log(`recorded ${r.seconds.toFixed(2)} s to ${r.path}`);
      } else {
        console.log(`recording to ${recordings.start(e.request.start).path}`);
      }
    } catch (err) {
      console.error(`warning: record: ${(err as Error).message}`);
    }
  } else if (e.type === "evaluated" && !e.outcome.ok) console.error(formatProgramError(file, source(), e.outcome.error));
  else if (e.type === "evaluated" && e.outcome.ok) for (const w of e.outcome.warnings ?? []) console.error(`warning: ${w}`);
  else if (e.type === "error") console.error(formatProgramError(file, source(), e.error));
  else if (e.type === "warning") console.error(`warning: ${e.message}`);
  else if (e.type === "restarted") console.error(`warning: ${e.reason}`);
}

async function closeAll(live: LiveSession, engine: Engine, code: number): Promise<number> {
  await live.close();
  engine.close();
  return code;
}

function openEngine(nullBackend: boolean, device: string | number | undefined, channels?: number): Engine {
  const config: EngineConfig = { backend: nullBackend ? "null" : "portaudio", device, channels };
  try {
    return Engine.open(config);
  } catch (err) {
    if (nullBackend || device !== undefined) throw err;
    console.error(`no audio device could be opened (${err instanceof EngineError ? err.message : String(err)}); playing on the null backend`);
    return Engine.open({ backend: "null", channels });
  }
}

function describe(engine: Engine): string {
  const t = engine.telemetry();
  return `${["offline", "null", "portaudio"][t.backend]} backend, ${t.sampleRate} Hz`;
}

function readSource(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
