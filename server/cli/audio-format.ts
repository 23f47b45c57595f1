/**
 * Which audio file `render -o FILE` writes: from --format, else from the
 * file's extension; anything else is refused (a WAV named .mp3 helps no one).
 * @module
 */
import { extname } from "node:path";
import { AUDIO_FILE_FORMATS, type AudioFileFormat } from "../engine/index.ts";
import { UsageError } from "./options.ts";

const BY_EXTENSION: Record<string, AudioFileFormat> = {
  ".wav": "wav-float", ".flac": "flac16", ".ogg": "ogg", ".oga": "ogg", ".mp3": "mp3", ".aif": "aiff16", ".aiff": "aiff16",
};

/** Short names for --format, beside the engine's own (wav16, wav24, ...). */
const ALIASES: Record<string, AudioFileFormat> = { wav: "wav-float", flac: "flac16", aiff: "aiff16", vorbis: "ogg" };

export function audioFormat(out: string, format: string | undefined): AudioFileFormat {
  if (format !== undefined) {
    const f = ALIASES[format] ?? AUDIO_FILE_FORMATS.find((x) => x === format);
    if (!f) throw new UsageError(`--format must be one of ${[...new Set([...Object.keys(ALIASES), ...AUDIO_FILE_FORMATS])].join(", ")} (got "${format}")`);
    return f;
  }
  const ext = extname(out).toLowerCase();
  const f = BY_EXTENSION[ext];
  if (!f) throw new UsageError(`-o ${out}: ${ext ? `"${ext}" is not an audio format ostinato writes` : "no file extension"}; end it in .wav, .flac, .ogg, .mp3 or .aiff, or give --format`);
  return f;
}
