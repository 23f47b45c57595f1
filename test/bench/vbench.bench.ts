/**
 * vbench v1, the voice benchmark (definition in test/bench/README.md):
 * workloads A, B and B0 rendered offline by ostinato's engine and, in the
 * same run, by scsynth and csound on identical events. Whole-process CPU
 * time (user + sys), 1 warm-up + 3 timed runs, median; ns per voice-frame
 * net of each engine's own B0 (its start-up and the cost of writing silence).
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchOptions, BenchTable } from "./registry.ts";
import { worstAlias } from "../engine/audio-analysis.ts";
import { csd, csdProbe } from "./vbench/csound.ts";
import { ensurePeers, peerVersion, type Peer } from "./vbench/peers.ts";
import { timeMedian } from "./vbench/process-time.ts";
import { probeScoreFile, scoreFile, synthDefFile } from "./vbench/scsynth.ts";
import { wavLevels, wavRead } from "./vbench/wav.ts";
import { SAW_PROBE, SR, WORKLOADS, type WorkloadName } from "./vbench/workload.ts";
import { spawnSync } from "node:child_process";

export const name = "vbench";
export const description = "voice benchmark: workloads A, B, B0 offline, ours against scsynth and csound";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const NAMES: WorkloadName[] = ["B0", "A", "B"];

interface Result { engine: string; workload: WorkloadName; cpu: number; cpuMin: number; cpuMax: number; wall: number; rmsDb: number[]; frames: number }

/** Our voice with one more stage ("ours+NAME", render-ours.ts's variants), and what it is. */
const VARIANTS: [string, string][] = [
  ["shape", "shape(0.5): after its filter, 8x oversampled by IIR polyphase half-bands, antiderivative-antialiased (native/shaper.h)"],
  ["distort", "distort(3): the same oversampled shaper, an exact tanh with antiderivative antialiasing (native/shaper.h)"],
  ["lfo", "lprate(2): the lowpass's cutoff on a sine LFO, its coefficients every 16 frames (native/lfo.h)"],
  ["tremolo", "tremolo(4).tremolodepth(0.5): a per-sample gain wave after the filter (native/tremolo.c)"],
  ["chorus", "chorus(0.5): a send into the orbit's chorus, three swept copies a side (native/chorus.c; one chorus per orbit, not per voice)"],
  ["transient", "transient(0.5): two envelope followers and a gain per sample (native/transient.c)"],
  ["wavetable", "s(\"wt_saw\"): the source is a wt_ bank's single-cycle saw, its band-limited tables read per lane and blended between two cycles (native/wavetable.h), not the sawtooth"],
  ["warp", "warp(0.5).warpmode(\"bendp\") on the wt_saw: the table read through a smooth phase map, four sines a sample, the table picked for its sidebands (native/chain.c)"],
  ["partials", "partials([16 entries]): the saw summed from 16 harmonics, one complex rotation each a sample (native/chain.c, src_additive), not the table"],
  ["env", "hpf(200).env({...}): the highpass's cutoff on the modulation envelope, its coefficients every 16 frames (native/chain.c)"],
  ["delayspeed", "delay(0.3).delayspeed(1.5): a send into the orbit's delay, read by two crossfaded heads (native/delay.c; one delay per orbit, not per voice)"],
];

function commands(engine: string, w: WorkloadName | "S", dir: string): { cmd: string[]; out: string } {
  const out = join(dir, "out", `${engine}_${w}.wav`);
  if (engine === "ours") return { cmd: [process.execPath, join(here, "vbench", "render-ours.ts"), w, out], out };
  if (engine.startsWith("ours+")) return { cmd: [process.execPath, join(here, "vbench", "render-ours.ts"), w, out, engine.slice(5)], out };
  if (engine === "scsynth") return { cmd: ["scsynth", "-N", join(dir, `sc_${w}.osc`), "_", out, String(SR), "WAV", "float", "-o", "2", "-i", "0", "-z", "64", "-D", "0"], out };
  return { cmd: ["csound", join(dir, `csound_${w}.csd`), "-o", out], out };
}

function prepare(dir: string, peers: Peer[]): void {
  mkdirSync(join(dir, "out"), { recursive: true });
  const defs = synthDefFile(WORKLOADS.A.amp, WORKLOADS.B.amp);
  for (const w of NAMES) {
    if (peers.some((p) => p.name === "scsynth")) writeFileSync(join(dir, `sc_${w}.osc`), scoreFile(WORKLOADS[w], defs));
    if (peers.some((p) => p.name === "csound")) writeFileSync(join(dir, `csound_${w}.csd`), csd(WORKLOADS[w]));
  }
  if (peers.some((p) => p.name === "scsynth")) writeFileSync(join(dir, "sc_S.osc"), probeScoreFile());
  if (peers.some((p) => p.name === "csound")) writeFileSync(join(dir, "csound_S.csd"), csdProbe());
}

/** The engine's workload oscillator alone (the saw probe), rendered once: its worst alias, dB re the fundamental. */
function sawAlias(engine: string, dir: string): number {
  const { cmd, out } = commands(engine, "S", dir);
  const r = spawnSync(cmd[0]!, cmd.slice(1), { cwd: dir, stdio: "ignore" });
  if (r.status !== 0) return NaN;
  const left = wavRead(out).channels[0]!;
  return worstAlias(left, SR, SAW_PROBE.freq, SR / 2, 32768, 2048);
}

const fixed = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "-");

