/**
 * The editor's keys: which chord runs which action, as plain data the
 * musician can change (the help overlay edits it; localStorage keeps it).
 * Chords are written "Mod+Enter", "Shift+Enter", "Alt+Enter", "Mod+.",
 * where Mod is Cmd on a Mac and Ctrl elsewhere. Keys are caught in the
 * capture phase on the window, before Monaco sees them, so they work
 * wherever the focus is and override Monaco's own bindings of the same
 * chords (Ctrl+Enter "insert line", Ctrl+. "quick fix").
 * @module
 */

export type Action = "evalBlock" | "evalLine" | "evalAll" | "hush" | "help" | "fontBigger" | "fontSmaller";

export const ACTIONS: readonly { action: Action; label: string }[] = [
  { action: "evalBlock", label: "Evaluate the block around the cursor (or the selection)" },
  { action: "evalLine", label: "Evaluate the line" },
  { action: "evalAll", label: "Evaluate the whole buffer" },
  { action: "hush", label: "Hush: stop all sound" },
  { action: "help", label: "Show or hide this help" },
  { action: "fontBigger", label: "Larger text" },
  { action: "fontSmaller", label: "Smaller text" },
];

export type Keymap = Record<Action, string[]>;

/** Strudel's keys: Ctrl+Enter and Alt+Enter evaluate the whole buffer, Ctrl+. stops. */
export const DEFAULT_KEYMAP: Keymap = {
  evalBlock: [],
  evalLine: ["Shift+Enter"],
  evalAll: ["Mod+Enter", "Alt+Enter"],
  hush: ["Mod+."],
  help: ["F1"],
  fontBigger: ["Mod+="],
  fontSmaller: ["Mod+-"],
};

/** The block-at-cursor style, a choice in the help: Ctrl+Enter evaluates the block, Alt+Enter the whole buffer. */
export const BLOCK_KEYMAP: Keymap = {
  ...DEFAULT_KEYMAP,
  evalBlock: ["Mod+Enter"],
  evalAll: ["Alt+Enter"],
};

export type Chord = { mod: boolean; ctrl: boolean; shift: boolean; alt: boolean; key: string };

const MODIFIERS: Record<string, keyof Omit<Chord, "key">> = {
  mod: "mod",
  cmdorctrl: "mod",
  ctrl: "ctrl",
  control: "ctrl",
  shift: "shift",
  alt: "alt",
  option: "alt",
  opt: "alt",
};

/** Key names a chord may end with, as KeyboardEvent.key values (lower case), and their display names. */
const NAMED_KEYS: Record<string, string> = {
  enter: "Enter",
  return: "Enter",
  escape: "Escape",
  esc: "Escape",
  space: " ",
  tab: "Tab",
  backspace: "Backspace",
  up: "ArrowUp",
  down: "ArrowDown",
  left: "ArrowLeft",
  right: "ArrowRight",
};

export class ChordError extends Error {}

/** Parses "Mod+Shift+Enter"; throws ChordError with the reason when it is not a chord. */
export function parseChord(text: string): Chord {
  const parts = text.split("+").map((p) => p.trim());
  // "Mod++" means the plus key
  if (text.trim().endsWith("++")) parts.splice(parts.length - 2, 2, "+");
  const chord: Chord = { mod: false, ctrl: false, shift: false, alt: false, key: "" };
  for (const [i, part] of parts.entries()) {
    const lower = part.toLowerCase();
    if (i < parts.length - 1) {
      const m = MODIFIERS[lower];
      if (!m) throw new ChordError(`"${part}" is not a modifier (use Mod, Ctrl, Shift or Alt) in "${text}"`);
      chord[m] = true;
      continue;
    }
    if (part === "") throw new ChordError(`"${text}" has no key after its modifiers`);
    if (MODIFIERS[lower]) throw new ChordError(`"${text}" ends with a modifier; add a key, as in "${part}+Enter"`);
    if (NAMED_KEYS[lower]) chord.key = NAMED_KEYS[lower]!;
    else if (/^f([1-9]|1[0-2])$/.test(lower)) chord.key = lower.toUpperCase();
    else if ([...part].length === 1) chord.key = part.toLowerCase();
    else throw new ChordError(`unknown key "${part}" in "${text}" (a single character, Enter, Escape, Space, Tab, arrows, F1-F12)`);
  }
  return chord;
}

