/**
 * Mini-notation atoms light up while their events sound. Every animation
 * frame: the engine frame now (estimated between clock pushes), the events
 * sounding at it (from the timeline), each event's source locations mapped
 * through the evaluation that made its slot (TrackedSource, which refuses
 * stale locations), and one decoration per atom. Monaco is touched only
 * when the set of lit ranges changes.
 * @module
 */
import type { EventInfo } from "../../server/http/protocol.ts";
import type { ClockEstimator } from "../live/clock.ts";
import type { Timeline } from "../live/timeline.ts";
import type { Editor, Monaco } from "./monaco.ts";
import type { TrackedSource } from "./tracking.ts";

/** Events shorter than this still light up for a few frames, so a fast hi-hat is seen. */
const MIN_VISIBLE_SECONDS = 0.06;

export class Highlighter {
  private readonly sources = new Map<string, TrackedSource>();
  private readonly collection;
  private lit: number[] = [];
  private next: number[] = [];
  private readonly sounding: EventInfo[] = [];
  private readonly marks = new MarkStyles();
  /** Ranges lit at the last paint (read by tests and the frame-rate benchmark). */
  litCount = 0;

  constructor(
    private readonly monaco: Monaco,
    private readonly editor: Editor,
    private readonly timeline: Timeline,
    private readonly clock: ClockEstimator,
  ) {
    this.collection = editor.createDecorationsCollection();
    // Another tab's model: its decorations went with it.
    editor.onDidChangeModel(() => {
      this.lit = [];
      this.litCount = 0;
    });
  }

  /** The slots an evaluation set now come from this source. */
  bind(slots: readonly string[], source: TrackedSource): void {
    for (const slot of slots) {
      const old = this.sources.get(slot);
      this.sources.set(slot, source);
      if (old && old !== source) this.release(old);
    }
  }

  /** The source that made a slot (to place its query-time errors). */
  sourceOf(slot: string): TrackedSource | undefined {
    return this.sources.get(slot);
  }

  /** Forgets slots that are no longer playing. */
  keepSlots(slots: ReadonlySet<string>): void {
    for (const [slot, source] of this.sources) {
      if (slots.has(slot)) continue;
      this.sources.delete(slot);
      this.release(source);
    }
  }

  clear(): void {
    for (const s of new Set(this.sources.values())) s.dispose();
    this.sources.clear();
    this.paintRanges([]);
  }

  paint(nowMs: number): void {
    const next = this.next;
    next.length = 0;
    const model = this.editor.getModel();
    if (this.clock.ready && model && this.sources.size > 0) {
      const frame = this.clock.frameAt(nowMs);
      this.timeline.sounding(frame, MIN_VISIBLE_SECONDS * this.clock.sampleRate, this.sounding);
      for (const e of this.sounding) {
        const source = this.sources.get(e.slot);
        if (!source || source.model !== model) continue;
        const style = e.markcss ? this.marks.classOf(e.markcss) : 0;
        for (const loc of e.locations) {
          const at = source.locate(loc.start, loc.end);
          if (at) next.push(at.start, at.end, style);
        }
      }
    }
    if (sameNumbers(next, this.lit)) return;
    this.paintRanges(next);
    this.next = this.lit;
    this.lit = next;
  }

  /** Start, end and style (0: the default, else a `.markcss()` class) of each lit range. */
  private paintRanges(offsets: readonly number[]): void {
    const model = this.editor.getModel();
    const decorations = [];
    for (let i = 0; model && i < offsets.length; i += 3) {
      const a = model.getPositionAt(offsets[i]!);
      const b = model.getPositionAt(offsets[i + 1]!);
      const style = offsets[i + 2]!;
      decorations.push({
        range: new this.monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column),
        options: { inlineClassName: style ? `ost-mark ost-mark-${style}` : "ost-active" },
      });
    }
    this.litCount = decorations.length;
    this.collection.set(decorations);
    if (offsets.length === 0) this.lit = [];
  }

  private release(source: TrackedSource): void {
    for (const s of this.sources.values()) if (s === source) return;
    source.dispose();
  }
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The CSS of `.markcss()`, one class per distinct text, written into a
 * style element of the page. The text comes from any musician's program,
 * so only declarations pass: nothing that could close the rule, start
 * another, or fetch (braces, angle brackets, at-rules, url(), image-set()).
 */
export class MarkStyles {
  private readonly classes = new Map<string, number>();
  private sheet: HTMLStyleElement | undefined;

  /** The class number for `css` (0 when the text is refused: the default highlight). */
  classOf(css: string): number {
    let n = this.classes.get(css);
    if (n !== undefined) return n;
    n = safeDeclarations(css) ? this.classes.size + 1 : 0;
    this.classes.set(css, n);
    if (n) {
      this.sheet ??= document.head.appendChild(document.createElement("style"));
      this.sheet.append(`.ost-mark-${n} { ${css} }\n`);
    }
    return n;
  }
}

export function safeDeclarations(css: string): boolean {
  return css.length <= 500 && !/[{}<>@\\]|url\s*\(|image-set|expression\s*\(/i.test(css);
}
