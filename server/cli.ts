#!/usr/bin/env bun
// ostinato's command line: `npx ostinato <command> [options]` (the package's
// bin; npx finds bun in node_modules/.bin). Each command lives in
// server/cli/<command>.ts and exports `run(args: string[]): Promise<number>`
// (the exit code). A failure is one line and exit code 1, a usage error
// exit code 2 (server/cli/failure.ts).
import { reportFailure } from "./cli/failure.ts";
import { VERSION } from "./version.ts";

type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  serve: { summary: "start the server and the browser editor", load: () => import("./cli/serve.ts") },
  play: { summary: "play a pattern file (--watch: re-evaluate on save)", load: () => import("./cli/play.ts") },
  render: { summary: "render a pattern file offline to WAV, FLAC, Ogg, MP3 or AIFF", load: () => import("./cli/render.ts") },
  sounds: { summary: "list every sound; sounds fetch: download sample banks for offline use", load: () => import("./cli/sounds.ts") },
  devices: { summary: "list audio devices (--json for machines)", load: () => import("./cli/devices.ts") },
  midi: { summary: "list the MIDI ports .midi(port) plays to (--json for machines)", load: () => import("./cli/midi.ts") },
  token: { summary: "make, list and revoke guest tokens (edit, view) of a running server", load: () => import("./cli/token.ts") },
  selftest: { summary: "play a short test phrase and report clock rate, xruns and CPU load", load: () => import("./cli/selftest.ts") },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: ostinato <command> [options]\n\ncommands:\n${lines.join("\n")}\n\n` +
    `Run "ostinato <command> --help" for a command's options, "ostinato --version" for the version.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    console.log(`ostinato ${VERSION}`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`ostinato: unknown command "${name}"; commands: ${Object.keys(commands).join(", ")} (see "npx ostinato --help")`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    return reportFailure(name, err);
  }
}

process.exitCode = await main(process.argv.slice(2));

export {}; // a module, for the top-level await
