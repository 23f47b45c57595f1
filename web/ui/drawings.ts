/**
 * The drawings of Strudel's visual methods, each a function of one frame:
 * the events around now (from the timeline, already filtered to the ones
 * the drawing is for), where now is, and the output's latest samples.
 * Time runs left to right past a playhead, as in Strudel; events sounding
 * now are filled and bright, the others outlined. `.color()` of an event
 * colours it. The server sends events only a lookahead ahead, so the side
 * after the playhead is short.
 * @module
 */
import type { EventInfo } from "../../server/http/protocol.ts";
import type { VisualKind } from "../../server/pattern/visual-methods.ts";
import { STAGE } from "../editor/theme.ts";
import { laneOf, pitchOf } from "../live/pitch.ts";
import type { VisualOptions } from "../live/visual-sites.ts";

/** What a drawing needs to paint one frame. */
export type DrawFrame = {
  ctx: CanvasRenderingContext2D;
  width: number;
  height: number;
  /** The events overlapping [from, to), in start order. */
  events: readonly EventInfo[];
  now: number;
  from: number;
  to: number;
  framesPerCycle: number;
  /** The engine's latest output samples (mono), for scope and spectrum. */
  samples: readonly number[];
};

/** Cycles shown before and after the playhead. */
export const PAST_CYCLES = 2;
export const FUTURE_CYCLES = 0.5;

export const DEFAULT_COLOUR = "#6cd4ff";

/** What a drawing keeps between frames (a pitch range that only grows, a spectrogram's history). */
export type DrawState = { low: number; high: number; rows: string[] };

export function newDrawState(): DrawState {
  return { low: Infinity, high: -Infinity, rows: [] };
}

export function colourOf(e: EventInfo): string {
  const c = e.value.color ?? e.value.colour;
  return typeof c === "string" && c.trim() ? c : DEFAULT_COLOUR;
}

const sounding = (e: EventInfo, now: number) => e.frame <= now && now < e.frame + e.durFrames;

/** The y of a pianoroll row's top and its height, for a pitch (the test reads this too). */
export function pianorollRow(state: DrawState, height: number, pitch: number): { y: number; h: number } {
  const span = Math.max(12, state.high - state.low + 1);
  const h = height / span;
  return { y: height - (pitch - state.low + 1) * h, h };
}

/** Cycles before the playhead a drawing shows: Strudel's `cycles` option, less the short future we have. */
export function pastCycles(options: VisualOptions): number {
  const cycles = Number(options.cycles);
  return Number.isFinite(cycles) && cycles > 0 ? Math.max(0.25, Math.min(16, cycles - FUTURE_CYCLES)) : PAST_CYCLES;
}

/**
 * Paints one frame. Of Strudel's options: `fold` (pianoroll: only the rows
 * played, as the punchcard), `labels` (the rows' names), `cycles` (how much
 * time is shown; see pastCycles).
 */
export function paint(kind: VisualKind, f: DrawFrame, state: DrawState, options: VisualOptions = {}): void {
  const { ctx, width, height } = f;
  ctx.fillStyle = STAGE.panel;
  ctx.fillRect(0, 0, width, height);
  if (kind === "pianoroll" || kind === "punchcard") {
    const folded = kind === "punchcard" || !!options.fold;
    paintRoll(f, folded ? punchcardRowOf(f, state) : pianorollRowOf(f, state));
    if (folded && options.labels) paintLabels(f, state);
  }
  if (kind === "spiral") paintSpiral(f);
  else if (kind === "pitchwheel") paintPitchwheel(f);
  else if (kind === "scope" || kind === "tscope") paintWave(ctx, width, height, f.samples, STAGE.ok);
  else if (kind === "spectrum" || kind === "fscope") paintSpectrum(f);
}

type RowOf = (e: EventInfo) => { y: number; h: number };

/** Pitch upwards over the range the music has used so far (it grows, never jumps back); unpitched events at the bottom. */
function pianorollRowOf(f: DrawFrame, state: DrawState): RowOf {
  for (const e of f.events) {
    const p = pitchOf(e.value);
    if (p === undefined) continue;
    state.low = Math.min(state.low, Math.floor(p) - 1);
    state.high = Math.max(state.high, Math.ceil(p) + 1);
  }
  if (state.low === Infinity) [state.low, state.high] = [48, 72];
  return (e) => pianorollRow(state, f.height, pitchOf(e.value) ?? state.low);
}

