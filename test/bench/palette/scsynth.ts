/**
 * The palette workloads for scsynth in non-real-time mode (SynthDefs and
 * OSC score written directly, as vbench does):
 *  - pR: Saw -> BLowPass (1200 Hz, rq 0.5) -> tanh(3x) -> Pan2 -> Out 0, and
 *    the same signal times `send` -> Out to bus 2; pFX (one, at the tail):
 *    In bus 2 -> CombC (0.25 s, decay 1.5 s) + FreeVerb2 -> Out 0;
 *  - vbB (vbench's plain voice) for P;
 *  - pV: SinOsc -> Out to its orbit's bus; pRev per orbit: In -> FreeVerb2 -> Out 0;
 *  - pS: PlayBuf (2 channels, BufRateScale, loop) -> * amp -> Out 0.
 * UnaryOpUGen 36 is tanh, BinaryOpUGen 0 is +, 2 is *.
 * @module
 */
import { AUDIO, bundle, c, CONTROL, MUL, oscMessage, synthDef, synthDefFile, u, Writer } from "../vbench/scsynth.ts";
import { AMP, count, kind, SECONDS, voiceFreq, voicePan, type PaletteName } from "./workload.ts";

const ADD = 0, TANH = 36;

export function paletteDefs(): Uint8Array {
  const defs = [
    synthDef("pR", [["freq", 440], ["pan", 0], ["amp", AMP], ["send", 0.3]], [
      { name: "Control", rate: CONTROL, inputs: [], outputs: 4, special: 0 },          // 0
      { name: "Saw", rate: AUDIO, inputs: [u(0, 0)], outputs: 1 },                      // 1
      { name: "BLowPass", rate: AUDIO, inputs: [u(1), c(1200), c(0.5)], outputs: 1 },   // 2
      { name: "BinaryOpUGen", rate: AUDIO, inputs: [u(2), c(3)], outputs: 1, special: MUL }, // 3
      { name: "UnaryOpUGen", rate: AUDIO, inputs: [u(3)], outputs: 1, special: TANH },  // 4
      { name: "BinaryOpUGen", rate: CONTROL, inputs: [u(0, 2), c(2)], outputs: 1, special: MUL }, // 5
      { name: "Pan2", rate: AUDIO, inputs: [u(4), u(0, 1), u(5)], outputs: 2 },          // 6
      { name: "Out", rate: AUDIO, inputs: [c(0), u(6, 0), u(6, 1)], outputs: 0 },        // 7
      { name: "BinaryOpUGen", rate: AUDIO, inputs: [u(6, 0), u(0, 3)], outputs: 1, special: MUL }, // 8
      { name: "BinaryOpUGen", rate: AUDIO, inputs: [u(6, 1), u(0, 3)], outputs: 1, special: MUL }, // 9
      { name: "Out", rate: AUDIO, inputs: [c(2), u(8), u(9)], outputs: 0 },              // 10
    ]),
    synthDef("pFX", [], [
      { name: "In", rate: AUDIO, inputs: [c(2)], outputs: 2 },                                    // 0
      { name: "CombC", rate: AUDIO, inputs: [u(0, 0), c(0.5), c(0.25), c(1.5)], outputs: 1 },     // 1
      { name: "CombC", rate: AUDIO, inputs: [u(0, 1), c(0.5), c(0.25), c(1.5)], outputs: 1 },     // 2
      { name: "FreeVerb2", rate: AUDIO, inputs: [u(0, 0), u(0, 1), c(1), c(0.8), c(0.5)], outputs: 2 }, // 3
      { name: "BinaryOpUGen", rate: AUDIO, inputs: [u(1), u(3, 0)], outputs: 1, special: ADD },  // 4
      { name: "BinaryOpUGen", rate: AUDIO, inputs: [u(2), u(3, 1)], outputs: 1, special: ADD },  // 5
      { name: "Out", rate: AUDIO, inputs: [c(0), u(4), u(5)], outputs: 0 },                      // 6
    ]),
    synthDef("pV", [["freq", 440], ["bus", 2]], [
      { name: "Control", rate: CONTROL, inputs: [], outputs: 2, special: 0 },
      { name: "SinOsc", rate: AUDIO, inputs: [u(0, 0), c(0)], outputs: 1 },
      { name: "BinaryOpUGen", rate: AUDIO, inputs: [u(1), c(0.05)], outputs: 1, special: MUL },
      { name: "Out", rate: AUDIO, inputs: [u(0, 1), u(2), u(2)], outputs: 0 },
    ]),
    synthDef("pRev", [["bus", 2]], [
      { name: "Control", rate: CONTROL, inputs: [], outputs: 1, special: 0 },
      { name: "In", rate: AUDIO, inputs: [u(0, 0)], outputs: 2 },
      { name: "FreeVerb2", rate: AUDIO, inputs: [u(1, 0), u(1, 1), c(1), c(0.8), c(0.5)], outputs: 2 },
      { name: "Out", rate: AUDIO, inputs: [c(0), u(2, 0), u(2, 1)], outputs: 0 },
    ]),
    synthDef("pS", [["buf", 0], ["amp", 0.01]], [
      { name: "Control", rate: CONTROL, inputs: [], outputs: 2, special: 0 },
      { name: "BufRateScale", rate: CONTROL, inputs: [u(0, 0)], outputs: 1 },
      { name: "PlayBuf", rate: AUDIO, inputs: [u(0, 0), u(1), c(1), c(0), c(1), c(0)], outputs: 2 },
      { name: "BinaryOpUGen", rate: AUDIO, inputs: [u(2, 0), u(0, 1)], outputs: 1, special: MUL },
      { name: "BinaryOpUGen", rate: AUDIO, inputs: [u(2, 1), u(0, 1)], outputs: 1, special: MUL },
      { name: "Out", rate: AUDIO, inputs: [c(0), u(3), u(4)], outputs: 0 },
    ]),
  ];
  const w = new Writer().bytes(new TextEncoder().encode("SCgf")).i32(2).i16(defs.length);
  for (const d of defs) w.bytes(d);
  return w.done();
}

