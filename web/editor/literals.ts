/**
 * String literals of a program, and the check that an event's source
 * location really names an atom in them. Mini-notation atoms live only
 * inside string literals, so the literals are what the editor tracks
 * through later edits (see highlight.ts): a literal whose text the
 * musician has changed since the evaluation is no longer highlighted.
 * A light lexer, not a parser: it knows comments, the three quote kinds
 * and `${ }` inside templates, which is all a pattern program needs.
 * @module
 */

/** `[start, end)` of a literal in the program, quotes included. */
export type Literal = { start: number; end: number };

export function stringLiterals(code: string): Literal[] {
  const out: Literal[] = [];
  scan(code, 0, out, false);
  return out;
}

/** Scans code from `i`; in a template expression, stops after the `}` that closes it. */
function scan(code: string, i: number, out: Literal[], inExpression: boolean): number {
  let depth = 0;
  while (i < code.length) {
    const c = code[i]!;
    if (c === "/" && code[i + 1] === "/") {
      const nl = code.indexOf("\n", i);
      i = nl < 0 ? code.length : nl + 1;
    } else if (c === "/" && code[i + 1] === "*") {
      const close = code.indexOf("*/", i + 2);
      i = close < 0 ? code.length : close + 2;
    } else if (c === '"' || c === "'") {
      const end = quoted(code, i, c);
      out.push({ start: i, end });
      i = end;
    } else if (c === "`") {
      i = template(code, i, out);
    } else if (inExpression && c === "{") {
      depth++;
      i++;
    } else if (inExpression && c === "}") {
      if (depth === 0) return i + 1;
      depth--;
      i++;
    } else {
      i++;
    }
  }
  return i;
}

function quoted(code: string, start: number, quote: string): number {
  for (let i = start + 1; i < code.length; i++) {
    const c = code[i]!;
    if (c === "\\") i++;
    else if (c === quote) return i + 1;
    else if (c === "\n") return i; // unterminated: the literal ends with its line
  }
  return code.length;
}

function template(code: string, start: number, out: Literal[]): number {
  const index = out.length;
  out.push({ start, end: code.length });
  let i = start + 1;
  while (i < code.length) {
    const c = code[i]!;
    if (c === "\\") i += 2;
    else if (c === "`") {
      out[index]!.end = i + 1;
      return i + 1;
    } else if (c === "$" && code[i + 1] === "{") i = scan(code, i + 2, out, true);
    else i++;
  }
  return i;
}

/**
 * The index of the literal whose content (inside the quotes) holds
 * `[start, end)`, or -1. Literals are in order of their start; the
 * innermost one holding a position is the last that starts before it
 * (only templates with `${ }` nest, and those are never mini-notation).
 */
export function literalHolding(literals: readonly Literal[], start: number, end: number): number {
  let lo = 0;
  let hi = literals.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (literals[mid]!.start < start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return -1;
  const l = literals[found]!;
  return end <= l.end - 1 ? found : -1;
}

const WORD = /[A-Za-z0-9_#]/;

/**
 * Whether `[start, end)` names a whole atom of `code`: non-empty, inside one
 * string literal, and not cutting through a word. A location from another
 * version of the code almost never passes, so an event queried just before
 * a new evaluation cannot light up the wrong characters.
 */
export function isAtomLocation(code: string, literals: readonly Literal[], start: number, end: number): boolean {
  if (!(end > start) || start < 0 || end > code.length) return false;
  if (literalHolding(literals, start, end) < 0) return false;
  const before = code[start - 1] ?? " ";
  const after = code[end] ?? " ";
  return !(WORD.test(before) && WORD.test(code[start]!)) && !(WORD.test(after) && WORD.test(code[end - 1]!));
}
