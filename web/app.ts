/**
 * The editor page, wired together: the socket, the buffers, evaluation
 * with its flash, markers and highlighting, and the live displays. Each
 * piece lives in its own module; this file only connects them and routes
 * the server's messages.
 * @module
 */
import type { ErrorInfo, ServerMessage, StateSnapshot, Topic } from "../server/http/protocol.ts";
import { installPatternLanguage } from "./editor/completion.ts";
import { evalRange, selectionRange, type EvalKind, type EvalRange } from "./editor/eval-range.ts";
import { Flasher } from "./editor/flash.ts";
import { Highlighter } from "./editor/highlight.ts";
import { DEFAULT_KEYMAP, listenForKeys, loadKeymap, type Action, type Keymap } from "./editor/keymap.ts";
import { clearErrors, showError } from "./editor/markers.ts";
import { monaco, type Editor } from "./editor/monaco.ts";
import { defineStageTheme, THEME } from "./editor/theme.ts";
import { TrackedSource } from "./editor/tracking.ts";
import { EditorWorkspace } from "./editor/workspace.ts";
import { ClockEstimator } from "./live/clock.ts";
import { Timeline } from "./live/timeline.ts";
import { RequestError, Socket } from "./net/socket.ts";
import { PatternBrowser } from "./ui/browser.ts";
import { ClockDisplay } from "./ui/clock.ts";
import { ConnectionDisplay } from "./ui/connection.ts";
import { HelpOverlay, KEYMAP_STORAGE } from "./ui/help.ts";
import { MessageLine, type MessageKind } from "./ui/messages.ts";
import { Meters } from "./ui/meters.ts";
import { Pianoroll } from "./ui/pianoroll.ts";
import { Scope } from "./ui/scope.ts";
import { SlotList } from "./ui/slots.ts";
import { StatusDisplay } from "./ui/status.ts";
import { Tabs } from "./ui/tabs.ts";

/** Every push topic, scope included (a new client gets all but scope). */
const TOPICS = ["clock", "peaks", "scope", "events", "log", "state", "buffers"] as const satisfies readonly Topic[];
type MissingTopic = Exclude<Topic, (typeof TOPICS)[number]>;
const _allTopics: MissingTopic extends never ? true : never = true;
void _allTopics;

const FONT_STORAGE = "ostinato.fontSize.v1";
/** Seconds of events kept for the pianoroll and the highlighter. */
const KEEP_SECONDS = 8;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export type App = {
  monaco: typeof monaco;
  editor: Editor;
  socket: Socket;
  highlighter: Highlighter;
  clock: ClockEstimator;
  timeline: Timeline;
  workspace: EditorWorkspace;
  evaluate: (kind: EvalKind) => Promise<void>;
  hush: () => void;
  /** Timings of the last evaluation (for the benchmark): keypress, reply, first event of the new code. */
  lastEval: { keyAt: number; repliedAt?: number; firstEventAt?: number; firstEventFrame?: number; frameAtKey?: number; slots?: string[] };
};

