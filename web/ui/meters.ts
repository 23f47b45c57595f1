/**
 * Peak meters, one bar per output channel, in dB from -48 to 0, with a
 * peak-hold tick and a clip light (clipping, or the output limiter at its
 * ceiling) that stays lit for two seconds (or until clicked). Pushes come 40 times a second; bars fall smoothly between them
 * (fast attack, 24 dB/s release), as a hardware meter does.
 * @module
 */
import { STAGE } from "../editor/theme.ts";
import { Canvas } from "./canvas.ts";

const FLOOR_DB = -48;
const RELEASE_DB_PER_S = 24;
const HOLD_MS = 1500;
const CLIP_MS = 2000;
/**
 * The engine's output limiter holds peaks at 0.95 (-0.45 dBFS, native/limiter.c),
 * so a peak at its ceiling means it is limiting: the mix is too hot. The light
 * comes on then, or when the server reports a clip.
 */
const LIMIT_LEVEL = 0.94;

type Channel = { db: number; target: number; hold: number; holdAt: number; clipAt: number };

export class Meters {
  private readonly canvas: Canvas;
  private channels: Channel[] = [];
  private lastPaint = 0;
  /** Loudest channel now, linear 0..1 (read by tests through the element's data-peak). */
  peak = 0;

  constructor(private readonly el: HTMLCanvasElement) {
    this.canvas = new Canvas(el);
    el.addEventListener("click", () => {
      for (const c of this.channels) c.clipAt = 0;
    });
  }

  update(peaks: readonly number[], clipped: readonly boolean[], nowMs: number): void {
    if (this.channels.length !== peaks.length) {
      this.channels = peaks.map(() => ({ db: FLOOR_DB, target: FLOOR_DB, hold: FLOOR_DB, holdAt: 0, clipAt: 0 }));
      this.canvas.dirty = true;
    }
    peaks.forEach((p, i) => {
      const c = this.channels[i]!;
      c.target = toDb(p);
      if (c.target > c.db) c.db = c.target;
      if (c.target >= c.hold || nowMs - c.holdAt > HOLD_MS) {
        c.hold = c.target;
        c.holdAt = nowMs;
      }
      if (clipped[i] || (Number.isFinite(p) && Math.abs(p) >= LIMIT_LEVEL)) c.clipAt = nowMs;
    });
    const loudest = Math.max(0, ...peaks.map((p) => (Number.isFinite(p) ? Math.abs(p) : 0)));
    this.peak = loudest;
    this.el.dataset.peak = loudest.toFixed(3);
  }

  /** The connection dropped: the meters fall to silence rather than freeze. */
  silence(): void {
    for (const c of this.channels) c.target = FLOOR_DB;
    this.peak = 0;
    this.el.dataset.peak = "0.000";
  }

  paint(nowMs: number): void {
    const dt = this.lastPaint ? Math.min(0.1, (nowMs - this.lastPaint) / 1000) : 0;
    this.lastPaint = nowMs;
    const { ctx, width, height } = this.canvas;
    ctx.fillStyle = STAGE.panel;
    ctx.fillRect(0, 0, width, height);
    const n = Math.max(1, this.channels.length);
    const clipW = 14;
    const gap = 3;
    const barH = (height - gap * (n + 1)) / n;
    const barW = width - clipW - gap * 3;
    this.channels.forEach((c, i) => {
      c.db = Math.max(c.target, c.db - RELEASE_DB_PER_S * dt);
      const y = gap + i * (barH + gap);
      const level = norm(c.db);
      // Green to -12 dB, amber to -3 dB, red above: the zones a sound engineer expects.
      const zones: [number, string][] = [
        [norm(-12), STAGE.ok],
        [norm(-3), "#ffc53d"],
        [1, STAGE.error],
      ];
      let from = 0;
      for (const [to, colour] of zones) {
        const w = Math.min(level, to) - from;
        if (w > 0) {
          ctx.fillStyle = colour;
          ctx.fillRect(gap + from * barW, y, w * barW, barH);
        }
        from = to;
      }
      ctx.fillStyle = "#ffffff10";
      ctx.fillRect(gap + level * barW, y, (1 - level) * barW, barH);
      if (c.hold > FLOOR_DB) {
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(gap + norm(c.hold) * barW - 1, y, 2, barH);
      }
      const clipping = c.clipAt > 0 && nowMs - c.clipAt < CLIP_MS;
      ctx.fillStyle = clipping ? STAGE.error : "#2a1418";
      ctx.fillRect(width - clipW - gap, y, clipW, barH);
    });
    this.el.dataset.clip = String(this.channels.some((c) => c.clipAt > 0 && nowMs - c.clipAt < CLIP_MS));
  }
}

function toDb(p: number): number {
  const a = Number.isFinite(p) ? Math.abs(p) : 0;
  return a <= 0 ? FLOOR_DB : Math.max(FLOOR_DB, 20 * Math.log10(a));
}

function norm(db: number): number {
  return Math.max(0, Math.min(1, (db - FLOOR_DB) / -FLOOR_DB));
}
