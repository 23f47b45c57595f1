/**
 * What a query carries: the span asked for, and the controls of the caller
 * (values that patterns built with `ref`-like functions may read).
 * @module
 */
import type { TimeSpan } from "./timespan.ts";

/** The argument of every query. Immutable. */
export class State {
  readonly span: TimeSpan;
  readonly controls: Readonly<Record<string, unknown>>;

  constructor(span: TimeSpan, controls: Readonly<Record<string, unknown>> = EMPTY) {
    this.span = span;
    this.controls = controls;
  }

  /** The same state for another span. */
  setSpan(span: TimeSpan): State {
    return span === this.span ? this : new State(span, this.controls);
  }

  /** The same state with the span through `f`. */
  withSpan(f: (span: TimeSpan) => TimeSpan): State {
    return this.setSpan(f(this.span));
  }

  /** The same span with other controls. */
  setControls(controls: Readonly<Record<string, unknown>>): State {
    return new State(this.span, controls);
  }
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});
