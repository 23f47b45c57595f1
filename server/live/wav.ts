/**
 * A streaming WAV writer: 32-bit float (WAVE_FORMAT_IEEE_FLOAT with the
 * extensible-format fact chunk readers expect) or 16-bit PCM, written in
 * chunks so a long render never sits whole in memory. The header's sizes are
 * patched when the file is closed.
 * @module
 */
import { closeSync, openSync, writeSync } from "node:fs";

export type WavFormat = "f32" | "s16";

export class WavWriter {
  private readonly fd: number;
  private frames = 0;
  private closed = false;

  constructor(
    readonly path: string,
    readonly sampleRate: number,
    readonly channels: number,
    readonly format: WavFormat = "f32",
  ) {
    if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`WAV sample rate must be a positive integer (got ${sampleRate})`);
    if (!Number.isInteger(channels) || channels < 1 || channels > 64) throw new RangeError(`WAV channels must be 1..64 (got ${channels})`);
    this.fd = openSync(path, "w");
    writeSync(this.fd, this.header());
  }

  private get bytesPerSample(): number {
    return this.format === "f32" ? 4 : 2;
  }

  /** Appends interleaved frames (float samples in -1..1). */
  write(samples: Float32Array): void {
    if (this.closed) throw new Error(`WavWriter: ${this.path} is closed`);
    if (samples.length % this.channels !== 0) throw new RangeError(`WavWriter: ${samples.length} samples is not a whole number of ${this.channels}-channel frames`);
    let bytes: Uint8Array;
    if (this.format === "f32") {
      bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
    } else {
      const pcm = new Int16Array(samples.length);
      for (let i = 0; i < samples.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32767)));
      bytes = new Uint8Array(pcm.buffer);
    }
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.frames += samples.length / this.channels;
  }

  /** Patches the sizes into the header and closes the file; idempotent. */
  close(): { frames: number } {
    if (!this.closed) {
      this.closed = true;
      const header = this.header();
      writeSync(this.fd, header, 0, header.length, 0);
      closeSync(this.fd);
    }
    return { frames: this.frames };
  }

  private header(): Uint8Array {
    const float = this.format === "f32";
    const fmtSize = float ? 18 : 16;
    const dataBytes = this.frames * this.channels * this.bytesPerSample;
    const factSize = float ? 12 : 0;
    const size = 12 + 8 + fmtSize + factSize + 8;
    const b = new DataView(new ArrayBuffer(size));
    let o = 0;
    const str = (s: string) => { for (const ch of s) b.setUint8(o++, ch.charCodeAt(0)); };
    const u32 = (v: number) => { b.setUint32(o, v, true); o += 4; };
    const u16 = (v: number) => { b.setUint16(o, v, true); o += 2; };
    str("RIFF"); u32(size - 8 + dataBytes); str("WAVE");
    str("fmt "); u32(fmtSize);
    u16(float ? 3 : 1); u16(this.channels); u32(this.sampleRate);
    u32(this.sampleRate * this.channels * this.bytesPerSample); u16(this.channels * this.bytesPerSample); u16(this.bytesPerSample * 8);
    if (float) { u16(0); str("fact"); u32(4); u32(this.frames); }
    str("data"); u32(dataBytes);
    return new Uint8Array(b.buffer);
  }
}
