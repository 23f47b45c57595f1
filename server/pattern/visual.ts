/**
 * Strudel's drawing and output methods. Headless (the live worker, offline
 * renders) they have nowhere to draw or send to, so each leaves its pattern
 * unchanged; the editor draws the ones it knows from the program's text
 * (the `_` forms under their line, the others in the visual panel).
 * `.osc()` and `.midi()` route a pattern's events to that target alone: the
 * haps' context says where (`target`), so their values stay Strudel's.
 * @module
 */
import { type Any, Pattern, type PatternLike, reify, silence } from "./pattern.ts";
import { addMethod, register } from "./register.ts";
import { VISUAL_METHODS } from "./visual-methods.ts";

const unchanged = (pat: Pattern<Any>): Pattern<Any> => pat;

/**
 * The editor's transpiler passes `{__visualAt: N}` first to a drawing method
 * (N: where its name is in the code). The haps keep their values and times;
 * their context lists N, so the editor draws each event in the drawings it
 * went through. Without N (a direct call), the pattern is returned as is.
 */
function tagVisual(this: Pattern<Any>, site?: unknown): Pattern<Any> {
  const at = typeof site === "object" && site !== null ? (site as { __visualAt?: unknown }).__visualAt : undefined;
  if (typeof at !== "number") return this;
  return this.withContext((c) => ({ ...c, visuals: Array.isArray(c.visuals) ? [...(c.visuals as number[]), at] : [at] }));
}

/**
 * Draws a piano roll of the pattern (`_pianoroll` draws it inline, under its line). Headless, the pattern is unchanged.
 * @example
 * note("c3 e3 g3").pianoroll()
 */
export const pianoroll = register(["pianoroll", "_pianoroll"], unchanged, { args: [] });

/**
 * Draws the events as a punch card, like a piano roll by event (`_punchcard` inline). Headless, unchanged.
 * @example
 * s("bd sd").punchcard()
 */
export const punchcard = register(["punchcard", "_punchcard"], unchanged, { args: [] });

/**
 * Draws the sound's waveform (`_scope` inline; `tscope` in time, `fscope` in frequency). Headless, unchanged.
 * @example
 * note("c2").s("sawtooth").scope()
 */
export const scope = register(["scope", "_scope", "tscope", "_tscope", "fscope", "_fscope"], unchanged, { args: [] });

/**
 * Draws the events on a spiral, one turn per cycle (`_spiral` inline). Headless, unchanged.
 * @example
 * note("c3 e3 g3").spiral()
 */
export const spiral = register(["spiral", "_spiral"], unchanged, { args: [] });

/**
 * Draws the notes on a wheel of pitch classes (`_pitchwheel` inline). Headless, unchanged.
 * @example
 * note("c3 e3 g3").pitchwheel()
 */
export const pitchwheel = register(["pitchwheel", "_pitchwheel"], unchanged, { args: [] });

/**
 * Draws the sound's spectrum (`_spectrum` inline). Headless, unchanged.
 * @example
 * note("c2").s("sawtooth").spectrum()
 */
export const spectrum = register(["spectrum", "_spectrum"], unchanged, { args: [] });

/**
 * Styles the events' marks in the editor with CSS. Headless, unchanged.
 * @example
 * s("bd sd").markcss('text-decoration: underline')
 */
export const markcss = register(
  "markcss",
  (css: unknown, pat: Pattern<Any>) => {
    const text = css instanceof Pattern ? css._pure?.value : css;
    return typeof text === "string" && text.trim() ? pat.withContext((c) => ({ ...c, markcss: text })) : pat;
  },
  { args: ["raw"], minArgs: 0 },
);

for (const name of VISUAL_METHODS) addMethod(name, tagVisual);

/**
 * Sends the pattern's events over OSC to SuperDirt instead of the native engine
 * (`--superdirt HOST:PORT`, default 127.0.0.1:57120; `oschost`/`oscport` per event).
 * @example
 * s("bd sd").osc()
 */
export const osc = register(["osc"], (pat: Pattern<Any>) => routeTo(pat, "osc"), { args: [] });

/**
 * Sends the pattern's events to a MIDI port instead of the native engine (`ostinato midi` lists the ports).
 * @example
 * note("c4 e4").midichan(1).midi()
 */
export const midi = register("midi", (port: unknown, pat: Pattern<Any>) => routeTo(pat, "midi", port), { args: ["raw"], minArgs: 0 });

