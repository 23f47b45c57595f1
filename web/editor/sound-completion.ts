/**
 * Completion of real names inside the strings of s("…") / sound("…"),
 * bank("…") and scale("…"): the sounds the server can play, the banks
 * behind bank() (a name before "_" in a sample bank, as RolandTR909_bd), and
 * the scale types after the tonic ("C:minor:pentatonic"). The names come from
 * the Sounds panel's list (the server's GET /api/sounds).
 * @module
 */
import type { SoundList } from "../../server/live/sound-list.ts";
import type { Monaco } from "./monaco.ts";

/** Which string the cursor is in, and the word typed so far there (a pure function, for tests). */
export function soundContext(before: string): { kind: "sound" | "bank" | "scale"; word: string; tonic?: string } | undefined {
  const m = /\b(s|sound|bank|scale)\(\s*(["'`])([^"'`]*)$/.exec(before);
  if (!m) return undefined;
  const inside = m[3]!;
  const fn = m[1]!;
  if (fn === "scale") {
    // the word after the tonic: "C:min" completes "minor", "C4:minor:pen" completes "minor:pentatonic"
    const t = /(?:^|[\s<>[\]{},|])([A-Ga-g][#b]*-?\d*):([\w:]*)$/.exec(inside);
    return t ? { kind: "scale", word: t[2]!, tonic: t[1] } : undefined;
  }
  // the mini-notation word at the cursor: after a space, bracket, comma or operator
  const word = /[\w.#-]*$/.exec(inside)![0];
  return { kind: fn === "bank" ? "bank" : "sound", word };
}

/** The names to offer for a context, from the server's list. */
export function soundNames(list: SoundList, kind: "sound" | "bank" | "scale"): string[] {
  if (kind === "scale") return list.scales;
  if (kind === "sound") return list.sounds.map((s) => s.name);
  const banks = new Set<string>(["RolandTR808", "RolandTR909"]); // the built-in kit's characters
  for (const s of list.sounds) if (s.kind === "sample" && s.name.includes("_")) banks.add(s.name.slice(0, s.name.lastIndexOf("_")));
  return [...banks].sort();
}

/** Registers the provider; `list` gives the latest list (undefined until it has arrived). */
export function installSoundCompletion(monaco: Monaco, list: () => SoundList | undefined): void {
  for (const language of ["typescript", "javascript"]) {
    monaco.languages.registerCompletionItemProvider(language, {
      triggerCharacters: ['"', "'", "`", " ", ":", "[", "<", ","],
      provideCompletionItems(model, position) {
        const sounds = list();
        if (!sounds) return { suggestions: [] };
        const before = model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
        const ctx = soundContext(before);
        if (!ctx) return { suggestions: [] };
        const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: position.column - ctx.word.length, endColumn: position.column };
        const byName = new Map(sounds.sounds.map((s) => [s.name, s]));
        const suggestions = soundNames(sounds, ctx.kind).map((name, i) => {
          const s = byName.get(name);
          const detail = ctx.kind !== "sound" || !s ? ctx.kind : s.kind === "sample" ? `${s.files} file${s.files === 1 ? "" : "s"}${s.cached < s.files ? `, ${s.cached} cached` : ""} · ${s.origin}` : `built-in ${s.kind}`;
          return { label: name, kind: monaco.languages.CompletionItemKind.Value, insertText: name, range, detail, sortText: String(i).padStart(6, "0") };
        });
        return { suggestions, incomplete: false };
      },
    });
  }
}
