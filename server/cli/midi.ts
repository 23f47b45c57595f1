/**
 * `ostinato midi [--json]`: the MIDI ports a `.midi(port)` pattern can play to.
 * @module
 */
import { MidiOut } from "../engine/midi.ts";

const HELP = `usage: ostinato midi [--json]

Lists the MIDI inputs of the running JACK server (synthesizers, a2jmidid's
bridge to ALSA MIDI hardware, other programs): .midi("NAME") plays a pattern
to the first one whose name contains NAME; .midi() alone plays to the port
ostinato-midi:out, for you to connect.
  --json   one JSON array, for machines`;

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const unknown = args.filter((a) => a !== "--json");
  if (unknown.length) {
    console.error(`ostinato midi: unknown option ${unknown[0]}; see "npx ostinato midi --help"`);
    return 2;
  }
  const ports = MidiOut.ports();
  if (args.includes("--json")) {
    console.log(JSON.stringify(ports));
    return 0;
  }
  if (ports.length === 0) {
    console.log("No JACK MIDI inputs (is a JACK server running? ALSA hardware appears through a2jmidid -e).");
    return 0;
  }
  for (const p of ports) console.log(p);
  return 0;
}
