/** Reads WAV files (float32, or 16/24/32-bit PCM): a mix's levels, or its samples. */
/** A WAV file's frames and RMS per channel, dB. */
import { readFileSync } from "node:fs";

export function wavLevels(path: string): { frames: number; rmsDb: number[] } {
  const { frames, channels } = wavRead(path);
  return { frames, rmsDb: channels.map((x) => { let s = 0; for (const v of x) s += v * v; return Number((10 * Math.log10(s / Math.max(1, frames))).toFixed(2)); }) };
}

/** Reads a WAV file's samples, one Float32Array per channel. */
export function wavRead(path: string): { frames: number; channels: Float32Array[] } {
  const b = readFileSync(path);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const text = (o: number) => String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);
  if (text(0) !== "RIFF" || text(8) !== "WAVE") throw new Error(`${path}: not a WAV file`);
  let off = 12, tag = 0, ch = 0, bits = 0, start = 0, size = 0;
  while (off + 8 <= b.length) {
    const id = text(off);
    let len = v.getUint32(off + 4, true);
    if (id === "fmt ") {
      tag = v.getUint16(off + 8, true), ch = v.getUint16(off + 10, true), bits = v.getUint16(off + 22, true);
      if (tag === 0xfffe) tag = v.getUint16(off + 32, true);
    } else if (id === "data") {
      if (len === 0 || len === 0xffffffff || off + 8 + len > b.length) len = b.length - off - 8;
      start = off + 8, size = len;
      break;
    }
    off += 8 + len + (len & 1);
  }
  const bytes = bits / 8, frames = Math.floor(size / (bytes * ch));
  const read = tag === 3 && bits === 32 ? (o: number) => v.getFloat32(o, true)
    : bits === 16 ? (o: number) => v.getInt16(o, true) / 32768
    : bits === 32 ? (o: number) => v.getInt32(o, true) / 2147483648
    : bits === 24 ? (o: number) => ((v.getUint8(o) | (v.getUint8(o + 1) << 8) | (v.getInt8(o + 2) << 16)) / 8388608) : null;
  if (!read) throw new Error(`${path}: unsupported WAV format ${tag}/${bits}`);
  const channels = Array.from({ length: ch }, () => new Float32Array(frames));
  for (let i = 0, o = start; i < frames; i++) for (let c = 0; c < ch; c++, o += bytes) channels[c]![i] = read(o);
  return { frames, channels };
}