/** The NRT score of a palette workload (`sample`: the S workload's file). */
export function paletteScore(name: PaletteName, sample: string): Uint8Array {
  const n = count(name), k = kind(name);
  const vb = synthDefFile(0.1, AMP); // vbench's defs, for the plain voice vbB
  const setup = [oscMessage("/d_recv", [paletteDefs()]), oscMessage("/d_recv", [vb])];
  if (k === "S") setup.push(oscMessage("/b_allocRead", [{ int: 0 }, sample, { int: 0 }, { int: 0 }]));
  const nodes: Uint8Array[] = [];
  const head = (def: string, args: (string | number)[]) => oscMessage("/s_new", [def, { int: -1 }, { int: 0 }, { int: 0 }, ...args]);
  const tail = (def: string, args: (string | number)[]) => oscMessage("/s_new", [def, { int: -1 }, { int: 1 }, { int: 0 }, ...args]);
  if (k === "R") nodes.push(tail("pFX", []));
  if (k === "V") for (let i = 0; i < n; i++) nodes.push(tail("pRev", ["bus", 2 + 2 * i]));
  for (let i = 0; i < n; i++) {
    if (k === "R") nodes.push(head("pR", ["freq", voiceFreq(i), "pan", voicePan(i), "amp", AMP, "send", 0.3]));
    else if (k === "P") nodes.push(head("vbB", ["freq", voiceFreq(i), "pan", voicePan(i), "amp", AMP]));
    else if (k === "V") nodes.push(head("pV", ["freq", 220 + 10 * i, "bus", 2 + 2 * i]));
    else nodes.push(head("pS", ["buf", 0, "amp", 0.01]));
  }
  const bundles = [bundle(0, setup), bundle(0, nodes), bundle(SECONDS, [oscMessage("/c_set", [{ int: 0 }, { int: 0 }])])];
  const out = new Writer();
  for (const b of bundles) out.i32(b.length).bytes(b);
  return out.done();
}
