#!/usr/bin/env bun
/**
 * Renders one palette workload with ostinato's engine offline to a float32
 * WAV: `bun test/bench/palette/render-ours.ts NAME OUT.wav [SAMPLE.wav]`.
 * Timed as a whole process, like the peer.
 * @module
 */
import { writeFileSync } from "node:fs";
import { DUR_FOREVER, Engine, EventBuffer } from "../../../server/engine/index.ts";
import { encodeWav } from "../../engine/audio-analysis.ts";
import { SR } from "../vbench/workload.ts";
import { AMP, count, FRAMES, kind, voiceFreq, voicePan, type PaletteName } from "./workload.ts";

const [name, out, sample] = process.argv.slice(2) as [PaletteName, string, string?];
const n = count(name), k = kind(name);
const engine = Engine.open({ backend: "offline", sampleRate: SR, maxVoices: 512 });
const pan01 = (p: number) => (p + 1) / 2;
let sampleId = -1;
if (k === "S") {
  sampleId = engine.loadSample(sample!);
  engine.waitSamples(30);
}
const buf = new EventBuffer(n, { samples: { resolve: (s) => (s === "smp" ? { id: sampleId, baseMidi: 36 } : undefined) } });
for (let i = 0; i < n; i++) {
  const base = { gain: AMP, pan: pan01(voicePan(i)), attack: 0, decay: 0, sustain: 1, release: 0 };
  if (k === "R") buf.add({ ...base, s: "sawtooth", freq: voiceFreq(i), cutoff: 1200, resonance: 2, shape: 0.5, delay: 0.3, delaytime: 0.25, delayfeedback: 0.5, room: 0.3, roomsize: 2 }, 0, DUR_FOREVER);
  else if (k === "P") buf.add({ ...base, s: "sawtooth", freq: voiceFreq(i), cutoff: 1200, resonance: 2 }, 0, DUR_FOREVER);
  else if (k === "V") buf.add({ ...base, s: "sine", freq: 220 + 10 * i, gain: 0.05, orbit: i, room: 1, dry: 0, roomsize: 2 }, 0, DUR_FOREVER);
  else buf.add({ ...base, s: "smp", gain: 0.01, pan: 0.5, loop: 1 }, 0, DUR_FOREVER);
}
if (engine.push(buf) !== n) throw new Error("the ring did not take every event");
const audio = new Float32Array(FRAMES * 2);
const chunk = 4800;
for (let f = 0; f < FRAMES; f += chunk) engine.renderInto(audio.subarray(f * 2, Math.min(FRAMES, f + chunk) * 2));
const t = engine.telemetry();
engine.close();
writeFileSync(out, encodeWav(audio, 2, SR));
if (t.eventsPlayed !== n || t.stolenVoices !== 0 || t.activeVoices !== n) {
  console.error(`palette ${name}: played ${t.eventsPlayed} of ${n}, stolen ${t.stolenVoices}, active at the end ${t.activeVoices}`);
  process.exit(1);
}
