/**
 * The playing slots: what each evaluation put in place, and whether it is
 * heard. Slot ids:
 *   `B`        the last expression of buffer B
 *   `B/$1` ... the `$:` patterns of buffer B, in program order
 *   `name`     a `name:` pattern (any buffer may replace it)
 * Evaluating buffer B replaces all of B's anonymous slots (when the program
 * plays anything anonymous) and each named slot it names; other slots keep
 * playing. A slot whose pattern throws at query time is stopped alone.
 * @module
 */
import type { ProgramError, ProgramErrorJSON } from "./errors.ts";
import type { PlayedPattern } from "./evaluate.ts";
import type { PositionMap } from "./position-map.ts";
import type { SlotPlace } from "./block-place.ts";

export type Slot<P> = {
  id: string;
  /** The buffer whose evaluation set this slot. */
  buffer: string;
  pattern: P;
  /** A replacement waiting for a cycle boundary (evaluate with `quantize`). */
  next?: { pattern: P; map: PositionMap; atCycle: number };
  /** Where the slot's code is, to place its query-time errors. */
  map: PositionMap;
  /** Muted by a mute command; survives re-evaluation. */
  muted: boolean;
  /** Muted by its label (`_name:`); set by each evaluation. */
  silenced: boolean;
  solo: boolean;
  /** Set when the pattern threw while being queried: the slot is stopped. */
  error?: ProgramError;
  /** A small integer naming the slot in engine events (hush/mute of queued events). */
  tag: number;
};

export type SlotState = { id: string; tag: number; buffer: string; muted: boolean; silenced: boolean; solo: boolean; error?: ProgramErrorJSON };

export class SlotTable<P> {
  private readonly slots = new Map<string, Slot<P>>();
  /** Every tag ever given, to its slot id (a removed slot's events may still be retracted by tag). */
  private readonly idsByTag = new Map<number, string>();
  private nextTag = 1;

  /**
   * Puts an evaluation's patterns in place. With `atCycle`, existing slots
   * switch to their new pattern at that cycle. Returns the engine tags of the
   * slots it set and of those it removed (whose queued events must go).
   */
  apply(
    buffer: string,
    played: readonly PlayedPattern<P>[],
    map: PositionMap,
    atCycle?: number,
    place?: SlotPlace,
  ): { ids: string[]; tags: number[]; removedTags: number[] } {
    const ids = slotIds(buffer, played, place?.firstAnonymous ?? 0);
    const anonymousPrefix = `${buffer}/$`;
    const removedTags: number[] = [];
    // A block evaluated alone replaces only its own slots; the whole buffer replaces all of its anonymous ones.
    if (!place?.partial && played.some((p) => p.label === undefined || p.label === "$")) {
      for (const [id, slot] of [...this.slots]) {
        if ((id === buffer || id.startsWith(anonymousPrefix)) && !ids.includes(id)) {
          this.slots.delete(id);
          removedTags.push(slot.tag);
        }
      }
    }
    played.forEach((p, i) => this.put(ids[i]!, buffer, p, map, atCycle));
    return { ids, tags: ids.map((id) => this.slots.get(id)!.tag), removedTags };
  }

  /** The slots that sound now: not muted, not failed, and soloed when any slot is soloed. */
  audible(): Slot<P>[] {
    const all = [...this.slots.values()].filter((s) => !s.error);
    const soloed = all.some((s) => s.solo);
    return all.filter((s) => (soloed ? s.solo : !s.muted && !s.silenced));
  }

  /** The id of the slot a tag was given to (also after the slot was removed). */
  idOf(tag: number): string | undefined {
    return this.idsByTag.get(tag);
  }

  get(id: string): Slot<P> | undefined {
    return this.slots.get(id);
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  setMuted(id: string, muted: boolean): void {
    this.require(id).muted = muted;
  }

  setSolo(id: string, solo: boolean): void {
    this.require(id).solo = solo;
  }

  /** Stops a slot whose pattern failed; it stays listed with its error until replaced. */
  fail(id: string, error: ProgramError): void {
    const slot = this.slots.get(id);
    if (slot) slot.error = error;
  }

  /** A slot held (failed provisionally) plays again. */
  recover(id: string): void {
    const slot = this.slots.get(id);
    if (slot) slot.error = undefined;
  }

  /** Removes a buffer's slots; returns their tags. */
  removeBuffer(buffer: string): number[] {
    const tags: number[] = [];
    for (const [id, slot] of [...this.slots]) {
      if (slot.buffer !== buffer) continue;
      this.slots.delete(id);
      tags.push(slot.tag);
    }
    return tags;
  }

  /**
   * Gives slots the tags another table gave them (a standby taking over
   * from the worker whose events are queued under those tags); tags given
   * later come after every one of them.
   */
  adoptTags(tags: readonly { id: string; tag: number }[]): void {
    const wanted = new Map(tags.map((t) => [t.id, t.tag]));
    const top = Math.max(0, ...tags.map((t) => t.tag));
    this.nextTag = Math.max(this.nextTag, top + 1);
    for (const slot of this.slots.values()) {
      const tag = wanted.get(slot.id) ?? this.nextTag++;
      slot.tag = tag;
      this.idsByTag.set(tag, slot.id);
    }
    for (const t of tags) if (!this.idsByTag.has(t.tag)) this.idsByTag.set(t.tag, t.id);
  }

  /** Removes every slot. */
  clear(): void {
    this.slots.clear();
  }

  list(): SlotState[] {
    return [...this.slots.values()].map((s) => ({ id: s.id, tag: s.tag, buffer: s.buffer, muted: s.muted, silenced: s.silenced, solo: s.solo, error: s.error?.toJSON() }));
  }

  /** Promotes replacements whose cycle has come (call before querying from `cycle` on). */
  promote(cycle: number): void {
    for (const s of this.slots.values()) {
      if (s.next && cycle >= s.next.atCycle) {
        s.pattern = s.next.pattern;
        s.map = s.next.map;
        s.next = undefined;
        s.error = undefined;
      }
    }
  }

  private put(id: string, buffer: string, p: PlayedPattern<P>, map: PositionMap, atCycle?: number): void {
    const old = this.slots.get(id);
    if (old && atCycle !== undefined && !old.error) {
      old.next = { pattern: p.pattern, map, atCycle };
      old.silenced = p.muted;
      old.buffer = buffer;
      return;
    }
    this.slots.set(id, {
      id,
      buffer,
      pattern: p.pattern,
      map,
      muted: old?.muted ?? false,
      silenced: p.muted,
      solo: old?.solo ?? false,
      tag: old?.tag ?? this.nextTag++,
    });
    this.idsByTag.set(this.slots.get(id)!.tag, id);
  }

  private require(id: string): Slot<P> {
    const slot = this.slots.get(id);
    if (!slot) throw new RangeError(`no slot "${id}" (playing: ${[...this.slots.keys()].join(", ") || "none"})`);
    return slot;
  }
}

/** The slot id of each played pattern of a buffer's evaluation. */
export function slotIds(buffer: string, played: readonly PlayedPattern<unknown>[], firstAnonymous = 0): string[] {
  let anonymous = firstAnonymous;
  return played.map((p) => {
    if (p.label === undefined) return buffer;
    if (p.label === "$") return `${buffer}/$${++anonymous}`;
    return p.label;
  });
}
