/**
 * Where a program calls a drawing method (`._pianoroll()`, `.scope()`…):
 * the offset of the method's name, which is what the server's transpiler
 * passes the method and the method puts in its haps' context. Calls inside
 * strings and comments are not calls.
 * @module
 */
import { VISUAL_KINDS, type VisualKind } from "../../server/pattern/visual-methods.ts";
import { stringLiterals } from "../editor/literals.ts";

export type VisualSite = { at: number; kind: VisualKind; inline: boolean };

const CALL = new RegExp(`\\.\\s*(_?)(${VISUAL_KINDS.join("|")})\\s*\\(`, "g");

export function visualSites(code: string): VisualSite[] {
  let masked = code;
  for (const l of stringLiterals(code)) masked = masked.slice(0, l.start) + " ".repeat(l.end - l.start) + masked.slice(l.end);
  masked = masked.replace(/\/\/[^\n]*|\/\*[\s\S]*?(\*\/|$)/g, (c) => " ".repeat(c.length));
  const out: VisualSite[] = [];
  for (const m of masked.matchAll(CALL)) {
    const name = `${m[1]}${m[2]}`;
    out.push({ at: m.index + m[0].indexOf(name), kind: m[2] as VisualKind, inline: m[1] === "_" });
  }
  return out;
}
