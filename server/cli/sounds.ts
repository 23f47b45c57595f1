/**
 * `ostinato sounds`: every sound a program can name (built-in synths and
 * drums, each sample bank with its files, origin and how many are cached);
 * `ostinato sounds fetch SOURCE|NAME...`: downloads banks into the cache
 * ahead of time, with progress, so they play on stage with no network.
 * @module
 */
import { Engine, SampleCache, SampleLibrary, STRUDEL_DEFAULTS, isRemote } from "../engine/index.ts";
import { listSounds } from "../live/sound-list.ts";
import { cacheOptions, CACHE_OPTIONS, parseCommand, samplesOption, UsageError, withUsage } from "./options.ts";

const HELP = `usage: ostinato sounds [--json] [options]
       ostinato sounds fetch SOURCE|NAME... [--strudel-defaults] [options]

Lists every sound a program can name: the built-in synths and drums, and each
sample bank (from --samples and from every remote source fetched into the
cache) with its number of files, where it came from and how many of its files
are cached (a bank whose files are all cached plays offline).

"fetch" downloads sample banks into the cache, ahead of time: SOURCE is
github:user/repo[/branch][/path] or an http(s) URL of a strudel.json; NAME is a
bank of a source already known (e.g. "piano" after --strudel-defaults).

  --strudel-defaults  fetch the sample maps strudel.cc loads by default (drum
                      machines, piano, VCSL, Dirt-Samples, mridangam, uzu drums)
  --samples DIR       also list this folder, JSON map or remote source (repeatable)
  --cache DIR         where samples fetched by URL are kept (default $OSTINATO_CACHE, else ~/.cache/ostinato/samples)
  --github-base URL   where github:user/repo points (default $OSTINATO_GITHUB_BASE, else raw.githubusercontent.com)
  --json              print the list as JSON`;

export function run(args: string[]): Promise<number> {
  return withUsage("sounds", args, HELP, async () => {
    const { values, positionals } = parseCommand(
      "sounds",
      args,
      { json: { type: "boolean" }, "strudel-defaults": { type: "boolean" }, samples: { type: "string", multiple: true }, ...CACHE_OPTIONS },
      true,
    );
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    cacheOptions(values);
    const samples = samplesOption(values.samples) ?? [];
    const [verb, ...names] = positionals;
    if (verb === undefined) return list(samples, values.json === true);
    if (verb !== "fetch") throw new UsageError(`ostinato sounds: unknown verb "${verb}" (only "fetch"); see "ostinato sounds --help"`);
    if (!names.length && !values["strudel-defaults"]) throw new UsageError("ostinato sounds fetch: name a source (github:user/repo, a URL) or a bank, or give --strudel-defaults");
    return fetchSounds([...(values["strudel-defaults"] ? STRUDEL_DEFAULTS : []), ...names], samples);
  });
}

async function list(samples: string[], json: boolean): Promise<number> {
  const { sounds, unavailable, cache } = await listSounds(samples);
  if (json) {
    console.log(JSON.stringify({ sounds, unavailable, cache }, null, 1));
    return 0;
  }
  const builtIn = sounds.filter((s) => s.kind !== "sample");
  console.log(`built-in synths: ${builtIn.filter((s) => s.kind === "synth").map((s) => s.name).join(" ")}`);
  console.log(`built-in drums: ${builtIn.filter((s) => s.kind === "drum").map((s) => s.name).join(" ")}`);
  const banks = sounds.filter((s) => s.kind === "sample");
  const width = Math.max(4, ...banks.map((b) => b.name.length));
  for (const b of banks) {
    if (b.kind !== "sample") continue;
    const state = b.cached === b.files ? "ready" : b.cached ? `${b.cached} cached` : "not cached";
    console.log(`${b.name.padEnd(width)}  ${String(b.files).padStart(3)} file${b.files === 1 ? " " : "s"}  ${state.padEnd(12)}  ${b.origin}`);
  }
  for (const u of unavailable) console.log(`unavailable: ${u.reason}`);
  console.log(`${banks.length} sample banks; cache ${cache}`);
  return 0;
}

/** Fetches sources and named banks, printing progress; exit code 1 when any file could not be had. */
async function fetchSounds(targets: string[], samples: string[]): Promise<number> {
  const engine = Engine.open({ backend: "offline" }); // the loader that verifies each download decodes
  try {
    const cache = new SampleCache();
    const library = new SampleLibrary(engine, { cache });
    const banks = new Set<string>();
    const sources = [...cache.remembered(), ...samples];
    let failed = 0;
    for (const target of targets) {
      if (!isRemote(target)) continue;
      try {
        for (const name of await library.addRemote(target)) banks.add(name);
      } catch (err) {
        console.error((err as Error).message);
        failed++;
      }
    }
    const names = targets.filter((t) => !isRemote(t));
    if (names.length) {
      for (const source of sources) {
        try {
          if (isRemote(source)) await library.addRemote(source);
          else library.add(source);
        } catch {}
      }
      for (const name of names) {
        if (library.has(name)) banks.add(name);
        else {
          console.error(`no bank named "${name}" in the known sources (${sources.length ? sources.join(", ") : "none yet"}); fetch its source first, e.g. ostinato sounds fetch --strudel-defaults`);
          failed++;
        }
      }
    }
    const total = library.missing(banks).length;
    let done = 0;
    const tty = process.stdout.isTTY === true;
    const progress = () => {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} files`;
    };
    console.log(`fetching ${banks.size} banks, ${total} files not cached yet, into ${cache.dir}`);
    const result = await library.fetch(banks, (_url, error) => {
      done++;
      if (error) console.error(`\n${error}`);
      if (tty) process.stdout.write(`\r${progress()}`);
      else if (done === total || Math.floor((done * 10) / total) !== Math.floor(((done - 1) * 10) / total)) console.log(progress());
    });
    if (tty) process.stdout.write("\n");
    const usage = cache.usage();
    console.log(`${result.ok} files ready, ${result.failed.length} failed; the cache holds ${usage.files} files (${(usage.bytes / 1e6).toFixed(1)} MB)`);
    return failed || result.failed.length ? 1 : 0;
  } finally {
    engine.close();
  }
}
