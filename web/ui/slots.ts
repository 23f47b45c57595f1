/**
 * The playing slots, from `state`: one chip each, with mute and solo
 * toggles; a slot stopped by a query-time error is marked and its error
 * is in the tooltip; who last evaluated each slot is named beside it.
 * @module
 */
import type { SlotInfo } from "../../server/http/protocol.ts";

export class SlotList {
  private shown = "";

  constructor(
    private readonly el: HTMLElement,
    private readonly toggle: (slot: string, what: "mute" | "solo", on: boolean) => void,
    /** This musician's name: their own slots need no name tag (it is in the tooltip). */
    private readonly me: () => string = () => "",
  ) {}

  update(slots: readonly SlotInfo[]): void {
    const key = JSON.stringify(slots) + this.me();
    if (key === this.shown) return;
    this.shown = key;
    if (slots.length === 0) {
      this.el.replaceChildren(Object.assign(document.createElement("span"), { className: "empty", textContent: "nothing playing" }));
      return;
    }
    this.el.replaceChildren(
      ...slots.map((s) => {
        const chip = document.createElement("div");
        chip.className = "slot";
        chip.dataset.slot = s.id;
        chip.classList.toggle("muted", s.muted || s.silenced);
        chip.classList.toggle("failed", Boolean(s.error));
        chip.title = s.error ? `stopped: ${s.error.message}` : `from buffer ${s.buffer}${s.by ? `, evaluated by ${s.by}` : ""}`;
        const name = Object.assign(document.createElement("span"), { className: "slot-name", textContent: s.id });
        const by = Object.assign(document.createElement("span"), { className: "slot-by", textContent: s.by && !s.by.includes(":") && s.by !== this.me() ? s.by : "" });
        const mute = this.button("M", s.muted, `mute ${s.id}`, () => this.toggle(s.id, "mute", !s.muted));
        const solo = this.button("S", s.solo, `solo ${s.id}`, () => this.toggle(s.id, "solo", !s.solo));
        chip.append(name, by, mute, solo);
        return chip;
      }),
    );
  }

  private button(text: string, on: boolean, title: string, click: () => void): HTMLButtonElement {
    const b = document.createElement("button");
    b.textContent = text;
    b.title = title;
    b.classList.toggle("on", on);
    b.addEventListener("click", click);
    return b;
  }
}