export function startApp(): App {
  const mac = /Mac|iPhone|iPad/.test(navigator.platform);
  const storage = window.localStorage;
  const messages = new MessageLine($("message"));
  const say = (text: string, kind: MessageKind = "info", onClick?: () => void) => messages.show(text, kind, onClick);

  defineStageTheme(monaco);
  installPatternLanguage().catch((err) => say(`completion and hover docs unavailable: ${(err as Error).message}`, "warn"));
  const fontSize = clampFont(Number(storage.getItem(FONT_STORAGE)) || 20);
  const editor = monaco.editor.create($("editor"), {
    theme: THEME,
    fontSize,
    lineHeight: Math.round(fontSize * 1.45),
    fontFamily: '"JetBrains Mono", "Fira Code", "DejaVu Sans Mono", "Liberation Mono", monospace',
    fontLigatures: false,
    automaticLayout: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    renderLineHighlight: "all",
    wordWrap: "on",
    tabSize: 2,
    padding: { top: 12, bottom: 12 },
    lineNumbersMinChars: 3,
    glyphMargin: false,
    folding: false,
    links: false,
    contextmenu: true,
    fixedOverflowWidgets: true,
    quickSuggestions: { other: true, comments: false, strings: false },
    suggestOnTriggerCharacters: true,
    parameterHints: { enabled: true },
    hover: { delay: 400 },
    stickyScroll: { enabled: false },
    "semanticHighlighting.enabled": false,
  });

  const clock = new ClockEstimator();
  const timeline = new Timeline(48000 * KEEP_SECONDS);
  const highlighter = new Highlighter(monaco, editor, timeline, clock);
  const flasher = new Flasher(monaco, editor);
  const meters = new Meters($<HTMLCanvasElement>("meters"));
  const pianoroll = new Pianoroll($<HTMLCanvasElement>("pianoroll"), timeline, clock);
  const scope = new Scope($<HTMLCanvasElement>("scope"));
  const status = new StatusDisplay({ xruns: $("xruns"), late: $("late"), cpu: $("cpu"), voices: $("voices"), device: $("device") });
  const connection = new ConnectionDisplay($("connection"));
  let clientId = "";
  let lastState: StateSnapshot | undefined;

  const wsUrl = new URL("/ws", location.href);
  wsUrl.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new Socket({
    url: wsUrl.href,
    onMessage: (m) => receive(m),
    onStatus: (s) => {
      connection.update(s);
      if (s.state !== "open") {
        meters.silence();
        clock.clear();
      }
    },
  });

  const workspace = new EditorWorkspace(monaco, editor, socket, storage, {
    onChange: () => tabs.render(),
    onMessage: (text, kind) => say(text, kind),
  });
  const tabs = new Tabs($("tabs"), workspace, say);
  tabs.render();

  const clockDisplay = new ClockDisplay(
    { cycle: $("cycle"), beats: $("beats"), tempo: $<HTMLInputElement>("tempo"), slower: $("slower"), faster: $("faster"), cps: $("cps") },
    clock,
    (cpm) =>
      void socket
        .request({ type: "tempo", cpm }, { queue: "expire" })
        .then(() => say(`tempo ${cpm} cycles per minute`, "ok"))
        .catch((err) => say(`tempo not changed: ${(err as Error).message}`, "error")),
  );

  const slots = new SlotList($("slots"), (slot, what, on) => {
    socket.request({ type: what, slot, on }, { queue: "drop" }).catch((err) => say(`${what} ${slot}: ${(err as Error).message}`, "error"));
  });

  const browser = new PatternBrowser(
    { list: $("patterns"), refresh: $("patterns-refresh"), saveAs: $<HTMLInputElement>("pattern-name"), save: $("pattern-save") },
    socket,
    {
      open: (name, code) => workspace.open(name, code),
      play: (name, code) => {
        workspace.open(name, code);
        void evaluate("all");
      },
      current: () => ({ name: workspace.activeName, code: workspace.activeModel.getValue() }),
      say,
    },
  );

  // ------------------------------------------------------------ keys

  let keymap: Keymap = loadStoredKeymap();
  function loadStoredKeymap(): Keymap {
    try {
      const { keymap, problems } = loadKeymap(JSON.parse(storage.getItem(KEYMAP_STORAGE) ?? "null"));
      if (problems.length) say(`some stored keys were ignored: ${problems.join("; ")}`, "warn");
      return keymap;
    } catch {
      return structuredClone(DEFAULT_KEYMAP);
    }
  }
  const help = new HelpOverlay($("help"), mac, () => keymap, (k) => {
    keymap = k;
    storage.setItem(KEYMAP_STORAGE, JSON.stringify(k));
  });
  const run: Record<Action, () => void> = {
    evalBlock: () => void evaluate("block"),
    evalLine: () => void evaluate("line"),
    evalAll: () => void evaluate("all"),
    hush: () => hush(),
    help: () => help.toggle(),
    fontBigger: () => setFont(1),
    fontSmaller: () => setFont(-1),
  };
  listenForKeys(window, () => keymap, (a) => run[a](), mac);
  $("hush").addEventListener("click", () => hush());
  $("help-button").addEventListener("click", () => help.toggle());

  function setFont(step: number): void {
    const size = clampFont((editor.getOption(monaco.editor.EditorOption.fontSize) as number) + step * 2);
    editor.updateOptions({ fontSize: size, lineHeight: Math.round(size * 1.45) });
    storage.setItem(FONT_STORAGE, String(size));
  }

  // ------------------------------------------------------------ evaluation

  const app: App = {
    monaco,
    editor,
    socket,
    highlighter,
    clock,
    timeline,
    workspace,
    evaluate,
    hush,
    lastEval: { keyAt: 0 },
  };

  async function evaluate(kind: EvalKind): Promise<void> {
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
    app.lastEval = { keyAt, frameAtKey: clock.ready ? clock.frameAt(keyAt) : undefined };
    try {
      const data = (await socket.request({ type: "eval", code: range.text, buffer }, { queue: "expire", maxAgeMs: 2000 })) as { slots?: string[] };
      app.lastEval.repliedAt = performance.now();
      const slotIds = data?.slots ?? [];
      app.lastEval.slots = slotIds;
      retractReplaced(slotIds, app.lastEval.repliedAt);
      highlighter.bind(slotIds, source);
      if (slotIds.length === 0) source.dispose();
      clearErrors(monaco, model);
      const ms = Math.round(app.lastEval.repliedAt - keyAt);
      say(slotIds.length ? `▶ ${slotIds.join(", ")}  (${ms} ms)` : `evaluated: nothing plays (${ms} ms)`, "ok");
      // A pattern may fail at its first query, before this answer came.
      for (const slot of slotIds) {
        const early = earlyQueryErrors.get(slot);
        if (early && performance.now() - early.at < 5000) onQueryError(early.error);
      }
      // The server saved what it evaluated as the buffer; it must keep the whole buffer.
      if (range.text !== model.getValue() || range.from !== 0) void workspace.saveNow(buffer);
    } catch (err) {
      const detail = err instanceof RequestError ? (err.detail as ErrorInfo | undefined) : undefined;
      const current = source.currentRange();
      if (current) flasher.flash(current, "error");
      if (detail && detail.line !== undefined) {
        const at = showError(monaco, model, detail, source);
        say(`✖ ${detail.message} (line ${at?.lineNumber}, column ${at?.column}); the previous pattern keeps playing`, "error", () => {
          workspace.activate(buffer);
          if (at) {
            editor.setPosition(at);
            editor.revealPositionInCenter(at);
          }
          editor.focus();
        });
      } else {
        say(`✖ ${(err as Error).message}`, "error");
      }
      source.dispose();
      void workspace.saveNow(buffer);
    }
  }

  /**
   * The server replaced these slots' queued events from its change frame,
   * which is just after now: events of theirs that came before this answer
   * are the old pattern's and will not sound. (New events follow the
   * answer: the server batches events for 10 ms and sends results at once.)
   */
  function retractReplaced(slotIds: readonly string[], at: number): void {
    if (clock.ready && slotIds.length) timeline.retract(new Set(slotIds), clock.frameAt(at));
  }

  function hush(): void {
    const at = clock.ready ? clock.frameAt(performance.now()) : undefined;
    socket
      .request({ type: "hush" }, { queue: "expire", maxAgeMs: 5000 })
      .then(() => {
        if (at !== undefined) timeline.dropFrom(at);
        highlighter.clear();
        say("■ hushed", "info");
      })
      .catch((err) => say(`hush failed: ${(err as Error).message}`, "error"));
  }

  // ------------------------------------------------------------ server pushes

  function receive(m: ServerMessage): void {
    const now = performance.now();
    switch (m.type) {
      case "hello":
        clientId = m.clientId;
        timeline.setKeepFrames(m.sampleRate * KEEP_SECONDS);
        workspace.reconcileWith(m.buffers);
        onState(m.state);
        void socket.request({ type: "subscribe", topics: [...TOPICS] }, { queue: "drop" }).catch(() => {});
        void browser.refresh();
        say(`connected to ostinato ${m.version} (${m.state.device.name})`, "info");
        return;
      case "clock":
        clock.observe(m, now);
        return;
      case "peaks":
        meters.update(m.peaks, m.clipped, now);
        return;
      case "scope":
        scope.update(m.samples);
        return;
      case "events":
        timeline.add(m.events);
        noteFirstEvent(m.events, now);
        return;
      case "evaluated":
        if (m.by !== clientId) onOtherEvaluation(m);
        return;
      case "error":
        onQueryError(m.error);
        return;
      case "warning":
        say(`⚠ ${m.message}`, "warn");
        return;
      case "state":
        onState(m.state);
        return;
      case "buffer":
        if (m.by !== clientId) workspace.remoteUpdate(m.buffer, m.code, m.by);
        return;
      case "reply":
        return;
    }
  }

  function onState(state: StateSnapshot): void {
    lastState = state;
    status.update(state);
    slots.update(state.slots);
    const playing = new Set(state.slots.map((s) => s.id));
    highlighter.keepSlots(playing);
    // Slots gone, muted, silenced, failed or left out by a solo have no events ahead any more.
    const anySolo = state.slots.some((s) => s.solo);
    const audible = new Set(state.slots.filter((s) => !s.muted && !s.silenced && !s.error && (!anySolo || s.solo)).map((s) => s.id));
    if (clock.ready) timeline.retract((slot) => !audible.has(slot), clock.frameAt(performance.now()));
  }

  function noteFirstEvent(events: readonly { slot: string; frame: number }[], now: number): void {
    const e = app.lastEval;
    if (e.firstEventAt !== undefined || !e.slots) return;
    const first = events.find((ev) => e.slots!.includes(ev.slot));
    if (first) {
      e.firstEventAt = now;
      e.firstEventFrame = first.frame;
    }
  }

  /** Another window evaluated: highlight it too, if its code is in one of our buffers. */
  function onOtherEvaluation(m: Extract<ServerMessage, { type: "evaluated" }>): void {
    if (!m.ok) return;
    const model = workspace.modelOf(m.buffer);
    const at = model ? model.getValue().indexOf(m.code) : -1;
    retractReplaced(m.slots ?? [], performance.now());
    if (model && at >= 0 && m.slots?.length) highlighter.bind(m.slots, new TrackedSource(monaco, model, at, m.code));
    say(`▶ ${m.slots?.join(", ") || m.buffer} (evaluated in another window)`, "info");
  }

  /** Query errors of slots the page has no source for yet (the evaluation's answer is on its way). */
  const earlyQueryErrors = new Map<string, { error: ErrorInfo; at: number }>();

  function onQueryError(error: ErrorInfo): void {
    const source = error.slot ? highlighter.sourceOf(error.slot) : undefined;
    if (error.slot) {
      if (source) earlyQueryErrors.delete(error.slot);
      else earlyQueryErrors.set(error.slot, { error, at: performance.now() });
    }
    const where = source && error.line !== undefined ? showError(monaco, source.model, error, source) : undefined;
    say(`✖ ${error.slot ? `slot ${error.slot} stopped: ` : ""}${error.message}${where ? ` (line ${where.lineNumber})` : ""}`, "error");
    void lastState;
  }

  // ------------------------------------------------------------ frames

  const frame = (now: number) => {
    clockDisplay.paint(now);
    meters.paint(now);
    highlighter.paint(now);
    pianoroll.paint(now);
    scope.paint();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  window.addEventListener("pagehide", () => workspace.persistLocal());
  socket.connect();
  editor.focus();
  (window as unknown as { ostinato: App }).ostinato = app;
  return app;
}

function clampFont(size: number): number {
  return Math.max(10, Math.min(48, Math.round(size)));
}