/** The chord as the help shows it, with the platform's modifier names. */
export function formatChord(chord: Chord, mac: boolean): string {
  const parts: string[] = [];
  if (chord.mod) parts.push(mac ? "Cmd" : "Ctrl");
  if (chord.ctrl && !(chord.mod && !mac)) parts.push("Ctrl");
  if (chord.alt) parts.push(mac ? "Option" : "Alt");
  if (chord.shift) parts.push("Shift");
  parts.push(chord.key === " " ? "Space" : chord.key.length === 1 ? chord.key.toUpperCase() : chord.key);
  return parts.join("+");
}

export type KeyEventLike = { key: string; code?: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean };

/** Whether a keydown event is this chord (Mod is Cmd on a Mac, Ctrl elsewhere). */
export function matchesEvent(chord: Chord, e: KeyEventLike, mac: boolean): boolean {
  const wantCtrl = chord.ctrl || (chord.mod && !mac);
  const wantMeta = chord.mod && mac;
  if (e.ctrlKey !== wantCtrl || e.metaKey !== wantMeta || e.altKey !== chord.alt) return false;
  // Shift changes e.key for characters ("." becomes ">"), so it is compared only when asked for.
  if (chord.shift !== e.shiftKey) return false;
  return eventKey(e) === chord.key;
}

/** The key a chord would name for this event: layout-independent for letters, digits and punctuation with Alt. */
function eventKey(e: KeyEventLike): string {
  if (e.key.length === 1) {
    // With Alt on a Mac e.key is a special character; fall back to the physical key.
    if (e.altKey && e.code) {
      const m = /^(?:Key([A-Z])|Digit(\d))$/.exec(e.code);
      if (m) return (m[1] ?? m[2]!).toLowerCase();
      if (e.code === "Period") return ".";
      if (e.code === "Slash") return "/";
    }
    return e.key.toLowerCase();
  }
  return e.key;
}

/**
 * The keymap stored by the musician, merged over the defaults: unknown
 * actions are ignored, chords that do not parse are dropped and reported.
 */
export function loadKeymap(stored: unknown): { keymap: Keymap; problems: string[] } {
  const keymap: Keymap = structuredClone(DEFAULT_KEYMAP);
  const problems: string[] = [];
  if (!stored || typeof stored !== "object") return { keymap, problems };
  for (const { action } of ACTIONS) {
    const value = (stored as Record<string, unknown>)[action];
    if (value === undefined) continue;
    const list = Array.isArray(value) ? value : [value];
    const good: string[] = [];
    for (const text of list) {
      if (typeof text !== "string") continue;
      try {
        parseChord(text);
        good.push(text);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    keymap[action] = good;
  }
  return { keymap, problems };
}

/** The first action whose chords match a keydown event. */
export function actionForEvent(keymap: Keymap, e: KeyEventLike, mac: boolean): Action | undefined {
  for (const { action } of ACTIONS) {
    for (const text of keymap[action]) {
      try {
        if (matchesEvent(parseChord(text), e, mac)) return action;
      } catch {
        /* a bad chord binds nothing */
      }
    }
  }
  return undefined;
}

/** Runs actions for keydown events on `target` (capture phase); returns the remover. */
export function listenForKeys(
  target: Pick<Window, "addEventListener" | "removeEventListener">,
  keymap: () => Keymap,
  run: (action: Action) => void,
  mac: boolean,
): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.isComposing || e.repeat) return;
    const action = actionForEvent(keymap(), e, mac);
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    run(action);
  };
  target.addEventListener("keydown", onKey as EventListener, true);
  return () => target.removeEventListener("keydown", onKey as EventListener, true);
}
