/**
 * Applying a transformation only some of the time: every n cycles, where a
 * boolean pattern is true, within a part of the cycle, or one chunk of the
 * cycle after another.
 * @module
 */
import { Hap } from "./hap.ts";
import { type Any, Pattern, focusSpan, pure, reify, silence } from "./pattern.ts";
import { register } from "./register.ts";
import { fastcat, slowcat } from "./structure.ts";
import { iter, iterBack, repeatCyclesRaw } from "./cycles.ts";
import { callFn, fastRaw, lateRaw, zoomRaw } from "./time.ts";
import { int } from "./rational.ts";

type Fn = (p: Pattern<Any>) => Pattern<Any>;

/** The pattern with `f` applied in the cycles where `test(cycle)` holds. */
function perCycle(test: (cycle: number) => boolean, f: unknown, pat: Pattern<Any>): Pattern<Any> {
  const applied = callFn(f, pat);
  return new Pattern<Any>((state, out) => {
    state.span.eachCycle((span) => {
      const cycle = Math.floor(span.begin.valueOf());
      (test(cycle) ? applied : pat).run(state.setSpan(span), out);
    });
  });
}

const modn = (c: number, n: number) => ((c % n) + n) % n;

/**
 * Applies `f` in the first of every `n` cycles (Strudel's `firstOf`; cycles 0, n, 2n, …).
 * @example
 * note("c3 d3 e3 g3").firstOf(4, rev)
 */
export const firstOf = register(
  "firstOf",
  (n: unknown, f: Fn, pat: Pattern<Any>) => {
    const k = Math.floor(Number(n));
    return k > 0 ? perCycle((c) => modn(c, k) === 0, f, pat) : pat;
  },
  { args: ["p", "raw"] },
);

/**
 * Alias of `firstOf`: applies `f` every `n` cycles, starting with the first.
 * @example
 * s("bd sd hh cp").every(3, fast(2))
 */
export const every = register(
  "every",
  (n: unknown, f: Fn, pat: Pattern<Any>) => {
    const k = Math.floor(Number(n));
    return k > 0 ? perCycle((c) => modn(c, k) === 0, f, pat) : pat;
  },
  { args: ["p", "raw"] },
);

/**
 * Applies `f` in the last of every `n` cycles.
 * @example
 * note("c3 d3 e3 g3").lastOf(4, rev)
 */
export const lastOf = register(
  "lastOf",
  (n: unknown, f: Fn, pat: Pattern<Any>) => {
    const k = Math.floor(Number(n));
    return k > 0 ? perCycle((c) => modn(c, k) === k - 1, f, pat) : pat;
  },
  { args: ["p", "raw"] },
);

/**
 * Applies `f` where the boolean pattern `on` is true.
 * @example
 * note("c3 e3 g3 b3").when("<1 0> 0 1", add(12))
 */
export const when = register("when", (on: unknown, f: Fn, pat: Pattern<Any>) => (truthy(on) ? callFn(f, pat) : pat), {
  args: ["p", "raw"],
});

/** Mini-notation booleans: "t"/"true"/non-zero numbers are true, "f"/"false"/0/"~" false. */
export function truthy(v: unknown): boolean {
  if (v === "f" || v === "false" || v === "0") return false;
  if (v === "t" || v === "true") return true;
  return Boolean(v);
}

/**
 * Applies `f` to the events that start between `begin` and `end` of each cycle (fractions of the cycle, end included); the others play unchanged.
 * @example
 * note("c3 d3 e3 g3 a3 b3 c4 d4").within(0, 0.5, fast(2))
 */
export const within = register(
  "within",
  (b: unknown, e: unknown, f: Fn, pat: Pattern<Any>) => {
    const lo = Number(b);
    const hi = Number(e);
    const inside = (h: { wholeOrPart(): { begin: { valueOf(): number } } }) => {
      const t = h.wholeOrPart().begin.valueOf();
      const pos = t - Math.floor(t);
      return pos >= lo && pos <= hi; // inclusive end, as Strudel 1.2.6
    };
    // Like Strudel: select the events first, then transform them.
    const applied = callFn(f, pat.filterHaps(inside));
    const rest = pat.filterHaps((h) => !inside(h));
    return new Pattern<Any>((state, out) => {
      applied.run(state, out);
      rest.run(state, out);
    });
  },
  { args: ["p", "p", "raw"] },
);

function chunkWith(n: unknown, f: Fn, pat: Pattern<Any>, back: boolean, fastChunks: boolean): Pattern<Any> {
  const k = Math.floor(Number(n));
  if (!(k >= 1)) return pat;
  const flags = fastcat(...Array.from({ length: k }, (_, i) => pure(i === 0)));
  const moving = back ? iter(k, flags) : iterBack(k, flags);
  const source = fastChunks ? pat : repeatCyclesRaw(k, pat);
  return source.when(moving, f);
}

