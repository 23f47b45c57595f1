/**
 * A canvas that keeps its backing store at the device's pixel ratio and
 * its CSS size, so lines stay crisp on a projector and on a laptop alike.
 * Size is read only when the element is resized (ResizeObserver), never
 * per frame: painting does no layout.
 * @module
 */
export class Canvas {
  readonly ctx: CanvasRenderingContext2D;
  width = 0;
  height = 0;
  /** The size changed since the last paint: repaint everything. */
  dirty = true;

  constructor(readonly el: HTMLCanvasElement) {
    this.ctx = el.getContext("2d", { alpha: false })!;
    const observer = new ResizeObserver(() => this.measure());
    observer.observe(el);
    this.measure();
  }

  private measure(): void {
    const rect = this.el.getBoundingClientRect();
    const ratio = Math.min(window.devicePixelRatio || 1, 3);
    this.width = Math.max(1, Math.round(rect.width));
    this.height = Math.max(1, Math.round(rect.height));
    this.el.width = Math.round(this.width * ratio);
    this.el.height = Math.round(this.height * ratio);
    this.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.dirty = true;
  }
}
