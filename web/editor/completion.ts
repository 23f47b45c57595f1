/**
 * Completion, hover docs and signature help for the pattern language: the
 * declaration file generated from the library's reference (dts.ts) fed to
 * Monaco's TypeScript service. Buffers are TypeScript models (a program may
 * be TypeScript or JavaScript; the server strips types), checked for syntax
 * only: a pattern program is not meant to satisfy a type checker, and red
 * squiggles under working code would be noise on stage.
 * @module
 */
import { PATTERN_DTS_FILE } from "./dts.ts";
import { typescriptDefaults } from "./monaco.ts";

/** Where the declarations live in the language service's virtual file system. */
export const PATTERN_LIB_URI = "ts:ostinato/patterns.d.ts";

/** Configures the TypeScript service; the declarations arrive from the server (same origin) a moment later. */
export async function installPatternLanguage(): Promise<void> {
  typescriptDefaults.setCompilerOptions({
    target: 99, // ESNext
    lib: ["es2022"], // no DOM: its thousands of names would bury the pattern functions
    allowNonTsExtensions: true,
    allowJs: true,
    noLib: false,
    strict: false,
  });
  typescriptDefaults.setDiagnosticsOptions({
    noSemanticValidation: true,
    noSyntaxValidation: false,
    noSuggestionDiagnostics: true,
  });
  typescriptDefaults.setModeConfiguration({
    completionItems: true,
    hovers: true,
    signatureHelp: true,
    diagnostics: true,
    documentHighlights: true,
    documentSymbols: false,
    definitions: false,
    references: false,
    rename: false,
    documentRangeFormattingEdits: false,
    onTypeFormattingEdits: false,
    codeActions: false,
    inlayHints: false,
  });
  typescriptDefaults.setEagerModelSync(true);
  const res = await fetch(PATTERN_DTS_FILE, { cache: "no-cache" });
  if (!res.ok) throw new Error(`${PATTERN_DTS_FILE}: HTTP ${res.status}`);
  typescriptDefaults.addExtraLib(await res.text(), PATTERN_LIB_URI);
}
