/**
 * A pianoroll of the events the server reports: time runs right to left
 * past a fixed playhead, pitch upwards, unpitched sounds in lanes at the
 * bottom, one colour per slot, events sounding now drawn bright. The
 * server sends events only a lookahead ahead, so the future side is short;
 * the past side shows the last two cycles. The pitch range follows the
 * music slowly (it grows at once, shrinks over seconds): no jumps.
 * @module
 */
import type { EventInfo } from "../../server/http/protocol.ts";
import type { ClockEstimator } from "../live/clock.ts";
import { laneOf, pitchOf } from "../live/pitch.ts";
import type { Timeline } from "../live/timeline.ts";
import { STAGE } from "../editor/theme.ts";
import { Canvas } from "./canvas.ts";

const PAST_CYCLES = 2;
const FUTURE_CYCLES = 0.25;
const PALETTE = ["#6cd4ff", "#ffd75e", "#ff7ab8", "#3ddc84", "#ff9e64", "#b48cff", "#5ef0d2", "#f25f5c"];

export class Pianoroll {
  private readonly canvas: Canvas;
  private readonly events: EventInfo[] = [];
  private low = 48;
  private high = 72;
  private readonly slotColours = new Map<string, string>();

  constructor(
    el: HTMLCanvasElement,
    private readonly timeline: Timeline,
    private readonly clock: ClockEstimator,
  ) {
    this.canvas = new Canvas(el);
  }

  paint(nowMs: number): void {
    const { ctx, width, height } = this.canvas;
    ctx.fillStyle = STAGE.panel;
    ctx.fillRect(0, 0, width, height);
    if (!this.clock.ready || this.clock.cps <= 0) return;
    const rate = this.clock.sampleRate;
    const framesPerCycle = rate / this.clock.cps;
    const now = this.clock.frameAt(nowMs);
    const from = now - PAST_CYCLES * framesPerCycle;
    const to = now + FUTURE_CYCLES * framesPerCycle;
    const x = (frame: number) => ((frame - from) / (to - from)) * width;
    this.timeline.window(from, to, this.events);

    // Cycle lines, then the lanes.
    const cycleNow = this.clock.cycleAt(nowMs);
    ctx.fillStyle = "#ffffff14";
    for (let c = Math.ceil(cycleNow - PAST_CYCLES); c <= cycleNow + FUTURE_CYCLES; c++) {
      ctx.fillRect(Math.round(x(now + (c - cycleNow) * framesPerCycle)), 0, 1, height);
    }
    const lanes = [...new Set(this.events.filter((e) => pitchOf(e.value) === undefined).map((e) => laneOf(e.value)))].sort();
    const laneH = Math.min(14, (height * 0.35) / Math.max(1, lanes.length));
    const pitchH = height - lanes.length * laneH - 4;
    this.fitPitches();
    const span = Math.max(12, this.high - this.low);
    const rowH = pitchH / (span + 1);

    for (const e of this.events) {
      const pitch = pitchOf(e.value);
      const y = pitch === undefined ? pitchH + 4 + lanes.indexOf(laneOf(e.value)) * laneH : pitchH - (pitch - this.low + 1) * rowH;
      const h = pitch === undefined ? laneH - 2 : Math.max(3, rowH - 1);
      const x0 = x(e.frame);
      const w = Math.max(2, x(e.frame + e.durFrames) - x0 - 1);
      const sounding = e.frame <= now && now < e.frame + e.durFrames;
      ctx.globalAlpha = sounding ? 1 : e.frame > now ? 0.7 : 0.5;
      ctx.fillStyle = this.colour(e.slot);
      ctx.fillRect(x0, y, w, h);
    }
    ctx.globalAlpha = 1;
    const playhead = Math.round(x(now));
    ctx.fillStyle = STAGE.text;
    ctx.fillRect(playhead, 0, 2, height);
    ctx.fillStyle = STAGE.dim;
    ctx.font = "11px system-ui, sans-serif";
    lanes.forEach((l, i) => ctx.fillText(l, 4, pitchH + 4 + i * laneH + laneH - 3));
  }

  private fitPitches(): void {
    let lo = Infinity;
    let hi = -Infinity;
    for (const e of this.events) {
      const p = pitchOf(e.value);
      if (p === undefined) continue;
      lo = Math.min(lo, Math.floor(p));
      hi = Math.max(hi, Math.ceil(p));
    }
    if (lo === Infinity) return;
    // Grow at once so nothing is drawn off the roll; shrink slowly so it never jumps.
    this.low = lo < this.low ? lo - 2 : this.low + (lo - 2 - this.low) * 0.01;
    this.high = hi > this.high ? hi + 2 : this.high + (hi + 2 - this.high) * 0.01;
  }

  private colour(slot: string): string {
    let c = this.slotColours.get(slot);
    if (!c) {
      c = PALETTE[this.slotColours.size % PALETTE.length]!;
      this.slotColours.set(slot, c);
    }
    return c;
  }
}
