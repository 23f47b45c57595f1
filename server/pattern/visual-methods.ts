/**
 * The drawing methods the editor draws, shared by the pattern library (which
 * tags haps with where the call is), the transpiler (which passes that
 * place) and the editor (which finds the same calls in the text). `_name`
 * draws inline, under its line; `name` in the editor's visual panel.
 * @module
 */
export const VISUAL_KINDS = ["pianoroll", "punchcard", "scope", "tscope", "fscope", "spiral", "pitchwheel", "spectrum"] as const;
export type VisualKind = (typeof VISUAL_KINDS)[number];

export const VISUAL_METHODS: ReadonlySet<string> = new Set(VISUAL_KINDS.flatMap((m) => [m, `_${m}`]));
