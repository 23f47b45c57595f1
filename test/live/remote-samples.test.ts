// Samples by URL through the whole stack (evaluator, library, disk cache,
// engine) against a real HTTP server on 127.0.0.1: a strudel.json by URL, a
// map with a URL base, and github: pointed at the test server each play at
// their pitch in WAV, FLAC, MP3 and Ogg; with the server stopped the same
// programs play the same from the cache; broken downloads leave the cache
// clean and say which file and why; fetches at once download each file once.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Engine, SampleCache, SampleLibrary } from "../../server/engine/index.ts";
import { renderProgram, type RenderOptions } from "../../server/live/render.ts";
import { channel, peakFrequency } from "../engine/audio-analysis.ts";
import { RATE, startSampleServer, type SampleServer } from "./sample-server.ts";

let server: SampleServer;
const caches: string[] = [];
const freshCache = (options: ConstructorParameters<typeof SampleCache>[0] = {}) => {
  const dir = mkdtempSync(join(tmpdir(), "ostinato-cache-test-"));
  caches.push(dir);
  return new SampleCache({ dir, ...options });
};
beforeAll(async () => {
  server = await startSampleServer();
});
afterAll(async () => {
  await server?.stop().catch(() => {});
  for (const d of caches) rmSync(d, { recursive: true, force: true });
});

// Each test renders many programs; on a shared machine under load that takes a while (a budget, not an assertion).
const BUDGET = 120_000;
const opts = (cache: SampleCache, more: Partial<RenderOptions> = {}): RenderOptions => ({ cycles: 1, cps: 1, sampleRate: RATE, cache, githubBase: `${server.url}/gh`, ...more });
const left = async (code: string, cache: SampleCache, more: Partial<RenderOptions> = {}) => channel((await renderProgram(code, opts(cache, more))).samples, 2, 0);
const pitch = (x: Float32Array) => peakFrequency(x, RATE, 100, 2000, 16384, 4000);
/** Files of a cache directory that are not complete entries (temporary files and locks). */
const leftovers = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.(part|lock)$/.test(f)) : []);

/** The programs, and the pitch each must play at. */
const PROGRAMS: [string, number][] = [
  [`samples("URL/strudel.json")\ns("wtone")`, 300],
  [`samples("URL/strudel.json")\ns("wtone:1")`, 350],
  [`samples("URL/strudel.json")\ns("ftone")`, 400],
  [`samples("URL/strudel.json")\ns("mtone")`, 500],
  [`samples("URL/strudel.json")\ns("otone")`, 600],
  [`samples("URL/strudel.json")\nnote("a4").s("piano")`, 440],
  [`samples("URL/strudel.json")\nnote("c5").s("piano")`, 440 * Math.pow(2, 3 / 12)], // nearer a4 than a5: a4 transposed up 3
  [`samples("URL/strudel.json")\nnote("e5").s("piano")`, 880 * Math.pow(2, -5 / 12)], // nearer a5: a5 down 5
  [`samples({ utone: "ftone/0.flac" }, "URL/tree/")\ns("utone")`, 400],
  [`samples({ vtone: ["URL/tree/otone/0.ogg"] })\ns("vtone")`, 600],
  [`samples("github:ostinato-test/kit")\ns("gtone")`, 700],
  [`samples("github:ostinato-test/kit/main")\ns("gtone:1")`, 750],
];