export async function run(options: BenchOptions): Promise<BenchTable[]> {
  const { available, notes } = ensurePeers();
  const dir = join(tmpdir(), "ostinato-vbench");
  prepare(dir, available);
  const engines = ["ours", ...available.map((p) => p.name)];
  const results: Result[] = [];
  for (const engine of [...engines, ...VARIANTS.map(([v]) => `ours+${v}`)]) {
    for (const w of NAMES) {
      const { cmd, out } = commands(engine, w, dir);
      const t = timeMedian(cmd, dir, options.runs, options.warmup);
      const levels = wavLevels(out);
      results.push({ engine, workload: w, ...t, ...levels });
      console.error(`  ${engine} ${w}: CPU ${t.cpu.toFixed(2)} s (${t.cpuMin.toFixed(2)}-${t.cpuMax.toFixed(2)}), RMS ${levels.rmsDb.join("/")} dB`);
    }
  }
  const alias = new Map(engines.map((e) => [e, sawAlias(e, dir)]));
  const get = (engine: string, w: WorkloadName) => results.find((r) => r.engine === engine && r.workload === w)!;
  const net = (engine: string, w: WorkloadName) => {
    const wl = WORKLOADS[w], base = get(engine, "B0");
    return ((get(engine, w).cpu - base.cpu * (wl.seconds / WORKLOADS.B0.seconds)) / wl.voiceFrames) * 1e9;
  };
  const levels = (e: string, w: WorkloadName) => get(e, w).rmsDb.every((x) => !Number.isFinite(x)) ? "silent" : get(e, w).rmsDb.join(" / ");
  const columns = ["workload", "ours CPU s", "ours x realtime", "ours ns/vf net", ...available.flatMap((p) => [`${p.name} ns/vf net`, `${p.name} / ours`]), ...engines.map((e) => `${e} RMS dB L / R`), ...engines.map((e) => `${e} saw worst alias dB`)];
  const rows: (string | number)[][] = [];
  for (const w of ["A", "B"] as const) {
    const ours = net("ours", w);
    rows.push([
      WORKLOADS[w].title, fixed(get("ours", w).cpu), fixed(WORKLOADS[w].seconds / get("ours", w).cpu, 0), fixed(ours),
      ...available.flatMap((p) => { const theirs = net(p.name, w); return [fixed(theirs), ours > 0.05 ? `${fixed(theirs / ours, 1)}x` : "ours below timing noise"]; }),
      ...engines.map((e) => levels(e, w)),
      ...engines.map((e) => fixed(alias.get(e)!, 1)),
    ]);
  }
  // our voice with each extra stage, against the plain voice and the peers' plain voice, in the same run
  for (const [v, what] of VARIANTS) {
    const e = `ours+${v}`;
    for (const w of ["A", "B"] as const) {
      const staged = net(e, w), plain = net("ours", w);
      rows.push([
        `${WORKLOADS[w].title} + ${what.split(":")[0]}: ours ${fixed(staged / plain, 1)}x the plain voice`, fixed(get(e, w).cpu), fixed(WORKLOADS[w].seconds / get(e, w).cpu, 0), fixed(staged),
        ...available.flatMap((p) => { const theirs = net(p.name, w); return [fixed(theirs), `${fixed(theirs / staged, 1)}x`]; }),
        ...engines.map((x) => (x === "ours" ? levels(e, w) : "-")),
        ...engines.map(() => "-"),
      ]);
    }
  }
  rows.push([WORKLOADS.B0.title, fixed(get("ours", "B0").cpu), "-", "-", ...available.flatMap((p) => [`CPU ${fixed(get(p.name, "B0").cpu)} s`, "-"]), ...engines.map((e) => levels(e, "B0")), ...engines.map(() => "-")]);
  return [{
    title: `vbench v1: CPU per voice-frame, ours against ${available.map((p) => `${p.name} ${peerVersion(p)}`).join(" and ") || "no peer"} (median of ${options.runs} runs after ${options.warmup} warm-up)`,
    columns,
    rows,
    notes: [
      "ns/vf net = (CPU s - CPU s of the same engine's B0 x audio s / 30) / voice-frames; peer / ours > 1 means we are faster.",
      "ours: band-limited wavetable saw -> TPT state-variable lowpass (= RBJ response) -> linear envelope -> equal-power pan, 8 voices per SIMD group; whole process including Bun start-up and writing the WAV.",
      ...VARIANTS.map(([, what]) => `+ ${what}.`),
      "shape and distort: worst alias below 12 kHz up to 3951 Hz -96.9 and -111.0 dB (test/engine/quality.test.ts).",
      "The rows with an extra stage: the peers' columns are their plain voice (they have no such stage to compare).",
      `saw worst alias: each engine's workload oscillator alone (unfiltered, ${SAW_PROBE.freq} Hz, 1 s), the strongest non-harmonic component re the fundamental (Kaiser-windowed FFT, test/engine/audio-analysis.ts worstAlias): speed compared at this quality.`,
      "scsynth: Saw -> BLowPass -> EnvGen -> Pan2 (SynthDefs written by test/bench/vbench/scsynth.ts); csound: vco2 -> rbjeq -> linseg -> pan2; both onsets quantised to 64-frame blocks.",
      "Sanity: A's mix should sit near L -19 / R -18 dB and B near -20.7 / -20.4 dB in every engine (same music).",
      "A is 0.2-0.5 s of CPU per engine: differences under ~30% are noise there; B (seconds of pure DSP) is the per-voice anchor.",
      ...notes,
    ],
  }];
}
