/**
 * The tab bar: one tab per buffer, a dot on a tab whose text the server
 * does not have yet, × to close, + for a new buffer, double-click to
 * rename. Rebuilt from the workspace on each change (a handful of nodes).
 * @module
 */
import type { EditorWorkspace } from "../editor/workspace.ts";

export class Tabs {
  constructor(
    private readonly el: HTMLElement,
    private readonly workspace: EditorWorkspace,
    private readonly say: (text: string, kind: "error") => void,
  ) {}

  render(): void {
    const { order, active, docs } = this.workspace.ws;
    const frag = document.createDocumentFragment();
    for (const name of order) {
      const tab = document.createElement("div");
      tab.className = "tab";
      tab.setAttribute("role", "tab");
      tab.dataset.name = name;
      tab.classList.toggle("active", name === active);
      tab.classList.toggle("unsaved", !docs[name]!.synced);
      tab.title = docs[name]!.synced ? `${name} (saved on the server)` : `${name} (kept in this browser; saving to the server)`;
      const label = document.createElement("span");
      label.className = "name";
      label.textContent = name;
      const close = document.createElement("button");
      close.className = "close";
      close.textContent = "×";
      close.title = `close ${name} (the server keeps it)`;
      close.addEventListener("click", (e) => {
        e.stopPropagation();
        this.workspace.close(name);
      });
      tab.addEventListener("click", () => this.workspace.activate(name));
      tab.addEventListener("dblclick", () => this.startRename(tab, label, name));
      tab.append(label, close);
      frag.append(tab);
    }
    const add = document.createElement("button");
    add.className = "tab-add";
    add.textContent = "+";
    add.title = "new buffer";
    add.addEventListener("click", () => this.workspace.newBuffer());
    frag.append(add);
    this.el.replaceChildren(frag);
  }

  private startRename(tab: HTMLElement, label: HTMLElement, name: string): void {
    const input = document.createElement("input");
    input.className = "rename";
    input.value = name;
    input.spellcheck = false;
    label.replaceWith(input);
    input.focus();
    input.select();
    let done = false;
    const finish = (commit: boolean) => {
      if (done) return;
      done = true;
      const to = input.value.trim();
      try {
        if (commit && to && to !== name) this.workspace.rename(name, to);
      } catch (err) {
        this.say((err as Error).message, "error");
      }
      this.render();
    };
    input.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter") finish(true);
      else if (e.key === "Escape") finish(false);
    });
    input.addEventListener("blur", () => finish(true));
    void tab;
  }
}
