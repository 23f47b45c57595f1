/**
 * Choosing and restructuring: take structure from a boolean pattern (struct,
 * mask), pick patterns by index or name, arpeggiate chords, and combine
 * transformations (layer, superimpose, apply).
 * @module
 */
import { Hap } from "./hap.ts";
import { type Any, Pattern, type PatternLike, reify, silence } from "./pattern.ts";
import { int } from "./rational.ts";
import { addMethod, register } from "./register.ts";
import { fastcat, seq, slowcat, stack } from "./structure.ts";
import { truthy } from "./conditional.ts";
import { layerRaw, superimposeRaw } from "./superimpose.ts";
import { callFn, lateRaw, zoomRaw } from "./time.ts";
import type { TimeSpan } from "./timespan.ts";

type Fn = (p: Pattern<Any>) => Pattern<Any>;

/**
 * Takes the structure from a boolean pattern: events where it is true, with values from this pattern.
 * @example
 * note("c3 e3").struct("1 ~ 1 1")
 */
export const struct = register(
  "struct",
  (mask: unknown, pat: Pattern<Any>) =>
    reify(mask as Any)
      .filterValuesRaw(truthy)
      .appLeft(pat, (_b: unknown, v: unknown) => v),
  { args: ["raw"] },
);

/**
 * Keeps only the parts of events where the boolean pattern is true (structure stays this pattern's).
 * @example
 * s("hh*8").mask("1 0 1 1")
 */
export const mask = register(
  "mask",
  (m: unknown, pat: Pattern<Any>) =>
    pat.appLeft(reify(m as Any).filterValuesRaw(truthy), (v: unknown) => v),
  { args: ["raw"] },
);

/**
 * Keeps the events whose value passes the test.
 * @example
 * n("0 1 2 3 4 5").filterValues((x) => x.n % 2 === 0)
 */
export const filterValues = register("filterValues", (f: (v: Any) => boolean, pat: Pattern<Any>) => pat.filterValuesRaw(f), {
  args: ["raw"],
});

/**
 * Maps every value through a function (alias `fmap`).
 * @example
 * n("0 1 2").withValue((x) => ({ ...x, n: x.n * 2 }))
 */
export const withValue = register(["withValue", "fmapValues"], (f: (v: Any) => Any, pat: Pattern<Any>) => pat.fmap(f), {
  args: ["raw"],
});

/**
 * Maps every value through a function (`pat.fmap(f)`; the method is Pattern's own).
 * @example
 * n("0 1 2").fmap((x) => ({ ...x, n: x.n + 7 }))
 */
export const fmap = register("fmap", (f: (v: Any) => Any, pat: Pattern<Any>) => pat.fmap(f), { args: ["raw"], noMethod: true });

/**
 * Applies a function to the pattern (handy in chains: `.apply(fast(2))`).
 * @example
 * note("c3 e3").apply(fast(2))
 */
export const apply = register("apply", (f: Fn, pat: Pattern<Any>) => callFn(f, pat), { args: ["raw"] });

/**
 * Plays the pattern together with each function's result.
 * @example
 * note("c3 e3").superimpose(add(7), add(12))
 */
export function superimpose(...args: Any[]): Any {
  const fs = args.filter((a) => typeof a === "function") as Fn[];
  const last = args[args.length - 1];
  if (last !== undefined && typeof last !== "function") return superimposeRaw(fs, reify(last));
  return (p: PatternLike) => superimposeRaw(fs, reify(p));
}
addMethod("superimpose", function (this: Pattern<Any>, ...fs: Fn[]) {
  return superimposeRaw(fs, this);
});

/**
 * Plays each function's result, without the original.
 * @example
 * note("c3 e3").layer(rev, add(12))
 */
export function layer(...args: Any[]): Any {
  const fs = args.filter((a) => typeof a === "function") as Fn[];
  const last = args[args.length - 1];
  if (last !== undefined && typeof last !== "function") return layerRaw(fs, reify(last));
  return (p: PatternLike) => layerRaw(fs, reify(p));
}
addMethod("layer", function (this: Pattern<Any>, ...fs: Fn[]) {
  return layerRaw(fs, this);
});

// Constructors as methods: `a.stack(b)` is `stack(a, b)`, and so on.
addMethod("stack", function (this: Pattern<Any>, ...others: PatternLike[]) {
  return stack(this, ...others);
});
addMethod("cat", function (this: Pattern<Any>, ...others: PatternLike[]) {
  return slowcat(this, ...others);
});
addMethod("seq", function (this: Pattern<Any>, ...others: PatternLike[]) {
  return seq(this, ...others);
});
addMethod("withValue", function (this: Pattern<Any>, f: (v: Any) => Any) {
  return this.fmap(f);
});