/** One row per different note or sound, in order of pitch (then name): the punchcard. */
function punchcardRowOf(f: DrawFrame, state: DrawState): RowOf {
  const label = (e: EventInfo) => (e.value.note !== undefined ? String(e.value.note) : laneOf(e.value));
  for (const e of f.events) if (!state.rows.includes(label(e))) state.rows.push(label(e));
  const order = (l: string) => pitchOf({ note: l }) ?? -1;
  state.rows.sort((a, b) => order(b) - order(a) || a.localeCompare(b));
  const h = f.height / Math.max(1, state.rows.length);
  return (e) => ({ y: state.rows.indexOf(label(e)) * h, h });
}

function paintRoll(f: DrawFrame, rowOf: RowOf): void {
  const { ctx, width, height, now, from, to } = f;
  const x = (frame: number) => ((frame - from) / (to - from)) * width;
  ctx.fillStyle = "#ffffff14";
  const firstCycle = Math.ceil(from / f.framesPerCycle);
  for (let c = firstCycle; c * f.framesPerCycle < to; c++) ctx.fillRect(Math.round(x(c * f.framesPerCycle)), 0, 1, height);
  for (const e of f.events) {
    const { y, h } = rowOf(e);
    const x0 = x(e.frame);
    const w = Math.max(2, x(e.frame + e.durFrames) - x0 - 1);
    const colour = colourOf(e);
    if (sounding(e, now)) {
      ctx.fillStyle = colour;
      ctx.fillRect(x0, y + 0.5, w, Math.max(2, h - 1));
    } else {
      ctx.globalAlpha = 0.35;
      ctx.fillStyle = colour;
      ctx.fillRect(x0, y + 0.5, w, Math.max(2, h - 1));
      ctx.globalAlpha = 1;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 + 0.5, y + 1, w - 1, Math.max(1, h - 2));
    }
  }
  ctx.fillStyle = STAGE.text;
  ctx.fillRect(Math.round(x(now)), 0, 2, height);
}

/** The folded rows' names, at the left. */
function paintLabels(f: DrawFrame, state: DrawState): void {
  const { ctx, height } = f;
  const h = height / Math.max(1, state.rows.length);
  ctx.fillStyle = STAGE.text;
  ctx.font = `${Math.max(8, Math.min(12, h - 2))}px system-ui, sans-serif`;
  state.rows.forEach((label, i) => ctx.fillText(label, 4, i * h + h / 2 + 4));
}

/** One turn per cycle, the present on the outside at the top, the past winding inwards. */
function paintSpiral(f: DrawFrame): void {
  const { ctx, width, height, now, framesPerCycle } = f;
  const cx = width / 2;
  const cy = height / 2;
  const outer = Math.min(width, height) / 2 - 6;
  if (outer <= 0) return; // not laid out yet
  const inner = outer * 0.2;
  const cycleNow = now / framesPerCycle;
  // Radius and angle of a moment, in cycles: now is at the outer edge.
  const point = (c: number): [number, number] => {
    const r = inner + ((c - (cycleNow - PAST_CYCLES)) / (PAST_CYCLES + FUTURE_CYCLES)) * (outer - inner);
    const a = (c % 1) * 2 * Math.PI - Math.PI / 2;
    return [cx + Math.cos(a) * r, cy + Math.sin(a) * r];
  };
  const trace = (c0: number, c1: number) => {
    ctx.beginPath();
    const steps = Math.max(2, Math.ceil((c1 - c0) * 64));
    for (let i = 0; i <= steps; i++) {
      const [px, py] = point(c0 + ((c1 - c0) * i) / steps);
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    }
    ctx.stroke();
  };
  ctx.lineCap = "round";
  ctx.strokeStyle = "#ffffff18";
  ctx.lineWidth = 1;
  trace(cycleNow - PAST_CYCLES, cycleNow + FUTURE_CYCLES);
  ctx.lineWidth = Math.max(3, outer / 12);
  for (const e of f.events) {
    const c0 = e.frame / framesPerCycle;
    const c1 = (e.frame + e.durFrames) / framesPerCycle;
    ctx.globalAlpha = sounding(e, now) ? 1 : 0.4;
    ctx.strokeStyle = colourOf(e);
    trace(c0 + 0.01, Math.max(c0 + 0.02, c1 - 0.01));
  }
  ctx.globalAlpha = 1;
  const [px, py] = point(cycleNow);
  ctx.strokeStyle = STAGE.text;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(cx, cy);
  ctx.lineTo(px, py);
  ctx.stroke();
}

