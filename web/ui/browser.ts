/**
 * The pattern browser: the files of the server's pattern store. Open one
 * in a tab, play it (open and evaluate it whole), save the current buffer
 * as a pattern, delete one (a second click confirms).
 * @module
 */
import type { Socket } from "../net/socket.ts";

type PatternInfo = { name: string; size: number; modified: string };

export type BrowserActions = {
  open: (name: string, code: string) => void;
  play: (name: string, code: string) => void;
  /** The current buffer's name and text, to save as a pattern. */
  current: () => { name: string; code: string };
  say: (text: string, kind: "info" | "ok" | "warn" | "error") => void;
};

export class PatternBrowser {
  private armedDelete: string | undefined;

  constructor(
    private readonly els: { list: HTMLElement; refresh: HTMLElement; saveAs: HTMLInputElement; save: HTMLElement },
    private readonly socket: Socket,
    private readonly actions: BrowserActions,
  ) {
    els.refresh.addEventListener("click", () => void this.refresh());
    els.save.addEventListener("click", () => void this.saveCurrent());
    els.saveAs.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter") void this.saveCurrent();
    });
  }

  async refresh(): Promise<void> {
    try {
      const data = (await this.socket.request({ type: "patterns" }, { queue: "drop" })) as { patterns: PatternInfo[] };
      this.render(data.patterns);
    } catch (err) {
      this.els.list.replaceChildren(Object.assign(document.createElement("div"), { className: "empty", textContent: `patterns unavailable: ${(err as Error).message}` }));
    }
  }

  private render(patterns: PatternInfo[]): void {
    if (patterns.length === 0) {
      this.els.list.replaceChildren(Object.assign(document.createElement("div"), { className: "empty", textContent: "no pattern files yet" }));
      return;
    }
    this.els.list.replaceChildren(
      ...patterns.map((p) => {
        const row = document.createElement("div");
        row.className = "pattern";
        row.dataset.name = p.name;
        row.title = `${p.size} bytes, saved ${new Date(p.modified).toLocaleString()}`;
        const name = Object.assign(document.createElement("span"), { className: "pattern-name", textContent: p.name });
        name.addEventListener("click", () => void this.load(p.name, "open"));
        const play = this.button("▶", `open and play ${p.name}`, () => void this.load(p.name, "play"));
        play.classList.add("play");
        const del = this.button("✕", `delete ${p.name} (click twice)`, () => void this.remove(p.name, del));
        del.classList.add("delete");
        row.append(name, play, del);
        return row;
      }),
    );
  }

  private async load(name: string, how: "open" | "play"): Promise<void> {
    try {
      const data = (await this.socket.request({ type: "readPattern", name }, { queue: "drop" })) as { name: string; code: string };
      const buffer = name.replace(/\.(js|ts|mjs|strudel)$/, "");
      if (how === "play") this.actions.play(buffer, data.code);
      else this.actions.open(buffer, data.code);
    } catch (err) {
      this.actions.say(`could not read ${name}: ${(err as Error).message}`, "error");
    }
  }

  private async saveCurrent(): Promise<void> {
    const { name, code } = this.actions.current();
    const target = this.els.saveAs.value.trim() || name;
    try {
      await this.socket.request({ type: "writePattern", name: target, code }, { queue: "drop" });
      this.actions.say(`saved pattern ${target}`, "ok");
      this.els.saveAs.value = "";
      await this.refresh();
    } catch (err) {
      this.actions.say(`could not save pattern ${target}: ${(err as Error).message}`, "error");
    }
  }

  private async remove(name: string, button: HTMLElement): Promise<void> {
    if (this.armedDelete !== name) {
      this.armedDelete = name;
      button.classList.add("armed");
      button.title = `click again to delete ${name}`;
      setTimeout(() => {
        if (this.armedDelete === name) this.armedDelete = undefined;
        button.classList.remove("armed");
      }, 3000);
      return;
    }
    this.armedDelete = undefined;
    try {
      await this.socket.request({ type: "deletePattern", name }, { queue: "drop" });
      this.actions.say(`deleted pattern ${name}`, "info");
      await this.refresh();
    } catch (err) {
      this.actions.say(`could not delete ${name}: ${(err as Error).message}`, "error");
    }
  }

  private button(text: string, title: string, click: () => void): HTMLButtonElement {
    const b = document.createElement("button");
    b.textContent = text;
    b.title = title;
    b.addEventListener("click", click);
    return b;
  }
}
