/**
 * Where a program calls a drawing method (`._pianoroll()`, `.scope()`…):
 * the offset of the method's name, which is what the server's transpiler
 * passes the method and the method puts in its haps' context. Calls inside
 * strings and comments are not calls.
 * @module
 */
import { VISUAL_KINDS, type VisualKind } from "../../server/pattern/visual-methods.ts";
import { stringLiterals } from "../editor/literals.ts";

/** The literal options of a call (`._pianoroll({ fold: 1, labels: 1, cycles: 2 })`): numbers, booleans and strings. */
export type VisualOptions = Record<string, number | boolean | string>;

export type VisualSite = { at: number; kind: VisualKind; inline: boolean; options: VisualOptions };

const CALL = new RegExp(`\\.\\s*(_?)(${VISUAL_KINDS.join("|")})\\s*\\(`, "g");

export function visualSites(code: string): VisualSite[] {
  let masked = code;
  for (const l of stringLiterals(code)) masked = masked.slice(0, l.start) + " ".repeat(l.end - l.start) + masked.slice(l.end);
  masked = masked.replace(/\/\/[^\n]*|\/\*[\s\S]*?(\*\/|$)/g, (c) => " ".repeat(c.length));
  const out: VisualSite[] = [];
  for (const m of masked.matchAll(CALL)) {
    const name = `${m[1]}${m[2]}`;
    out.push({ at: m.index + m[0].indexOf(name), kind: m[2] as VisualKind, inline: m[1] === "_", options: optionsAfter(code, m.index + m[0].length) });
  }
  return out;
}

const OPTION = /([A-Za-z_$][\w$]*)\s*:\s*(-?\d*\.?\d+(?:e-?\d+)?|true|false|'[^']*'|"[^"]*")/g;

/** The plain `key: value` pairs of an object literal right after a call's "(", if there is one. */
function optionsAfter(code: string, from: number): VisualOptions {
  const rest = code.slice(from);
  const m = /^\s*\{([^{}]*)\}/.exec(rest);
  const options: VisualOptions = {};
  if (!m) return options;
  for (const [, key, raw] of m[1]!.matchAll(OPTION)) {
    options[key!] = raw === "true" ? true : raw === "false" ? false : /^['"]/.test(raw!) ? raw!.slice(1, -1) : Number(raw);
  }
  return options;
}
