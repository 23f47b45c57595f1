/**
 * Mini-notation: Tidal's little language for sequences inside strings
 * ("bd*2 [~ bd] <sd cp>"), parsed with source positions.
 * @module
 */
export { MiniSyntaxError } from "./error.ts";
export { type MiniNode, type MiniStep, parseMini } from "./parse.ts";
export { type Token, tokenize } from "./tokenize.ts";
export { type MiniOptions, mini } from "./to-pattern.ts";
