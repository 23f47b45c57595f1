#!/usr/bin/env bun
// ostinato's command line: `bun server/cli.ts <command> [options]`.
// Each command lives in server/cli/<command>.ts and exports
// `run(args: string[]): Promise<number>` (the exit code).

type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  serve: { summary: "start the server and the browser editor", load: () => import("./cli/serve.ts") },
  play: { summary: "play a pattern file (--watch: re-evaluate on save)", load: () => import("./cli/play.ts") },
  render: { summary: "render a pattern file offline to WAV", load: () => import("./cli/render.ts") },
  devices: { summary: "list audio devices (--json for machines)", load: () => import("./cli/devices.ts") },
  selftest: { summary: "play a short test phrase and report clock rate, xruns and CPU load", load: () => import("./cli/selftest.ts") },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: ostinato <command> [options]\n\ncommands:\n${lines.join("\n")}\n\n` +
    `Run "ostinato <command> --help" for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`ostinato: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

process.exitCode = await main(process.argv.slice(2));

export {}; // a module, for the top-level await
