/**
 * Mini-notation tokens, each with its position in the string. The tokenizer
 * consumes at least one character per token, so it ends on every input.
 * @module
 */
import { MiniSyntaxError } from "./error.ts";

/** Kinds of tokens. Punctuation tokens use their own text as kind. */
export type TokenKind =
  | "word"
  | "number"
  | "["
  | "]"
  | "<"
  | ">"
  | "{"
  | "}"
  | "("
  | ")"
  | ","
  | "|"
  | "."
  | ".."
  | "*"
  | "/"
  | "!"
  | "@"
  | "?"
  | ":"
  | "_"
  | "~"
  | "-"
  | "%"
  | "end";

/** A token: kind, text, [start, end) in the string, and whether whitespace came before it. */
export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  spaceBefore: boolean;
}

const PUNCT = new Set(["[", "]", "<", ">", "{", "}", "(", ")", ",", "|", "*", "/", "!", "@", "?", ":", "~", "%"]);
// Hexadecimal and binary literals (0x77, 0b101) are numbers too, as in Strudel (MIDI SysEx bytes).
const NUMBER = /^(-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|0x[0-9a-fA-F]+|0b[01]+)$/;

function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_#'^$&=+\-.\\]/.test(c);
}

/** The tokens of a mini-notation string, ending with an "end" token. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let space = true;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      space = true;
      continue;
    }
    const start = i;
    if (c === "." && src[i + 1] === ".") {
      out.push({ kind: "..", text: "..", start, end: i + 2, spaceBefore: space });
      i += 2;
    } else if (c === "." && !/[0-9]/.test(src[i + 1] ?? "")) {
      out.push({ kind: ".", text: ".", start, end: i + 1, spaceBefore: space });
      i++;
    } else if (PUNCT.has(c)) {
      out.push({ kind: c as TokenKind, text: c, start, end: i + 1, spaceBefore: space });
      i++;
    } else if (c === "_" && !isWordChar(src[i + 1] ?? " ")) {
      out.push({ kind: "_", text: "_", start, end: i + 1, spaceBefore: space });
      i++;
    } else if (c === "-" && !/[0-9.]/.test(src[i + 1] ?? "")) {
      out.push({ kind: "-", text: "-", start, end: i + 1, spaceBefore: space });
      i++;
    } else if (isWordChar(c)) {
      i++;
      while (i < n && isWordChar(src[i]!)) {
        // ".." ends a word: "0..3" is a range.
        if (src[i] === "." && src[i + 1] === ".") break;
        // A "." not between digits ends a word too ("a.b" is not a name).
        if (src[i] === "." && !(/[0-9]/.test(src[i - 1]!) && /[0-9]/.test(src[i + 1] ?? ""))) break;
        i++;
      }
      const text = src.slice(start, i);
      out.push({ kind: NUMBER.test(text) ? "number" : "word", text, start, end: i, spaceBefore: space });
    } else {
      throw new MiniSyntaxError(src, start, `unexpected character ${JSON.stringify(c)}`, "a name, a number, a rest or a bracket");
    }
    space = false;
  }
  out.push({ kind: "end", text: "", start: n, end: n, spaceBefore: true });
  return out;
}
