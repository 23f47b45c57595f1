/**
 * The edits the transpiler makes to a program, and the arithmetic that maps a
 * position in the generated code back to the user's source. Edits never add
 * or remove a newline, so lines match one to one; only columns shift.
 * @module
 */

/** Replace `remove` characters at original offset `at` with `insert`. */
export type Edit = { at: number; remove: number; insert: string };

/** A 1-based line and column, as editors show them. */
export type LineColumn = { line: number; column: number };

export class PositionMap {
  private readonly edits: Edit[];

  constructor(
    /** The source the edits apply to (positions in it are the user's positions). */
    readonly source: string,
    edits: Edit[],
  ) {
    for (const e of edits) {
      if (e.insert.includes("\n") || source.slice(e.at, e.at + e.remove).includes("\n")) {
        throw new Error("PositionMap: an edit may not add or remove a line break");
      }
    }
    // Stable by position; an insertion at the same offset keeps push order.
    this.edits = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map((x) => x.e);
  }

  /** The generated code: the source with every edit applied. */
  apply(source = this.source): string {
    let out = "";
    let cursor = 0;
    for (const e of this.edits) {
      out += source.slice(cursor, e.at) + e.insert;
      cursor = e.at + e.remove;
    }
    return out + source.slice(cursor);
  }

  /** The source offset of a generated-code offset (inside inserted text: where the insertion was made). */
  toSourceOffset(generated: number): number {
    let delta = 0;
    for (const e of this.edits) {
      const genStart = e.at + delta;
      if (generated < genStart) break;
      if (generated < genStart + e.insert.length) return e.at;
      delta += e.insert.length - e.remove;
    }
    return generated - delta;
  }

  /** The user's line and column for a 1-based line and column in the generated code. */
  toSourceLineColumn(generated: LineColumn): LineColumn {
    const genCode = this.apply();
    const genOffset = offsetOf(genCode, generated);
    return lineColumnOf(this.source, this.toSourceOffset(genOffset));
  }
}

/** 1-based line and column of an offset. */
export function lineColumnOf(text: string, offset: number): LineColumn {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: clamped - lineStart + 1 };
}

/** Offset of a 1-based line and column (clamped to the text). */
export function offsetOf(text: string, at: LineColumn): number {
  let offset = 0;
  for (let line = 1; line < at.line; line++) {
    const nl = text.indexOf("\n", offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Math.max(0, at.column - 1));
}
