/**
 * The pattern language as a TypeScript declaration file, generated from
 * server/pattern/docs/reference.json (itself generated from the library's
 * doc comments), so Monaco's TypeScript service gives completion, hover
 * docs and signature help for every function, method, control and alias,
 * and none is ever missing or listed by hand.
 *
 * The reference's signatures come from the source text: some are partial
 * (a parameter without a type, a type cut short); a parameter whose type is
 * not plainly one of the language's types is declared `any`, so the file
 * always compiles.
 * @module
 */
import type { DocEntry } from "../../server/pattern/docs/extract.ts";

/** The declaration file web/build.ts writes next to the bundle, which the page loads. */
export const PATTERN_DTS_FILE = "ostinato.d.ts";

/** An entry of server/pattern/docs/reference.json (what the docs extractor writes). */
export type ReferenceEntry = Pick<DocEntry, "name" | "aliases" | "kinds" | "signature" | "doc" | "examples">;

/**
 * The live helpers a program may call besides the library: they are
 * defined by the evaluator (server/live/program.ts `helpers`), not by the
 * pattern library, so the reference does not list them. A test checks this
 * list against that file.
 */
export const LIVE_HELPERS: readonly { name: string; params: string; doc: string; example: string }[] = [
  { name: "setcps", params: "cps: number", doc: "Sets the tempo in cycles per second, from the next scheduling step.", example: "setcps(0.5)" },
  { name: "setCps", params: "cps: number", doc: "Same as `setcps`.", example: "setCps(0.5)" },
  { name: "setcpm", params: "cpm: number", doc: "Sets the tempo in cycles per minute.", example: "setcpm(30)" },
  { name: "setCpm", params: "cpm: number", doc: "Same as `setcpm`.", example: "setCpm(30)" },
  { name: "hush", params: "", doc: "Stops every pattern (the program's own patterns still start).", example: "hush()" },
  {
    name: "samples",
    params: "source: string | Record<string, any>, base?: string",
    doc: "Loads samples: a folder in the Dirt-Samples layout, a JSON sample map, or a map object `{ name: [files] }`; `base` is put before relative paths. Addresses on the network are skipped: nothing is downloaded.",
    example: 'samples("~/samples/Dirt-Samples")',
  },
  { name: "link", params: "on?: boolean", doc: "Joins the Ableton Link session on the network (`link(false)` leaves): tempo and downbeat shared with the peers, 4 beats a cycle.", example: "link(true)" },
  { name: "all", params: "f: (pat: Pattern) => Pattern", doc: "Applies `f` to every pattern the program plays (after the program has run), as Strudel's REPL does.", example: "all(x => x.pianoroll())" },
  { name: "record", params: "name?: string | false", doc: "Records the output to a new WAV take in the recordings folder; `record(false)` stops.", example: 'record("set-1")' },
];

/**
 * Functions the reference documents that return a plain value instead of
 * a pattern. The reference has no return types; everything else returns a
 * pattern (or a transformation, before its pattern argument).
 */
const RETURNS: Readonly<Record<string, string>> = { noteToMidi: "number", midiToFreq: "number" };

const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await").split(" "),
);

/** Type names a signature may use as they are; anything else becomes `any`. */
const KNOWN_TYPES = new Set(["Patternable", "PatternLike", "Pattern", "number", "string", "boolean", "Rational", "T", "Any", "HapContext", "MiniOptions", "readonly", "any", "unknown"]);

const PRELUDE = `// The ostinato pattern language, for the editor. Generated from
// server/pattern/docs/reference.json by web/editor/dts.ts: do not edit.

/** A pattern: a function of time to events. Strings are mini-notation, arrays sequences, numbers constants. */
interface Pattern<T = any> {
  /** Events whose whole starts in [begin, end), as the scheduler plays them. */
  queryOnsets(begin: number, end: number): any[];
  /** Every event fragment in [begin, end). */
  queryArc(begin: number, end: number): any[];
}
/** Anything a pattern argument accepts: a pattern, a mini-notation string, a number, a list (a sequence). */
type Patternable = Pattern | string | number | boolean | readonly Patternable[];
type PatternLike<T = any> = Pattern<T> | T | string | readonly PatternLike<T>[];
/** A transformation of a pattern, as \`every(4, fast(2))\` takes. */
type Transform = (pat: Patternable) => Pattern;
type Rational = number;
type Any = any;
type HapContext = { locations?: { start: number; end: number }[] };
type MiniOptions = { offset?: number };
`;

/**
 * The declarations. `controls` are the control names of the library (every
 * alias): called with a value they make a pattern (`s("bd")`), where an
 * operator called without its pattern makes a transformation (`fast(2)`).
 */
