// The ALSA sequencer path at its seam (native/midi_alsa_event.c): our MIDI
// byte records as snd_seq_event_t, field by field, and events back to bytes,
// byte for byte, through the real library over FFI. This machine has no
// /dev/snd/seq, so the client itself is tested for failing cleanly
// (test/targets/midi-alsa.test.ts), and what its thread holds before the
// kernel's queue (native/midi_alsa_pool.c) is run here on a pool of its own.
import { ptr } from "bun:ffi";
import { describe, expect, test } from "vitest";
import { encodeMidi, type MidiSink } from "../../server/targets/midi-bytes.ts";
import { native } from "../../server/engine/symbols.ts";
import { MIDI_KIND_CUT, MIDI_KIND_MESSAGE, MIDI_RECORD_BYTES } from "../../server/engine/midi.ts";

// snd_seq_event_t, as alsa/seq_event.h lays it out on Linux.
const SIZE = 28;
const TYPE = { NOTEON: 6, NOTEOFF: 7, KEYPRESS: 8, CONTROLLER: 10, PGMCHANGE: 11, CHANPRESS: 12, PITCHBEND: 13, CONTROL14: 14, NONREGPARAM: 15, REGPARAM: 16, SONGPOS: 20, CLOCK: 36, START: 30, CONTINUE: 31, STOP: 32, SYSEX: 130 } as const;
const FIXED = 0 << 2;
const VARIABLE = 1 << 2;

type Event = { type: number; flags: number; channel: number; note?: number; velocity?: number; param?: number; value?: number; extLen?: number; extPtr?: number };

function translate(bytes: number[]): { r: number; ev: Event; raw: Uint8Array; input: Uint8Array } {
  const input = new Uint8Array(bytes);
  const raw = new Uint8Array(SIZE).fill(0xee); // the call clears what it does not set
  const r = native().ost_alsa_midi_translate(input, input.length, raw);
  return { r, ev: read(raw), raw, input };
}

function read(raw: Uint8Array): Event {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return {
    type: raw[0]!,
    flags: raw[1]!,
    channel: raw[16]!,
    note: raw[17],
    velocity: raw[18],
    param: v.getUint32(20, true),
    value: v.getInt32(24, true),
    extLen: v.getUint32(16, true),
    extPtr: Number(v.getBigUint64(20, true)),
  };
}

function back(raw: Uint8Array, cap = 64): number[] {
  const out = new Uint8Array(cap);
  const n = native().ost_alsa_midi_bytes(raw, out, cap);
  return n < 0 ? [n] : [...out.subarray(0, n)];
}

/** An event as ALSA would deliver it (a kernel driver or another client). */
function event(type: number, fields: { channel?: number; param?: number; value?: number; note?: number; velocity?: number }): Uint8Array {
  const raw = new Uint8Array(SIZE);
  const v = new DataView(raw.buffer);
  raw[0] = type;
  raw[16] = fields.channel ?? 0;
  if (fields.note !== undefined) {
    raw[17] = fields.note;
    raw[18] = fields.velocity ?? 0;
  } else {
    v.setUint32(20, fields.param ?? 0, true);
    v.setInt32(24, fields.value ?? 0, true);
  }
  return raw;
}

const hex = (b: readonly number[]) => b.map((x) => x.toString(16).padStart(2, "0")).join(" ");

