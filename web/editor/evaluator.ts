/**
 * Evaluation from the editor: what to send (eval-range.ts), the flash, the
 * answer (slots bound to a TrackedSource for highlighting, or a marker
 * where the server says the code is wrong), hush, and what other windows
 * evaluate. Positions the server reports are relative to the sent code;
 * the TrackedSource made at the keypress moves them into the buffer.
 * @module
 */
import type { ErrorInfo, ServerMessage } from "../../server/http/protocol.ts";
import type { ClockEstimator } from "../live/clock.ts";
import type { Timeline } from "../live/timeline.ts";
import { RequestError, type Socket } from "../net/socket.ts";
import type { MessageKind } from "../ui/messages.ts";
import { evalRange, selectionRange, type EvalKind, type EvalRange } from "./eval-range.ts";
import type { Flasher } from "./flash.ts";
import type { Highlighter } from "./highlight.ts";
import type { Visuals } from "./visuals.ts";
import { clearErrors, showError } from "./markers.ts";
import type { Editor, Monaco } from "./monaco.ts";
import { TrackedSource } from "./tracking.ts";
import type { EditorWorkspace } from "./workspace.ts";

/** Timings of the last evaluation, in performance.now() milliseconds (read by the benchmark). */
export type EvalTimings = { keyAt: number; frameAtKey?: number; repliedAt?: number; firstEventAt?: number; firstEventFrame?: number; slots?: string[] };

export type EvaluatorDeps = {
  monaco: Monaco;
  editor: Editor;
  socket: Socket;
  workspace: EditorWorkspace;
  highlighter: Highlighter;
  /** The drawings of `._pianoroll()` and the like. */
  visuals: Visuals;
  flasher: Flasher;
  clock: ClockEstimator;
  timeline: Timeline;
  say: (text: string, kind: MessageKind, onClick?: () => void) => void;
};

/** How long an evaluation typed while offline may wait for the connection. */
const EVAL_MAX_AGE_MS = 2000;

export class Evaluator {
  lastEval: EvalTimings = { keyAt: 0 };
  /** Query errors of slots the page has no source for yet (the evaluation's answer is on its way). */
  private readonly earlyQueryErrors = new Map<string, { error: ErrorInfo; at: number }>();

  constructor(private readonly d: EvaluatorDeps) {}

  async evaluate(kind: EvalKind): Promise<void> {
    const { monaco, editor, workspace, highlighter, flasher, clock, say } = this.d;
    const keyAt = performance.now();
    const model = workspace.activeModel;
    const buffer = workspace.activeName;
    const text = model.getValue();
    const selection = editor.getSelection();
    let range: EvalRange | undefined;
    if (kind === "block" && selection && !selection.isEmpty()) {
      range = selectionRange(text, model.getOffsetAt(selection.getSelectionStart()), model.getOffsetAt(selection.getEndPosition()));
    }
    range ??= evalRange(kind, text, model.getOffsetAt(editor.getPosition() ?? { lineNumber: 1, column: 1 }));
    if (range.text.trim() === "") {
      say("nothing to evaluate here: the cursor is not in a block of code", "warn");
      return;
    }
    const source = new TrackedSource(monaco, model, range.from, range.text);
    flasher.flash(source.currentRange()!);
    const timings: EvalTimings = { keyAt, frameAtKey: clock.ready ? clock.frameAt(keyAt) : undefined };
    this.lastEval = timings;
    try {
      const data = (await this.d.socket.request({ type: "eval", code: range.text, text, buffer }, { queue: "expire", maxAgeMs: EVAL_MAX_AGE_MS })) as { slots?: string[]; warnings?: string[]; saveError?: { message: string } };
      timings.repliedAt = performance.now();
      const slots = data?.slots ?? [];
      timings.slots = slots;
      this.retractReplaced(slots, timings.repliedAt);
      highlighter.bind(slots, source);
      this.d.visuals.bind(slots, source);
      if (slots.length === 0) source.dispose();
      clearErrors(monaco, model);
      const ms = Math.round(timings.repliedAt - keyAt);
      say(slots.length ? `▶ ${slots.join(", ")}  (${ms} ms)` : `evaluated: nothing plays (${ms} ms)`, "ok");
      if (data?.warnings?.length) say(`▶ ${slots.join(", ")}  ⚠ ${data.warnings.join("; ")}`, "warn");
      if (data?.saveError) say(`⚠ ${data.saveError.message}`, "warn");
      // A pattern may fail at its first query, before this answer came.
      for (const slot of slots) {
        const early = this.earlyQueryErrors.get(slot);
        if (early && performance.now() - early.at < 5000) this.onQueryError(early.error);
      }
    } catch (err) {
      const detail = err instanceof RequestError ? (err.detail as (ErrorInfo & { slots?: string[] }) | undefined) : undefined;
      // The program was put in place but one of its slots stopped while it was looked ahead:
      // the others play, so they are highlighted as after a success.
      const installed = Array.isArray(detail?.slots) ? detail.slots : [];
      if (installed.length) {
        this.retractReplaced(installed, performance.now());
        highlighter.bind(installed, source);
        this.d.visuals.bind(installed, source);
      }
      const current = source.currentRange();
      if (current) flasher.flash(current, "error");
      if (detail && detail.line !== undefined) {
        const at = showError(monaco, model, detail, source);
        const what = detail.slot ? `slot ${detail.slot} stopped: ${detail.message}` : detail.message;
        const playing = installed.filter((s) => s !== detail.slot);
        const after = installed.length ? (playing.length ? `; ${playing.join(", ")} play${playing.length === 1 ? "s" : ""} on` : "") : "; the previous pattern keeps playing";
        say(`✖ ${what} (line ${at?.lineNumber}, column ${at?.column})${after}`, "error", () => this.reveal(buffer, at));
      } else {
        say(`✖ ${(err as Error).message}`, "error");
      }
      if (!installed.length) source.dispose();
    }
  }

