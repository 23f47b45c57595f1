/**
 * The command-line options that choose where events go (serve and play):
 * --superdirt [HOST:]PORT, --targets engine,superdirt, --osc-latency S,
 * --gain-curve strudel|tidal, --midi-backend auto|jack|alsa, --midi-latency S.
 * @module
 */
import { parseHostPort, TARGET_NAMES, type TargetConfig } from "../targets/target.ts";
import { numberOption, UsageError } from "./options.ts";

/** The options' parseArgs declarations. */
export const TARGET_OPTIONS = {
  superdirt: { type: "string" },
  targets: { type: "string" },
  "osc-latency": { type: "string" },
  "gain-curve": { type: "string" },
  "midi-backend": { type: "string" },
  "midi-latency": { type: "string" },
} as const;

export const TARGET_HELP = `  --superdirt [H:]P    send every event to SuperDirt over OSC instead of the engine (default 127.0.0.1:57120)
  --targets LIST      where every event goes: engine, superdirt or both (engine,superdirt)
  --osc-latency S     seconds added to OSC time tags, to line SuperDirt up with the engine (default 0.015)
  --gain-curve C      gain sent to SuperDirt: strudel (linear, as heard in Strudel; default) or tidal (as given)
  --midi-backend B    where .midi() and midin go: auto (JACK MIDI when a JACK server runs, else the ALSA
                      sequencer; default), jack or alsa
  --midi-latency S    seconds added to every MIDI message, to line a synthesizer up with the engine (default 0)`;

type Values = { superdirt?: string; targets?: string; "osc-latency"?: string; "gain-curve"?: string; "midi-backend"?: string; "midi-latency"?: string };

/** The targets the options ask for (undefined fields keep their defaults). */
export function targetOptions(values: Values): Partial<TargetConfig> {
  const out: Partial<TargetConfig> = {};
  if (values.superdirt !== undefined) {
    try {
      const { host, port } = parseHostPort(values.superdirt, "--superdirt");
      out.oscHost = host;
      out.oscPort = port;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    out.superdirt = true;
    out.engine = false;
  }
  if (values.targets !== undefined) {
    const names = values.targets.split(",").map((n) => n.trim()).filter(Boolean);
    const bad = names.filter((n) => !(TARGET_NAMES as readonly string[]).includes(n));
    if (bad.length || names.length === 0) throw new UsageError(`--targets takes a list of ${TARGET_NAMES.join(", ")} (got "${values.targets}")`);
    out.engine = names.includes("engine");
    out.superdirt = names.includes("superdirt");
  }
  const latency = numberOption("osc-latency", values["osc-latency"], -1, 10);
  if (latency !== undefined) out.oscLatency = latency;
  const curve = values["gain-curve"];
  if (curve !== undefined) {
    if (curve !== "strudel" && curve !== "tidal") throw new UsageError(`--gain-curve must be "strudel" or "tidal" (got "${curve}")`);
    out.gainCurve = curve;
  }
  const backend = values["midi-backend"];
  if (backend !== undefined) {
    if (backend !== "auto" && backend !== "jack" && backend !== "alsa") throw new UsageError(`--midi-backend must be "auto", "jack" or "alsa" (got "${backend}")`);
    out.midiBackend = backend;
  }
  const midiLatency = numberOption("midi-latency", values["midi-latency"], -1, 10);
  if (midiLatency !== undefined) out.midiLatency = midiLatency;
  return out;
}