type Lookup = readonly PatternLike[] | Record<string, PatternLike>;

function lookup(list: Lookup, key: unknown, wrap: boolean): Pattern<Any> {
  if (Array.isArray(list)) {
    const n = list.length;
    if (n === 0) return silence;
    let i = Math.floor(Number(key));
    if (!Number.isFinite(i)) return silence;
    i = wrap ? ((i % n) + n) % n : Math.max(0, Math.min(n - 1, i));
    return reify(list[i]!);
  }
  const rec = list as Record<string, PatternLike>;
  const k = String(key);
  return k in rec ? reify(rec[k]!) : silence;
}

/**
 * Picks patterns from a list (by index, clamped) or an object (by name); the picked pattern plays with its own structure inside each event.
 * @example
 * note(mini("<0 1> 2").pick(["c3 e3", "g3 a3 b3", "c4"]))
 */
export const pick = register("pick", (list: Lookup, pat: Pattern<Any>) => pat.innerBind((k: unknown) => lookup(list, k, false)), {
  args: ["raw"],
});

/**
 * Like `pick`, but indices wrap around the list.
 * @example
 * note(mini("0 1 2 3").pickmod(["c3 e3", "g3"]))
 */
export const pickmod = register("pickmod", (list: Lookup, pat: Pattern<Any>) => pat.innerBind((k: unknown) => lookup(list, k, true)), {
  args: ["raw"],
});

/**
 * Like `pick`, but each picked pattern's cycle is squeezed into the event.
 * @example
 * note(mini("<0 1> 1").inhabit(["c3 e3", "g3 a3 b3"]))
 */
export const inhabit = register(["inhabit", "pickSqueeze"], (list: Lookup, pat: Pattern<Any>) => pat.squeezeBind((k: unknown) => lookup(list, k, false)), {
  args: ["raw"],
});

/**
 * Like {@link inhabit}, with the indices wrapping around the list (alias `pickmodSqueeze`).
 * @example
 * note(mini("0 3").inhabitmod(["c3 e3", "g3 a3 b3"]))
 */
export const inhabitmod = register(["inhabitmod", "pickmodSqueeze"], (list: Lookup, pat: Pattern<Any>) =>
  pat.squeezeBind((k: unknown) => lookup(list, k, true)),
  { args: ["raw"] },
);

/**
 * Squeezes the pattern picked by index (wrapping) into each event.
 * @example
 * note(mini("0 1").squeeze(["c3 e3", "g3 a3 b3"]))
 */
export const squeeze = register("squeeze", (list: Lookup, pat: Pattern<Any>) => pat.squeezeBind((k: unknown) => lookup(list, k, true)), {
  args: ["raw"],
});

/**
 * Cuts each cycle into `n` slices and plays them in the order given by the index pattern, each squeezed into its event.
 * @example
 * note("0 1 2 3 4 5 6 7").bite(4, "0 2 1 3")
 */
export const bite = register(
  "bite",
  (n: unknown, indices: unknown, pat: Pattern<Any>) => {
    const k = Math.max(1, Math.floor(Number(n)));
    return reify(indices as Any).squeezeBind((i: unknown) => {
      const idx = ((Math.floor(Number(i)) % k) + k) % k;
      return zoomRaw(int(idx).div(int(k)), int(idx + 1).div(int(k)), pat);
    });
  },
  { args: ["p", "raw"] },
);

/** Groups haps with the same whole into one hap whose value is the list of their values. */
function collect(pat: Pattern<Any>): Pattern<Any> {
  return new Pattern<Any>((state, out) => {
    const haps = pat.query(state);
    const groups = new Map<string, Hap<Any>[]>();
    for (const h of haps) {
      const key = spanKey(h.whole) + "|" + spanKey(h.part);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(h);
    }
    for (const g of groups.values()) {
      out.push(new Hap(g[0]!.whole, g[0]!.part, g, g[0]!.context));
    }
  });
}

function spanKey(s: TimeSpan | undefined): string {
  return s ? `${s.begin.n}/${s.begin.d}-${s.end.n}/${s.end.d}` : "~";
}

/**
 * Arpeggiates chords: the indices pick notes (wrapping) from the events that sound together.
 * @example
 * note("<[c3,e3,g3] [d3,f3,a3]>").arp("0 1 2 1")
 */
