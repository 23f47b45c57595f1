/**
 * Where a samples(...) source lives on the web: `github:user/repo[/branch][/path]`
 * is that folder's strudel.json under the GitHub base (raw.githubusercontent.com
 * unless --github-base or OSTINATO_GITHUB_BASE says otherwise, so tests
 * point it at 127.0.0.1); an http(s) URL is a strudel.json itself, or a
 * folder holding one. Files in a map are taken from its `_base`, else from
 * the folder of the JSON they came from.
 * @module
 */

export const DEFAULT_GITHUB_BASE = "https://raw.githubusercontent.com";

export class SourceError extends Error {}

/** The GitHub base: the option, else $OSTINATO_GITHUB_BASE, else raw.githubusercontent.com. */
export function githubBase(option?: string, env: Record<string, string | undefined> = process.env): string {
  return (option || env.OSTINATO_GITHUB_BASE || DEFAULT_GITHUB_BASE).replace(/\/+$/, "");
}

/** True for a source that names something on the web rather than on disk. */
export function isRemote(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source);
}

/** True for an absolute http(s) URL. */
export function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** The URL of the strudel.json a remote source names. */
export function mapUrl(source: string, base = githubBase()): string {
  if (source.startsWith("github:")) {
    const parts = source.slice("github:".length).split("/").filter(Boolean);
    if (parts.length < 2) throw new SourceError(`samples("${source}"): a GitHub source is github:user/repo[/branch][/path]`);
    const [user, repo, branch = "main", ...path] = parts;
    const json = path.at(-1)?.endsWith(".json") ? [] : ["strudel.json"];
    return [base, user, repo, branch, ...path, ...json].join("/");
  }
  if (isUrl(source)) return /\.json($|\?)/i.test(source) ? source : `${source.replace(/\/+$/, "")}/strudel.json`;
  const scheme = source.slice(0, source.indexOf(":"));
  throw new SourceError(`samples("${source}"): "${scheme}:" sources are not supported here; give github:user/repo, an http(s) URL of a strudel.json, or a local folder`);
}

/** The base files of a map fetched from `url` are taken from: its `_base` (absolute, or relative to the URL), else the URL's folder. */
export function mapBase(url: string, base: unknown): string {
  const folder = new URL(".", url).href;
  if (typeof base !== "string" || !base) return folder;
  const resolved = new URL(base, folder).href;
  return resolved.endsWith("/") ? resolved : `${resolved}/`;
}

/**
 * The sample maps strudel.cc loads by default (its drum machines, piano,
 * VCSL instruments, Dirt-Samples, mridangam and the uzu drum kit), as
 * github: sources, so that --github-base points them elsewhere too.
 */
export const STRUDEL_DEFAULTS = [
  "github:tidalcycles/dirt-samples",
  "github:felixroos/dough-samples/main/tidal-drum-machines.json",
  "github:felixroos/dough-samples/main/piano.json",
  "github:felixroos/dough-samples/main/vcsl.json",
  "github:felixroos/dough-samples/main/mridangam.json",
  "github:tidalcycles/uzu-drumkit",
];
