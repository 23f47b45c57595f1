/**
 * `ostinato midi [--in] [--json]`: the MIDI ports a `.midi(port)` pattern can
 * play to, or (--in) the ones `midin`/`midikeys` can listen to.
 * @module
 */
import { MidiOut } from "../engine/midi.ts";

const HELP = `usage: ostinato midi [--in] [--json]

Lists the MIDI inputs of the running JACK server (synthesizers, a2jmidid's
bridge to ALSA MIDI hardware, other programs): .midi("NAME") plays a pattern
to the first one whose name contains NAME; .midi() alone plays to the port
ostinato-midi:out, for you to connect.
  --in     the MIDI outputs instead (keyboards, controllers): midin("NAME")
           and midikeys("NAME") listen to the first one whose name contains
           NAME; without a name, to our port ostinato-midi:in
  --json   one JSON array, for machines`;

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const unknown = args.filter((a) => a !== "--json" && a !== "--in");
  if (unknown.length) {
    console.error(`ostinato midi: unknown option ${unknown[0]}; see "npx ostinato midi --help"`);
    return 2;
  }
  const listen = args.includes("--in");
  const ports = listen ? MidiOut.sources() : MidiOut.ports();
  if (args.includes("--json")) {
    console.log(JSON.stringify(ports));
    return 0;
  }
  if (ports.length === 0) {
    console.log(`No JACK MIDI ${listen ? "outputs" : "inputs"} (is a JACK server running? ALSA hardware appears through a2jmidid -e).`);
    return 0;
  }
  for (const p of ports) console.log(p);
  return 0;
}