export function patternDts(reference: readonly ReferenceEntry[], controls: ReadonlySet<string>): string {
  const methods: string[] = [];
  const globals: string[] = [];
  for (const e of reference) {
    const params = parseParams(e.signature);
    for (const name of [e.name, ...e.aliases]) {
      if (!isIdentifier(name)) continue;
      const doc = jsdoc(e, name);
      if (e.kinds.includes("value")) {
        if (!RESERVED.has(name)) globals.push(`${doc}\ndeclare const ${name}: Pattern;`);
        continue;
      }
      if (e.kinds.includes("method")) methods.push(`${indent(doc)}\n  ${name}${generic(params)}(${params.map(show).join(", ")}): Pattern<T>;`);
      if (e.kinds.includes("function") && !RESERVED.has(name)) globals.push(...functionForms(e, name, params, doc, controls.has(name) || controls.has(e.name)));
    }
  }
  for (const h of LIVE_HELPERS) {
    globals.push(`/**\n * ${h.doc}\n * @example\n * ${h.example}\n */\ndeclare function ${h.name}(${h.params}): void;`);
  }
  const methodBlock = methods.join("\n");
  return [
    PRELUDE,
    `interface Pattern<T = any> {\n${methodBlock}\n}`,
    "/** Strings are mini-notation patterns: every pattern method works on them. */",
    `interface String {\n${methodBlock.replaceAll("Pattern<T>;", "Pattern;")}\n}`,
    ...globals,
    "",
  ].join("\n");
}

/** The top-level forms of a function: with its pattern last, or without it (a transformation). */
function functionForms(e: ReferenceEntry, name: string, params: Param[], doc: string, isControl: boolean): string[] {
  const g = generic(params);
  const list = params.map(show).join(", ");
  const returns = RETURNS[e.name];
  if (returns) return [`${doc}\ndeclare function ${name}${g}(${list}): ${returns};`];
  const variadic = params.some((p) => p.rest);
  if (!e.kinds.includes("method") || isControl || variadic) return [`${doc}\ndeclare function ${name}${g}(${list}): Pattern;`];
  if (params.length === 0) return [`${doc}\ndeclare function ${name}(pat: Patternable): Pattern;`];
  return [
    `${doc}\ndeclare function ${name}${g}(${list}): Transform;`,
    `${doc}\ndeclare function ${name}${g}(${list}, pat: Patternable): Pattern;`,
  ];
}

type Param = { name: string; type: string; rest: boolean; optional: boolean };

/** Parameters of a reference signature like "(n: Patternable, f)"; unreadable ones become `...args: any[]`. */
export function parseParams(signature: string): Param[] {
  const s = signature.trim();
  if (s === "" || s === "()") return [];
  if (!s.startsWith("(")) return [{ name: "args", type: "any[]", rest: true, optional: false }];
  const inner = s.endsWith(")") && balanced(s) ? s.slice(1, -1) : s.slice(1);
  const out: Param[] = [];
  for (const [i, raw] of splitTopLevel(inner).entries()) {
    const m = /^(\.\.\.)?\s*([A-Za-z_$][\w$]*)\s*(\?)?\s*(?::\s*([^=]*?))?\s*(?:=\s*(.*))?$/s.exec(raw.trim());
    if (!m) {
      out.push({ name: `arg${i + 1}`, type: "any", rest: false, optional: true });
      continue;
    }
    const rest = Boolean(m[1]);
    const name = RESERVED.has(m[2]!) ? `${m[2]}_` : m[2]!;
    let type = m[4] ? cleanType(m[4]) : fallbackType(name);
    if (rest && !type.endsWith("[]")) type = "any[]";
    out.push({ name, type, rest, optional: Boolean(m[3]) || m[5] !== undefined });
  }
  // A rest parameter must be last; anything after one is unreadable.
  const restAt = out.findIndex((p) => p.rest);
  return restAt >= 0 ? out.slice(0, restAt + 1) : out;
}

function cleanType(text: string): string {
  const t = text.trim();
  if (!balanced(t)) return "any";
  const words = t.match(/[A-Za-z_$][\w$]*/g) ?? [];
  if (!words.every((w) => KNOWN_TYPES.has(w))) return "any";
  return t.replace(/\bAny\b/g, "any");
}

/** Untyped parameters: a function where the name says so (f, _f, func), else anything. */
function fallbackType(name: string): string {
  return /^_?(f|fn|func)$/.test(name) ? "Transform" : "any";
}

function show(p: Param): string {
  return `${p.rest ? "..." : ""}${p.name}${p.optional && !p.rest ? "?" : ""}: ${p.type}`;
}

function generic(params: Param[]): string {
  return params.some((p) => /\bT\b/.test(p.type)) ? "<T = any>" : "";
}

function jsdoc(e: ReferenceEntry, name: string): string {
  const lines: string[] = [];
  if (name !== e.name) lines.push(`Alias of \`${e.name}\`.`, "");
  lines.push(...e.doc.replace(/\{@link\s+([^}\s]+)\s*\}/g, "`$1`").split("\n"));
  for (const ex of e.examples) lines.push("@example", ...ex.split("\n"));
  return `/**\n${lines.map((l) => ` * ${l.replaceAll("*/", "*\\/")}`.trimEnd()).join("\n")}\n */`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name);
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === "(" || c === "[" || c === "{" || c === "<") depth++;
    else if (c === ")" || c === "]" || c === "}" || c === ">") depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/** Splits on commas outside brackets. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "(" || c === "[" || c === "{" || c === "<") depth++;
    else if (c === ")" || c === "]" || c === "}" || c === ">") depth--;
    else if (c === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.filter((p) => p.trim() !== "");
}