/**
 * Divides each cycle into `n` chunks and applies `f` to one chunk per cycle, moving forward; each source cycle is repeated `n` times.
 * @example
 * note("0 1 2 3").chunk(4, add(12))
 */
export const chunk = register(["chunk", "slowChunk", "slowchunk"], (n: unknown, f: Fn, pat: Pattern<Any>) => chunkWith(n, f, pat, false, false), {
  args: ["p", "raw"],
});

/**
 * Like `chunk`, but moving backwards through the chunks.
 * @example
 * note("0 1 2 3").chunkBack(4, add(12))
 */
export const chunkBack = register(["chunkBack", "chunkback"], (n: unknown, f: Fn, pat: Pattern<Any>) => chunkWith(n, f, pat, true, false), {
  args: ["p", "raw"],
});

/**
 * Like `chunk`, but the source cycles are not repeated: the pattern keeps moving.
 * @example
 * note("<0 4> 1 2 3").fastChunk(4, add(12))
 */
export const fastChunk = register(["fastChunk", "fastchunk"], (n: unknown, f: Fn, pat: Pattern<Any>) => chunkWith(n, f, pat, false, true), {
  args: ["p", "raw"],
});

/**
 * Like `fastChunk`, with `f` applied "into" the chunk: time inside `f` is the chunk's.
 * @example
 * note("0 1 2 3").chunkInto(4, hurry(2))
 */
export const chunkInto = register(
  ["chunkInto", "chunkinto"],
  (n: unknown, f: Fn, pat: Pattern<Any>) => {
    const k = Math.floor(Number(n));
    if (!(k >= 1)) return pat;
    const flags = fastcat(...Array.from({ length: k }, (_, i) => pure(i === 0)));
    return pat.into(iterBack(k, flags), f);
  },
  { args: ["p", "raw"] },
);

/**
 * Like `chunkInto`, moving backwards from the last chunk.
 * @example
 * note("0 1 2 3").chunkBackInto(4, hurry(2))
 */
export const chunkBackInto = register(
  ["chunkBackInto", "chunkbackinto"],
  (n: unknown, f: Fn, pat: Pattern<Any>) => {
    const k = Math.floor(Number(n));
    if (!(k >= 1)) return pat;
    const flags = fastcat(...Array.from({ length: k }, (_, i) => pure(i === k - 1)));
    return pat.into(iter(k, flags), f);
  },
  { args: ["p", "raw"] },
);

/**
 * Applies `f` inside the events of a boolean pattern: for each true event, `f` is applied to the pattern zoomed into that event's span, and the result is squeezed back; false events keep the pattern unchanged.
 * @example
 * note("0 1 2 3").into("1 0", hurry(2))
 */
export const into = register(
  "into",
  (on: unknown, f: Fn, pat: Pattern<Any>) => {
    const flags = reify(on as Any);
    return new Pattern<Any>((state, out) => {
          for (const h of flags.query(state)) {
            if (!h.whole) continue;
            const w = h.whole;
            const cycle = w.begin.sam();
            const zb = w.begin.sub(cycle);
            const ze = w.end.sub(cycle);
            const part = truthy(h.value) ? callFn(f, zoomRaw(zb, ze, pat)) : zoomRaw(zb, ze, pat);
            // Squeeze one cycle of `part` back into the event's span.
            const start = out.length;
            focusSpan(part, w.begin, w.end).run(state.setSpan(h.part), out);
            let k = start;
            for (let i = start; i < out.length; i++) {
              const x = out[i]!;
              const p2 = x.part.intersection(h.part);
              if (p2) out[k++] = p2 === x.part ? x : new Hap(x.whole, p2, x.value, x.context);
            }
            out.length = k;
          }
        });
  },
  { args: ["raw", "raw"] },
);

/**
 * Squashes the pattern into the second half of every other cycle, shifted by a quarter (a breakbeat feel).
 * @example
 * s("bd sd").brak()
 */
export const brak = register(
  "brak",
  (pat: Pattern<Any>) => pat.when(slowcat(pure(false), pure(true)), (x: Pattern<Any>) => lateRaw(int(1).div(int(4)), fastcat(x, silence))),
  { args: [] },
);

export { fastRaw };

/**
 * Keeps the events (haps) for which `test` is true.
 * @example
 * s("hh!7 oh").filter((hap) => hap.value.s === "hh")
 */
export const filter = register("filter", (test: unknown, pat: Pattern<Any>) => pat.filterHaps(test as (h: Hap<Any>) => boolean), {
  args: ["raw"],
});

/**
 * Keeps the events whose start (in cycles) passes `test`.
 * @example
 * s("bd*4").filterWhen((t) => t < 1)
 */
export const filterWhen = register(
  "filterWhen",
  (test: unknown, pat: Pattern<Any>) => pat.filterHaps((h) => h.whole !== undefined && (test as (t: unknown) => boolean)(h.whole.begin)),
  { args: ["raw"] },
);
