import { describe, expect, test } from "vitest";
import { actionForEvent, BLOCK_KEYMAP, ChordError, DEFAULT_KEYMAP, formatChord, listenForKeys, loadKeymap, matchesEvent, parseChord } from "../../web/editor/keymap.ts";

const key = (k: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {}, code?: string) => ({
  key: k,
  code,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
});

describe("chords", () => {
  test("parse and format", () => {
    expect(parseChord("Mod+Enter")).toEqual({ mod: true, ctrl: false, shift: false, alt: false, key: "Enter" });
    expect(parseChord("ctrl + shift + K").key).toBe("k");
    expect(parseChord("Mod++").key).toBe("+");
    expect(formatChord(parseChord("Mod+."), false)).toBe("Ctrl+.");
    expect(formatChord(parseChord("Mod+Alt+Enter"), true)).toBe("Cmd+Option+Enter");
    expect(formatChord(parseChord("F1"), false)).toBe("F1");
  });
  test("bad chords say why", () => {
    expect(() => parseChord("Hyper+Enter")).toThrow(ChordError);
    expect(() => parseChord("Mod+")).toThrow(/no key/);
    expect(() => parseChord("Shift")).toThrow(/ends with a modifier/);
    expect(() => parseChord("Mod+Banana")).toThrow(/unknown key "Banana"/);
  });
  test("Mod is Ctrl off a Mac and Cmd on one; extra modifiers do not match", () => {
    const c = parseChord("Mod+Enter");
    expect(matchesEvent(c, key("Enter", { ctrl: true }), false)).toBe(true);
    expect(matchesEvent(c, key("Enter", { meta: true }), false)).toBe(false);
    expect(matchesEvent(c, key("Enter", { meta: true }), true)).toBe(true);
    expect(matchesEvent(c, key("Enter", { ctrl: true, shift: true }), false)).toBe(false);
    expect(matchesEvent(parseChord("Shift+Enter"), key("Enter", { shift: true }), false)).toBe(true);
  });
  test("Alt chords match the physical key (a Mac's Option changes e.key)", () => {
    expect(matchesEvent(parseChord("Alt+k"), key("˚", { alt: true }, "KeyK"), true)).toBe(true);
  });
});

describe("keymaps", () => {
  test("the defaults are Strudel's: Ctrl+Enter and Alt+Enter the whole buffer, Shift+Enter the line, Ctrl+. hush", () => {
    expect(actionForEvent(DEFAULT_KEYMAP, key("Enter", { ctrl: true }), false)).toBe("evalAll");
    expect(actionForEvent(DEFAULT_KEYMAP, key("Enter", { shift: true }), false)).toBe("evalLine");
    expect(actionForEvent(DEFAULT_KEYMAP, key("Enter", { alt: true }), false)).toBe("evalAll");
    expect(actionForEvent(DEFAULT_KEYMAP, key(".", { ctrl: true }), false)).toBe("hush");
    expect(actionForEvent(DEFAULT_KEYMAP, key("Enter"), false)).toBeUndefined();
  });
  test("the block keys, a choice in the help: Ctrl+Enter the block, Alt+Enter the whole buffer", () => {
    expect(actionForEvent(BLOCK_KEYMAP, key("Enter", { ctrl: true }), false)).toBe("evalBlock");
    expect(actionForEvent(BLOCK_KEYMAP, key("Enter", { alt: true }), false)).toBe("evalAll");
    expect(actionForEvent(BLOCK_KEYMAP, key(".", { ctrl: true }), false)).toBe("hush");
  });
  test("a stored keymap overrides per action and drops bad chords with a reason", () => {
    const { keymap, problems } = loadKeymap({ hush: ["Mod+Escape", "Nope+x"], evalAll: "Mod+Shift+Enter", junk: ["x"] });
    expect(keymap.hush).toEqual(["Mod+Escape"]);
    expect(keymap.evalAll).toEqual(["Mod+Shift+Enter"]);
    expect(keymap.evalBlock).toEqual(DEFAULT_KEYMAP.evalBlock);
    expect(problems).toHaveLength(1);
    expect(loadKeymap("garbage").keymap).toEqual(DEFAULT_KEYMAP);
  });
  test("listenForKeys runs the action, stops the event, ignores auto-repeat", () => {
    const listeners: ((e: unknown) => void)[] = [];
    const target = { addEventListener: (_: string, l: (e: unknown) => void) => listeners.push(l), removeEventListener: () => {} };
    const ran: string[] = [];
    listenForKeys(target as never, () => DEFAULT_KEYMAP, (a) => ran.push(a), false);
    let stopped = 0;
    const fire = (e: object) => listeners[0]!({ ...e, isComposing: false, preventDefault: () => stopped++, stopPropagation: () => {} });
    fire({ ...key("Enter", { ctrl: true }), repeat: false });
    fire({ ...key("Enter", { ctrl: true }), repeat: true });
    fire({ ...key("a"), repeat: false });
    expect(ran).toEqual(["evalAll"]);
    expect(stopped).toBe(1);
  });
});
