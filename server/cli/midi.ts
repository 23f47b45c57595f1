/**
 * `ostinato midi [--in] [--json] [--backend jack|alsa]`: the MIDI ports a
 * `.midi(port)` pattern can play to, or (--in) the ones `midin`/`midikeys`
 * can listen to, on JACK MIDI and in the ALSA sequencer; a backend that
 * cannot open says why in one line.
 * @module
 */
import { MidiOut, type MidiBackend } from "../engine/midi.ts";

const HELP = `usage: ostinato midi [--in] [--json] [--backend jack|alsa]

Lists the MIDI inputs of the running JACK server and of the ALSA sequencer
(synthesizers, MIDI hardware, other programs): .midi("NAME") plays a
pattern to the first one whose name contains NAME, on the backend the server
uses (serve --midi-backend: JACK when a JACK server runs, else ALSA);
.midi() alone plays to our port out (ostinato-midi:out on JACK,
ostinato:out in ALSA), for you to connect.
  --in       the MIDI outputs instead (keyboards, controllers): midin("NAME")
             and midikeys("NAME") listen to the first one whose name contains
             NAME; without a name, to our port in
  --backend  one backend only
  --json     one JSON object, for machines: {"jack": [...], "alsa": [...],
             "unavailable": {"jack": "why", ...}, "auto": "jack" | "alsa" | null}`;

const TITLE: Record<MidiBackend, string> = { jack: "JACK MIDI", alsa: "ALSA sequencer" };

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  let only: MidiBackend | undefined;
  const rest = [...args];
  const b = rest.indexOf("--backend");
  if (b >= 0) {
    const value = rest[b + 1];
    if (value !== "jack" && value !== "alsa") {
      console.error(`ostinato midi: --backend must be "jack" or "alsa" (got ${value === undefined ? "nothing" : `"${value}"`})`);
      return 2;
    }
    only = value;
    rest.splice(b, 2);
  }
  const unknown = rest.filter((a) => a !== "--json" && a !== "--in");
  if (unknown.length) {
    console.error(`ostinato midi: unknown option ${unknown[0]}; see "npx ostinato midi --help"`);
    return 2;
  }
  const listen = rest.includes("--in");
  const backends: MidiBackend[] = only ? [only] : ["jack", "alsa"];
  const lists = backends.map((backend) => ({ backend, ...MidiOut.list(backend, listen) }));
  if (rest.includes("--json")) {
    const out: Record<string, unknown> = {};
    const unavailable: Record<string, string> = {};
    for (const l of lists) {
      out[l.backend] = l.ports;
      if (l.error) unavailable[l.backend] = l.error;
    }
    console.log(JSON.stringify({ ...out, unavailable, ...(only ? {} : { auto: autoPick(lists) }) }));
    return 0;
  }
  const what = listen ? "outputs" : "inputs";
  for (const l of lists) {
    if (l.error) {
      console.log(`${TITLE[l.backend]}: none, ${l.error}${l.backend === "jack" ? " (start one, e.g. jackd -d alsa)" : ""}`);
      continue;
    }
    if (l.ports.length === 0) {
      console.log(`${TITLE[l.backend]}: no MIDI ${what}`);
      continue;
    }
    console.log(`${TITLE[l.backend]} ${what}:`);
    for (const p of l.ports) console.log(`  ${p}`);
  }
  if (!only) {
    const auto = autoPick(lists);
    console.log(auto ? `(serve's --midi-backend auto plays on ${TITLE[auto]} here)` : "(no MIDI backend opens here: MIDI patterns would play nowhere)");
  }
  return 0;
}

/** What --midi-backend auto takes: JACK MIDI when a JACK server runs, else the ALSA sequencer when it opens. */
function autoPick(lists: { backend: MidiBackend; error?: string }[]): MidiBackend | null {
  return lists.find((l) => l.backend === "jack" && !l.error)?.backend ?? lists.find((l) => l.backend === "alsa" && !l.error)?.backend ?? null;
}
