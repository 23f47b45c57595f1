/**
 * An evaluated piece of code, tracked through the musician's later edits.
 * The server reports positions (error lines, event source ranges) relative
 * to the code string it was sent; the buffer keeps changing. At evaluation
 * the sent range and each of its string literals get a Monaco decoration,
 * which Monaco moves with every edit. A position is then found from its
 * literal's decoration, and only while that literal's text is exactly what
 * was evaluated: after the musician types inside it, its atoms are not
 * highlighted until the next evaluation, rather than lighting up the wrong
 * characters.
 * @module
 */
import { isAtomLocation, literalHolding, stringLiterals, type Literal } from "./literals.ts";
import { offsetAt } from "./positions.ts";
import type { Model, Monaco } from "./monaco.ts";

export class TrackedSource {
  readonly literals: Literal[];
  private readonly texts: string[];
  private ids: string[];
  private blockId: string;
  /** Per literal: unchanged since the evaluation? Recomputed after each edit. */
  private intact: (boolean | undefined)[] = [];
  private intactVersion = -1;
  private readonly atomCache = new Map<number, boolean>();
  private disposed = false;

  constructor(
    private readonly monaco: Monaco,
    readonly model: Model,
    /** Offset of the sent code in the buffer when it was sent. */
    readonly from: number,
    /** The code as sent. */
    readonly code: string,
  ) {
    this.literals = stringLiterals(code);
    this.texts = this.literals.map((l) => code.slice(l.start, l.end));
    const Stickiness = monaco.editor.TrackedRangeStickiness;
    const decorations = this.literals.map((l) => ({
      range: this.rangeOf(from + l.start, from + l.end),
      options: { stickiness: Stickiness.NeverGrowsWhenTypingAtEdges },
    }));
    decorations.push({
      range: this.rangeOf(from, from + code.length),
      options: { stickiness: Stickiness.AlwaysGrowsWhenTypingAtEdges },
    });
    const ids = model.deltaDecorations([], decorations);
    this.blockId = ids.pop()!;
    this.ids = ids;
  }

  /** Buffer offsets of `[start, end)` of the sent code, if that text is still there as evaluated. */
  locate(start: number, end: number): { start: number; end: number } | undefined {
    if (this.disposed || this.model.isDisposed()) return undefined;
    const key = start * 1_048_576 + end;
    let atom = this.atomCache.get(key);
    if (atom === undefined) {
      atom = isAtomLocation(this.code, this.literals, start, end);
      this.atomCache.set(key, atom);
    }
    if (!atom) return undefined;
    const i = literalHolding(this.literals, start, end);
    const range = this.model.getDecorationRange(this.ids[i]!);
    if (!range || !this.isIntact(i, range)) return undefined;
    const literalStart = this.model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn });
    const shift = literalStart - this.literals[i]!.start;
    return { start: start + shift, end: end + shift };
  }

  /** Where a 1-based line and column of the sent code is now in the buffer. */
  positionOf(line: number, column: number): { lineNumber: number; column: number } {
    const range = !this.disposed && !this.model.isDisposed() ? this.model.getDecorationRange(this.blockId) : null;
    const blockStart = range ? this.model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn }) : this.from;
    return this.model.getPositionAt(blockStart + offsetAt(this.code, { line, column }));
  }

  /** The evaluated range as it is now (for a flash or a marker). */
  currentRange() {
    return this.disposed ? null : this.model.getDecorationRange(this.blockId);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.model.isDisposed()) this.model.deltaDecorations([...this.ids, this.blockId], []);
    this.ids = [];
  }

  private isIntact(i: number, range: { startLineNumber: number; startColumn: number; endLineNumber: number; endColumn: number }): boolean {
    const version = this.model.getVersionId();
    if (version !== this.intactVersion) {
      this.intact = [];
      this.intactVersion = version;
    }
    let ok = this.intact[i];
    if (ok === undefined) {
      ok = this.model.getValueInRange(range) === this.texts[i];
      this.intact[i] = ok;
    }
    return ok;
  }

  private rangeOf(startOffset: number, endOffset: number) {
    const a = this.model.getPositionAt(startOffset);
    const b = this.model.getPositionAt(endOffset);
    return new this.monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column);
  }
}
