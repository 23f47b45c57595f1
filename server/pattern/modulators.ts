/**
 * `lfo` and `env`: Strudel 1.2.6's modulators of another control. Each call
 * adds one modulator to the event's `lfo` (or `env`) object, under the next
 * index or the id given; a known id or index is updated instead. The
 * modulated control is `c`/`control` in the config, else the control set
 * just before the call. Config names are Strudel's short aliases, written
 * out in full; values may be patterns or mini-notation. The engine plays an
 * LFO on a filter's frequency (its lp/hp/bp LFO) or on gain (its tremolo),
 * and an env on lpf (the lowpass envelope) or on hpf, bpf, note/freq and
 * gain (its modulation envelope, server/engine/event-buffer.ts); other
 * modulators are carried as values.
 * @module
 */
import { type Any, Pattern, pure, reify } from "./pattern.ts";
import { CONTROL_KEY, isControlObject } from "./controls.ts";
import { register } from "./register.ts";

const LFO_NAMES: Record<string, string> = {
  c: "control", sc: "subControl", r: "rate", dep: "depth", dr: "depth", da: "depthabs", dc: "dcoffset",
  sh: "shape", sk: "skew", cu: "curve", s: "sync",
};
const ENV_NAMES: Record<string, string> = {
  c: "control", sc: "subControl", dep: "depth", dr: "depth", da: "depthabs", att: "attack", a: "attack",
  dec: "decay", d: "decay", sus: "sustain", s: "sustain", rel: "release", r: "release", ac: "acurve", dc: "dcurve", rc: "rcurve",
};

/** The config as a pattern of plain objects (patterned values joined, structure from the first). */
function configPattern(config: unknown, names: Record<string, string>): Pattern<Record<string, unknown>> {
  let pat: Pattern<Record<string, unknown>> = pure({});
  if (!isControlObject(config)) return pat;
  for (const [k, v] of Object.entries(config)) {
    const key = names[k] ?? k;
    const value: Pattern<unknown> = v instanceof Pattern || typeof v === "string" ? (reify(v as string) as Pattern<unknown>) : pure(v); // strings are mini-notation, as in Strudel
    pat = pat.appLeft(value, (o, x) => ({ ...o, [key]: key === "control" ? (CONTROL_KEY.get(String(x)) ?? x) : x }));
  }
  return pat;
}

function addModulator(kind: "lfo" | "env", v: unknown, config: Record<string, unknown>, id: unknown): unknown {
  const value = isControlObject(v) ? v : { value: v };
  const existing = isControlObject(value[kind]) ? (value[kind] as Record<string, unknown>) : { __ids: {} };
  const count = Object.keys(existing).filter((k) => k !== "__ids").length;
  const key = id === undefined ? String(count) : String(id);
  const previous = isControlObject(existing[key]) ? (existing[key] as Record<string, unknown>) : undefined;
  const lastControl = Object.keys(value).filter((k) => k !== "lfo" && k !== "env").at(-1);
  const entry = previous ? { ...previous, ...config } : { control: lastControl, ...config };
  return { ...value, [kind]: { ...existing, [key]: entry } };
}

function modulator(kind: "lfo" | "env", names: Record<string, string>) {
  return (config: unknown, id: unknown, pat: Pattern<Any>): Pattern<Any> =>
    pat.appLeft(configPattern(config, names), (v: unknown, cfg) => addModulator(kind, v, cfg, id));
}

/**
 * Adds an LFO that modulates a control: the one named by `c` in the config, else the control set just before.
 * Config: control (c), rate (r), depth (dep), shape (sh), skew (sk), sync (s) ...; `id` names it for later updates.
 * @example
 * s("saw").note("F1").lpf(500).lfo({ s: 0.3 })
 */
export const lfo = register("lfo", modulator("lfo", LFO_NAMES), { args: ["raw", "raw"], minArgs: 0 });

/**
 * Adds an envelope that modulates a control (like {@link lfo}): attack (a), decay (d), sustain (s), release (r), depth (dep) ...
 * @example
 * s("saw").note("F1").lpf(500).env({ a: 1 })
 */
export const env = register("env", modulator("env", ENV_NAMES), { args: ["raw", "raw"], minArgs: 0 });
