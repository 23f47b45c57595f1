/**
 * The editor page, wired together: the socket, the buffers, evaluation
 * with its flash, markers and highlighting, and the live displays. Each
 * piece lives in its own module; this file only connects them and routes
 * the server's messages.
 * @module
 */
import type { ServerMessage, StateSnapshot, Topic } from "../server/http/protocol.ts";
import { installPatternLanguage } from "./editor/completion.ts";
import type { EvalKind } from "./editor/eval-range.ts";
import { Evaluator, type EvalTimings } from "./editor/evaluator.ts";
import { Flasher } from "./editor/flash.ts";
import { Highlighter } from "./editor/highlight.ts";
import { Visuals } from "./editor/visuals.ts";
import { DEFAULT_KEYMAP, listenForKeys, loadKeymap, type Action, type Keymap } from "./editor/keymap.ts";
import { monaco, type Editor } from "./editor/monaco.ts";
import { defineStageTheme, THEME } from "./editor/theme.ts";
import { EditorWorkspace } from "./editor/workspace.ts";
import { ClockEstimator } from "./live/clock.ts";
import { Timeline } from "./live/timeline.ts";
import { Socket } from "./net/socket.ts";
import { PatternBrowser } from "./ui/browser.ts";
import { SoundsPanel } from "./ui/sounds.ts";
import { installSoundCompletion } from "./editor/sound-completion.ts";
import type { SoundList } from "../server/live/sound-list.ts";
import { ClockDisplay, MAX_CPM, MIN_CPM } from "./ui/clock.ts";
import { Banner } from "./ui/banner.ts";
import { ConnectionDisplay, hasToken } from "./ui/connection.ts";
import { HelpOverlay, KEYMAP_STORAGE } from "./ui/help.ts";
import { MessageLine, type MessageKind } from "./ui/messages.ts";
import { LinkStatus } from "./ui/link-status.ts";
import { Meters } from "./ui/meters.ts";
import { Pianoroll } from "./ui/pianoroll.ts";
import { Scope } from "./ui/scope.ts";
import { SlotList } from "./ui/slots.ts";
import { StatusDisplay } from "./ui/status.ts";
import { Tabs } from "./ui/tabs.ts";
import { Collaboration } from "./editor/collab.ts";
import { TogetherPanel } from "./ui/together.ts";

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
  visuals: Visuals;
  clock: ClockEstimator;
  timeline: Timeline;
  workspace: EditorWorkspace;
  collab: Collaboration;
  /** What this page's token may do (from hello). */
  readonly role: "owner" | "edit" | "view";
  evaluate: (kind: EvalKind) => Promise<void>;
  hush: () => void;
  /** Timings of the last evaluation (for the benchmark): keypress, reply, first event of the new code. */
  readonly lastEval: EvalTimings;
};

