/**
 * An oscilloscope of the engine's output (mono), from `scope` pushes (30 a
 * second, 1024 samples). The trace starts at a rising zero crossing, so a
 * steady tone stands still; the scale is true (±1 full scale), so a quiet
 * mix looks quiet.
 * @module
 */
import { STAGE } from "../editor/theme.ts";
import { Canvas } from "./canvas.ts";

export class Scope {
  private readonly canvas: Canvas;
  private samples: number[] = [];
  private fresh = false;

  constructor(el: HTMLCanvasElement) {
    this.canvas = new Canvas(el);
  }

  update(samples: number[]): void {
    this.samples = samples;
    this.fresh = true;
  }

  paint(): void {
    if (!this.fresh && !this.canvas.dirty) return;
    this.fresh = false;
    this.canvas.dirty = false;
    const { ctx, width, height } = this.canvas;
    ctx.fillStyle = STAGE.panel;
    ctx.fillRect(0, 0, width, height);
    const mid = height / 2;
    ctx.fillStyle = "#ffffff14";
    ctx.fillRect(0, Math.round(mid), width, 1);
    const s = this.samples;
    if (s.length < 2) {
      ctx.fillStyle = STAGE.dim;
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillText("oscilloscope: waiting for the server's scope", 8, 16);
      return;
    }
    const show = Math.min(s.length, 512);
    let start = 0;
    for (let i = 1; i < s.length - show; i++) {
      if (s[i - 1]! <= 0 && s[i]! > 0) {
        start = i;
        break;
      }
    }
    ctx.strokeStyle = STAGE.ok;
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
}
