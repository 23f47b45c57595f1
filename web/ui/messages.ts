/**
 * The message line under the editor: the last evaluation's result, an
 * error with its position (click to jump there), a warning. Recent lines
 * are kept in its tooltip. A line never moves the layout: it is one row,
 * ellipsised.
 * @module
 */
export type MessageKind = "info" | "ok" | "warn" | "error";

const KEEP = 30;

export class MessageLine {
  private readonly history: string[] = [];
  private onClick: (() => void) | undefined;

  constructor(private readonly el: HTMLElement) {
    el.addEventListener("click", () => this.onClick?.());
  }

  show(text: string, kind: MessageKind = "info", onClick?: () => void): void {
    this.el.textContent = text;
    this.el.dataset.kind = kind;
    this.el.classList.toggle("clickable", Boolean(onClick));
    this.onClick = onClick;
    const stamp = new Date().toLocaleTimeString();
    this.history.unshift(`${stamp}  ${text}`);
    this.history.length = Math.min(this.history.length, KEEP);
    this.el.title = this.history.join("\n");
  }
}
