/**
 * The Sounds panel: every sound the server can play (GET /api/sounds, over
 * the socket), searchable. Click a name to hear it once; the ＋ button,
 * a double click or dragging the name into the code inserts it. A bank not
 * all cached says so, and the fetch box downloads a source or a bank into
 * the server's cache, so it plays offline. The list also feeds completion
 * inside s("…"), bank("…") and scale("…") (sound-completion.ts).
 * @module
 */
import type { Socket } from "../net/socket.ts";
import type { SoundEntry, SoundList } from "../../server/live/sound-list.ts";

export type SoundsActions = {
  /** Inserts a sound's name at the cursor. */
  insert: (name: string) => void;
  say: (text: string, kind: "info" | "ok" | "warn" | "error") => void;
  /** Told each time the list arrives (for completion). */
  listed?: (list: SoundList) => void;
};

export class SoundsPanel {
  private sounds: SoundEntry[] = [];

  constructor(
    private readonly els: {
      list: HTMLElement;
      search: HTMLInputElement;
      refresh: HTMLElement;
      source: HTMLInputElement;
      fetch: HTMLElement;
      section: HTMLElement;
      patternsSection: HTMLElement;
      showSounds: HTMLElement;
      showPatterns: HTMLElement;
    },
    private readonly socket: Socket,
    private readonly actions: SoundsActions,
  ) {
    els.refresh.addEventListener("click", () => void this.refresh());
    // the pattern list and the sound list share the side panel's room: a button switches
    els.showSounds.addEventListener("click", () => this.show(true));
    els.showPatterns.addEventListener("click", () => this.show(false));
    els.search.addEventListener("input", () => this.render());
    els.fetch.addEventListener("click", () => void this.fetchSource());
    for (const input of [els.search, els.source]) input.addEventListener("keydown", (e) => e.stopPropagation());
    els.source.addEventListener("keydown", (e) => {
      if (e.key === "Enter") void this.fetchSource();
    });
  }

  async refresh(): Promise<void> {
    try {
      const list = (await this.socket.request({ type: "sounds" }, { queue: "drop" })) as SoundList;
      this.sounds = list.sounds;
      this.actions.listed?.(list);
      this.render();
    } catch (err) {
      this.els.list.replaceChildren(empty(`sounds unavailable: ${(err as Error).message}`));
    }
  }

  /** Shows the sound list (true) or the pattern list in its place. */
  show(sounds: boolean): void {
    this.els.section.hidden = !sounds;
    this.els.patternsSection.hidden = sounds;
    if (sounds) this.els.search.focus();
  }

  private render(): void {
    const words = this.els.search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const shown = this.sounds.filter((s) => words.every((w) => s.name.toLowerCase().includes(w) || s.kind.includes(w)));
    if (!shown.length) {
      this.els.list.replaceChildren(empty(this.sounds.length ? "no sound matches" : "no sounds"));
      return;
    }
    // the first 300: a long list of thousands of drum machine banks stays quick to redraw; the search narrows it
    this.els.list.replaceChildren(...shown.slice(0, 300).map((s) => this.row(s)));
  }

  private row(s: SoundEntry): HTMLElement {
    const row = document.createElement("div");
    row.className = "sound";
    row.dataset.name = s.name;
    row.draggable = true;
    row.addEventListener("dragstart", (e) => e.dataTransfer?.setData("text/plain", s.name));
    const name = Object.assign(document.createElement("span"), { className: "sound-name", textContent: s.name, title: `click to hear ${s.name} once; double-click to insert it` });
    name.addEventListener("click", () => void this.play(s.name));
    name.addEventListener("dblclick", () => this.actions.insert(s.name));
    const info = Object.assign(document.createElement("span"), { className: "sound-info" });
    if (s.kind === "sample") {
      info.textContent = s.cached === s.files ? `${s.files}` : `${s.cached}/${s.files}`;
      info.title = `${s.files} file${s.files === 1 ? "" : "s"}${s.pitched ? " by note" : ""}, ${s.cached === s.files ? "all cached" : `${s.cached} cached`}; from ${s.origin}`;
      if (s.cached < s.files) info.classList.add("missing");
    } else {
      info.textContent = s.kind;
      info.title = `built-in ${s.kind}`;
    }
    const insert = Object.assign(document.createElement("button"), { textContent: "＋", title: `insert "${s.name}" at the cursor`, className: "insert" });
    insert.addEventListener("click", () => this.actions.insert(s.name));
    row.append(name, info, insert);
    return row;
  }

  private async play(sound: string): Promise<void> {
    try {
      await this.socket.request({ type: "playSound", sound }, { queue: "drop" });
      this.actions.say(`▶ ${sound}`, "info");
    } catch (err) {
      this.actions.say(`cannot play ${sound}: ${(err as Error).message}`, "error");
    }
  }

  private async fetchSource(): Promise<void> {
    const names = this.els.source.value.trim().split(/\s+/).filter(Boolean);
    if (!names.length) return this.actions.say("name a source to fetch (github:user/repo, a URL of a strudel.json) or a bank", "warn");
    this.actions.say(`fetching ${names.join(" ")}…`, "info");
    try {
      const r = (await this.socket.request({ type: "fetchSounds", names }, { queue: "drop" })) as { fetched: number; failed: string[] };
      if (r.failed.length) this.actions.say(`fetched ${r.fetched} files; ${r.failed.length} failed: ${r.failed.join("; ")}`, "warn");
      else this.actions.say(`fetched ${r.fetched} files: they play offline now`, "ok");
      this.els.source.value = "";
      await this.refresh();
    } catch (err) {
      this.actions.say(`fetch failed: ${(err as Error).message}`, "error");
    }
  }
}

function empty(text: string): HTMLElement {
  return Object.assign(document.createElement("div"), { className: "empty", textContent: text });
}
