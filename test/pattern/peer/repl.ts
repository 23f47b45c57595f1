/**
 * One program evaluated as a REPL program by both sides, for the
 * differential tests: ours through the real evaluator (transpiler included,
 * as a user types it), Strudel's through a minimal stand-in for its REPL's
 * framing (written here from its documented behaviour: double-quoted and
 * backtick strings are mini-notation, single-quoted strings plain values,
 * `$:` and `name:` blocks are the patterns played, a leading `_` mutes one,
 * otherwise the last expression plays). What plays is the stack of the
 * unmuted blocks, or the last expression, queried for a few cycles.
 * @module
 */
import { parse, type Node } from "acorn";
import { evaluate } from "../../../server/live/program.ts";
import { setPlainStrings, stack as ourStack, type Pattern } from "../../../server/pattern/index.ts";
import type { StrudelPeer } from "./strudel.ts";
import { normalise } from "./haps.ts";

/** What a program played: its haps over `cycles` cycles and its tempo. */
export type Played = { haps: string[]; cps?: number };

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
  ...args: string[]
) => (...a: unknown[]) => Promise<unknown>;

/** Methods of Strudel's drawing packages (not part of core): headless, they leave the pattern as it is. */
const VISUALS = [
  "pianoroll", "_pianoroll", "punchcard", "_punchcard", "scope", "_scope", "tscope", "fscope", "spiral", "_spiral",
  "pitchwheel", "_pitchwheel", "spectrum", "_spectrum", "markcss", "color", "osc", "midi", "draw", "onPaint",
];

/** Runs `f` with the console quiet: examples log, and Strudel reports its own query errors there. */
async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const saved = [console.log, console.warn, console.error] as const;
  console.log = console.warn = console.error = () => {};
  try {
    return await f();
  } finally {
    [console.log, console.warn, console.error] = saved;
  }
}

/** Our side: the program through ostinato's evaluator. */
export function ourRepl(code: string, cycles: number): Promise<Played> {
  return quietly(() => ourReplLoud(code, cycles));
}

async function ourReplLoud(code: string, cycles: number): Promise<Played> {
  const program = await evaluate(code);
  const labelled = program.played.filter((p) => p.label !== undefined);
  const pats: Pattern[] = labelled.length > 0 ? labelled.filter((p) => !p.muted).map((p) => p.pattern) : program.played.map((p) => p.pattern);
  const was = setPlainStrings(true);
  try {
    const pat = pats.length === 1 ? pats[0]! : ourStack(...pats);
    return { haps: normalise(pat.queryArc(0, cycles)), cps: program.effects.cps };
  } finally {
    setPlainStrings(was);
  }
}

type AnyNode = Node & Record<string, any>;

/** Strudel's REPL framing of a program, as JavaScript for an async function body. */
function frame(code: string): string {
  const ast = parse(code, { ecmaVersion: "latest", sourceType: "script", allowAwaitOutsideFunction: true }) as AnyNode;
  const edits: { at: number; remove: number; insert: string }[] = [];
  const closings: typeof edits = [];
  const last = ast.body.at(-1);
  if (last?.type === "ExpressionStatement") edits.push({ at: last.start, remove: 0, insert: "return " });
  const walk = (node: AnyNode, parent: AnyNode | null, key: string | null): void => {
    const isDouble = node.type === "Literal" && typeof node.value === "string" && node.raw.startsWith('"');
    const isTemplate = node.type === "TemplateLiteral" && node.expressions.length === 0 && parent?.type !== "TaggedTemplateExpression";
    const isKey = parent?.type === "Property" && key === "key";
    if ((isDouble || isTemplate) && !isKey) {
      edits.push({ at: node.start, remove: 0, insert: "mini(" }, { at: node.end, remove: 0, insert: ")" });
    } else if (node.type === "LabeledStatement" && node.body.type === "ExpressionStatement") {
      edits.push({ at: node.start, remove: node.body.start - node.start, insert: `__play(${JSON.stringify(node.label.name)}, ` });
      closings.push({ at: node.body.expression.end, remove: 0, insert: ")" });
    }
    for (const [k, child] of Object.entries(node)) {
      if (Array.isArray(child)) for (const c of child) c && typeof c.type === "string" && walk(c, node, k);
      else if (child && typeof child === "object" && typeof (child as AnyNode).type === "string") walk(child as AnyNode, node, k);
    }
  };
  walk(ast, null, null);
  edits.push(...closings);
  edits.sort((a, b) => a.at - b.at);
  let out = "";
  let cursor = 0;
  for (const e of edits) {
    out += code.slice(cursor, e.at) + e.insert;
    cursor = e.at + e.remove;
  }
  return out + code.slice(cursor);
}

/** Strudel's side: its own library, strings plain unless double-quoted. */
export function strudelRepl(peer: StrudelPeer, code: string, cycles: number): Promise<Played> {
  return quietly(() => strudelReplLoud(peer, code, cycles));
}

async function strudelReplLoud(peer: StrudelPeer, code: string, cycles: number): Promise<Played> {
  const proto = peer.core.Pattern.prototype;
  for (const v of VISUALS) if (typeof proto[v] !== "function") proto[v] = function (this: unknown) { return this; };
  const played: { label: string; pattern: any }[] = [];
  let cps: number | undefined;
  const scope: Record<string, unknown> = {
    ...peer.core,
    ...peer.tonal,
    mini: peer.mini.mini,
    m: peer.mini.m,
    samples: async () => {},
    setcps: (x: number) => void (cps = Number(x)),
    setCps: (x: number) => void (cps = Number(x)),
    setcpm: (x: number) => void (cps = Number(x) / 60),
    setCpm: (x: number) => void (cps = Number(x) / 60),
    hush: () => {},
    __play: (label: string, pattern: unknown) => void played.push({ label, pattern }),
  };
  const names = Object.keys(scope).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  peer.core.setStringParser(undefined);
  try {
    const last = await new AsyncFunction(...names, frame(code))(...names.map((k) => scope[k]));
    const pats = played.length > 0 ? played.filter((p) => !p.label.startsWith("_")).map((p) => p.pattern) : [last];
    const pat = pats.length === 1 ? peer.core.reify(pats[0]) : peer.core.stack(...pats);
    return { haps: normalise(pat.queryArc(0, cycles)), cps };
  } finally {
    peer.mini.miniAllStrings();
  }
}
