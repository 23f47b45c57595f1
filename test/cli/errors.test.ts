// Every way a newcomer's command can fail: one line on stderr that says what
// and what to do, no stack trace, exit code 2 (usage) or 1 (failure).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const bun = join(process.cwd(), "node_modules", ".bin", "bun");
const cli = (args: string[]) => spawnSync(bun, ["server/cli.ts", ...args], { encoding: "utf8", timeout: 30_000 });
const dir = mkdtempSync(join(tmpdir(), "ostinato-cli-errors-"));
const tune = join(dir, "tune.js");
writeFileSync(tune, `s("bd sd")\n`);

/** Asserts the run failed with one line matching `pattern` and `code`, and no stack trace. */
function failsWith(r: ReturnType<typeof cli>, code: number, pattern: RegExp) {
  expect(r.status, r.stderr).toBe(code);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at |\.ts:\d+:\d+|Bun v/m);
}

describe("failures: one line, what to do, exit 1", () => {
  test("render -o into a folder that does not exist", () => {
    failsWith(cli(["render", tune, "-o", "/missing/dir/x.wav", "--cycles", "1"]), 1,
      /^ostinato render: cannot write \/missing\/dir\/x\.wav: the folder \/missing\/dir does not exist; create it or choose another -o$/);
  });

  test("play --device with a name no device has", () => {
    failsWith(cli(["play", tune, "--device", "nosuch", "--cycles", "1"]), 1,
      /^ostinato play: no audio output device named "nosuch"; devices: .*; list the devices with "npx ostinato devices", or use --backend null \(no sound\)$/);
  });

  test("serve --device with an index no device has", () => {
    failsWith(cli(["serve", "--device", "57", "--port", "0"]), 1,
      /^ostinato serve: no such audio device \(.*device 57; devices: .*\); list the devices with "npx ostinato devices", or use --backend null/);
  });

  describe("serve on a busy port", () => {
    let busy: ReturnType<typeof Bun.serve>;
    beforeAll(() => {
      busy = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("taken") });
    });
    afterAll(() => busy.stop(true));
    test("says which port and what to do, and exits (nothing left running)", () => {
      failsWith(cli(["serve", "--port", String(busy.port), "--backend", "null"]), 1,
        new RegExp(`^ostinato serve: port ${busy.port} is in use \\(another ostinato\\?\\); stop that one or pick another with --port \\(0 picks a free one\\)$`));
    });
  });
});

describe("usage errors: one line, exit 2", () => {
  for (const command of [["serve"], ["play", tune, "--backend", "null", "--cycles", "1"], ["render", tune, "-o", join(dir, "s.wav"), "--cycles", "1"]]) {
    test(`${command[0]} --samples with a folder that does not exist`, () => {
      failsWith(cli([...command, "--samples", "/missing"]), 2,
        new RegExp(`^ostinato ${command[0]}: --samples /missing: no such folder or JSON file \\(/missing\\); give a Dirt-Samples folder or a JSON sample map; see "npx ostinato ${command[0]} --help"$`));
    });
  }

  test("render -o with an extension that names no audio format", () => {
    failsWith(cli(["render", tune, "-o", join(dir, "x.xyz"), "--cycles", "1"]), 2, /"\.xyz" is not an audio format ostinato writes; end it in \.wav, \.flac, \.ogg, \.mp3 or \.aiff, or give --format/);
    failsWith(cli(["render", tune, "-o", join(dir, "x.wav"), "--format", "midi", "--cycles", "1"]), 2, /--format must be one of wav, .*mp3 \(got "midi"\)/);
  });

  test("--record with a name that is not .wav", () => {
    failsWith(cli(["play", tune, "--backend", "null", "--cycles", "1", "--record", join(dir, "take.mp3")]), 2, /^ostinato play: --record .*take\.mp3: a take is a 32-bit float WAV; name it \.wav/);
    failsWith(cli(["serve", "--backend", "null", "--port", "0", "--record", "take.flac"]), 2, /^ostinato serve: --record take\.flac: a take is a 32-bit float WAV/);
  });

  test("an unknown command, an unknown option", () => {
    failsWith(cli(["bogus"]), 2, /^ostinato: unknown command "bogus"; commands: serve, play, render, sounds, devices, midi, token, selftest/);
    failsWith(cli(["token", "--frobnicate"]), 2, /^ostinato token: .*--frobnicate.*; see "npx ostinato token --help"$/);
    failsWith(cli(["render", tune, "--frobnicate"]), 2, /^ostinato render: .*--frobnicate.*; see "npx ostinato render --help"$/);
    failsWith(cli(["devices", "--frobnicate"]), 2, /^ostinato devices: unknown option --frobnicate/);
    failsWith(cli(["selftest", "--frobnicate"]), 2, /^ostinato selftest: unknown option --frobnicate/);
  });
});

describe("render picks the format from the extension, or --format", () => {
  // what each file starts with: the container's magic bytes
  const magic: [string, string[], (b: Buffer) => boolean][] = [
    ["x.wav", [], (b) => b.toString("latin1", 0, 4) === "RIFF" && b.readUInt16LE(20) === 3],
    ["x.flac", [], (b) => b.toString("latin1", 0, 4) === "fLaC"],
    ["x.ogg", [], (b) => b.toString("latin1", 0, 4) === "OggS"],
    ["x.aiff", [], (b) => b.toString("latin1", 0, 4) === "FORM" && b.toString("latin1", 8, 12) === "AIFF"],
    ["x.mp3", [], (b) => b.toString("latin1", 0, 3) === "ID3" || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0)],
    ["x16.audio", ["--format", "wav16"], (b) => b.toString("latin1", 0, 4) === "RIFF" && b.readUInt16LE(20) === 1 && b.readUInt16LE(34) === 16],
  ];
  for (const [name, extra, isIt] of magic) {
    test(name + (extra.length ? ` ${extra.join(" ")}` : ""), () => {
      const out = join(dir, name);
      const r = cli(["render", tune, "-o", out, "--cycles", "1", ...extra]);
      expect(r.status, r.stderr).toBe(0);
      expect(isIt(readFileSync(out))).toBe(true);
    });
  }
});

test("--version prints package.json's version", () => {
  const r = cli(["--version"]);
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe(`ostinato ${JSON.parse(readFileSync("package.json", "utf8")).version}`);
});
