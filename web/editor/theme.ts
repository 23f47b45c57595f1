/**
 * A dark stage theme: near-black background, large type, colours that
 * stay apart under a projector. Mini-notation strings, where the music
 * is, get the brightest colour; comments stay readable, not faded.
 * @module
 */
import type { Monaco } from "./monaco.ts";

export const THEME = "ostinato-stage";

export const STAGE = {
  background: "#0a0c10",
  panel: "#11151c",
  text: "#eef1f5",
  dim: "#9aa6b8",
  string: "#ffd75e",
  func: "#6cd4ff",
  number: "#ff9e64",
  keyword: "#ff7ab8",
  comment: "#8b9ab0",
  active: "#ffd600",
  error: "#ff4d5e",
  ok: "#3ddc84",
} as const;

export function defineStageTheme(monaco: Monaco): void {
  monaco.editor.defineTheme(THEME, {
    base: "vs-dark",
    inherit: true,
    rules: [
      { token: "", foreground: STAGE.text.slice(1), background: STAGE.background.slice(1) },
      { token: "string", foreground: STAGE.string.slice(1) },
      { token: "string.escape", foreground: "ffb454" },
      { token: "number", foreground: STAGE.number.slice(1) },
      { token: "keyword", foreground: STAGE.keyword.slice(1) },
      { token: "comment", foreground: STAGE.comment.slice(1), fontStyle: "italic" },
      { token: "identifier", foreground: STAGE.text.slice(1) },
      { token: "type.identifier", foreground: STAGE.func.slice(1) },
      { token: "delimiter", foreground: "c0c8d4" },
      { token: "regexp", foreground: "ff9e64" },
    ],
    colors: {
      "editor.background": STAGE.background,
      "editor.foreground": STAGE.text,
      "editorLineNumber.foreground": "#4f5b6d",
      "editorLineNumber.activeForeground": "#c9d1dc",
      "editor.lineHighlightBackground": "#161b24",
      "editor.lineHighlightBorder": "#161b24",
      "editor.selectionBackground": "#2b4a78",
      "editor.inactiveSelectionBackground": "#22344f",
      "editorCursor.foreground": "#ffffff",
      "editorWhitespace.foreground": "#2a313d",
      "editorIndentGuide.background1": "#1d232d",
      "editorError.foreground": STAGE.error,
      "editorWarning.foreground": "#ffb454",
      "editorBracketMatch.background": "#2b3a55",
      "editorBracketMatch.border": "#6cd4ff",
      "editorSuggestWidget.background": "#141a23",
      "editorSuggestWidget.border": "#2b3545",
      "editorSuggestWidget.selectedBackground": "#24344d",
      "editorHoverWidget.background": "#141a23",
      "editorHoverWidget.border": "#2b3545",
      "scrollbarSlider.background": "#ffffff18",
      "scrollbarSlider.hoverBackground": "#ffffff30",
    },
  });
}
