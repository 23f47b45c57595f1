/**
 * Haps of either library as comparable strings: whole, part and value (keys
 * sorted, floats rounded to 1e-9), sorted. Shared by the differential tests.
 * @module
 */

function fraction(t: any): string {
  const n = Number(t.n ?? t.numerator ?? NaN);
  const d = Number(t.d ?? t.denominator ?? NaN);
  const s = t.s !== undefined ? Number(t.s) : 1;
  if (Number.isFinite(n) && Number.isFinite(d)) return `${s * n}/${d}`;
  return String(t);
}

function normaliseValue(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v === null || typeof v !== "object") return typeof v === "number" ? Math.round(v * 1e9) / 1e9 : v;
  if (Array.isArray(v)) return v.map(normaliseValue);
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v as object).sort()) o[k] = normaliseValue((v as Record<string, unknown>)[k]);
  return o;
}

/** Haps as sorted strings: whole, part, value (keys sorted, floats rounded). */
export function normalise(haps: any[]): string[] {
  return haps
    .map((h) => {
      const w = h.whole ? `${fraction(h.whole.begin)}-${fraction(h.whole.end)}` : "~";
      return `${w} ${fraction(h.part.begin)}-${fraction(h.part.end)} ${JSON.stringify(normaliseValue(h.value))}`;
    })
    .sort();
}

/** True when a hap's whole starts at its part (an onset). */
export function isOnset(h: any): boolean {
  return h.whole !== undefined && h.whole !== null && fraction(h.whole.begin) === fraction(h.part.begin);
}
