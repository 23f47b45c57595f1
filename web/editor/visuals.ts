/**
 * The drawings of Strudel's visual methods in the editor. At each
 * evaluation the sent code's drawing calls are found (visual-sites.ts);
 * a `_` form (`._pianoroll()`) gets its own canvas in a Monaco view zone
 * under its line, a plain form (`.pianoroll()`) one canvas per kind in the
 * visual panel under the editor. Each frame a drawing paints the events
 * whose context lists its call (the server tags them: see
 * server/pattern/visual.ts) from a slot of the evaluation that made it.
 * An evaluation's drawings go when all its slots are replaced or stop; a
 * call whose slot is replaced goes at once (a re-evaluation without it
 * removes it).
 * @module
 */
import type { EventInfo } from "../../server/http/protocol.ts";
import type { VisualKind } from "../../server/pattern/visual-methods.ts";
import type { ClockEstimator } from "../live/clock.ts";
import type { Timeline } from "../live/timeline.ts";
import { visualSites, type VisualOptions, type VisualSite } from "../live/visual-sites.ts";
import { Canvas } from "../ui/canvas.ts";
import { FUTURE_CYCLES, newDrawState, paint, pastCycles, type DrawFrame, type DrawState } from "../ui/drawings.ts";
import type { Editor, Model, Monaco } from "./monaco.ts";
import type { TrackedSource } from "./tracking.ts";

/** Height of an inline drawing, in CSS pixels. */
const INLINE_HEIGHT = 96;

/** One drawing call of an evaluation. */
type Site = VisualSite & {
  /** The slot whose events first carried it (known after its first event). */
  owner?: string;
  /** Inline: a decoration on its line (moves with edits, survives a tab switch), its view zone and canvas. */
  decoration?: string;
  zone?: string;
  node?: HTMLElement;
  canvas?: Canvas;
  state: DrawState;
};

type Evaluation = { model: Model; slots: Set<string>; sites: Site[] };

type PanelDrawing = { kind: VisualKind; canvas: Canvas; node: HTMLElement; state: DrawState; options: VisualOptions };

export class Visuals {
  private evaluations: Evaluation[] = [];
  private readonly panel = new Map<VisualKind, PanelDrawing>();
  private readonly events: EventInfo[] = [];
  private readonly mine: EventInfo[] = [];

  constructor(
    private readonly monaco: Monaco,
    private readonly editor: Editor,
    private readonly panelEl: HTMLElement,
    private readonly timeline: Timeline,
    private readonly clock: ClockEstimator,
    private readonly samples: () => readonly number[],
  ) {
    // Another tab: its zones went with the old view; the drawings of the new model come back.
    editor.onDidChangeModel(() => {
      for (const ev of this.evaluations) for (const s of ev.sites) this.removeZone(s);
      this.placeZones();
    });
  }

  /** The inline drawings now in the editor (tests read their canvases and geometry). */
  get inline(): { kind: VisualKind; line: number; canvas: HTMLCanvasElement; state: DrawState }[] {
    const out = [];
    for (const ev of this.evaluations) {
      for (const s of ev.sites) {
        if (!s.canvas || !s.decoration) continue;
        const range = ev.model.getDecorationRange(s.decoration);
        out.push({ kind: s.kind, line: range?.startLineNumber ?? 0, canvas: s.canvas.el, state: s.state });
      }
    }
    return out;
  }

  /** The panel's drawings, by kind. */
  get panelDrawings(): { kind: VisualKind; canvas: HTMLCanvasElement; state: DrawState }[] {
    return [...this.panel.values()].map((d) => ({ kind: d.kind, canvas: d.canvas.el, state: d.state }));
  }

  /** An evaluation of `source` set these slots: its drawing calls replace the old ones of those slots. */
  bind(slots: readonly string[], source: TrackedSource): void {
    const taken = new Set(slots);
    for (const ev of this.evaluations) {
      for (const slot of taken) ev.slots.delete(slot);
      ev.sites = ev.sites.filter((s) => {
        const replaced = ev.slots.size === 0 || (s.owner !== undefined && taken.has(s.owner));
        if (replaced) this.removeSite(ev, s);
        return !replaced;
      });
    }
    this.evaluations = this.evaluations.filter((ev) => ev.slots.size > 0);
    if (slots.length === 0) return this.syncPanel();
    const sites: Site[] = visualSites(source.code).map((s) => ({ ...s, state: newDrawState() }));
    const ev: Evaluation = { model: source.model, slots: taken, sites };
    for (const s of sites) {
      if (!s.inline) continue;
      const at = source.positionOf(...lineColumn(source.code, s.at));
      [s.decoration] = source.model.deltaDecorations([], [{ range: new this.monaco.Range(at.lineNumber, at.column, at.lineNumber, at.column), options: { stickiness: this.monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges } }]);
    }
    this.evaluations.push(ev);
    this.placeZones();
    this.syncPanel();
  }

