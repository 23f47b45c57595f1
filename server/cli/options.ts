/**
 * Shared command-line parsing for ostinato's commands: node:util's
 * parseArgs, with errors that name the option and show the command's help.
 * @module
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { reportFailure } from "./failure.ts";

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses `args`; throws UsageError with the command name for unknown or malformed options. */
export function parseCommand<O extends Options>(command: string, args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { help: { type: "boolean", short: "h" }, ...options }, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(`ostinato ${command}: ${(err as Error).message}`);
  }
}

/** A number option, checked against a range, or undefined when absent. */
export function numberOption(name: string, value: string | undefined, min: number, max: number, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${integer ? "a whole number" : "a number"} from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

/** A device given on the command line: a PortAudio index when all digits, else a name. */
export function deviceOption(value: string | undefined): string | number | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * Runs a command body. A usage error is one line and exit code 2 (the whole
 * help when the command was given nothing at all); any other failure is one
 * line and exit code 1 (see failure.ts).
 */
export async function withUsage(command: string, args: string[], help: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError && args.length === 0) {
      console.error(help);
      return 2;
    }
    return reportFailure(command, err);
  }
}

/**
 * --cache and --github-base: they set OSTINATO_CACHE and OSTINATO_GITHUB_BASE
 * for this process, so its live workers and sample libraries use them.
 */
export function cacheOptions(values: { cache?: string; "github-base"?: string }): void {
  if (values.cache !== undefined) process.env.OSTINATO_CACHE = resolve(values.cache);
  if (values["github-base"] !== undefined) {
    if (!/^https?:\/\//i.test(values["github-base"])) throw new UsageError(`--github-base must be an http(s) URL (got "${values["github-base"]}")`);
    process.env.OSTINATO_GITHUB_BASE = values["github-base"];
  }
}

/** The parseArgs entries of cacheOptions. */
export const CACHE_OPTIONS = { cache: { type: "string" }, "github-base": { type: "string" } } as const;

/** --samples values, each an existing folder or file (resolved) or a remote source (github:..., a URL); a missing one is a usage error. */
export function samplesOption(values: string[] | undefined): string[] | undefined {
  return values?.map((v) => {
    const full = resolve(v);
    if (/^(github:|https?:\/\/)/i.test(v)) return v;
    if (!existsSync(full)) throw new UsageError(`--samples ${v}: no such folder or JSON file (${full}); give a Dirt-Samples folder or a JSON sample map`);
    return full;
  });
}

/** --route ORBIT:CHANNEL values: an orbit to the output channel pair starting at CHANNEL (even). */
export function routeOptions(values: string[] | undefined): [number, number][] {
  return (values ?? []).map((v) => {
    const m = /^(\d+):(\d+)$/.exec(v);
    if (!m || Number(m[2]) % 2 !== 0) throw new UsageError(`--route takes ORBIT:CHANNEL, CHANNEL the first (even) channel of a pair, e.g. 1:2 (got "${v}")`);
    return [Number(m[1]), Number(m[2])];
  });
}

/** --record FILE: a take is a 32-bit float WAV, so its name says .wav (a WAV named .mp3 helps no one). */
export function recordOption(value: string | undefined): string | undefined {
  if (value !== undefined && !/\.wav$/i.test(value)) throw new UsageError(`--record ${value}: a take is a 32-bit float WAV; name it .wav (render converts to other formats)`);
  return value;
}

/** --standby / --no-standby (serve, play): a standby live worker forced on or off, else on unless the CPU quota is below one core. */
export const STANDBY_OPTIONS = { standby: { type: "boolean" }, "no-standby": { type: "boolean" } } as const;

export function standbyOption(values: { standby?: boolean; "no-standby"?: boolean }): boolean | "auto" {
  if (values.standby && values["no-standby"]) throw new UsageError("--standby and --no-standby contradict each other: give one");
  return values.standby ? true : values["no-standby"] ? false : "auto";
}