describe("samples by URL, from a real HTTP server", () => {
  test("a strudel.json by URL, a map with a URL base or URL files, and github: each play at their pitch (WAV, FLAC, MP3, Ogg); stopped, the server is not needed: the cache plays the same", async () => {
    const cache = freshCache();
    const online: Float32Array[] = [];
    for (const [program, hz] of PROGRAMS) {
      const x = await left(program.replaceAll("URL", server.url), cache);
      expect(pitch(x), program).toBeCloseTo(hz, 0);
      online.push(x);
    }
    expect(leftovers(cache.dir)).toEqual([]);
    // Offline: a server that is gone, the same URLs.
    const url = server.url;
    await server.stop();
    try {
      for (let i = 0; i < PROGRAMS.length; i++) {
        const x = await left(PROGRAMS[i]![0].replaceAll("URL", url), cache);
        expect(x, PROGRAMS[i]![0]).toEqual(online[i]);
      }
      // And a file never fetched says it cannot be had, and why.
      await expect(renderProgram(`samples({ never: "${url}/tree/never.wav" })\ns("never")`, opts(cache))).rejects.toThrow(
        new RegExp(`${url}/tree/never\\.wav: cannot connect \\(offline\\?\\)`),
      );
    } finally {
      server = await startSampleServer();
    }
  }, BUDGET);

  test("404, garbage, a body cut short and a server too slow: the render fails naming the file and why; the cache holds nothing of them; the good file plays", async () => {
    const cache = freshCache({ timeoutMs: 3000 }); // the slow file answers after 6 s; the others, even on a loaded machine, well within 3
    const json = `${server.url}/strudel.json`;
    const reasons = [/missing\/404\.wav: 404 Not Found at the URL/, /bad\/garbage\.wav: not audio the loader can decode/, /short\.wav: cut short/, /slow\/slow\.wav: no answer within 3 s/];
    for (let n = 0; n < 4; n++) {
      await expect(renderProgram(`samples("${json}")\ns("broken:${n}")`, opts(cache)), `broken:${n}`).rejects.toThrow(reasons[n]!);
    }
    expect(pitch(await left(`samples("${json}")\ns("broken:4")`, cache))).toBeCloseTo(300, 0);
    // A file above the size limit is refused before a byte of it is written.
    const small = freshCache({ maxBytes: 10_000 });
    await expect(renderProgram(`samples("${json}")\ns("wtone")`, opts(small))).rejects.toThrow(/wtone\/0\.wav: too large \(\d+ bytes; the limit is 10000\)/);
    expect(leftovers(small.dir)).toEqual([]);
    expect(small.cached(`${server.url}/tree/wtone/0.wav`)).toBeUndefined();
    expect(leftovers(cache.dir)).toEqual([]);
    expect(cache.usage().files).toBe(2); // the map and the one good file
  }, BUDGET);

  test("live (not a render): a file that cannot be had is reported once per evaluation by name and reason, one still downloading is reported late, and it plays once it has arrived", async () => {
    const engine = Engine.open({ backend: "offline", sampleRate: RATE });
    try {
      const warnings: string[] = [];
      const library = new SampleLibrary(engine, { cache: freshCache(), onError: (m) => warnings.push(m) });
      await library.addRemote(`${server.url}/strudel.json`);
      library.newEvaluation();
      server.delayMs = 300;
      expect(library.resolve("broken", 0, undefined, 36)!.id).toBe(-1); // silent until it has arrived (it never will)
      expect(library.resolve("wtone", 1, undefined, 36)!.id).toBe(-1);
      library.resolve("wtone", 1, undefined, 36);
      expect(warnings).toEqual(["broken: 1 of 5 files still loading (each plays once it has arrived)", "wtone: 1 of 2 files still loading (each plays once it has arrived)"]);
      await library.settle();
      server.delayMs = 0;
      library.resolve("broken", 0, undefined, 36);
      expect(warnings.slice(2)).toEqual([`broken: cannot download ${server.url}/tree/missing/404.wav: 404 Not Found at the URL; the rest plays`]);
      const ref = library.resolve("wtone", 1, undefined, 36)!;
      expect(engine.sampleInfo(ref.id).state).toBe("ready");
      // The next evaluation tries the failed one again, and says so again.
      library.newEvaluation();
      library.resolve("broken", 0, undefined, 36);
      await library.settle();
      expect(warnings.slice(3)).toEqual(["broken: 1 of 5 files still loading (each plays once it has arrived)", `broken: cannot download ${server.url}/tree/missing/404.wav: 404 Not Found at the URL; the rest plays`]);
      expect(server.hits.get("/tree/missing/404.wav")).toBeGreaterThanOrEqual(2);
    } finally {
      engine.close();
    }
  }, BUDGET);

  test("two renders at once sharing a cache directory (each its own SampleCache, so only the lock files stand between them) download each file once", async () => {
    const cache = freshCache();
    const other = new SampleCache({ dir: cache.dir });
    server.hits.clear();
    server.delayMs = 200;
    try {
      const code = `samples("${server.url}/strudel.json")\ns("wtone wtone:1 ftone mtone")`;
      const [a, b] = await Promise.all([left(code, cache), left(code, other)]);
      expect(a).toEqual(b);
    } finally {
      server.delayMs = 0;
    }
    for (const path of ["/strudel.json", "/tree/wtone/0.wav", "/tree/wtone/1.wav", "/tree/ftone/0.flac", "/tree/mtone/0.mp3"]) expect(server.hits.get(path), path).toBe(1);
  }, BUDGET);
});

describe("sources not supported", () => {
  test("shabda: and other schemes are refused with a clear message (a render fails; live it is a warning and the rest plays)", async () => {
    await expect(renderProgram(`samples("shabda:bass:4")\ns("bd")`, opts(freshCache()))).rejects.toThrow(/samples\("shabda:bass:4"\): "shabda:" sources are not supported here; give github:user\/repo, an http\(s\) URL of a strudel\.json, or a local folder/);
    const engine = Engine.open({ backend: "offline", sampleRate: RATE });
    try {
      const warnings: string[] = [];
      const { addSampleSources } = await import("../../server/live/sample-sources.ts");
      await addSampleSources(new SampleLibrary(engine, { cache: freshCache() }), ["shabda:bass:4"], undefined, (m) => warnings.push(m));
      expect(warnings).toEqual([expect.stringMatching(/"shabda:" sources are not supported here.*; the rest plays$/)]);
    } finally {
      engine.close();
    }
  }, BUDGET);
});

describe(".piano()", () => {
  test("plays the piano bank at the notes asked for; without one, the evaluation says how to get it", async () => {
    const cache = freshCache();
    const x = await left(`samples("${server.url}/strudel.json")\nnote("c5").piano()`, cache);
    expect(pitch(x)).toBeCloseTo(440 * Math.pow(2, 3 / 12), 0);
    const { unknownSoundWarnings } = await import("../../server/live/sound-names.ts");
    expect(unknownSoundWarnings([{ s: "piano" }], () => false, () => ["bd"])).toEqual([
      expect.stringMatching(/^piano: unknown sound \(it plays nothing\); .*ostinato sounds fetch --strudel-defaults/),
    ]);
  }, BUDGET);
});
