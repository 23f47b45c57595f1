/**
 * Mini-notation tree to pattern. Atoms carry their source range in the hap
 * context (`context.locations`), shifted by the string's offset in the
 * program when one is given, so the editor can highlight what plays.
 * @module
 */
import { type HapContext } from "../hap.ts";
import { type Any, Pattern, pure, reify, setStringParser, silence } from "../pattern.ts";
import { fromFloat, int } from "../rational.ts";
import { degradeSeeded } from "../chance.ts";
import { chooseLayers } from "../random.ts";
import { slowcat, stack, weightedSequence } from "../structure.ts";
import { euclidRotPattern } from "../euclid.ts";
import { fastPattern, slowPattern } from "../time.ts";
import { type MiniNode, parseMini } from "./parse.ts";

/** Options of {@link mini}. */
export interface MiniOptions {
  /** Offset of the string's first character in the program's source (for `context.locations`). */
  offset?: number;
}

/**
 * A mini-notation string as a pattern.
 * @example
 * mini("bd [hh hh] <sd cp>")
 */
export function mini(source: string, options: MiniOptions = {}): Pattern<Any> {
  // A program's transpiler may already have turned the string into a pattern.
  if (typeof source !== "string") return reify(source as Any);
  const key = options.offset ? `${options.offset}\u0000${source}` : source;
  const cached = cache.get(key);
  if (cached) return cached;
  const pat = build(parseMini(source), options.offset ?? 0);
  if (cache.size > 2000) cache.clear();
  cache.set(key, pat);
  return pat;
}

// Patterns are immutable, so a string seen before can reuse its pattern;
// live code re-evaluates the same strings on every change.
const cache = new Map<string, Pattern<Any>>();

function build(node: MiniNode, offset: number): Pattern<Any> {
  switch (node.type) {
    case "atom": {
      const ctx: HapContext = { locations: [{ start: node.range.start + offset, end: node.range.end + offset }] };
      return pure(node.value, ctx);
    }
    case "list": {
      if (node.items.every((i) => i.type === "atom")) {
        const ctx: HapContext = { locations: [{ start: node.range.start + offset, end: node.range.end + offset }] };
        return pure(
          node.items.map((i) => (i as { value: string | number }).value),
          ctx,
        );
      }
      // Items that are patterns ("C:<major minor>"): the first item's structure, values listed.
      const [first, ...rest] = node.items.map((i) => build(i, offset));
      let list: Pattern<Any> = first!.fmap((v: unknown) => [v]);
      for (const p of rest) list = list.appLeft(p, (xs: unknown[], y: unknown) => xs.concat([y]));
      return list;
    }
    case "rest":
      return silence;
    case "seq": {
      if (node.steps.length === 1 && node.steps[0]!.weight === 1) {
        // One element ("[c g]", "<a b>"): one step, whatever is inside it.
        const only = build(node.steps[0]!.node, offset);
        if (only._steps !== undefined && !(only._steps.n === 1 && only._steps.d === 1)) only._steps = int(1);
        return only;
      }
      // One step per element (weights count): what the stepwise functions read.
      let total = 0;
      for (const st of node.steps) total += st.weight;
      return weightedSequence(node.steps.map((s) => ({ weight: fromFloat(s.weight), pat: build(s.node, offset) }))).withSteps(fromFloat(total));
    }
    case "stack":
      return stack(...node.layers.map((l) => build(l, offset)));
    case "choice":
      return chooseLayers(
        node.layers.map((l) => build(l, offset)),
        node.seed,
      );
    case "alt":
      // <a b c>: each layer steps through one item per cycle.
      return stack(...node.layers.map((l) => alternate(l, offset)));
    case "poly": {
      const layers = node.layers.map((l) => (l.type === "seq" ? l : { type: "seq" as const, steps: [{ node: l, weight: 1 }] }));
      // A weighted element (`a@3`) takes as many steps as its weight, as in Strudel.
      const stepsOf = (l: { steps: { weight: number }[] }) => l.steps.reduce((acc, st) => acc + st.weight, 0);
      const base = layers[0] ? stepsOf(layers[0]) : 1;
      const perCycle: Pattern<Any> = node.steps ? build(node.steps, offset) : pure(base);
      return stack(
        ...layers
          .filter((l) => l.steps.length > 0)
          .map((l) => {
            const seqPat = build(l, offset);
            const n = stepsOf(l);
            return fastPattern(perCycle.fmap((s: number) => fromFloat(Number(s)).div(fromFloat(n))), seqPat);
          }),
      );
    }
    case "fast":
      return fastPattern(build(node.factor, offset), build(node.node, offset));
    case "slow":
      return slowPattern(build(node.factor, offset), build(node.node, offset));
    case "degrade":
      return degradeSeeded(build(node.node, offset), node.amount ?? 0.5, node.seed, node.copy);
    case "euclid":
      return euclidRotPattern(
        build(node.pulses, offset),
        build(node.steps, offset),
        node.rotation ? build(node.rotation, offset) : pure(0),
        build(node.node, offset),
      );
  }
}

function alternate(node: MiniNode, offset: number): Pattern<Any> {
  if (node.type !== "seq") return build(node, offset);
  // Equal weights: a plain slowcat is cheaper and equivalent.
  if (node.steps.every((s) => s.weight === 1)) return slowcat(...node.steps.map((s) => build(s.node, offset)));
  let total = 0;
  for (const s of node.steps) total += s.weight;
  return slowPattern(pure(total), build(node, offset));
}

setStringParser((s) => mini(s));
