/**
 * How the command line shows a program's error: file:line:column, the
 * message, and the offending line with a caret, as compilers do.
 * @module
 */
import type { ProgramErrorJSON } from "../live/errors.ts";

export function formatProgramError(file: string, source: string, error: ProgramErrorJSON): string {
  const where = error.line === undefined ? file : `${file}:${error.line}:${error.column}`;
  const slot = error.slot ? ` (slot "${error.slot}")` : "";
  const kind = error.message.startsWith(`${error.phase} error`) ? "" : `${error.phase} error${slot}: `;
  const head = `${where}: ${kind}${error.message}${kind ? "" : slot}`;
  if (error.line === undefined) return head;
  const text = source.split("\n")[error.line - 1] ?? "";
  return `${head}\n  ${text}\n  ${" ".repeat(Math.max(0, (error.column ?? 1) - 1))}^`;
}
