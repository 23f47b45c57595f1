/**
 * The evaluated range flashes: instant proof that the keypress was taken,
 * before the server answers. Green while waiting and on success, red when
 * the evaluation failed. A CSS animation fades it; the decoration is
 * removed when it is done.
 * @module
 */
import type { Editor, Monaco } from "./monaco.ts";

export const FLASH_MS = 450;

export type FlashRange = { startLineNumber: number; startColumn: number; endLineNumber: number; endColumn: number };

export class Flasher {
  private readonly collection;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly monaco: Monaco, editor: Editor) {
    this.collection = editor.createDecorationsCollection();
  }

  /** `by`: another musician evaluated it (their name is the flash's hover). */
  flash(range: FlashRange, kind: "sent" | "error" = "sent", by?: string): void {
    const className = kind === "error" ? "ost-flash ost-flash-error" : by === undefined ? "ost-flash" : "ost-flash ost-flash-remote";
    // A new flash restarts the animation: clear first so the class is re-applied.
    this.collection.clear();
    this.collection.set([
      {
        range: new this.monaco.Range(range.startLineNumber, range.startColumn, range.endLineNumber, range.endColumn),
        options: { className, isWholeLine: range.startColumn === 1, hoverMessage: by === undefined ? undefined : { value: `evaluated by ${by}` } },
      },
    ]);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.collection.clear(), FLASH_MS);
    // Kept after the flash fades: who was last flashed, and how many times (tests, and the curious).
    const el = document.body;
    el.dataset.flashes = String(Number(el.dataset.flashes ?? 0) + 1);
    el.dataset.lastFlashBy = by ?? "";
  }
}