describe("ALSA sequencer seam: MIDI bytes to events", () => {
  test("the event struct is the size the test lays out", () => {
    expect(native().ost_alsa_midi_event_size()).toBe(SIZE);
  });

  test("note-on, note-off (its velocity kept), poly aftertouch: channel, note, velocity; the rest cleared", () => {
    const on = translate([0x92, 60, 100]);
    expect(on.r).toBe(1);
    expect(on.ev).toMatchObject({ type: TYPE.NOTEON, flags: FIXED, channel: 2, note: 60, velocity: 100 });
    // time, source, destination and queue are the caller's: cleared here
    expect([...on.raw.subarray(2, 16)]).toEqual(new Array(14).fill(0));
    expect(translate([0x8f, 61, 0]).ev).toMatchObject({ type: TYPE.NOTEOFF, channel: 15, note: 61, velocity: 0 });
    expect(translate([0x80, 61, 64]).ev).toMatchObject({ type: TYPE.NOTEOFF, velocity: 64 });
    expect(translate([0xa1, 62, 33]).ev).toMatchObject({ type: TYPE.KEYPRESS, channel: 1, note: 62, velocity: 33 });
  });

  test("CC, program change, channel pressure, pitch bend (signed around 0)", () => {
    expect(translate([0xb1, 74, 127]).ev).toMatchObject({ type: TYPE.CONTROLLER, channel: 1, param: 74, value: 127 });
    expect(translate([0xc0, 5]).ev).toMatchObject({ type: TYPE.PGMCHANGE, channel: 0, value: 5 });
    expect(translate([0xd3, 64]).ev).toMatchObject({ type: TYPE.CHANPRESS, channel: 3, value: 64 });
    expect(translate([0xe0, 0x00, 0x40]).ev).toMatchObject({ type: TYPE.PITCHBEND, value: 0 });
    expect(translate([0xe0, 0x7f, 0x7f]).ev).toMatchObject({ type: TYPE.PITCHBEND, value: 8191 });
    expect(translate([0xe0, 0x00, 0x00]).ev).toMatchObject({ type: TYPE.PITCHBEND, value: -8192 });
  });

  test("NRPN goes as its CC sequence, one controller event each, in order", () => {
    const messages: number[][] = [];
    const sink: MidiSink = { message: (_atEnd, length, b0, b1, b2) => messages.push([b0, b1, b2].slice(0, length)), sysex: (b) => messages.push([...b]) };
    encodeMidi({ nrpnn: 300, nrpv: 1000, midichan: 3 }, sink);
    const events = messages.map((m) => translate(m).ev);
    expect(events.map((e) => [e.type, e.channel, e.param, e.value])).toEqual([
      [TYPE.CONTROLLER, 2, 99, 2],
      [TYPE.CONTROLLER, 2, 98, 44],
      [TYPE.CONTROLLER, 2, 6, 7],
      [TYPE.CONTROLLER, 2, 38, 104],
    ]);
  });

  test("SysEx: one variable-length event pointing at the whole F0..F7 message (not copied)", () => {
    const t = translate([0xf0, 0x7d, 0x01, 0x02, 0x03, 0xf7]);
    expect(t.r).toBe(1);
    expect(t.ev.type).toBe(TYPE.SYSEX);
    expect(t.ev.flags & 0x0c).toBe(VARIABLE);
    expect(t.ev.extLen).toBe(6);
    expect(t.ev.extPtr).toBe(Number(ptr(t.input)));
  });

  test("system real-time and song position", () => {
    expect(translate([0xf8]).ev.type).toBe(TYPE.CLOCK);
    expect(translate([0xfa]).ev.type).toBe(TYPE.START);
    expect(translate([0xfb]).ev.type).toBe(TYPE.CONTINUE);
    expect(translate([0xfc]).ev.type).toBe(TYPE.STOP);
    expect(translate([0xf2, 0x10, 0x02]).ev).toMatchObject({ type: TYPE.SONGPOS, value: 0x110 });
  });

  test("malformed bytes are refused, not sent half-made", () => {
    expect(translate([0x90, 60]).r).toBe(-1); // short
    expect(translate([0x90, 60, 200]).r).toBe(-1); // data byte over 127
    expect(translate([0xf0, 0x7d, 0x01]).r).toBe(-1); // SysEx without its F7
    expect(translate([0xf0, 0x80, 0xf7]).r).toBe(-1);
    expect(translate([0x3c]).r).toBe(-1); // running status is not ours
    expect(translate([0xf4]).r).toBe(-1); // undefined system message
  });
});