  /** Forgets slots that are no longer playing (and the drawings only they had). */
  keepSlots(playing: ReadonlySet<string>): void {
    let changed = false;
    for (const ev of this.evaluations) {
      for (const slot of ev.slots) if (!playing.has(slot)) ev.slots.delete(slot);
      if (ev.slots.size > 0) continue;
      for (const s of ev.sites) this.removeSite(ev, s);
      ev.sites = [];
      changed = true;
    }
    if (!changed) return;
    this.evaluations = this.evaluations.filter((ev) => ev.slots.size > 0);
    this.syncPanel();
  }

  clear(): void {
    for (const ev of this.evaluations) for (const s of ev.sites) this.removeSite(ev, s);
    this.evaluations = [];
    this.syncPanel();
  }

  paint(nowMs: number): void {
    if (this.evaluations.length === 0 || !this.clock.ready || this.clock.cps <= 0) return;
    const framesPerCycle = this.clock.sampleRate / this.clock.cps;
    const now = this.clock.frameAt(nowMs);
    let longest = 0;
    for (const ev of this.evaluations) for (const s of ev.sites) longest = Math.max(longest, pastCycles(s.options));
    const to = now + FUTURE_CYCLES * framesPerCycle;
    this.timeline.window(now - longest * framesPerCycle, to, this.events);
    const samples = this.samples();
    const draw = (canvas: Canvas, kind: VisualKind, state: DrawState, options: VisualOptions, keep: (e: EventInfo) => boolean) => {
      const from = now - pastCycles(options) * framesPerCycle;
      this.mine.length = 0;
      for (const e of this.events) if (e.frame + e.durFrames > from && keep(e)) this.mine.push(e);
      const f: DrawFrame = { ctx: canvas.ctx, width: canvas.width, height: canvas.height, events: this.mine, now, from, to, framesPerCycle, samples };
      paint(kind, f, state, options);
    };
    const model = this.editor.getModel();
    for (const ev of this.evaluations) {
      for (const s of ev.sites) {
        for (const e of this.events) if (s.owner === undefined && ev.slots.has(e.slot) && e.visuals?.includes(s.at)) s.owner = e.slot;
        if (s.canvas && ev.model === model) draw(s.canvas, s.kind, s.state, s.options, (e) => ev.slots.has(e.slot) && !!e.visuals?.includes(s.at));
      }
    }
    for (const d of this.panel.values()) {
      draw(d.canvas, d.kind, d.state, d.options, (e) => this.evaluations.some((ev) => ev.slots.has(e.slot) && ev.sites.some((s) => !s.inline && s.kind === d.kind && !!e.visuals?.includes(s.at))));
    }
  }

  /** Gives each inline drawing of the current model a view zone under its line. */
  private placeZones(): void {
    const model = this.editor.getModel();
    this.editor.changeViewZones((zones) => {
      for (const ev of this.evaluations) {
        if (ev.model !== model) continue;
        for (const s of ev.sites) {
          if (!s.inline || s.zone || !s.decoration) continue;
          const range = ev.model.getDecorationRange(s.decoration);
          if (!range) continue;
          const node = document.createElement("div");
          node.className = "ost-inline-visual";
          node.dataset.kind = s.kind;
          const el = document.createElement("canvas");
          node.append(el);
          s.node = node;
          s.zone = zones.addZone({ afterLineNumber: range.startLineNumber, heightInPx: INLINE_HEIGHT, domNode: node, suppressMouseDown: true });
          s.canvas = new Canvas(el);
        }
      }
    });
  }

  private removeZone(s: Site): void {
    if (s.zone) {
      const id = s.zone;
      this.editor.changeViewZones((zones) => zones.removeZone(id));
    }
    s.zone = undefined;
    s.node = undefined;
    s.canvas = undefined;
  }

  private removeSite(ev: Evaluation, s: Site): void {
    this.removeZone(s);
    if (s.decoration && !ev.model.isDisposed()) ev.model.deltaDecorations([s.decoration], []);
    s.decoration = undefined;
  }

  /** One panel canvas per kind some evaluation draws in the panel; the panel hides when there is none. */
  private syncPanel(): void {
    const wanted = new Set<VisualKind>();
    const options = new Map<VisualKind, VisualOptions>();
    for (const ev of this.evaluations) {
      for (const s of ev.sites) {
        if (s.inline) continue;
        wanted.add(s.kind);
        options.set(s.kind, { ...options.get(s.kind), ...s.options });
      }
    }
    for (const [kind, d] of this.panel) {
      d.options = options.get(kind) ?? {};
      if (wanted.has(kind)) continue;
      d.node.remove();
      this.panel.delete(kind);
    }
    for (const kind of wanted) {
      if (this.panel.has(kind)) continue;
      const node = document.createElement("canvas");
      node.dataset.kind = kind;
      node.title = `.${kind}()`;
      this.panelEl.append(node);
      this.panel.set(kind, { kind, node, canvas: new Canvas(node), state: newDrawState(), options: options.get(kind) ?? {} });
    }
    this.panelEl.hidden = wanted.size === 0;
  }
}

/** 1-based line and column of an offset in `code`. */
function lineColumn(code: string, offset: number): [number, number] {
  const before = code.slice(0, offset);
  const line = before.split("\n").length;
  return [line, offset - before.lastIndexOf("\n")];
}
