/**
 * What to evaluate: pure functions over a buffer's text and a cursor offset
 * (no Monaco here, so they are tested on plain strings). Each returns the
 * text to send and where it sits in the buffer, `[from, to)` in UTF-16
 * offsets, so positions the server reports relative to the sent text can be
 * moved back into the buffer (`from` + offset).
 * @module
 */

export type EvalRange = {
  /** Exactly `buffer.slice(from, to)`. */
  text: string;
  from: number;
  to: number;
};

/** The line holding `cursor` (without its line break). */
export function lineAt(buffer: string, cursor: number): EvalRange {
  const at = clamp(cursor, buffer);
  const from = buffer.lastIndexOf("\n", at - 1) + 1;
  const nl = buffer.indexOf("\n", at);
  const to = nl < 0 ? buffer.length : nl;
  return range(buffer, from, trimCr(buffer, from, to));
}

/**
 * The block around `cursor`: the run of non-blank lines holding it, where a
 * blank line is empty or whitespace. On a blank line, the block just above
 * it (where the musician has just finished typing), else the one below;
 * an empty range at the cursor when the buffer has no code at all.
 */
export function blockAt(buffer: string, cursor: number): EvalRange {
  const lines = splitLines(buffer);
  let i = lineIndexAt(lines, clamp(cursor, buffer));
  if (isBlank(lines[i]!)) {
    let up = i;
    while (up >= 0 && isBlank(lines[up]!)) up--;
    if (up >= 0) i = up;
    else {
      let down = i;
      while (down < lines.length && isBlank(lines[down]!)) down++;
      if (down === lines.length) return range(buffer, clamp(cursor, buffer), clamp(cursor, buffer));
      i = down;
    }
  }
  let first = i;
  while (first > 0 && !isBlank(lines[first - 1]!)) first--;
  let last = i;
  while (last < lines.length - 1 && !isBlank(lines[last + 1]!)) last++;
  const from = lines[first]!.start;
  return range(buffer, from, trimCr(buffer, from, lines[last]!.end));
}

/** The whole buffer. */
export function wholeBuffer(buffer: string): EvalRange {
  return range(buffer, 0, buffer.length);
}

/** A selection, in either direction; `undefined` when it is empty. */
export function selectionRange(buffer: string, anchor: number, head: number): EvalRange | undefined {
  const from = clamp(Math.min(anchor, head), buffer);
  const to = clamp(Math.max(anchor, head), buffer);
  return from === to ? undefined : range(buffer, from, to);
}

/** The range to evaluate for each kind of evaluation key. */
export type EvalKind = "block" | "line" | "all";

export function evalRange(kind: EvalKind, buffer: string, cursor: number): EvalRange {
  if (kind === "line") return lineAt(buffer, cursor);
  if (kind === "all") return wholeBuffer(buffer);
  return blockAt(buffer, cursor);
}

// ---------------------------------------------------------------------------

type Line = { start: number; end: number; text: string };

function splitLines(buffer: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = buffer.indexOf("\n", start);
    const end = nl < 0 ? buffer.length : nl;
    out.push({ start, end, text: buffer.slice(start, end) });
    if (nl < 0) return out;
    start = nl + 1;
  }
}

function lineIndexAt(lines: Line[], offset: number): number {
  for (let i = 0; i < lines.length; i++) if (offset <= lines[i]!.end) return i;
  return lines.length - 1;
}

function isBlank(line: Line): boolean {
  return line.text.trim() === "";
}

/** A Windows line ending's `\r` belongs to the break, not to the code. */
function trimCr(buffer: string, from: number, to: number): number {
  return to > from && buffer.charCodeAt(to - 1) === 13 ? to - 1 : to;
}

function clamp(offset: number, buffer: string): number {
  return Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, buffer.length));
}

function range(buffer: string, from: number, to: number): EvalRange {
  return { text: buffer.slice(from, to), from, to };
}