/** A port given as a plain value, or as a one-word double-quoted string (mini-notation in the REPL): its first value. */
function portName(port: unknown): string | number | undefined {
  if (typeof port === "string" || typeof port === "number") return port;
  if (port instanceof Pattern) {
    const v = port._pure ? port._pure.value : port.queryArc(0, 1)[0]?.value;
    return typeof v === "string" || typeof v === "number" ? v : undefined;
  }
  return undefined;
}

/** The pattern with every hap's context naming its target (and a MIDI port). */
function routeTo(pat: Pattern<Any>, target: "osc" | "midi", port?: unknown): Pattern<Any> {
  const midiPort = portName(port);
  return pat.withContext((c) => (midiPort === undefined ? { ...c, target } : { ...c, target, midiPort }));
}

/**
 * Logs each event as it plays, in Strudel's browser console. Headless, unchanged.
 * @example
 * s("bd sd").log()
 */
export const log = register(["log", "logValues"], (_f: unknown, pat: Pattern<Any>) => pat, { args: ["raw"], minArgs: 0 });

/**
 * Draws the pattern with a custom function (Strudel's `draw`, `onPaint`). Headless, unchanged.
 * @example
 * s("bd sd").draw(() => {})
 */
export const draw = register(["draw", "onPaint"], (_f: unknown, pat: Pattern<Any>) => pat, { args: ["raw"], minArgs: 0 });

// `.hush()` silences this pattern only; `hush()` alone is the live helper that stops everything.
addMethod("hush", () => silence);

/**
 * Calls `f` with each event when it triggers, in Strudel's browser (a
 * timeout, not sample-accurate). Here the scheduler has no such callback:
 * the pattern plays unchanged.
 * @example
 * s("bd!8").onTriggerTime((hap) => {})
 */
export const onTriggerTime = register("onTriggerTime", (_f: unknown, pat: Pattern<Any>) => pat, { args: ["raw"], minArgs: 0 });

/**
 * The pattern as a line of text for debugging, one character per time slot:
 * `|` starts a cycle, `-` holds the previous value, `.` is silence. Values
 * should be single characters. `chars` is the length wanted (about).
 * @example
 * pure(drawLine("0 [1 2 3]", 10)) // "|0--123|0--123"
 */
export function drawLine(pattern: PatternLike<Any>, chars = 60): string {
  const pat = reify(pattern);
  const first = pat.queryArc(0, 1).filter((h) => h.whole);
  let slots = 1;
  for (const h of first) for (const t of [h.whole!.begin, h.whole!.end]) slots = lcmInt(slots, t.d);
  slots = Math.min(slots, Math.max(1, Math.floor(chars)));
  const cycles = Math.max(1, Math.ceil(chars / slots));
  let line = "";
  for (let c = 0; c < cycles; c++) {
    line += "|";
    const haps = pat.queryArc(c, c + 1).filter((h) => h.whole);
    for (let i = 0; i < slots; i++) {
      const at = c + i / slots;
      const starts = haps.find((h) => Math.abs(h.whole!.begin.valueOf() - at) < 1e-9);
      const holds = haps.some((h) => h.whole!.begin.valueOf() < at && h.whole!.end.valueOf() > at + 1e-9);
      line += starts ? String(starts.value) : holds ? "-" : ".";
    }
  }
  return line;
}

function lcmInt(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** Sets the MIDI control change number and value from a `[ccn, ccv]` pair. */
function withControl(pair: unknown, pat: Pattern<Any>): Pattern<Any> {
  if (!Array.isArray(pair) || pair.length < 2) throw new Error(`control expects a [ccn, ccv] pair, got ${JSON.stringify(pair)}`);
  const [ccn, ccv] = pair.map(Number);
  return pat.fmap((v: Any) => ({ ...(v !== null && typeof v === "object" ? v : {}), ccn, ccv }));
}

/**
 * A MIDI control change: `[ccn, ccv]` (or a pattern of such pairs, "1:64 7:100"), carried as values until MIDI output exists.
 * @example
 * s("bd sd").control([1, 64])
 */
export const control = register(
  "control",
  (pair: unknown, pat: Pattern<Any>) => (Array.isArray(pair) ? withControl(pair, pat) : reify(pair as Any).innerBind((p) => withControl(p, pat))),
  { args: ["raw"] },
);