/** The twelve pitch classes on a circle (c at the top), the notes sounding now joined. */
function paintPitchwheel(f: DrawFrame): void {
  const { ctx, width, height, now } = f;
  const cx = width / 2;
  const cy = height / 2;
  const r = Math.min(width, height) / 2 - 10;
  if (r <= 0) return; // not laid out yet
  const at = (pc: number): [number, number] => {
    const a = (pc / 12) * 2 * Math.PI - Math.PI / 2;
    return [cx + Math.cos(a) * r, cy + Math.sin(a) * r];
  };
  ctx.strokeStyle = "#ffffff30";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.fillStyle = "#ffffff30";
  for (let pc = 0; pc < 12; pc++) {
    const [x, y] = at(pc);
    ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
  }
  const active = f.events
    .filter((e) => sounding(e, now) && pitchOf(e.value) !== undefined)
    .map((e) => ({ pc: (((pitchOf(e.value)! % 12) + 12) % 12), colour: colourOf(e) }))
    .sort((a, b) => a.pc - b.pc);
  if (active.length > 1) {
    ctx.strokeStyle = active[0]!.colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    active.forEach(({ pc }, i) => (i === 0 ? ctx.moveTo(...at(pc)) : ctx.lineTo(...at(pc))));
    ctx.closePath();
    ctx.stroke();
  }
  const dot = Math.max(4, r / 10);
  for (const { pc, colour } of active) {
    const [x, y] = at(pc);
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.arc(x, y, dot, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/**
 * A waveform, true to scale (±1 full scale), starting at a rising zero
 * crossing so that a steady tone stands still.
 */
export function paintWave(ctx: CanvasRenderingContext2D, width: number, height: number, s: readonly number[], colour: string): void {
  const mid = height / 2;
  ctx.fillStyle = "#ffffff14";
  ctx.fillRect(0, Math.round(mid), width, 1);
  if (s.length < 2) return;
  const show = Math.min(s.length, 512);
  let start = 0;
  for (let i = 1; i < s.length - show; i++) {
    if (s[i - 1]! <= 0 && s[i]! > 0) {
      start = i;
      break;
    }
  }
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let i = 0; i < show; i++) {
    const v = Math.max(-1, Math.min(1, s[start + i] ?? 0));
    const px = (i / (show - 1)) * width;
    const py = mid - v * (mid - 2);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.stroke();
}

/** Magnitudes in dB of the samples' spectrum (a radix-2 FFT over the largest power of two that fits, Hann windowed). */
export function spectrumDb(samples: readonly number[]): Float64Array {
  let n = 1;
  while (n * 2 <= samples.length) n *= 2;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) re[i] = samples[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
  const out = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) out[k] = 20 * Math.log10(Math.hypot(re[k]!, im[k]!) / (n / 4) + 1e-9);
  return out;
}

/** The spectrum of the output now, frequency on a log axis left to right, −90 to 0 dB upwards. */
function paintSpectrum(f: DrawFrame): void {
  const { ctx, width, height, samples } = f;
  if (samples.length < 64) return;
  const db = spectrumDb(samples);
  const bins = db.length;
  ctx.strokeStyle = STAGE.ok;
  ctx.fillStyle = "#3ddc8440";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(0, height);
  for (let px = 0; px <= width; px += 2) {
    const bin = Math.min(bins - 1, Math.max(1, Math.round(Math.pow(bins, px / width))));
    const v = Math.max(0, Math.min(1, (db[bin]! + 90) / 90));
    ctx.lineTo(px, height - v * (height - 2));
  }
  ctx.lineTo(width, height);
  ctx.fill();
  ctx.stroke();
}
