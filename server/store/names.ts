/**
 * Names of pattern files and buffers. A name is one path segment, so no
 * request can read or write outside the store's directory.
 * @module
 */

/** Extensions a pattern file may have; a name without one gets `.js`. */
export const PATTERN_EXTENSIONS = [".js", ".ts", ".mjs", ".strudel"] as const;

const NAME = /^[A-Za-z0-9_][A-Za-z0-9 _.()+-]{0,99}$/;

/** Thrown for a name the store refuses; `message` says what a name may be. */
export class InvalidNameError extends Error {
  constructor(readonly input: string) {
    super(
      `invalid name ${JSON.stringify(input.slice(0, 120))}: a name is 1-100 characters of letters, digits, ` +
        `space, _ . ( ) + -, starts with a letter, digit or _, and contains no path separator or ".."`,
    );
    this.name = "InvalidNameError";
  }
}

/** Checks a bare name (buffer names, history keys). */
export function checkName(input: string): string {
  if (typeof input !== "string" || !NAME.test(input) || input.includes("..")) throw new InvalidNameError(String(input));
  return input;
}

/** The file name of a pattern: the name itself if it has a known extension, else name + ".js". */
export function patternFileName(input: string): string {
  const name = checkName(input);
  return PATTERN_EXTENSIONS.some((ext) => name.endsWith(ext)) ? name : `${name}.js`;
}