describe("ALSA sequencer seam: events back to MIDI bytes", () => {
  test("every message we send comes back byte for byte", () => {
    const messages = [
      [0x90, 60, 114],
      [0x9f, 64, 1],
      [0x80, 60, 0],
      [0xa5, 10, 20],
      [0xb0, 74, 0],
      [0xb1, 123, 0],
      [0xc9, 127],
      [0xd0, 64],
      [0xe0, 0x00, 0x40],
      [0xe3, 0x7f, 0x7f],
      [0xe0, 0x00, 0x00],
      [0xe0, 0x12, 0x34],
      [0xf8],
      [0xfa],
      [0xfc],
      [0xf2, 0x05, 0x01],
      [0xf0, 0x43, 0x10, 0x4c, 0x00, 0x00, 0x7e, 0x00, 0xf7],
    ];
    for (const m of messages) expect(hex(back(translate(m).raw))).toBe(hex(m));
  });

  test("a 14-bit controller and (N)RPN events from other clients become the CC sequence a cable carries", () => {
    expect(hex(back(event(TYPE.CONTROL14, { channel: 1, param: 7, value: 1000 })))).toBe("b1 07 07 b1 27 68");
    expect(hex(back(event(TYPE.CONTROL14, { channel: 0, param: 64, value: 127 })))).toBe("b0 40 7f");
    expect(hex(back(event(TYPE.NONREGPARAM, { channel: 2, param: 300, value: 1000 })))).toBe("b2 63 02 b2 62 2c b2 06 07 b2 26 68");
    expect(hex(back(event(TYPE.REGPARAM, { channel: 0, param: 0, value: 2 << 7 })))).toBe("b0 65 00 b0 64 00 b0 06 02 b0 26 00");
  });

  test("out-of-range fields are clamped to MIDI, a buffer too small is OST_FULL, a non-MIDI event gives no bytes", () => {
    expect(hex(back(event(TYPE.PITCHBEND, { value: 20000 })))).toBe("e0 7f 7f");
    expect(hex(back(event(TYPE.CONTROLLER, { param: 7, value: 300 })))).toBe("b0 07 7f");
    expect(back(event(TYPE.NONREGPARAM, { param: 1, value: 1 }), 6)).toEqual([-11]);
    expect(back(event(66 /* SND_SEQ_EVENT_PORT_SUBSCRIBED */, {}))).toEqual([]);
  });

  test("a SysEx event is copied out whole", () => {
    const data = new Uint8Array([0xf0, 0x7e, 0x7f, 0x06, 0x01, 0xf7]);
    const raw = new Uint8Array(SIZE);
    const v = new DataView(raw.buffer);
    raw[0] = TYPE.SYSEX;
    raw[1] = VARIABLE;
    v.setUint32(16, data.length, true);
    v.setBigUint64(20, BigInt(ptr(data)), true);
    expect(hex(back(raw))).toBe("f0 7e 7f 06 01 f7");
    expect(back(raw, 4)).toEqual([-11]);
  });
});

/** Records as the MIDI target pushes them: [frame, tag, bytes] or a cut [frame, tag]. */
function records(list: { frame: number; tag: number; bytes?: number[] }[]): Uint8Array {
  const out = new Uint8Array(list.length * MIDI_RECORD_BYTES);
  const v = new DataView(out.buffer);
  list.forEach((r, i) => {
    const base = i * MIDI_RECORD_BYTES;
    v.setFloat64(base, r.frame, true);
    v.setUint32(base + 8, r.tag >>> 0, true);
    out[base + 13] = r.bytes ? MIDI_KIND_MESSAGE : MIDI_KIND_CUT;
    v.setUint16(base + 14, r.bytes?.length ?? 0, true);
    if (r.bytes) out.set(r.bytes, base + 16);
  });
  return out;
}