  hush(): void {
    const { clock, timeline, highlighter, say } = this.d;
    const at = clock.ready ? clock.frameAt(performance.now()) : undefined;
    this.d.socket
      .request({ type: "hush" }, { queue: "expire", maxAgeMs: 5000 })
      .then(() => {
        if (at !== undefined) timeline.dropFrom(at);
        highlighter.clear();
        this.d.visuals.clear();
        say("■ hushed", "info");
      })
      .catch((err) => say(`hush failed: ${(err as Error).message}`, "error"));
  }

  /** Another window (or a REST client) evaluated: highlight it too, if its code is in one of our buffers. */
  onEvaluatedElsewhere(m: Extract<ServerMessage, { type: "evaluated" }>): void {
    const model = this.d.workspace.modelOf(m.buffer);
    const at = model ? model.getValue().indexOf(m.code) : -1;
    // Everyone sees what was just evaluated, where it is, as the one who evaluated it did (red when it failed).
    if (model && at >= 0 && model === this.d.editor.getModel()) {
      const start = model.getPositionAt(at);
      const end = model.getPositionAt(at + m.code.length);
      this.d.flasher.flash({ startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column }, m.ok ? "sent" : "error", m.name ?? m.by);
    }
    const who = m.name || m.by || "another client";
    if (!m.ok) {
      this.d.say(`✖ ${m.buffer} (evaluated by ${who}): ${m.error?.message ?? "failed"}`, "warn");
      return;
    }
    this.retractReplaced(m.slots ?? [], performance.now());
    if (model && at >= 0 && m.slots?.length) {
      const source = new TrackedSource(this.d.monaco, model, at, m.code);
      this.d.highlighter.bind(m.slots, source);
      this.d.visuals.bind(m.slots, source);
    }
    this.d.say(`▶ ${m.slots?.join(", ") || m.buffer} (evaluated by ${who})`, "info");
  }

  /** A slot's pattern threw while being queried: it is stopped; mark where. */
  onQueryError(error: ErrorInfo): void {
    const source = error.slot ? this.d.highlighter.sourceOf(error.slot) : undefined;
    if (error.slot) {
      if (source) this.earlyQueryErrors.delete(error.slot);
      else this.earlyQueryErrors.set(error.slot, { error, at: performance.now() });
    }
    const where = source && error.line !== undefined ? showError(this.d.monaco, source.model, error, source) : undefined;
    const buffer = source ? this.d.workspace.nameOf(source.model) : undefined;
    this.d.say(
      `✖ ${error.slot ? `slot ${error.slot} stopped: ` : ""}${error.message}${where ? ` (line ${where.lineNumber})` : ""}`,
      "error",
      buffer && where ? () => this.reveal(buffer, where) : undefined,
    );
  }

  /** Notes when the first event of the last evaluation's slots arrives (for the benchmark). */
  noteEvents(events: readonly { slot: string; frame: number }[], now: number): void {
    const e = this.lastEval;
    if (e.firstEventAt !== undefined || !e.slots) return;
    const first = events.find((ev) => e.slots!.includes(ev.slot));
    if (first) {
      e.firstEventAt = now;
      e.firstEventFrame = first.frame;
    }
  }

  /**
   * The server replaced these slots' queued events from its change frame,
   * which is just after now: events of theirs that came before this answer
   * are the old pattern's and will not sound. (New events follow the
   * answer: the server batches events for 10 ms and sends results at once.)
   */
  private retractReplaced(slots: readonly string[], at: number): void {
    const { clock, timeline } = this.d;
    if (clock.ready && slots.length) timeline.retract(new Set(slots), clock.frameAt(at));
  }

  private reveal(buffer: string, at: { lineNumber: number; column: number } | undefined): void {
    const { editor, workspace } = this.d;
    workspace.activate(buffer);
    if (at) {
      editor.setPosition(at);
      editor.revealPositionInCenter(at);
    }
    editor.focus();
  }
}
