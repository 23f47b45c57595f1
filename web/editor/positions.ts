/**
 * Line/column arithmetic for positions the server reports. The server's
 * lines and columns are 1-based and relative to the code string it was
 * sent; when that string was a block of the buffer, the block's offset
 * moves them back into the buffer.
 * @module
 */

export type LineColumn = { line: number; column: number };

/** The offset of a 1-based line and column in `text` (clamped to the text and to the line). */
export function offsetAt(text: string, at: LineColumn): number {
  let start = 0;
  for (let line = 1; line < Math.max(1, Math.floor(at.line)); line++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return text.length;
    start = nl + 1;
  }
  const nl = text.indexOf("\n", start);
  const lineEnd = nl < 0 ? text.length : nl;
  return Math.min(lineEnd, start + Math.max(0, Math.floor(at.column) - 1));
}

/** The 1-based line and column of an offset. */
export function lineColumnAt(text: string, offset: number): LineColumn {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < clamped; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: clamped - lineStart + 1 };
}

/**
 * A position reported relative to `sent` (which starts at offset `from` of
 * `buffer`), as a 1-based line and column of the buffer.
 */
export function toBufferPosition(buffer: string, from: number, sent: string, at: LineColumn): LineColumn {
  return lineColumnAt(buffer, from + offsetAt(sent, at));
}
