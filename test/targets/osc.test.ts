// The OSC encoder and the /dirt/play arguments, decoded by an independent
// OSC library (osc-min), and the frame -> wall-clock loop on synthetic pairs.
import { fromBuffer } from "osc-min";
import { describe, expect, test } from "vitest";
import { dirtGain, writeDirtArgs } from "../../server/targets/dirt-args.ts";
import { NTP_UNIX_OFFSET, OscBundleWriter } from "../../server/targets/osc.ts";
import { parseHostPort } from "../../server/targets/target.ts";
import { WallClock } from "../../server/targets/wall-clock.ts";

type Decoded = { oscType: string; timetag: [number, number]; elements: { address: string; args: { type: string; value: unknown }[] }[] };
const decode = (bytes: Uint8Array) => fromBuffer(new Uint8Array(bytes)) as unknown as Decoded;
const pairs = (args: { type: string; value: unknown }[]) => {
  const out: Record<string, [string, unknown]> = {};
  for (let i = 0; i < args.length; i += 2) out[args[i]!.value as string] = [args[i + 1]!.type, args[i + 1]!.value];
  return out;
};

describe("OSC bundle encoder", () => {
  test("one message in one bundle: address, strings (UTF-8 too), floats, ints, the NTP time tag", () => {
    const w = new OscBundleWriter();
    w.begin("/dirt/play");
    w.pair("s", "bd");
    w.pair("vowel", "ä");
    w.pair("speed", 1.5);
    w.pair("orbit", 3, true);
    w.string("long-key-name-of-17");
    w.float(-0.25);
    const unix = 1764633600.123456;
    const bytes = w.end(unix)!;
    expect(bytes.length % 4).toBe(0);
    const p = decode(bytes);
    expect(p.oscType).toBe("bundle");
    expect(p.elements).toHaveLength(1);
    expect(p.elements[0]!.address).toBe("/dirt/play");
    expect(pairs(p.elements[0]!.args)).toEqual({ s: ["string", "bd"], vowel: ["string", "ä"], speed: ["float", 1.5], orbit: ["integer", 3], "long-key-name-of-17": ["float", -0.25] });
    const [s, f] = p.timetag;
    expect(s).toBe(Math.floor(unix + NTP_UNIX_OFFSET));
    // 32.32 fixed point: within one fraction unit (233 ps) of the double's value
    expect(Math.abs(s + f / 2 ** 32 - (unix + NTP_UNIX_OFFSET))).toBeLessThan(1e-6);
  });

  test("the writer is reused: a second bundle does not carry the first one's arguments", () => {
    const w = new OscBundleWriter();
    w.begin("/dirt/play");
    for (let i = 0; i < 20; i++) w.pair(`k${i}`, i);
    w.end(0);
    w.begin("/dirt/play");
    w.pair("s", "sd");
    const p = decode(w.end(1)!);
    expect(p.elements[0]!.args.map((a) => a.value)).toEqual(["s", "sd"]);
  });

  test("arguments that do not fit give no bundle rather than a broken one", () => {
    const w = new OscBundleWriter(256);
    w.begin("/dirt/play");
    for (let i = 0; i < 40; i++) w.pair(`key${i}`, i);
    expect(w.end(0)).toBeUndefined();
  });
});

