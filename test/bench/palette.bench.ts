/**
 * The palette benchmark (definition in test/bench/README.md): beside vbench,
 * what the sound palette costs. Whole-process CPU time (user + sys), median
 * of the runs after the warm-up, ours and scsynth on the same workloads:
 *  - a rich voice: saw -> lowpass -> soft clip -> pan with delay and reverb
 *    sends (the orbit effects shared), per voice-frame;
 *  - the plain vbench voice, per voice-frame, for the ratio;
 *  - one orbit's reverb: CPU per second of audio, as a share of a core;
 *  - sample playback (stereo, resampled 44.1 -> 48 kHz, looping): per
 *    voice-frame, and voices one core can play in real time.
 * Each cost is (N voices - 1 voice) / (N - 1): start-up, file writing and
 * the shared effects cancel out.
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine } from "../../server/engine/index.ts";
import type { BenchOptions, BenchTable } from "./registry.ts";
import { paletteScore } from "./palette/scsynth.ts";
import { FRAMES, NAMES, ORBITS, SECONDS, VOICES, type PaletteName } from "./palette/workload.ts";
import { ensurePeers, peerVersion } from "./vbench/peers.ts";
import { timeMedian } from "./vbench/process-time.ts";
import { wavLevels } from "./vbench/wav.ts";
import { SR } from "./vbench/workload.ts";

export const name = "palette";
export const description = "palette: rich voice with effect sends, reverb per orbit, sample playback voices per core; ours against scsynth";

const here = dirname(fileURLToPath(import.meta.url));

export async function run(options: BenchOptions): Promise<BenchTable[]> {
  const { available, notes } = ensurePeers();
  const scsynth = available.find((p) => p.name === "scsynth");
  const dir = join(tmpdir(), "ostinato-palette");
  mkdirSync(join(dir, "out"), { recursive: true });
  // the sample: 2 s, stereo, 44.1 kHz, 16-bit (resampled as it plays at 48 kHz)
  const sample = join(dir, "loop.wav");
  const frames = 2 * 44100, data = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    data[2 * i] = 0.5 * Math.sin((2 * Math.PI * 220 * i) / 44100);
    data[2 * i + 1] = 0.5 * Math.sin((2 * Math.PI * 330 * i) / 44100);
  }
  Engine.writeAudioFile(sample, "wav16", 2, 44100, data);
  if (scsynth) for (const w of NAMES) writeFileSync(join(dir, `sc_${w}.osc`), paletteScore(w, sample));

  const engines = ["ours", ...(scsynth ? ["scsynth"] : [])];
  const cpu = new Map<string, number>();
  const rms = new Map<string, string>();
  for (const engine of engines) {
    for (const w of NAMES) {
      const out = join(dir, "out", `${engine}_${w}.wav`);
      const cmd = engine === "ours"
        ? [process.execPath, join(here, "palette", "render-ours.ts"), w, out, sample]
        : ["scsynth", "-N", join(dir, `sc_${w}.osc`), "_", out, String(SR), "WAV", "float", "-o", "2", "-i", "0", "-z", "64", "-D", "0"];
      const t = timeMedian(cmd, dir, options.runs, options.warmup);
      cpu.set(`${engine}:${w}`, t.cpu);
      const levels = wavLevels(out);
      rms.set(`${engine}:${w}`, levels.rmsDb.join(" / "));
      console.error(`  ${engine} ${w}: CPU ${t.cpu.toFixed(2)} s, RMS ${levels.rmsDb.join("/")} dB`);
    }
  }
  const diff = (engine: string, big: PaletteName, small: PaletteName) => cpu.get(`${engine}:${big}`)! - cpu.get(`${engine}:${small}`)!;
  const perVoiceFrame = (engine: string, k: "R" | "P" | "S") => (diff(engine, `${k}${VOICES}` as PaletteName, `${k}1` as PaletteName) / ((VOICES - 1) * FRAMES)) * 1e9;
  const perReverb = (engine: string) => diff(engine, `V${ORBITS}`, "V1") / (ORBITS - 1) / SECONDS; // CPU s per audio s
  const fixed = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "-");
  const vs = (ours: number, theirs: number) => (ours > 0.02 ? `${fixed(theirs / ours, 1)}x` : "ours below timing noise");

  const rows: (string | number)[][] = [];
  const row = (what: string, unit: string, ours: number, theirs: number | undefined, extra = "") =>
    rows.push([what, unit, fixed(ours), ...(scsynth ? [fixed(theirs!), vs(ours, theirs!)] : []), extra]);
  const richO = perVoiceFrame("ours", "R"), plainO = perVoiceFrame("ours", "P");
  row("rich voice: saw > lowpass > shape > pan + delay and reverb sends", "ns / voice-frame", richO, scsynth && perVoiceFrame("scsynth", "R"), `${fixed(richO / plainO, 1)}x our plain voice`);
  row("plain vbench voice: saw > lowpass > pan", "ns / voice-frame", plainO, scsynth && perVoiceFrame("scsynth", "P"));
  const revO = perReverb("ours");
  row("reverb, one orbit (ours: 16-line FDN; scsynth: FreeVerb2)", "% of a core", revO * 100, scsynth && perReverb("scsynth") * 100, `${fixed((revO / SR) * 1e9, 0)} ns per frame`);
  const smpO = perVoiceFrame("ours", "S");
  row("sample voice: stereo, 44.1 > 48 kHz, looping", "ns / voice-frame", smpO, scsynth && perVoiceFrame("scsynth", "S"), `${fixed(1e9 / (smpO * SR), 0)} voices per core in real time`);

  const columns = ["workload", "unit", "ours", ...(scsynth ? ["scsynth", "scsynth / ours"] : []), "note"];
  return [{
    title: `palette: the sound palette's costs, ours against ${scsynth ? `scsynth ${peerVersion(scsynth)}` : "no peer"} (median of ${options.runs} runs after ${options.warmup} warm-up)`,
    columns,
    rows,
    notes: [
      `Each cost is (CPU of ${VOICES} voices - CPU of 1 voice) / ${VOICES - 1}, over ${SECONDS} s at ${SR} Hz (reverb: (16 orbits - 1) / 15): start-up, writing the WAV and shared effects cancel out.`,
      "scsynth / ours > 1 means we are faster. scsynth's reverb is FreeVerb2 (8 combs + 4 allpasses per channel), lighter than ours (4 input diffusers and 16 modulated, damped lines per orbit); its rich voice clips with tanh, ours with a rational shaper; scsynth computes in 64-frame blocks, we place events on their frame.",
      `Levels (RMS dB L / R, a sanity check: the same music in both): ${NAMES.map((w) => `${w} ${rms.get(`ours:${w}`)}${scsynth ? ` vs ${rms.get(`scsynth:${w}`)}` : ""}`).join("; ")}.`,
      ...notes,
    ],
  }];
}
