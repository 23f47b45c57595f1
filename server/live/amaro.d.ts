// amaro (Node's TypeScript stripper) ships no declarations; this is the one call we use.
declare module "amaro" {
  /** strip-only: type annotations become spaces, so every position stays where it was. Throws a string on a syntax error. */
  export function transformSync(source: string, options: { mode: "strip-only" }): { code: string };
}
