/**
 * `ostinato serve`: the server, the editor, the engine on a device.
 * @module
 */
import { isIP } from "node:net";
import { startServer } from "../http/server.ts";
import { TARGET_HELP, TARGET_OPTIONS, targetOptions } from "./target-options.ts";
import { deviceOption, numberOption, parseCommand, recordOption, routeOptions, samplesOption, cacheOptions, CACHE_OPTIONS, UsageError, withUsage, STANDBY_OPTIONS, standbyOption } from "./options.ts";

const HELP = `usage: ostinato serve [options]

Starts the server and prints the URL that opens the editor (it carries the
session token). Without a sound card the engine runs on the null backend.

  --port P            TCP port (default 4321, or OSTINATO_PORT; 0 picks a free one)
  --host H            address to listen on (default 127.0.0.1; 0.0.0.0 needs the token, as always)
  --token T           fixed session token (or OSTINATO_TOKEN); random otherwise
  --device NAME|N     audio device by exact name or PortAudio index (see: ostinato devices)
  --backend null      no audio device: real-time clock, no sound
  --rate HZ           sample rate (default 48000)
  --block N           frames per audio block (default 128)
  --lookahead S       seconds until a change is heard (default 0.01; see README "Timing")
  --queue S           seconds of events queued ahead of the clock (default 0.15)
  --patterns DIR      pattern files (default patterns/)
  --state DIR         editor buffers and history (default <patterns>/.ostinato)
  --allow-host NAME   also accept this Host name (repeatable; IPs and localhost always work)
  --samples DIR       sample folder (Dirt-Samples layout) or JSON sample map (repeatable)
  --cache DIR         where samples fetched by URL are kept (default $OSTINATO_CACHE, else ~/.cache/ostinato/samples)
  --github-base URL   where github:user/repo points (default $OSTINATO_GITHUB_BASE, else raw.githubusercontent.com)
  --recordings DIR    where takes go (default <patterns>/recordings)
  --record FILE       record the output from the start to FILE (32-bit float WAV)
  --channels C        output channels (default 2)
  --route O:C         send orbit O to channels C and C+1 instead of the master (repeatable; C even)
  --link              join the Ableton Link session on the network (tempo and bar phase; see README
                      "Playing in time with others"); needs the Link module (ableton-link-dev)
  --link-offset MS    nudge against the session: positive plays later (default 0)
  --midi-clock-out    send MIDI clock (24 ppqn, Start, Stop, Song Position) on JACK port ostinato-midi:clock_out
  --midi-clock-in     follow the tempo and bar phase of the MIDI clock arriving on JACK port ostinato-midi:clock_in
  --no-resume         start silent (by default what played when the server stopped plays again)
  --no-standby        keep no standby live worker (by default one holds the programs and takes over from a
                      stuck or crashed one with no gap; off by itself under a CPU quota below one core,
                      --standby keeps it there too: see README "What survives what")
  --memory-limit MB   ceiling of the programs' memory (default a quarter of the machine's, 256-4096)
  --hang-timeout MS   how long a program may keep the live worker busy before the watchdog stops it
                      (default 400; raise it on a slow or busy machine, where heavy programs take longer)
${TARGET_HELP}
  --osc-port N        the OSC control port (off by default): /eval /hush /cps /mute /solo /ctrl
  --osc-bind ADDR     its address (default 127.0.0.1)
  --osc-allow ADDR    also accept OSC from this sender address (repeatable; loopback always)`;

/** --osc-port/--osc-bind/--osc-allow: the control port, or undefined when off. */
function oscControlOption(port: string | undefined, host: string | undefined, allow: string[] | undefined) {
  if (port === undefined) {
    if (host !== undefined || allow?.length) throw new UsageError("--osc-bind and --osc-allow need --osc-port");
    return undefined;
  }
  for (const a of allow ?? []) if (!isIP(a)) throw new UsageError(`--osc-allow takes an IP address (got "${a}")`);
  return { port: numberOption("osc-port", port, 0, 65535, true)!, host, allow };
}

export function run(args: string[]): Promise<number> {
  return withUsage("serve", args, HELP, async () => {
    const { values } = parseCommand("serve", args, {
      port: { type: "string" },
      host: { type: "string" },
      token: { type: "string" },
      device: { type: "string" },
      backend: { type: "string" },
      rate: { type: "string" },
      block: { type: "string" },
      lookahead: { type: "string" },
      queue: { type: "string" },
      patterns: { type: "string" },
      state: { type: "string" },
      "allow-host": { type: "string", multiple: true },
      samples: { type: "string", multiple: true }, ...CACHE_OPTIONS,
      recordings: { type: "string" },
      record: { type: "string" },
      channels: { type: "string" },
      route: { type: "string", multiple: true },
      "no-resume": { type: "boolean" },
      ...STANDBY_OPTIONS,
      link: { type: "boolean" },
      "midi-clock-out": { type: "boolean" },
      "midi-clock-in": { type: "boolean" },
      "link-offset": { type: "string" },
      "memory-limit": { type: "string" },
      "hang-timeout": { type: "string" },
      ...TARGET_OPTIONS,
      "osc-port": { type: "string" },
      "osc-bind": { type: "string" },
      "osc-allow": { type: "string", multiple: true },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (values.backend !== undefined && values.backend !== "null" && values.backend !== "portaudio") {
      throw new UsageError(`--backend must be "null" or "portaudio" (got "${values.backend}")`);
    }
    const token = values.token ?? process.env.OSTINATO_TOKEN;
    if (token !== undefined && token.length < 8) throw new UsageError("--token must be at least 8 characters");
    const server = await startServer({
      port: numberOption("port", values.port ?? process.env.OSTINATO_PORT, 0, 65535, true),
      host: values.host,
      token,
      backend: values.backend as "null" | "portaudio" | undefined,
      device: deviceOption(values.device),
      sampleRate: numberOption("rate", values.rate, 8000, 384000, true),
      blockFrames: numberOption("block", values.block, 16, 8192, true),
      lookahead: numberOption("lookahead", values.lookahead, 0, 2),
      queueAhead: numberOption("queue", values.queue, 0, 5),
      targets: targetOptions(values),
      oscControl: oscControlOption(values["osc-port"], values["osc-bind"], values["osc-allow"]),
      patternsDir: values.patterns,
      stateDir: values.state,
      allowHosts: values["allow-host"],
      samples: (cacheOptions(values), samplesOption(values.samples)),
      recordingsDir: values.recordings,
      record: recordOption(values.record),
      channels: numberOption("channels", values.channels, 1, 8, true),
      routes: routeOptions(values.route),
      resume: !values["no-resume"],
      standby: standbyOption(values),
      midiClock: { out: values["midi-clock-out"] ?? false, in: values["midi-clock-in"] ?? false },
      link: { on: values.link ?? false, offsetMs: numberOption("link-offset", values["link-offset"], -1000, 1000) },
      limits: {
        memoryLimitMb: numberOption("memory-limit", values["memory-limit"], 64, 1 << 20, true),
        hangTimeoutMs: numberOption("hang-timeout", values["hang-timeout"], 100, 10_000, true),
      },
    });
    const device = server.engine.telemetry();
    console.log(`ostinato ${server.url} (${["offline", "null", "portaudio"][device.backend]} backend, ${device.sampleRate} Hz)`);
    console.log(`open the editor: ${server.editorUrl}`);
    const link = server.live.linkState();
    if (link.on) console.log(`Ableton Link on: ${link.peers} other peer(s), ${link.bpm.toFixed(2)} BPM`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await server.close();
    return 0;
  });
}