export function startApp(): App {
  const mac = /Mac|iPhone|iPad/.test(navigator.platform);
  const storage = window.localStorage;
  const messages = new MessageLine($("message"));
  const say = (text: string, kind: MessageKind = "info", onClick?: () => void) => messages.show(text, kind, onClick);

  defineStageTheme(monaco);
  installPatternLanguage().catch((err) => say(`completion and hover docs unavailable: ${(err as Error).message}`, "warn"));
  // A projector-sized window starts with larger type (read from the back of a room); F1 lists the keys that change it.
  const fontSize = clampFont(Number(storage.getItem(FONT_STORAGE)) || (window.innerWidth >= 1800 ? 24 : 20));
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
  const visuals = new Visuals(monaco, editor, $("visuals"), timeline, clock, () => scope.latest);
  const status = new StatusDisplay({ overruns: $("overruns"), hostXruns: $("host-xruns"), late: $("late"), cpu: $("cpu"), voices: $("voices"), device: $("device") }, (problem, kind) => say(problem, kind));
  const linkStatus = new LinkStatus($("link"));
  let clientId = "";

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

  const banner = new Banner($("banner"), socket, say);
  // A page without the token stops retrying and says what to open.
  const connection = new ConnectionDisplay($("connection"), () => {
    socket.stop();
    banner.noToken();
  });

  const workspace = new EditorWorkspace(monaco, editor, socket, storage, {
    onChange: () => tabs.render(),
    onMessage: (text, kind) => say(text, kind),
  });
  const tabs = new Tabs($("tabs"), workspace, say);
  tabs.render();
  const connectionEl = $("connection");
  const collab = new Collaboration(editor, storage, {
    onStatus: () => {
      // How many edits the server has not yet written to disk (0: a crash now loses nothing).
      connectionEl.dataset.pending = String(collab.pending);
    },
    onPeers: () => together.renderPeers(),
    onRefused: (buffer, m) => say(`✖ ${buffer}: ${m}`, "error"),
  });
  workspace.attach(collab);
  const identify = () => void socket.request({ type: "identify", name: collab.me.name, color: collab.me.color }, { queue: "drop" }).catch(() => {});
  const together = new TogetherPanel(
    { name: $<HTMLInputElement>("my-name"), color: $<HTMLInputElement>("my-color"), peers: $("peers"), invites: $("invites"), inviteEdit: $<HTMLButtonElement>("invite-edit"), inviteView: $<HTMLButtonElement>("invite-view"), guests: $("guests") },
    collab,
    say,
    identify,
  );
  let role: App["role"] = "owner";
  const evaluator = new Evaluator({ monaco, editor, socket, workspace, highlighter, visuals, flasher, clock, timeline, say });
  const evaluate = async (kind: EvalKind) => {
    if (role === "view") return say("this is a view-only link: it reads and watches, it does not evaluate", "warn");
    return evaluator.evaluate(kind);
  };
  const hush = () => evaluator.hush();

  const clockDisplay = new ClockDisplay(
    { cycle: $("cycle"), beats: $("beats"), tempo: $<HTMLInputElement>("tempo"), slower: $("slower"), faster: $("faster"), cps: $("cps") },
    clock,
    (cpm) =>
      void socket
        .request({ type: "tempo", cpm }, { queue: "expire" })
        .then(() => say(`tempo ${cpm} cycles per minute`, "ok"))
        .catch((err) => say(`tempo not changed: ${(err as Error).message}`, "error")),
    (typed) => say(`tempo not changed: "${typed}" is not a number of cycles per minute (${MIN_CPM} to ${MAX_CPM})`, "error"),
  );

  const slots = new SlotList($("slots"), (slot, what, on) => {
    socket.request({ type: what, slot, on }, { queue: "drop" }).catch((err) => say(`${what} ${slot}: ${(err as Error).message}`, "error"));
  }, () => collab.me.name);

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

  let soundList: SoundList | undefined;
  installSoundCompletion(monaco, () => soundList);
  const soundsPanel = new SoundsPanel(
    { list: $("sounds"), search: $<HTMLInputElement>("sound-search"), refresh: $("sounds-refresh"), source: $<HTMLInputElement>("sound-source"), fetch: $("sound-fetch"),
      section: $("sounds-section"), patternsSection: $("patterns-section"), showSounds: $("show-sounds"), showPatterns: $("show-patterns") },
    socket,
    {
      insert: (name) => {
        const at = editor.getSelection();
        if (!at) return;
        editor.executeEdits("sounds-panel", [{ range: at, text: name, forceMoveMarkers: true }]);
        editor.focus();
      },
      say,
      listed: (list) => (soundList = list),
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

  // ------------------------------------------------------------ the page's handle (tests, benchmark)

  const app: App = {
    monaco,
    editor,
    socket,
    highlighter,
    visuals,
    clock,
    timeline,
    workspace,
    collab,
    get role() {
      return role;
    },
    evaluate,
    hush,
    get lastEval() {
      return evaluator.lastEval;
    },
  };

  // ------------------------------------------------------------ server pushes

  function receive(m: ServerMessage): void {
    const now = performance.now();
    switch (m.type) {
      case "hello":
        clientId = m.clientId;
        setRole(m.role);
        collab.start();
        identify();
        // Possibly another server (a restart starts its clock at 0): old events would shadow new ones.
        timeline.clear();
        timeline.setKeepFrames(m.sampleRate * KEEP_SECONDS);
        workspace.reconcileWith(m.buffers);
        onState(m.state);
        void socket.request({ type: "subscribe", topics: [...TOPICS] }, { queue: "drop" }).catch(() => {});
        void browser.refresh();
        void soundsPanel.refresh();
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
        evaluator.noteEvents(m.events, now);
        return;
      case "retract":
        timeline.retract(m.slots === "all" ? () => true : new Set(m.slots), m.fromFrame);
        return;
      case "evaluated":
        if (m.by !== clientId) evaluator.onEvaluatedElsewhere(m);
        return;
      case "error":
        evaluator.onQueryError(m.error);
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

  /** A view token gets the projector view: the code read-only and large, no controls. */
  function setRole(r: App["role"]): void {
    role = r;
    together.setRole(r);
    collab.viewOnly = r === "view";
    document.body.classList.toggle("projector", r === "view");
    editor.updateOptions({ readOnly: r === "view", ...(r === "view" ? { fontSize: 30, lineHeight: 44 } : {}) });
  }

  function onState(state: StateSnapshot): void {
    status.update(state);
    linkStatus.update(state);
    banner.device(state.device);
    slots.update(state.slots);
    const playing = new Set(state.slots.map((s) => s.id));
    highlighter.keepSlots(playing);
    visuals.keepSlots(playing);
    // Slots gone, muted, silenced, failed or left out by a solo have no events ahead any more.
    const anySolo = state.slots.some((s) => s.solo);
    const audible = new Set(state.slots.filter((s) => !s.muted && !s.silenced && !s.error && (!anySolo || s.solo)).map((s) => s.id));
    if (clock.ready) timeline.retract((slot) => !audible.has(slot), clock.frameAt(performance.now()));
  }

  // ------------------------------------------------------------ frames

  const frame = (now: number) => {
    // The next frame first: a display that throws (a drawing's bug) must not stop the others for good.
    requestAnimationFrame(frame);
    clockDisplay.paint(now);
    meters.paint(now);
    highlighter.paint(now);
    pianoroll.paint(now);
    scope.paint();
    visuals.paint(now);
  };
  requestAnimationFrame(frame);

  window.addEventListener("pagehide", () => workspace.persistLocal());
  // Ask first whether this page has the token: without it the socket would only be refused, again and again.
  hasToken()
    .then((ok) => {
      if (ok) return socket.connect();
      connection.refused();
      banner.noToken();
    })
    .catch(() => socket.connect());
  editor.focus();
  (window as unknown as { ostinato: App }).ostinato = app;
  return app;
}

function clampFont(size: number): number {
  return Math.max(10, Math.min(48, Math.round(size)));
}
