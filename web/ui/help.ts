/**
 * The help overlay: every action with its keys, editable in place (the
 * keymap is saved in this browser), and the few things worth knowing.
 * Escape or the help key closes it.
 * @module
 */
import { ACTIONS, BLOCK_KEYMAP, DEFAULT_KEYMAP, formatChord, loadKeymap, parseChord, type Action, type Keymap } from "../editor/keymap.ts";

export const KEYMAP_STORAGE = "ostinato.keys.v1";

export class HelpOverlay {
  constructor(
    private readonly el: HTMLElement,
    private readonly mac: boolean,
    private readonly getKeymap: () => Keymap,
    private readonly setKeymap: (k: Keymap) => void,
  ) {
    el.addEventListener("click", (e) => {
      if (e.target === el) this.hide();
    });
    el.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.hide();
    });
  }

  get visible(): boolean {
    return !this.el.hidden;
  }

  toggle(): void {
    if (this.visible) this.hide();
    else this.show();
  }

  hide(): void {
    this.el.hidden = true;
  }

  show(): void {
    this.render();
    this.el.hidden = false;
    (this.el.querySelector("input") as HTMLInputElement | null)?.focus();
  }

  private render(): void {
    const keymap = this.getKeymap();
    const box = document.createElement("div");
    box.className = "help-box";
    const title = Object.assign(document.createElement("h2"), { textContent: "Keys" });
    const table = document.createElement("table");
    for (const { action, label } of ACTIONS) {
      const row = table.insertRow();
      row.insertCell().textContent = label;
      const cell = row.insertCell();
      const input = document.createElement("input");
      input.value = keymap[action].join(", ");
      input.dataset.action = action;
      input.spellcheck = false;
      input.title = "chords separated by commas, e.g. Mod+Enter, Ctrl+Shift+E (Mod is Cmd on a Mac, Ctrl elsewhere)";
      const shown = document.createElement("span");
      shown.className = "shown";
      shown.textContent = this.describe(keymap[action]);
      input.addEventListener("change", () => this.edit(action, input, shown));
      cell.append(input, shown);
    }
    const reset = Object.assign(document.createElement("button"), { textContent: "Strudel's keys (default)" });
    reset.addEventListener("click", () => {
      this.setKeymap(structuredClone(DEFAULT_KEYMAP));
      this.render();
    });
    const blocks = Object.assign(document.createElement("button"), { textContent: "Block keys: Ctrl+Enter evaluates the block" });
    blocks.dataset.keymap = "block";
    blocks.addEventListener("click", () => {
      this.setKeymap(structuredClone(BLOCK_KEYMAP));
      this.render();
    });
    const notes = document.createElement("ul");
    for (const line of [
      "A block is the lines between blank lines. With a selection, Evaluate block sends the selection.",
      "Each $: block keeps its own slot, named by its place in the buffer ($1, $2 …): evaluating one block leaves the others playing.",
      "Everything you type is kept in this browser and saved on the server; an evaluation also keeps a version.",
      "Errors are marked in the code and the music keeps playing. F8 jumps to the error.",
      "Ctrl+Space completes, hovering a function shows its documentation.",
    ]) {
      notes.append(Object.assign(document.createElement("li"), { textContent: line }));
    }
    box.append(title, table, reset, blocks, notes);
    this.el.replaceChildren(box);
  }

  private edit(action: Action, input: HTMLInputElement, shown: HTMLElement): void {
    const chords = input.value.split(",").map((c) => c.trim()).filter(Boolean);
    const { keymap, problems } = loadKeymap({ ...this.getKeymap(), [action]: chords });
    input.classList.toggle("bad", problems.length > 0);
    shown.textContent = problems.length ? problems.join("; ") : this.describe(keymap[action]);
    if (problems.length === 0) this.setKeymap(keymap);
  }

  private describe(chords: readonly string[]): string {
    return chords
      .map((c) => {
        try {
          return formatChord(parseChord(c), this.mac);
        } catch {
          return c;
        }
      })
      .join("  or  ");
  }
}
