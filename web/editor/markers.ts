/**
 * Evaluation and query errors as Monaco markers, at the line and column the
 * server reports. Those are relative to the code that was sent (a block, a
 * line); the evaluation's TrackedSource moves them to where that code is in
 * the buffer now.
 * @module
 */
import type { ErrorInfo } from "../../server/http/protocol.ts";
import type { Model, Monaco } from "./monaco.ts";
import type { TrackedSource } from "./tracking.ts";

export const MARKER_OWNER = "ostinato";

/** Puts the error on its line; returns the buffer position, or undefined when the error has none. */
export function showError(monaco: Monaco, model: Model, error: ErrorInfo, source: TrackedSource): { lineNumber: number; column: number } | undefined {
  if (error.line === undefined) {
    monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
    return undefined;
  }
  const at = source.positionOf(error.line, error.column ?? 1);
  const word = model.getWordAtPosition(at);
  const lineEnd = model.getLineMaxColumn(at.lineNumber);
  const endColumn = word && word.endColumn > at.column ? word.endColumn : Math.min(lineEnd, at.column + 1);
  monaco.editor.setModelMarkers(model, MARKER_OWNER, [
    {
      severity: monaco.MarkerSeverity.Error,
      message: error.message,
      source: error.phase === "query" ? `ostinato (slot ${error.slot ?? "?"})` : "ostinato",
      startLineNumber: at.lineNumber,
      startColumn: at.column,
      endLineNumber: at.lineNumber,
      endColumn: Math.max(endColumn, at.column + 1),
    },
  ]);
  return at;
}

export function clearErrors(monaco: Monaco, model: Model): void {
  monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
}
