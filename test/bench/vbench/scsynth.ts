/**
 * The vbench workloads for SuperCollider's scsynth in non-real-time mode,
 * written directly as binary files: the SynthDefs (SCgf version 2, as
 * documented in SuperCollider's "Synth Definition File Format") and the OSC
 * score. No sclang needed.
 * Voice A: Saw.ar -> BLowPass.ar (RBJ, rq 1/Q) -> * EnvGen.ar(lin 5 ms up, 500 ms down, doneAction 2) -> Pan2.ar -> Out.ar.
 * Voice B: the same without the envelope. Saw.ar spans +-0.5, so Pan2's level is amp * 2.
 * @module
 */
import { A_ATTACK, A_DECAY, LPF_CUTOFF, LPF_Q, SAW_PROBE, type Workload } from "./workload.ts";

export class Writer {
  #parts: number[] = [];
  i8(v: number) { this.#parts.push(v & 0xff); return this; }
  i16(v: number) { this.#parts.push((v >> 8) & 0xff, v & 0xff); return this; }
  i32(v: number) { this.#parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff); return this; }
  f32(v: number) { const b = new DataView(new ArrayBuffer(4)); b.setFloat32(0, v); return this.bytes(new Uint8Array(b.buffer)); }
  bytes(b: Uint8Array) { for (const x of b) this.#parts.push(x); return this; }
  pstring(s: string) { this.i8(s.length); for (const c of s) this.#parts.push(c.charCodeAt(0)); return this; }
  /** OSC string: NUL-terminated, padded to 4 bytes. */
  ostring(s: string) { for (const c of s) this.#parts.push(c.charCodeAt(0)); do this.#parts.push(0); while (this.#parts.length % 4); return this; }
  get length() { return this.#parts.length; }
  done() { return new Uint8Array(this.#parts); }
}

export const SCALAR = 0, CONTROL = 1, AUDIO = 2;
export type Input = { ugen: number; out: number } | { constant: number };
export interface UGen { name: string; rate: number; inputs: Input[]; outputs: number; special?: number }

export function synthDef(name: string, params: [string, number][], ugens: UGen[]): Uint8Array {
  const constants: number[] = [];
  const constIndex = (v: number) => {
    let i = constants.indexOf(v);
    if (i < 0) i = constants.push(v) - 1;
    return i;
  };
  for (const u of ugens) for (const input of u.inputs) if ("constant" in input) constIndex(input.constant);
  const w = new Writer().pstring(name).i32(constants.length);
  for (const c of constants) w.f32(c);
  w.i32(params.length);
  for (const [, v] of params) w.f32(v);
  w.i32(params.length);
  params.forEach(([p], i) => w.pstring(p).i32(i));
  w.i32(ugens.length);
  for (const u of ugens) {
    w.pstring(u.name).i8(u.rate).i32(u.inputs.length).i32(u.outputs).i16(u.special ?? 0);
    for (const input of u.inputs) {
      if ("constant" in input) w.i32(-1).i32(constIndex(input.constant));
      else w.i32(input.ugen).i32(input.out);
    }
    for (let o = 0; o < u.outputs; o++) w.i8(u.rate === SCALAR ? SCALAR : u.rate);
  }
  w.i16(0); // no variants
  return w.done();
}

export const c = (constant: number): Input => ({ constant });
export const u = (ugen: number, out = 0): Input => ({ ugen, out });
export const MUL = 2; // BinaryOpUGen special index of '*'

/** The SynthDef file (SCgf v2) with vbA and vbB. */
export function synthDefFile(ampA: number, ampB: number): Uint8Array {
  const control = { name: "Control", rate: CONTROL, inputs: [], outputs: 3, special: 0 };
  const voiceA = synthDef("vbA", [["freq", 440], ["pan", 0], ["amp", ampA]], [
    control,                                                                       // 0: freq, pan, amp
    { name: "Saw", rate: AUDIO, inputs: [u(0, 0)], outputs: 1 },                    // 1
    { name: "BLowPass", rate: AUDIO, inputs: [u(1), c(LPF_CUTOFF), c(1 / LPF_Q)], outputs: 1 }, // 2
    { name: "EnvGen", rate: AUDIO, outputs: 1, inputs: [                            // 3
      c(1), c(1), c(0), c(1), c(2),                 // gate, levelScale, levelBias, timeScale, doneAction
      c(0), c(2), c(-99), c(-99),                   // initial level, stages, release node, loop node
      c(1), c(A_ATTACK), c(1), c(0),                // to 1 in 5 ms, linear
      c(0), c(A_DECAY), c(1), c(0),                 // to 0 in 500 ms, linear
    ] },
    { name: "BinaryOpUGen", rate: AUDIO, inputs: [u(2), u(3)], outputs: 1, special: MUL },  // 4
    { name: "BinaryOpUGen", rate: CONTROL, inputs: [u(0, 2), c(2)], outputs: 1, special: MUL }, // 5: amp * 2
    { name: "Pan2", rate: AUDIO, inputs: [u(4), u(0, 1), u(5)], outputs: 2 },        // 6
    { name: "Out", rate: AUDIO, inputs: [c(0), u(6, 0), u(6, 1)], outputs: 0 },      // 7
  ]);
  const voiceB = synthDef("vbB", [["freq", 440], ["pan", 0], ["amp", ampB]], [
    control,
    { name: "Saw", rate: AUDIO, inputs: [u(0, 0)], outputs: 1 },
    { name: "BLowPass", rate: AUDIO, inputs: [u(1), c(LPF_CUTOFF), c(1 / LPF_Q)], outputs: 1 },
    { name: "BinaryOpUGen", rate: CONTROL, inputs: [u(0, 2), c(2)], outputs: 1, special: MUL },
    { name: "Pan2", rate: AUDIO, inputs: [u(2), u(0, 1), u(3)], outputs: 2 },
    { name: "Out", rate: AUDIO, inputs: [c(0), u(4, 0), u(4, 1)], outputs: 0 },
  ]);
  const w = new Writer().bytes(new TextEncoder().encode("SCgf")).i32(2).i16(2).bytes(voiceA).bytes(voiceB);
  return w.done();
}

/** The saw probe's SynthDef file: vbS, Saw alone into both channels. */
export function probeDefFile(): Uint8Array {
  const control = { name: "Control", rate: CONTROL, inputs: [], outputs: 2, special: 0 };
  const probe = synthDef("vbS", [["freq", SAW_PROBE.freq], ["amp", SAW_PROBE.amp]], [
    control,                                                                          // 0: freq, amp
    { name: "Saw", rate: AUDIO, inputs: [u(0, 0)], outputs: 1 },                       // 1
    { name: "BinaryOpUGen", rate: AUDIO, inputs: [u(1), u(0, 1)], outputs: 1, special: MUL }, // 2
    { name: "Out", rate: AUDIO, inputs: [c(0), u(2), u(2)], outputs: 0 },              // 3
  ]);
  return new Writer().bytes(new TextEncoder().encode("SCgf")).i32(2).i16(1).bytes(probe).done();
}

/** The saw probe's NRT score. */
export function probeScoreFile(): Uint8Array {
  const bundles = [
    bundle(0, [oscMessage("/d_recv", [probeDefFile()])]),
    bundle(0, [oscMessage("/s_new", ["vbS", { int: -1 }, { int: 0 }, { int: 0 }])]),
    bundle(SAW_PROBE.seconds, [oscMessage("/c_set", [{ int: 0 }, { int: 0 }])]),
  ];
  const out = new Writer();
  for (const b of bundles) out.i32(b.length).bytes(b);
  return out.done();
}

export type Arg = string | number | Uint8Array | { int: number };

export function oscMessage(address: string, args: Arg[]): Uint8Array {
  const w = new Writer().ostring(address);
  w.ostring("," + args.map((a) => (typeof a === "string" ? "s" : typeof a === "number" ? "f" : a instanceof Uint8Array ? "b" : "i")).join(""));
  for (const a of args) {
    if (typeof a === "string") w.ostring(a);
    else if (typeof a === "number") w.f32(a);
    else if (a instanceof Uint8Array) {
      w.i32(a.length).bytes(a);
      while (w.length % 4) w.i8(0);
    } else w.i32(a.int);
  }
  return w.done();
}

export function bundle(seconds: number, messages: Uint8Array[]): Uint8Array {
  const w = new Writer().ostring("#bundle");
  const whole = Math.floor(seconds);
  w.i32(whole).i32(Math.round((seconds - whole) * 4294967296)); // NTP 32.32 timetag
  for (const m of messages) w.i32(m.length).bytes(m);
  return w.done();
}

/** The NRT score: SynthDefs at 0, the notes or voices, and an end marker. */
export function scoreFile(w: Workload, defs: Uint8Array): Uint8Array {
  const bundles: Uint8Array[] = [bundle(0, [oscMessage("/d_recv", [defs])])];
  const sNew = (def: string, freq: number, pan: number) =>
    oscMessage("/s_new", [def, { int: -1 }, { int: 0 }, { int: 0 }, "freq", freq, "pan", pan, "amp", w.amp]);
  for (const n of w.notes) bundles.push(bundle(n.t, [sNew("vbA", n.freq, n.pan)]));
  if (w.voices.length) bundles.push(bundle(0, w.voices.map((v) => sNew("vbB", v.freq, v.pan))));
  bundles.push(bundle(w.seconds, [oscMessage("/c_set", [{ int: 0 }, { int: 0 }])]));
  const out = new Writer();
  for (const b of bundles) out.i32(b.length).bytes(b);
  return out.done();
}
