// A sample server on 127.0.0.1 for the tests of samples by URL: a
// strudel.json at its root (a URL map over a tree of tones in WAV, FLAC, MP3
// and Ogg, and a pitched piano), a GitHub-style tree under /gh/USER/REPO/BRANCH
// (a strudel.json with no _base, Dirt-Samples style folders beside it), and
// files that go wrong: slow, cut short (a raw socket that sends less than its
// Content-Length), 404 and garbage. It counts the requests for each path.
// Every file is made here at test time (sine tones written by the engine's
// own audio file writer): no third-party audio.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Engine, type AudioFileFormat } from "../../server/engine/index.ts";

export const RATE = 48000;

/** The tones served: path under /tree/ -> [format, frequency]. */
export const TONES: Record<string, [AudioFileFormat, number]> = {
  "wtone/0.wav": ["wav16", 300],
  "wtone/1.wav": ["wav16", 350],
  "ftone/0.flac": ["flac16", 400],
  "mtone/0.mp3": ["mp3", 500],
  "otone/0.ogg": ["ogg", 600],
  "piano/a4.wav": ["wav16", 440],
  "piano/a5.wav": ["wav16", 880],
};

/** The GitHub-style repo: /gh/ostinato-test/kit/main/... */
export const GH_TONES: Record<string, [AudioFileFormat, number]> = {
  "gtone/0.wav": ["wav16", 700],
  "gtone/1.flac": ["flac16", 750],
};

export type SampleServer = {
  url: string;
  port: number;
  /** Requests per path ("/tree/wtone/0.wav" -> 2). */
  hits: Map<string, number>;
  /** Delay in ms before each audio file answers (to make fetches overlap). */
  delayMs: number;
  stop(): Promise<void>;
};

const tone = (hz: number, seconds = 0.6) => Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE));

function writeTree(root: string, tones: Record<string, [AudioFileFormat, number]>): void {
  for (const [path, [format, hz]] of Object.entries(tones)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    Engine.writeAudioFile(join(root, path), format, 1, RATE, tone(hz));
  }
}

export async function startSampleServer(): Promise<SampleServer> {
  const root = mkdtempSync(join(tmpdir(), "ostinato-sample-server-"));
  writeTree(join(root, "tree"), TONES);
  writeTree(join(root, "gh"), GH_TONES);
  const hits = new Map<string, number>();
  // Cut short: headers promise 100000 bytes, 2000 come, then the socket closes.
  const raw: Server = createServer((socket) => {
    socket.once("data", () => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n");
      socket.write(readFileSync(join(root, "tree", "wtone/0.wav")).subarray(0, 2000), () => socket.destroy());
    });
  });
  await new Promise<void>((r) => raw.listen(0, "127.0.0.1", r));
  const rawPort = (raw.address() as { port: number }).port;
  const state: SampleServer = {
    url: "",
    port: 0,
    hits,
    delayMs: 0,
    stop: async () => {
      server.stop(true);
      await new Promise((r) => raw.close(r));
      rmSync(root, { recursive: true, force: true });
    },
  };
  const server: ReturnType<typeof Bun.serve> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 30,
    fetch: async (req): Promise<Response> => {
      const path = new URL(req.url).pathname;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const base: string = `http://127.0.0.1:${server.port}`;
      if (path === "/strudel.json") {
        return Response.json({
          _base: `${base}/tree/`,
          wtone: ["wtone/0.wav", "wtone/1.wav"],
          ftone: ["ftone/0.flac"],
          mtone: ["mtone/0.mp3"],
          otone: ["otone/0.ogg"],
          piano: { a4: "piano/a4.wav", a5: "piano/a5.wav" },
          // n 0..3 go wrong, each its own way; n 4 is good
          broken: ["missing/404.wav", `${base}/bad/garbage.wav`, `http://127.0.0.1:${rawPort}/short.wav`, `${base}/slow/slow.wav`, "wtone/0.wav"],
        });
      }
      if (path === "/gh/ostinato-test/kit/main/strudel.json") return Response.json({ gtone: ["gtone/0.wav", "gtone/1.flac"] });
      if (path === "/bad/garbage.wav") return new Response("this is not a sound file, only words".repeat(50), { headers: { "content-type": "audio/wav" } });
      if (path === "/slow/slow.wav") {
        await new Promise((r) => setTimeout(r, 6000));
        return new Response(Bun.file(join(root, "tree", "wtone/0.wav")));
      }
      let file: string | undefined;
      if (path.startsWith("/tree/")) file = join(root, "tree", path.slice(6));
      else if (path.startsWith("/gh/ostinato-test/kit/main/")) file = join(root, "gh", path.slice("/gh/ostinato-test/kit/main/".length));
      if (!file || !(await Bun.file(file).exists())) return new Response("not found", { status: 404, statusText: "Not Found" });
      if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
      return new Response(Bun.file(file));
    },
  });
  state.port = server.port!;
  state.url = `http://127.0.0.1:${server.port}`;
  return state;
}
