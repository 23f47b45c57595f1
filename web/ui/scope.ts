/**
 * An oscilloscope of the engine's output (mono), from `scope` pushes (30 a
 * second, 1024 samples). The trace starts at a rising zero crossing, so a
 * steady tone stands still; the scale is true (±1 full scale), so a quiet
 * mix looks quiet.
 * @module
 */
import { STAGE } from "../editor/theme.ts";
import { Canvas } from "./canvas.ts";
import { paintWave } from "./drawings.ts";

export class Scope {
  private readonly canvas: Canvas;
  private samples: number[] = [];
  private fresh = false;

  constructor(el: HTMLCanvasElement) {
    this.canvas = new Canvas(el);
  }

  /** The latest samples (the drawings of `.scope()` and `.spectrum()` use them too). */
  get latest(): readonly number[] {
    return this.samples;
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
    const s = this.samples;
    if (s.length < 2) {
      ctx.fillStyle = STAGE.dim;
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillText("oscilloscope: waiting for the server's scope", 8, 16);
    }
    paintWave(ctx, width, height, s, STAGE.ok);
  }
}