describe("ALSA client's pending messages (the pool its thread keeps before the kernel's queue)", () => {
  const RATE = 48000;
  // frame 0 is at wall-clock second 1000; the thread hands over what is due before `horizon`
  const map = { frame: 0, time: 1000, spf: 1 / RATE };
  const open = () => {
    const pool = native().ost_alsa_midi_pool_new();
    expect(pool).toBeTruthy();
    return pool!;
  };
  const hand = (pool: NonNullable<ReturnType<typeof open>>, horizon: number) => {
    const times = new Float64Array(64);
    const out = new Uint8Array(64 * MIDI_RECORD_BYTES);
    const n = native().ost_alsa_midi_pool_hand(pool, map.frame, map.time, map.spf, horizon, times, out, 64);
    const v = new DataView(out.buffer);
    return Array.from({ length: n }, (_, i) => ({
      frame: v.getFloat64(i * MIDI_RECORD_BYTES, true),
      time: times[i]!,
      bytes: hex([...out.subarray(i * MIDI_RECORD_BYTES + 16, i * MIDI_RECORD_BYTES + 16 + v.getUint16(i * MIDI_RECORD_BYTES + 14, true))]),
    }));
  };
  const push = (pool: NonNullable<ReturnType<typeof open>>, list: Parameters<typeof records>[0]) =>
    expect(native().ost_alsa_midi_pool_push(pool, records(list), list.length)).toBe(list.length);

  test("each message goes when its time is inside the window, stamped with its frame's wall-clock time, note-offs first within a frame", () => {
    const pool = open();
    try {
      push(pool, [
        { frame: 24000, tag: 1, bytes: [0x90, 62, 100] }, // the next note of the same key, pushed first
        { frame: 0, tag: 1, bytes: [0x90, 62, 100] },
        { frame: 24000, tag: 1, bytes: [0x80, 62, 0] },
        { frame: 48000, tag: 1, bytes: [0x80, 62, 0] },
      ]);
      expect(hand(pool, 999.9)).toEqual([]); // nothing due yet
      expect(hand(pool, 1000.04)).toEqual([{ frame: 0, time: 1000, bytes: "90 3e 64" }]);
      expect(hand(pool, 1000.54)).toEqual([
        { frame: 24000, time: 1000.5, bytes: "80 3e 00" },
        { frame: 24000, time: 1000.5, bytes: "90 3e 64" },
      ]);
      expect(hand(pool, 1002)).toEqual([{ frame: 48000, time: 1001, bytes: "80 3e 00" }]);
      expect(hand(pool, 1010)).toEqual([]); // each goes once
    } finally {
      native().ost_alsa_midi_pool_free(pool);
    }
  });

  test("a cut: the slot's pending note-offs move to it, never before a note-on already handed over; the rest of the slot is dropped, other slots play on", () => {
    const pool = open();
    try {
      push(pool, [
        { frame: 1200, tag: 7, bytes: [0x90, 60, 90] }, // handed over before the cut (inside the window)
        { frame: 48000, tag: 7, bytes: [0x80, 60, 0] },
        { frame: 24000, tag: 7, bytes: [0x90, 64, 90] }, // not yet handed: dropped
        { frame: 36000, tag: 7, bytes: [0x80, 64, 0] }, // its note-off: moved, harmless
        { frame: 24000, tag: 8, bytes: [0xb0, 74, 1] }, // another slot
      ]);
      expect(hand(pool, 1000.04).map((e) => e.bytes)).toEqual(["90 3c 5a"]);
      // The cut at frame 480, before the note-on already in the kernel's queue at 1200.
      push(pool, [{ frame: 480, tag: 7 }]);
      expect(hand(pool, 1000.04)).toEqual([
        { frame: 1200, time: 1000.025, bytes: "80 3c 00" },
        { frame: 1200, time: 1000.025, bytes: "80 40 00" },
      ]);
      expect(hand(pool, 1002)).toEqual([{ frame: 24000, time: 1000.5, bytes: "b0 4a 01" }]);
      // A hush (every slot) after that: its cut at a later frame moves what is pending there.
      push(pool, [
        { frame: 96000, tag: 8, bytes: [0x90, 67, 1] },
        { frame: 100000, tag: 8, bytes: [0x80, 67, 0] },
        { frame: 90000, tag: 0xffffffff },
      ]);
      expect(hand(pool, 1010)).toEqual([{ frame: 90000, time: 1000 + 90000 / RATE, bytes: "80 43 00" }]);
    } finally {
      native().ost_alsa_midi_pool_free(pool);
    }
  });
});
