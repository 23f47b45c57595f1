/**
 * The palette benchmark's workloads (test/bench/README.md, "palette"):
 * each as N voices and as 1 voice, so that the difference is the cost of
 * N - 1 voices with everything shared (effects, start-up, writing the file)
 * taken out.
 *  - R: the rich voice: band-limited saw -> 2-pole lowpass 1200 Hz Q 2 ->
 *    soft clipper -> pan, with a delay send (0.25 s, feedback 0.5) and a
 *    reverb send into one orbit's effects;
 *  - P: the plain vbench voice (saw -> lowpass -> pan), for the ratio;
 *  - V: reverb per orbit: one quiet sine into the reverb of each of 16
 *    orbits, against one orbit;
 *  - S: sample playback: a 2 s stereo 44.1 kHz file looping at speed 1
 *    (resampled to 48 kHz), 256 voices.
 * @module
 */
import { mtof, panOf, SR } from "../vbench/workload.ts";

export const SECONDS = 20;
export const FRAMES = SECONDS * SR;
export const VOICES = 256;
export const ORBITS = 16;

export type PaletteName = "R256" | "R1" | "P256" | "P1" | "V16" | "V1" | "S256" | "S1";
export const NAMES: PaletteName[] = ["R1", "R256", "P1", "P256", "V1", "V16", "S1", "S256"];

export const count = (name: PaletteName) => Number(name.slice(1));
export const kind = (name: PaletteName) => name[0] as "R" | "P" | "V" | "S";

export const voiceFreq = (i: number) => mtof(36 + (i % 48));
export const voicePan = (i: number) => panOf(i);
/** Levels: 256 voices sum to about -20 dBFS, as vbench B. */
export const AMP = 0.004;
