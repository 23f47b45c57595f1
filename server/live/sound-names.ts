/**
 * Sounds a program names that nothing plays: found when it is evaluated, so
 * every evaluation that uses one says so, with the closest names that exist
 * ("kick: unknown sound; did you mean bd?"), instead of the scheduler's one
 * warning per server lifetime.
 * @module
 */

/** What musicians call the drums the built-in kit names the Dirt way. */
const DRUM_WORDS: Record<string, string> = {
  kick: "bd", bassdrum: "bd", bass_drum: "bd", snare: "sd", snaredrum: "sd", hihat: "hh", hat: "hh", closedhat: "hh",
  openhat: "oh", clap: "cp", handclap: "cp", rimshot: "rs", tom: "mt", lowtom: "lt", midtom: "mt", hightom: "ht",
  cowbell: "cb", crash: "cr", ride: "rd", shaker: "sh", sin: "sine", sqr: "square", noise: "white",
};

/** Sounds of Strudel's default library, and how to get them here. */
const HOW_TO_GET: Record<string, string> = {
  piano: "it is a sample bank of Strudel's default library: fetch it once with `ostinato sounds fetch --strudel-defaults` (or the Sounds panel's fetch), and it plays offline from then on",
};

/** Edit distance (Levenshtein), for names a letter or two off. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** Up to three known names close to `name`: the drum word it means, then names a few letters off. */
export function closestSounds(name: string, known: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  const word = DRUM_WORDS[lower] ?? DRUM_WORDS[lower.replace(/s$/, "")];
  if (word && known.includes(word)) out.push(word);
  const limit = Math.max(1, Math.floor(lower.length / 3));
  const near = known
    .filter((k) => !k.startsWith("_") && !out.includes(k))
    .map((k) => ({ k, d: distance(lower, k.toLowerCase()), prefix: k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase()) }))
    .filter((x) => x.d <= limit || (x.prefix && Math.min(lower.length, x.k.length) >= 3))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  for (const x of near) if (out.length < 3) out.push(x.k);
  return out;
}

/**
 * One warning per unknown sound among `values` (the control values a
 * program plays, looked ahead): "kick: unknown sound; did you mean bd? (it plays nothing)".
 */
export function unknownSoundWarnings(values: readonly Record<string, unknown>[], isKnown: (s: string, bank: string | undefined) => boolean, known: () => readonly string[]): string[] {
  const unknown = new Set<string>();
  for (const v of values) {
    if (typeof v.s !== "string") continue;
    const bank = typeof v.bank === "string" ? v.bank : undefined;
    if (!isKnown(v.s, bank)) unknown.add(bank ? `${bank}_${v.s}` : v.s);
  }
  if (unknown.size === 0) return [];
  const names = known();
  return [...unknown].sort().map((name) => {
    if (name in HOW_TO_GET) return `${name}: unknown sound (it plays nothing); ${HOW_TO_GET[name]}`;
    const close = closestSounds(name.includes("_") ? name.slice(name.lastIndexOf("_") + 1) : name, names);
    return `${name}: unknown sound${close.length ? `; did you mean ${close.join(" or ")}?` : ""} (it plays nothing)`;
  });
}
