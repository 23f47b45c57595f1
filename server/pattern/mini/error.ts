/**
 * The one error of the mini-notation: where (offset in the string, and in the
 * program when the string's offset is known), what was found, what was
 * expected.
 * @module
 */

/** A malformed mini-notation string. */
export class MiniSyntaxError extends SyntaxError {
  /** Offset of the problem in the mini-notation string. */
  readonly position: number;
  /** What the parser expected there. */
  readonly expected: string;
  /** The string that failed. */
  readonly source: string;

  constructor(source: string, position: number, problem: string, expected: string) {
    const pointer = `${source}\n${" ".repeat(Math.min(position, source.length))}^`;
    super(`mini-notation: ${problem} at position ${position}; expected ${expected}\n${pointer}`);
    this.name = "MiniSyntaxError";
    this.position = position;
    this.expected = expected;
    this.source = source;
  }
}
