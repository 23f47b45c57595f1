/**
 * Where an evaluated block sits among its buffer's `$:` blocks. Each `$:`
 * block of a buffer has its own slot, named by its place in the whole
 * buffer (`main/$2` is the buffer's second `$:` block), whichever part of
 * the buffer is evaluated; evaluating one block replaces only its own slots.
 * @module
 */

/** The place of a block: how many `$:` blocks come before it, and whether it is only part of the buffer. */
export type SlotPlace = { firstAnonymous: number; partial: boolean };

/** A `$:` (or muted `_$:`) label at the start of a line, as Strudel's users write them. */
const ANONYMOUS_LABEL = /^[ \t]*_?\$[ \t]*:/gm;

function countLabels(text: string): number {
  return text.match(ANONYMOUS_LABEL)?.length ?? 0;
}

/**
 * The place of `code` in the buffer `text`; undefined when the code is the
 * whole buffer (or holds all of its `$:` blocks) or cannot be found in it.
 */
export function blockPlace(code: string, text: string | undefined): SlotPlace | undefined {
  if (text === undefined || code === text) return undefined;
  const at = text.indexOf(code);
  if (at < 0) return undefined;
  const before = countLabels(text.slice(0, at));
  const inside = countLabels(code);
  if (before === 0 && inside === countLabels(text)) return undefined;
  return { firstAnonymous: before, partial: true };
}