export const arp = register(
  "arp",
  (indices: unknown, pat: Pattern<Any>) =>
    collect(pat).innerBind((haps: Hap<Any>[]) =>
      reify(indices as Any).fmap((i: unknown) => {
        const n = haps.length;
        const h = haps[((Math.floor(Number(i)) % n) + n) % n]!;
        return h.value;
      }),
    ),
  { args: ["raw"] },
);

export { fastcat };

/**
 * Like {@link arp}, with a function that picks from the events sounding together (given as haps); its result plays.
 * @example
 * note("<[c,eb,g] [c,f,ab]>").arpWith((haps) => haps[2])
 */
export const arpWith = register(
  "arpWith",
  (f: unknown, pat: Pattern<Any>) =>
    collect(pat).fmap((haps: Hap<Any>[]) => {
      const got = (f as (h: Hap<Any>[]) => unknown)(haps);
      return got instanceof Hap ? got.value : got;
    }),
  { args: ["raw"] },
);

/**
 * Picks which function of a list to apply with a pattern of indices (clamped to the list).
 * @example
 * s("bd [rim hh]").pickF("<0 1 2>", [rev, jux(rev), fast(2)])
 */
export const pickF = register(
  "pickF",
  (indices: unknown, funcs: unknown, pat: Pattern<Any>) => {
    const fs = funcs as unknown[];
    return reify(indices as Any).innerBind((i: unknown) => {
      const k = Math.min(fs.length - 1, Math.max(0, Math.floor(Number(i))));
      return callFn(fs[k], pat);
    });
  },
  { args: ["raw", "raw"] },
);

/**
 * Like {@link pickF}, with the indices wrapping around the list.
 * @example
 * s("bd sd").pickmodF("<0 1 2>", [rev, fast(2)])
 */
export const pickmodF = register(
  "pickmodF",
  (indices: unknown, funcs: unknown, pat: Pattern<Any>) => {
    const fs = funcs as unknown[];
    return reify(indices as Any).innerBind((i: unknown) => {
      const n = fs.length;
      return callFn(fs[((Math.floor(Number(i)) % n) + n) % n], pat);
    });
  },
  { args: ["raw", "raw"] },
);

/** Each index event plays its pattern from its start (restart) or from its cycle position (reset), cut to the event. */
function pickTriggered(list: Lookup, pat: Pattern<Any>, wrap: boolean, fromCycleZero: boolean): Pattern<Any> {
  return new Pattern<Any>((state, out) => {
    for (const h of pat.query(state)) {
      if (!h.whole) continue;
      const offset = fromCycleZero ? h.whole.begin : h.whole.begin.sub(h.whole.begin.sam());
      for (const x of lateRaw(offset, lookup(list, h.value, wrap)).query(state.setSpan(h.part))) {
        const part = x.part.intersection(h.part);
        const whole = x.whole ? x.whole.intersection(h.whole) : undefined;
        if (part && (whole || !x.whole)) out.push(new Hap(whole, part, x.value, x.context));
      }
    }
  });
}

/**
 * Like {@link pick}, but each index event restarts its pattern from the pattern's cycle 0.
 * @example
 * mini("<a@2 b@2>").pickRestart({ a: n("0 1 2 0"), b: n("2 3 4 ~") }).scale("C:major").s("piano")
 */
export const pickRestart = register("pickRestart", (list: Lookup, pat: Pattern<Any>) => pickTriggered(list, pat, false, true), { args: ["raw"] });

/**
 * Like {@link pickRestart}, with the indices wrapping around the list.
 * @example
 * mini("<0 1 2>").pickmodRestart([n("0 1"), n("2 3")])
 */
export const pickmodRestart = register("pickmodRestart", (list: Lookup, pat: Pattern<Any>) => pickTriggered(list, pat, true, true), {
  args: ["raw"],
});

/**
 * Like {@link pick}, but each index event resets its pattern to the event's cycle position.
 * @example
 * mini("<a@2 b@2>").pickReset({ a: n("0 1 2 0"), b: n("2 3 4 ~") })
 */
export const pickReset = register("pickReset", (list: Lookup, pat: Pattern<Any>) => pickTriggered(list, pat, false, false), { args: ["raw"] });

/**
 * Like {@link pickReset}, with the indices wrapping around the list.
 * @example
 * mini("<0 1 2>").pickmodReset([n("0 1"), n("2 3")])
 */
export const pickmodReset = register("pickmodReset", (list: Lookup, pat: Pattern<Any>) => pickTriggered(list, pat, true, false), {
  args: ["raw"],
});