describe("/dirt/play arguments", () => {
  const info = { cps: 0.5, cycle: 3.25, delta: 0.5, id: "drums" };
  const args = (controls: Record<string, unknown>, curve: "strudel" | "tidal" = "strudel") => {
    const w = new OscBundleWriter();
    w.begin("/dirt/play");
    writeDirtArgs(w, controls, info, curve);
    return pairs(decode(w.end(0)!).elements[0]!.args);
  };

  test("Tidal's names and units: bank prefixed to s, note by MIDI number (Strudel's e4 = MIDI 64 = Tidal's note 4), legato, size, orbit int, cps cycle delta _id_", () => {
    const a = args({ s: "bd", bank: "RolandTR909", n: 3, note: "e4", clip: 0.5, roomsize: 2, room: 0.3, cutoff: 800, pan: 0.25, orbit: 2, unit: "c" });
    expect(a).toEqual({
      s: ["string", "RolandTR909bd"],
      n: ["float", 3],
      note: ["float", 4],
      gain: ["float", 1],
      legato: ["float", 0.5],
      size: ["float", 2],
      room: ["float", expect.closeTo(0.3, 6)],
      cutoff: ["float", 800],
      pan: ["float", 0.25],
      orbit: ["integer", 2],
      unit: ["string", "c"],
      cps: ["float", 0.5],
      cycle: ["float", 3.25],
      delta: ["float", 0.5],
      _id_: ["string", "drums"],
    });
    expect(args({ note: 60 }).note).toEqual(["float", 0]);
    expect(args({ note: 48.5 }).note).toEqual(["float", -11.5]);
  });

  test("gain: Strudel's linear gain as the same loudness under SuperDirt's 0.4 x gain^4, or Tidal's as given", () => {
    for (const g of [0, 0.25, 0.5, 1, 1.5]) {
      const sent = dirtGain({ gain: g }, "strudel");
      expect(0.4 * sent ** 4).toBeCloseTo(0.4 * g, 12);
      expect(dirtGain({ gain: g }, "tidal")).toBe(g);
    }
    expect(dirtGain({ gain: 0.5, velocity: 0.5 }, "tidal")).toBe(0.25);
    expect(args({ s: "bd" }, "tidal").gain).toEqual(["float", 1]);
  });

  test("MIDI and routing controls and internal ones stay home; non-finite numbers are not sent", () => {
    const a = args({ s: "bd", midichan: 2, ccn: 74, oschost: "10.0.0.2", oscport: 57121, _private: 1, speed: NaN, shape: 0.5 });
    expect(Object.keys(a).sort()).toEqual(["_id_", "cps", "cycle", "delta", "gain", "orbit", "s", "shape"]);
  });

  test("[HOST:]PORT", () => {
    expect(parseHostPort("57120", "--superdirt")).toEqual({ host: "127.0.0.1", port: 57120 });
    expect(parseHostPort("10.0.0.5:57121", "--superdirt")).toEqual({ host: "10.0.0.5", port: 57121 });
    expect(parseHostPort("[::1]:57120", "--superdirt")).toEqual({ host: "::1", port: 57120 });
    expect(() => parseHostPort("host:99999", "--superdirt")).toThrow(/--superdirt takes \[HOST:\]PORT.*"host:99999"/);
  });
});

describe("frames to wall-clock time (delay-locked loop)", () => {
  /**
   * A sound card 375 ppm fast against system time (as a JACK dummy driver
   * measured), blocks of 256 frames, each pair stamped late by the host by up
   * to 0.5 ms and, one block in fifty, by 8 ms: after the loop settles,
   * frames 0.5 s apart map to times 0.5 s apart (true) within 0.1 ms, and the
   * absolute error stays within the jitter.
   */
  test("follows a clock 375 ppm off through jittery, late pairs", () => {
    const nominal = 48000;
    const trueRate = nominal * 1.000375;
    const clock = new WallClock(nominal);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const t0 = 1764633600;
    const truth = (frame: number) => t0 + frame / trueRate;
    let worstSpacing = 0;
    let worstAbsolute = 0;
    for (let block = 1; block < (60 * trueRate) / 256; block++) {
      const frame = block * 256;
      const late = block % 50 === 0 ? 0.008 : random() * 0.0005;
      clock.update(frame, truth(frame) + late);
      const seconds = frame / trueRate;
      if (seconds > 5 && block % 20 === 0) {
        const spacing = clock.timeAt(frame + 24000) - clock.timeAt(frame);
        worstSpacing = Math.max(worstSpacing, Math.abs(spacing - 24000 / trueRate));
        worstAbsolute = Math.max(worstAbsolute, Math.abs(clock.timeAt(frame) - truth(frame)));
      }
    }
    expect(worstSpacing).toBeLessThan(1e-4);
    expect(worstAbsolute).toBeLessThan(0.001);
    expect(clock.rate / trueRate - 1).toBeLessThan(20e-6);
    expect(clock.outliers).toBeGreaterThan(0);
  });

  test("a clock that moved (a device restarted) is locked onto again", () => {
    const clock = new WallClock(48000);
    for (let f = 256; f < 48000 * 5; f += 256) clock.update(f, 1000 + f / 48000);
    for (let f = 48000 * 5; f < 48000 * 10; f += 256) clock.update(f, 1003 + f / 48000);
    expect(clock.locks).toBe(2);
    expect(Math.abs(clock.timeAt(48000 * 10) - (1003 + 10))).toBeLessThan(0.001);
  });
});
