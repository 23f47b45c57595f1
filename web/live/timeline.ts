/**
 * The events the server reported, kept for a few seconds around now, in
 * order of their start frame: the highlighter asks which are sounding at
 * a frame, the pianoroll which fall in a window. Events arrive a little
 * ahead of their frame (the scheduler's lookahead), in batches, nearly in
 * order; each batch is merged in place.
 * @module
 */
import type { EventInfo } from "../../server/http/protocol.ts";

export class Timeline {
  private events: EventInfo[] = [];
  /** The longest duration kept, so a window query knows how far back to look. */
  private longest = 0;

  constructor(
    /** Events that ended more than this many frames before the newest start are dropped. */
    private keepFrames: number,
  ) {}

  setKeepFrames(frames: number): void {
    this.keepFrames = frames;
  }

  get size(): number {
    return this.events.length;
  }

  add(batch: readonly EventInfo[]): void {
    if (batch.length === 0) return;
    for (const e of batch) {
      if (!Number.isFinite(e.frame) || !Number.isFinite(e.durFrames)) continue;
      this.insert(e);
      if (e.durFrames > this.longest) this.longest = e.durFrames;
    }
    this.prune();
  }

  /** Events with `frame <= at < frame + max(durFrames, minFrames)`, in start order. */
  sounding(at: number, minFrames = 0, out: EventInfo[] = []): EventInfo[] {
    out.length = 0;
    const reach = Math.max(this.longest, minFrames);
    for (let i = this.firstStartingAtOrAfter(at - reach); i < this.events.length; i++) {
      const e = this.events[i]!;
      if (e.frame > at) break;
      if (at < e.frame + Math.max(e.durFrames, minFrames)) out.push(e);
    }
    return out;
  }

  /** Events overlapping `[from, to)`, in start order. */
  window(from: number, to: number, out: EventInfo[] = []): EventInfo[] {
    out.length = 0;
    for (let i = this.firstStartingAtOrAfter(from - this.longest); i < this.events.length; i++) {
      const e = this.events[i]!;
      if (e.frame >= to) break;
      if (e.frame + e.durFrames > from || e.frame >= from) out.push(e);
    }
    return out;
  }

  /** Drops events starting at or after `frame` (hush: the server dropped them too). */
  dropFrom(frame: number): void {
    const i = this.firstStartingAtOrAfter(frame);
    this.events.length = i;
  }

  /**
   * Drops the events of these slots from `frame` on: the server retracted
   * them (a re-evaluation replaces a slot's queued events from its change
   * frame, a mute cuts them).
   */
  retract(slots: ReadonlySet<string> | ((slot: string) => boolean), frame: number): void {
    const hit = typeof slots === "function" ? slots : (slot: string) => slots.has(slot);
    if (typeof slots !== "function" && slots.size === 0) return;
    this.events = this.events.filter((e) => e.frame < frame || !hit(e.slot));
  }

  /** Drops events of slots no longer playing. */
  keepSlots(slots: ReadonlySet<string>): void {
    this.events = this.events.filter((e) => slots.has(e.slot));
  }

  clear(): void {
    this.events = [];
    this.longest = 0;
  }

  private insert(e: EventInfo): void {
    const list = this.events;
    let i = list.length;
    while (i > 0 && list[i - 1]!.frame > e.frame) i--; // nearly always 0 steps
    if (i === list.length) list.push(e);
    else list.splice(i, 0, e);
  }

  private prune(): void {
    if (this.events.length === 0) return;
    const newest = this.events[this.events.length - 1]!.frame;
    const horizon = newest - this.keepFrames - this.longest;
    let drop = 0;
    while (drop < this.events.length && this.events[drop]!.frame < horizon) drop++;
    if (drop > 0) this.events.splice(0, drop);
    if (drop > 0 && this.events.length === 0) this.longest = 0;
  }

  private firstStartingAtOrAfter(frame: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid]!.frame < frame) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
