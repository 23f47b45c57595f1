/**
 * How a command that failed says so: one line on stderr naming what went
 * wrong and what to do, never a stack trace (OSTINATO_DEBUG=1 shows it), and
 * the exit code: 2 for a usage error (the command line was wrong), 1 for a
 * failure (the command line was right, the machine said no).
 * @module
 */
import { EngineError } from "../engine/index.ts";
import { SampleError } from "../engine/samples.ts";
import { UsageError } from "./options.ts";

/** A failure the command has already put in words (exit 1). */
export class CommandFailure extends Error {}

const DEVICES_HINT = 'list the devices with "npx ostinato devices", or use --backend null (no sound)';

/** The one line for `err`, and the exit code. */
export function describeFailure(command: string, err: unknown): { line: string; code: number } {
  const say = (text: string, code = 1) => ({ line: `ostinato ${command}: ${text}`, code });
  if (err instanceof UsageError) return say(`${err.message.replace(/^ostinato \w+: /, "")}; see "npx ostinato ${command} --help"`, 2);
  if (err instanceof CommandFailure) return say(err.message);
  if (err instanceof SampleError) return say(err.message, 2);
  if (err instanceof EngineError) {
    const text = err.message.replace(/^[\w.]+: /, "");
    return say(err.context === "Engine.open" && err.code === -5 ? `${text}; ${DEVICES_HINT}` : text);
  }
  const sys = err as NodeJS.ErrnoException & { port?: number };
  if (sys?.code === "EADDRINUSE") return say(`port ${sys.port ?? ""} is in use (another ostinato?); stop that one or pick another with --port (0 picks a free one)`);
  if (sys?.code === "EACCES" && sys.syscall === "listen") return say(`not allowed to listen on that port; pick one above 1023 with --port`);
  if (typeof sys?.code === "string" && sys.path) return say(`${sys.path}: ${FILE_ERRORS[sys.code] ?? sys.code}`);
  const message = err instanceof Error ? err.message : String(err);
  return say(`${message.split("\n")[0]} (OSTINATO_DEBUG=1 shows where)`);
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  ENOSPC: "the disk is full",
  EISDIR: "is a folder, not a file",
  ENOTDIR: "a part of the path is not a folder",
  EROFS: "the file system is read-only",
};

/** Prints the failure's line (and, with OSTINATO_DEBUG=1, the stack); the exit code. */
export function reportFailure(command: string, err: unknown): number {
  const { line, code } = describeFailure(command, err);
  console.error(line);
  if (process.env.OSTINATO_DEBUG && err instanceof Error) console.error(err.stack);
  return code;
}
