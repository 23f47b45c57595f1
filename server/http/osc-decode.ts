/**
 * A small OSC 1.0 decoder for the control port: messages and bundles
 * (nested), arguments of types i f d s S h T F N. Anything malformed throws
 * a RangeError that says what and where (the byte offset).
 * @module
 */

export type OscArg = number | string | boolean | null;
export type OscMessage = { address: string; args: OscArg[] };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Every message in a packet (a bundle's elements in order). */
export function decodeOsc(bytes: Uint8Array): OscMessage[] {
  const out: OscMessage[] = [];
  decodePacket(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength, out, 0);
  return out;
}

function decodePacket(view: DataView, start: number, end: number, out: OscMessage[], depth: number): void {
  if (depth > 8) throw new RangeError("OSC: bundles nested too deep");
  const [head, afterHead] = readString(view, start, end);
  if (head === "#bundle") {
    let p = afterHead + 8; // the time tag: the control port acts on arrival
    while (p < end) {
      if (p + 4 > end) throw new RangeError(`OSC: truncated bundle element size at byte ${p}`);
      const size = view.getInt32(p);
      p += 4;
      if (size < 0 || size % 4 !== 0 || p + size > end) throw new RangeError(`OSC: bad bundle element size ${size} at byte ${p - 4}`);
      decodePacket(view, p, p + size, out, depth + 1);
      p += size;
    }
    return;
  }
  if (!head.startsWith("/")) throw new RangeError(`OSC: an address starts with "/" (got "${head.slice(0, 40)}")`);
  const args: OscArg[] = [];
  if (afterHead >= end) {
    out.push({ address: head, args });
    return;
  }
  const [tags, afterTags] = readString(view, afterHead, end);
  if (!tags.startsWith(",")) throw new RangeError(`OSC: type tags start with "," (message ${head})`);
  let p = afterTags;
  for (const tag of tags.slice(1)) {
    const need = (n: number) => {
      if (p + n > end) throw new RangeError(`OSC: argument "${tag}" of ${head} runs past the end (byte ${p})`);
    };
    switch (tag) {
      case "i":
        need(4);
        args.push(view.getInt32(p));
        p += 4;
        break;
      case "f":
        need(4);
        args.push(view.getFloat32(p));
        p += 4;
        break;
      case "d":
        need(8);
        args.push(view.getFloat64(p));
        p += 8;
        break;
      case "h":
        need(8);
        args.push(Number(view.getBigInt64(p)));
        p += 8;
        break;
      case "s":
      case "S": {
        const [s, next] = readString(view, p, end);
        args.push(s);
        p = next;
        break;
      }
      case "T":
        args.push(true);
        break;
      case "F":
        args.push(false);
        break;
      case "N":
        args.push(null);
        break;
      default:
        throw new RangeError(`OSC: argument type "${tag}" of ${head} is not supported here (i f d h s S T F N are)`);
    }
  }
  out.push({ address: head, args });
}

/** A NUL-terminated string padded to 4 bytes: its text and the offset after it. */
function readString(view: DataView, start: number, end: number): [string, number] {
  let i = start;
  while (i < end && view.getUint8(i) !== 0) i++;
  if (i >= end) throw new RangeError(`OSC: unterminated string at byte ${start}`);
  const text = utf8.decode(new Uint8Array(view.buffer, view.byteOffset + start, i - start));
  return [text, (i + 4) & ~3];
}
