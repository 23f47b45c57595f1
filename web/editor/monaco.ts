/**
 * The parts of Monaco the editor uses, and nothing else: the editor core,
 * the contributions a live coder needs (suggest, hover, parameter hints,
 * find, comments, multi-cursor, bracket matching, marker navigation), the
 * TypeScript tokenizer and language service. Left out on purpose: links
 * (nothing may open a page off this machine), quick fixes and the command
 * palette (their keys are ours), diff, folding, sticky scroll.
 *
 * The workers are bundled next to this file by web/build.ts and loaded
 * from the server: the editor worker (text diffs, word completion) and
 * the TypeScript worker (completion, hover and syntax checks).
 * @module
 */
import "monaco-editor/editor/browser/coreCommands.js";
import "monaco-editor/editor/browser/widget/codeEditor/codeEditorWidget.js";
import "monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching.js";
import "monaco-editor/editor/contrib/caretOperations/browser/caretOperations.js";
import "monaco-editor/editor/contrib/caretOperations/browser/transpose.js";
import "monaco-editor/editor/contrib/clipboard/browser/clipboard.js";
import "monaco-editor/editor/contrib/comment/browser/comment.js";
import "monaco-editor/editor/contrib/contextmenu/browser/contextmenu.js";
import "monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo.js";
import "monaco-editor/editor/contrib/find/browser/findController.js";
import "monaco-editor/editor/contrib/fontZoom/browser/fontZoom.js";
import "monaco-editor/editor/contrib/gotoError/browser/gotoError.js";
import "monaco-editor/editor/contrib/hover/browser/hoverContribution.js";
import "monaco-editor/editor/contrib/indentation/browser/indentation.js";
import "monaco-editor/editor/contrib/lineSelection/browser/lineSelection.js";
import "monaco-editor/editor/contrib/linesOperations/browser/linesOperations.js";
import "monaco-editor/editor/contrib/multicursor/browser/multicursor.js";
import "monaco-editor/editor/contrib/parameterHints/browser/parameterHints.js";
import "monaco-editor/editor/contrib/smartSelect/browser/smartSelect.js";
import "monaco-editor/editor/contrib/snippet/browser/snippetController2.js";
import "monaco-editor/editor/contrib/suggest/browser/suggestController.js";
import "monaco-editor/editor/contrib/tokenization/browser/tokenization.js";
import "monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter.js";
import "monaco-editor/editor/contrib/wordOperations/browser/wordOperations.js";
import "monaco-editor/editor/contrib/wordPartOperations/browser/wordPartOperations.js";
import "monaco-editor/editor/common/standaloneStrings.js";
import "../../node_modules/monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon.css";
import "../../node_modules/monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon-modifiers.css";
import "monaco-editor/languages/definitions/typescript/register.js";
import * as monaco from "monaco-editor/editor/editor.api.js";
import { typescriptDefaults } from "monaco-editor/languages/features/typescript/register.js";

export { monaco, typescriptDefaults };
export type Monaco = typeof monaco;
export type Editor = monaco.editor.IStandaloneCodeEditor;
export type Model = monaco.editor.ITextModel;

/** Worker files, as web/build.ts names them in web/dist. */
export const WORKERS = { editor: "editor.worker.js", typescript: "ts.worker.js" } as const;

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_moduleId: string, label: string): Worker {
    const file = label === "typescript" || label === "javascript" ? WORKERS.typescript : WORKERS.editor;
    return new Worker(new URL(file, document.baseURI), { type: "module", name: label });
  },
};
