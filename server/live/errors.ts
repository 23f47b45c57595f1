/**
 * Errors in a user's program, always with a position in the user's own code
 * when one can be known, so the editor can put a marker on the right line.
 * @module
 */
import { userMessage } from "./messages.ts";
import { lineColumnOf, type PositionMap } from "./position-map.ts";

/** Where the program failed: parsing it, running it, or querying one of its patterns. */
export type ErrorPhase = "syntax" | "evaluate" | "query";

/** The file name generated code carries in stack traces (`//# sourceURL`). */
export const PROGRAM_URL = "ostinato-program.js";

/**
 * The file name of one evaluation's code (`ostinato-program-7.js`): an
 * error caught later, outside the evaluation (an unhandled rejection, a
 * timer), names the program it came from in its stack.
 */
export function programUrl(id?: number): string {
  return id === undefined ? PROGRAM_URL : PROGRAM_URL.replace(/\.js$/, `-${id}.js`);
}

const FRAME = /ostinato-program(?:-(\d+))?\.js:(\d+):(\d+)/;

/** The evaluation id named by the first program frame of a stack (see programUrl), if any. */
export function programIdOf(stack: string): number | undefined {
  const m = FRAME.exec(stack);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

export type ProgramErrorJSON = { message: string; phase: ErrorPhase; line?: number; column?: number; slot?: string };

export class ProgramError extends Error {
  constructor(
    message: string,
    readonly phase: ErrorPhase,
    /** 1-based line in the user's program. */
    readonly line?: number,
    /** 1-based column in the user's program. */
    readonly column?: number,
    /** The slot whose pattern failed (query errors). */
    readonly slot?: string,
  ) {
    super(line === undefined ? message : `${message} (line ${line}, column ${column})`);
    this.name = "ProgramError";
  }

  /** The bare message, without the position suffix. */
  get reason(): string {
    return this.line === undefined ? this.message : this.message.replace(/ \(line \d+, column \d+\)$/, "");
  }

  toJSON(): ProgramErrorJSON {
    return { message: this.reason, phase: this.phase, line: this.line, column: this.column, slot: this.slot };
  }

  /** A syntax error at an offset of the source. */
  static at(message: string, source: string, offset: number): ProgramError {
    const { line, column } = lineColumnOf(source, offset);
    return new ProgramError(message, "syntax", line, column);
  }

  /**
   * A TypeScript stripping error from amaro, whose message looks like
   * `  x Expression expected\n   ,-[2:1]\n 1 | code\n   :    ^`.
   */
  static fromAmaro(raw: string, source: string): ProgramError {
    const lines = raw.split("\n");
    const message = (lines.find((l) => /^\s*x /.test(l)) ?? lines[0] ?? "syntax error").replace(/^\s*x\s+/, "").trim();
    const header = /,-\[(\d+):(\d+)\]/.exec(raw);
    if (header) return new ProgramError(`syntax error: ${message}`, "syntax", Number(header[1]), Number(header[2]));
    for (let i = 0; i + 1 < lines.length; i++) {
      const row = /^\s*(\d+) \| /.exec(lines[i]!);
      const caret = lines[i + 1]!.indexOf("^");
      if (row && caret >= 0) {
        const codeStart = lines[i]!.indexOf("| ") + 2;
        return new ProgramError(`syntax error: ${message}`, "syntax", Number(row[1]), caret - codeStart + 1);
      }
    }
    // No position in the message: point at the start rather than nowhere.
    void source;
    return new ProgramError(`syntax error: ${message}`, "syntax", 1, 1);
  }

  /**
   * An exception thrown by the user's code (while evaluating or querying),
   * placed at the innermost stack frame that lies in the program.
   */
  static fromRuntime(
    err: unknown,
    phase: ErrorPhase,
    map: PositionMap | undefined,
    lineOffset: number,
    slot?: string,
    known: () => Iterable<string> = () => [],
  ): ProgramError {
    if (err instanceof ProgramError) return err;
    const e = err instanceof Error ? err : new Error(String(err));
    const message = userMessage(e.name, e.message, known);
    const frame = map && programFrame(e.stack ?? "", lineOffset);
    if (!frame || !map) return new ProgramError(message, phase, undefined, undefined, slot);
    const at = map.toSourceLineColumn(frame);
    return new ProgramError(message, phase, at.line, nameColumn(message, map.source, at), slot);
  }
}

/** The first `ostinato-program.js:L:C` frame of a stack, with the wrapper's lines taken off. */
function programFrame(stack: string, lineOffset: number): { line: number; column: number } | undefined {
  const m = FRAME.exec(stack);
  if (!m) return undefined;
  const line = Number(m[2]) - lineOffset;
  return line >= 1 ? { line, column: Number(m[3]) } : undefined;
}

/**
 * For an unknown method or name, the column of the name itself on the user's
 * line (the engine reports the call's parenthesis): the last `.name` (or
 * `name`) that starts at or before the reported column.
 */
function nameColumn(message: string, source: string, at: { line: number; column: number }): number {
  const m = /^unknown (?:function |name |property )(\.?)([A-Za-z_$][\w$]*)/.exec(message);
  if (!m) return at.column;
  const line = source.split("\n")[at.line - 1] ?? "";
  const needle = `${m[1]}${m[2]}`;
  const found = line.lastIndexOf(needle, at.column - 1);
  return found < 0 ? at.column : found + m[1]!.length + 1;
}
