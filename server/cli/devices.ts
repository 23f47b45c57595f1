/**
 * `ostinato devices [--json]`: the audio output devices PortAudio sees.
 * @module
 */
import { listDevices } from "../engine/index.ts";

const HELP = `usage: ostinato devices [--json]

Lists the audio output devices: PortAudio index, name, host API, output
channels, default sample rate and low latency. "*" marks the default.
Open one with --device NAME (exact name) where a command takes it.
  --json   one JSON array, for machines`;

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const unknown = args.filter((a) => a !== "--json");
  if (unknown.length) {
    console.error(`ostinato devices: unknown option ${unknown[0]}; see "npx ostinato devices --help"`);
    return 2;
  }
  const devices = listDevices();
  if (args.includes("--json")) {
    console.log(JSON.stringify(devices, null, 2));
    return 0;
  }
  if (devices.length === 0) {
    console.log("No audio output devices. On a machine without a sound card, start a JACK server:\n  jackd --no-realtime -d dummy -r 48000 -p 256 &");
    return 0;
  }
  const rows = devices.map((d) => [
    `${d.isDefault ? "*" : " "}${d.index}`, d.name, d.hostApi, String(d.maxOutputChannels),
    `${d.defaultSampleRate} Hz`, `${(d.defaultLowLatency * 1000).toFixed(1)} ms`,
  ]);
  const head = [" #", "name", "host API", "outputs", "rate", "latency"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
  return 0;
}
