#!/usr/bin/env bun
/**
 * Renders one vbench workload with ostinato's engine, offline, to a float32
 * WAV file: `bun test/bench/vbench/render-ours.ts A|B|B0|S OUT.wav [VARIANT]` (S:
 * the saw probe, for the alias measure; a variant puts every voice also
 * through one more stage, for its cost: `shape` (shape(0.5)) and
 * `distort` (distort(3)), the oversampled, antialiased shapers, `lfo`, `tremolo`, `chorus`, `transient`;
 * `wavetable` plays every voice from a single-cycle saw of a wt_ bank instead
 * of the sawtooth, its source rather than a stage, and `warp` the same through
 * the warp; `partials` the additive saw of 16 harmonics; `env` a highpass on
 * the modulation envelope; `delayspeed` a send into a delay read at 1.5x). Timed as a
 * whole process by vbench.bench.ts, like every peer.
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DUR_FOREVER, Engine, EventBuffer, soundLevel, type SampleResolver } from "../../../server/engine/index.ts";
import { encodeWav } from "../../engine/audio-analysis.ts";
import { A_ATTACK, A_DECAY, LPF_CUTOFF, LPF_Q, SAW_PROBE, SR, WORKLOADS, type WorkloadName } from "./workload.ts";

const [name, out, variant] = process.argv.slice(2) as [WorkloadName | "S", string, string | undefined];
/** The workload's amplitudes are of the full-scale waveform: gain 1 is the synth level (0.19). */
const full = 1 / soundLevel("sawtooth");
/** The voice's extra stage per variant (their costs against the plain voice: vbench.bench.ts). */
export const VARIANT_CONTROLS: Record<string, Record<string, unknown>> = {
  shape: { shape: 0.5 },
  distort: { distort: 3 },
  lfo: { lprate: 2, lpdepth: 1 }, // the lowpass's LFO: its coefficients at control rate
  tremolo: { tremolo: 4, tremolodepth: 0.5 },
  chorus: { chorus: 0.5 }, // a send into the orbit's chorus
  transient: { transient: 0.5 },
  wavetable: {}, // the source: a wt_ bank's single-cycle saw (below)
  warp: { warp: 0.5, warpmode: "bendp" }, // the wavetable, read through the warp's phase map
  partials: { partials: [1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05] }, // 16 harmonics, summed
  env: { hcutoff: 200, env: { 0: { control: "hpf", attack: 0.01, decay: 0.2, sustain: 0.3, depth: 2 } } }, // a highpass moved by the modulation envelope
  delayspeed: { delay: 0.3, delaytime: 0.25, delayspeed: 1.5 }, // a send into the orbit's delay, read at 1.5x (one per orbit)
};
const extra = (variant && VARIANT_CONTROLS[variant]) || {};
if (name === "S" && out) { // the saw probe: our sawtooth alone
  const engine = Engine.open({ backend: "offline", sampleRate: SR });
  const buf = new EventBuffer(1);
  buf.add({ s: "sawtooth", freq: SAW_PROBE.freq, gain: SAW_PROBE.amp * full, attack: 0, decay: 0, sustain: 1, release: 0 }, 0, DUR_FOREVER);
  engine.push(buf);
  writeFileSync(out, encodeWav(engine.render(SAW_PROBE.seconds * SR), 2, SR));
  engine.close();
  process.exit(0);
}
const w = WORKLOADS[name as WorkloadName];
if (!w || !out) {
  console.error("usage: render-ours.ts A|B|B0|S OUT.wav");
  process.exit(2);
}
const count = w.notes.length + w.voices.length;
const engine = Engine.open({ backend: "offline", sampleRate: SR, maxVoices: 512, ringCapacity: 4096, queueCapacity: 4096 });
/** The wavetable variant: a 2048-point saw cycle written and loaded as a wavetable; its level is 1, not the synth level. */
function wavetableSource(): { resolver: SampleResolver; gain: number } {
  const dir = mkdtempSync(join(tmpdir(), "vbench-wt-")), path = join(dir, "saw.wav"), cycle = new Float32Array(2048);
  for (let i = 0; i < cycle.length; i++) cycle[i] = (2 * i) / cycle.length - 1;
  Engine.writeAudioFile(path, "wav-float", 1, SR, cycle);
  const id = engine.loadSample(path, true);
  if (!engine.waitSamples(20)) throw new Error("the wavetable did not load");
  rmSync(dir, { recursive: true, force: true });
  return { resolver: { resolve: () => ({ id, baseMidi: 36 }) }, gain: soundLevel("sawtooth") };
}
const wt = variant === "wavetable" || variant === "warp" ? wavetableSource() : undefined;
const sound = wt ? "wt_saw" : "sawtooth", level = wt ? wt.gain : 1;
const buf = new EventBuffer(Math.max(1, 2 * count), wt ? { samples: wt.resolver } : {}); // a note with an extension record takes two
const pan01 = (p: number) => (p + 1) / 2; // vbench pans are in [-1, 1], Strudel's in [0, 1]
for (const n of w.notes) {
  buf.add({ s: sound, freq: n.freq, pan: pan01(n.pan), gain: w.amp * full * level, attack: A_ATTACK, decay: A_DECAY, sustain: 0, release: 0,
    cutoff: LPF_CUTOFF, resonance: LPF_Q, ...extra }, n.frame, n.durFrames);
}
for (const v of w.voices) {
  buf.add({ s: sound, freq: v.freq, pan: pan01(v.pan), gain: w.amp * full * level, attack: 0, decay: 0, sustain: 1, release: 0,
    cutoff: LPF_CUTOFF, resonance: LPF_Q, ...extra }, 0, DUR_FOREVER);
}
if (engine.push(buf) !== buf.length) throw new Error("the ring did not take every event");
const audio = new Float32Array(w.frames * 2);
const chunk = 4800;
for (let f = 0; f < w.frames; f += chunk) engine.renderInto(audio.subarray(f * 2, Math.min(w.frames, f + chunk) * 2));
const t = engine.telemetry();
engine.close();
writeFileSync(out, encodeWav(audio, 2, SR));
if (t.eventsPlayed !== count || t.lateEvents !== 0 || t.stolenVoices !== 0) {
  console.error(`vbench ${name}: played ${t.eventsPlayed} of ${count}, late ${t.lateEvents}, stolen ${t.stolenVoices}`);
  process.exit(1);
}
