/**
 * vbench v1, the voice benchmark's workloads, written from their definition
 * (see test/bench/README.md): A "perc" (1920 enveloped notes over 60 s),
 * B "sustain256" (256 voices for 30 s) and B0 (B without voices). Every
 * renderer here, ours and the peers', takes its events from this file.
 * @module
 */
export const SR = 48000;
export const BLOCK = 64;
export const LPF_CUTOFF = 1200;
export const LPF_Q = 2;

export const mtof = (m: number) => 440 * Math.pow(2, (m - 69) / 12);
/** Pan position of note or voice i, in [-1, 1]: eight positions round the stereo field. */
export const panOf = (i: number) => -1 + (2 * (i % 8)) / 7;
/** Equal-power gains for p in [-1, 1]. */
export const panGains = (p: number): [number, number] => {
  const th = ((p + 1) * Math.PI) / 4;
  return [Math.cos(th), Math.sin(th)];
};

export interface Note { k: number; t: number; frame: number; midi: number; freq: number; pan: number; dur: number; durFrames: number }
export interface Voice { i: number; midi: number; freq: number; pan: number }

export interface Workload {
  name: "A" | "B" | "B0";
  title: string;
  seconds: number;
  frames: number;
  amp: number;
  notes: Note[];       // A: enveloped notes
  voices: Voice[];     // B: voices that sound for the whole render
  voiceFrames: number; // one voice for one output frame
}

const A_PITCHES = [36, 43, 48, 51, 55, 58, 60, 63, 67, 70, 72, 75, 79, 82, 84, 87];
export const A_ATTACK = 0.005;
export const A_DECAY = 0.5;
export const A_NOTE = 0.505;

function workloadA(): Workload {
  const seconds = 60;
  const notes: Note[] = [];
  for (let k = 0; k < 1920; k++) {
    const t = k / 32;
    const midi = A_PITCHES[k % 16]!;
    const dur = Math.min(A_NOTE, seconds - t); // notes still sounding at the end are cut
    notes.push({ k, t, frame: 1500 * k, midi, freq: mtof(midi), pan: panOf(k), dur, durFrames: Math.round(dur * SR) });
  }
  return {
    name: "A", title: "A perc (60 s, 1920 notes, ~16 voices)", seconds, frames: seconds * SR, amp: 0.1, notes, voices: [],
    voiceFrames: notes.reduce((s, n) => s + n.durFrames, 0),
  };
}

function workloadB(voices: number): Workload {
  const seconds = 30;
  const list: Voice[] = [];
  for (let i = 0; i < voices; i++) list.push({ i, midi: 36 + (i % 48), freq: mtof(36 + (i % 48)), pan: panOf(i) });
  return {
    name: voices ? "B" : "B0", title: voices ? "B sustain256 (30 s, 256 voices)" : "B0 empty (30 s, no voices)",
    seconds, frames: seconds * SR, amp: 0.004, notes: [], voices: list, voiceFrames: voices * seconds * SR,
  };
}

/** The saw probe: each engine's workload oscillator alone, unfiltered, at B7
 *  (48000 / 3951.07 is not whole: folded partials fall between harmonics),
 *  so the speed comparison says at what quality (its worst alias). */
export const SAW_PROBE = { freq: 3951.07, seconds: 1, amp: 0.1 };

export const WORKLOADS = { A: workloadA(), B: workloadB(256), B0: workloadB(0) } as const;
export type WorkloadName = keyof typeof WORKLOADS;
