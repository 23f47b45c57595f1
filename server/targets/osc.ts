/**
 * A small OSC 1.0 encoder: one message in one bundle, which is all SuperDirt
 * needs (Tidal sends one `/dirt/play` per bundle, timed by the bundle's time
 * tag). It writes into one buffer it owns and reuses, so encoding an event
 * allocates nothing: strings are encoded in place, the type tags are
 * collected while the arguments are written and copied in front at the end.
 *
 * Layout (OSC 1.0): "#bundle\0", an NTP time tag (seconds since 1900, 32.32
 * fixed point), then each element as an int32 size and its bytes; a message
 * is the address, the type tag string ",sfi...", then the arguments, every
 * string NUL-terminated and padded to 4 bytes, numbers big-endian.
 * @module
 */

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
export const NTP_UNIX_OFFSET = 2208988800;

const MAX_ARGS = 128;
const utf8 = new TextEncoder();

export class OscBundleWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  /** Write position in the arguments area. */
  private pos = 0;
  private count = 0;
  private readonly tags = new Uint8Array(MAX_ARGS);
  /** Where the message's arguments start: after the bundle head, the size, and room for address and tags. */
  private argsStart = 0;
  private address = "";
  private overflow = false;

  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Starts a message; the arguments are written at an offset that leaves room for the address and the type tags. */
  begin(address: string): void {
    this.address = address;
    this.count = 0;
    this.overflow = false;
    // bundle head (8) + time tag (8) + element size (4) + address (padded) + tags (padded, worst case)
    this.argsStart = 20 + padded(utf8ByteLength(address) + 1) + padded(MAX_ARGS + 2);
    this.pos = this.argsStart;
  }

  string(value: string): void {
    if (!this.room(padded(value.length * 3 + 1), 115)) return;
    const written = encodeString(this.bytes, this.pos, value);
    const end = this.pos + padded(written + 1);
    this.bytes.fill(0, this.pos + written, end);
    this.pos = end;
  }

  float(value: number): void {
    if (!this.room(4, 102)) return;
    this.view.setFloat32(this.pos, value);
    this.pos += 4;
  }

  int(value: number): void {
    if (!this.room(4, 105)) return;
    this.view.setInt32(this.pos, value | 0);
    this.pos += 4;
  }

  /** A key and its value, as SuperDirt reads its arguments. */
  pair(key: string, value: number | string, integer = false): void {
    this.string(key);
    if (typeof value === "string") this.string(value);
    else if (integer) this.int(value);
    else this.float(value);
  }

  /**
   * Finishes the bundle with its time tag (Unix seconds, CLOCK_REALTIME) and
   * returns the view of the encoded bytes (valid until the next begin), or
   * undefined when the arguments did not fit.
   */
  end(unixSeconds: number): Uint8Array | undefined {
    if (this.overflow) return undefined;
    // Address and type tags go right before the arguments, the bundle head before them.
    const tagsLength = padded(this.count + 2);
    const addressLength = padded(utf8ByteLength(this.address) + 1);
    const start = this.argsStart - tagsLength - addressLength - 20;
    let p = start;
    p = writeAscii(this.bytes, p, "#bundle", 8);
    writeTimeTag(this.view, p, unixSeconds);
    p += 8;
    this.view.setInt32(p, this.pos - (p + 4));
    p += 4;
    const written = encodeString(this.bytes, p, this.address);
    this.bytes.fill(0, p + written, p + addressLength);
    p += addressLength;
    this.bytes[p] = 44; // ','
    this.bytes.set(this.tags.subarray(0, this.count), p + 1);
    this.bytes.fill(0, p + 1 + this.count, p + tagsLength);
    return this.bytes.subarray(start, this.pos);
  }

  private room(bytes: number, tag: number): boolean {
    if (this.overflow || this.count >= MAX_ARGS || this.pos + bytes > this.bytes.length) {
      this.overflow = true;
      return false;
    }
    this.tags[this.count++] = tag;
    return true;
  }
}

/** An NTP time tag (32-bit seconds since 1900, 32-bit fraction) for Unix seconds. */
export function writeTimeTag(view: DataView, at: number, unixSeconds: number): void {
  const ntp = unixSeconds + NTP_UNIX_OFFSET;
  const seconds = Math.floor(ntp);
  let fraction = Math.round((ntp - seconds) * 4294967296);
  let whole = seconds;
  if (fraction >= 4294967296) {
    fraction -= 4294967296;
    whole++;
  }
  view.setUint32(at, whole >>> 0);
  view.setUint32(at + 4, fraction >>> 0);
}

/** Writes a string's UTF-8 bytes at `at`; ASCII (every control name) without allocating. */
function encodeString(bytes: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return utf8.encodeInto(s, bytes.subarray(at)).written;
    bytes[at + i] = c;
  }
  return s.length;
}

const padded = (n: number) => (n + 3) & ~3;

function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function writeAscii(bytes: Uint8Array, at: number, s: string, size: number): number {
  for (let i = 0; i < size; i++) bytes[at + i] = i < s.length ? s.charCodeAt(i) : 0;
  return at + size;
}
