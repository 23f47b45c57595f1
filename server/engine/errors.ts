/**
 * EngineError: every failure of the native engine, as one error type that
 * carries the library's own text for the result and the call it came from.
 * @module
 */
import { native } from "./symbols.ts";

export class EngineError extends Error {
  /** The ost_result value (negative), or 0 for errors found in JS. */
  readonly code: number;
  /** The call or option the error is about, e.g. "Engine.open". */
  readonly context: string;

  constructor(context: string, message: string, code = 0) {
    super(`${context}: ${message}`);
    this.name = "EngineError";
    this.code = code;
    this.context = context;
  }

  /** An error for a native result code, with ost_result_text. */
  static fromResult(context: string, code: number, detail?: string): EngineError {
    const text = String(native().ost_result_text(code));
    return new EngineError(context, detail ? `${text} (${detail})` : text, code);
  }
}

/** Throws an EngineError when a native call returned an error. */
export function check(context: string, result: number, detail?: string): number {
  if (result < 0) throw EngineError.fromResult(context, result, detail);
  return result;
}
