/**
 * The mini-notation parser: tokens to a tree that keeps every atom's source
 * range. Recursive descent; every loop consumes a token or throws, so the
 * parser ends on any input. Nesting is limited to keep the stack safe.
 *
 * Grammar (informal):
 *   layers   := sequence ((',' sequence)* | ('|' sequence)*)
 *   sequence := group ('.' group)*        group := step+
 *   step     := term modifier* | '_' | '!' | '..' number
 *   term     := word (':' word)* | number | '~' | '-'
 *             | '[' layers ']' | '<' layers '>' | '{' layers '}' ('%' term)?
 *   modifier := '*' term | '/' term | '!' int? | '@' number | '?' number?
 *             | '(' layers ',' layers (',' layers)? ')'
 * @module
 */
import { MiniSyntaxError } from "./error.ts";
import { type Token, type TokenKind, tokenize } from "./tokenize.ts";

/** A source range in the mini-notation string. */
export interface Range {
  start: number;
  end: number;
}

/** Nodes of the mini-notation tree. */
export type MiniNode =
  | { type: "atom"; value: string | number; range: Range }
  | { type: "list"; items: MiniNode[]; range: Range }
  | { type: "rest"; range: Range }
  | { type: "seq"; steps: MiniStep[] }
  | { type: "stack"; layers: MiniNode[] }
  | { type: "choice"; layers: MiniNode[]; seed: number }
  | { type: "alt"; layers: MiniNode[] }
  | { type: "poly"; layers: MiniNode[]; steps?: MiniNode }
  | { type: "fast"; node: MiniNode; factor: MiniNode }
  | { type: "slow"; node: MiniNode; factor: MiniNode }
  | { type: "degrade"; node: MiniNode; amount?: number; seed: number; copy?: [number, number] }
  | { type: "euclid"; node: MiniNode; pulses: MiniNode; steps: MiniNode; rotation?: MiniNode };

/** A step of a sequence and its weight (1 unless `@` or `_` changed it). */
export interface MiniStep {
  node: MiniNode;
  weight: number;
}

const MAX_DEPTH = 200;

class Parser {
  private pos = 0;
  private depth = 0;
  private seed = 0;
  private readonly tokens: Token[];

  constructor(private readonly src: string) {
    this.tokens = tokenize(src);
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== "end") this.pos++;
    return t;
  }

  private fail(t: Token, expected: string): never {
    const found = t.kind === "end" ? "end of input" : `"${t.text}"`;
    throw new MiniSyntaxError(this.src, t.start, `unexpected ${found}`, expected);
  }

  private expect(kind: TokenKind, expected: string): Token {
    const t = this.peek();
    if (t.kind !== kind) this.fail(t, expected);
    return this.next();
  }

  parseAll(): MiniNode {
    if (this.peek().kind === "end") return { type: "seq", steps: [] };
    const node = this.layers(["end"]);
    const t = this.peek();
    if (t.kind !== "end") this.fail(t, "a step, or the end of the pattern");
    return node;
  }

  /** Sequences separated by ',' (stack) or '|' (random choice). */
  private layers(closers: readonly TokenKind[]): MiniNode {
    if (++this.depth > MAX_DEPTH) throw new MiniSyntaxError(this.src, this.peek().start, "nesting too deep", `at most ${MAX_DEPTH} levels of brackets`);
    const first = this.sequence(closers);
    const sep = this.peek().kind;
    if (sep !== "," && sep !== "|") {
      this.depth--;
      return first;
    }
    const layers = [first];
    while (this.peek().kind === sep) {
      this.next();
      layers.push(this.sequence(closers));
    }
    const other = this.peek();
    if (other.kind === "," || other.kind === "|") {
      this.fail(other, `"${sep}" (a bracket cannot mix "," and "|"; nest one in [ ])`);
    }
    this.depth--;
    if (sep === ",") return { type: "stack", layers };
    return { type: "choice", layers, seed: this.seed++ };
  }

  private atSequenceEnd(closers: readonly TokenKind[]): boolean {
    const k = this.peek().kind;
    return k === "," || k === "|" || k === "end" || closers.includes(k);
  }

  /** Steps, possibly split into groups by '.'. */
  private sequence(closers: readonly TokenKind[]): MiniNode {
    const groups: MiniStep[][] = [];
    let steps: MiniStep[] = [];
    while (!this.atSequenceEnd(closers)) {
      const t = this.peek();
      if (t.kind === ".") {
        this.next();
        if (steps.length === 0) this.fail(t, "a step before \".\"");
        groups.push(steps);
        steps = [];
        continue;
      }
      if (t.kind === "_") {
        this.next();
        const prev = steps[steps.length - 1];
        if (!prev) this.fail(t, "a step before \"_\" to extend");
        prev.weight += 1;
        continue;
      }
      if (t.kind === "!") {
        this.next();
        const prev = steps[steps.length - 1];
        if (!prev) this.fail(t, "a step before \"!\" to repeat");
        steps.push({ node: prev.node, weight: prev.weight });
        continue;
      }
      if (t.kind === "..") {
        this.next();
        const prev = steps[steps.length - 1];
        if (!prev || prev.node.type !== "atom" || typeof prev.node.value !== "number") {
          this.fail(t, "a number before \"..\"");
        }
        const endTok = this.expect("number", "a number after \"..\"");
        const from = prev.node.value as number;
        const to = Number(endTok.text);
        if (!Number.isInteger(from) || !Number.isInteger(to)) this.fail(endTok, "whole numbers around \"..\"");
        if (Math.abs(to - from) > 10000) this.fail(endTok, "a range of at most 10000 steps");
        const dir = to >= from ? 1 : -1;
        for (let v = from + dir; dir > 0 ? v <= to : v >= to; v += dir) {
          steps.push({ node: { type: "atom", value: v, range: { start: endTok.start, end: endTok.end } }, weight: 1 });
        }
        continue;
      }
      this.step(steps);
    }
    if (groups.length > 0) {
      if (steps.length === 0) this.fail(this.peek(), "a step after \".\"");
      groups.push(steps);
      return { type: "seq", steps: groups.map((g) => ({ node: { type: "seq", steps: g }, weight: 1 })) };
    }
    return { type: "seq", steps };
  }

  /** One term with its modifiers, appended to `steps` (more than once for `!n`). */
  private step(steps: MiniStep[]): void {
    let node = this.listOrTerm();
    let weight = 1;
    let copies = 1;
    for (;;) {
      const t = this.peek();
      if (t.kind === "*" || t.kind === "/") {
        this.next();
        const factor = this.term();
        node = t.kind === "*" ? { type: "fast", node, factor } : { type: "slow", node, factor };
      } else if (t.kind === "!" && !t.spaceBefore) {
        this.next();
        const c = this.peek();
        if (c.kind === "number" && !c.spaceBefore) {
          this.next();
          const k = Number(c.text);
          if (!Number.isInteger(k) || k < 0 || k > 10000) this.fail(c, "a whole number of repeats from 0 to 10000");
          copies += k - 1;
        } else {
          copies += 1;
        }
      } else if (t.kind === "@") {
        this.next();
        const w = this.expect("number", "a weight after \"@\"");
        weight = Number(w.text);
        if (!(weight >= 0) || !Number.isFinite(weight)) this.fail(w, "a weight of 0 or more");
      } else if (t.kind === "?") {
        this.next();
        const a = this.peek();
        let amount: number | undefined;
        if (a.kind === "number" && !a.spaceBefore) {
          this.next();
          amount = Number(a.text);
          if (!(amount >= 0 && amount <= 1)) this.fail(a, "a probability from 0 to 1");
        }
        node = { type: "degrade", node, amount, seed: this.seed++ };
      } else if (t.kind === "(" && !t.spaceBefore) {
        this.next();
        const pulses = this.sequence([")"]);
        this.expect(",", "\",\" and the number of steps of the euclidean rhythm");
        const stepsNode = this.sequence([")"]);
        let rotation: MiniNode | undefined;
        if (this.peek().kind === ",") {
          this.next();
          rotation = this.sequence([")"]);
        }
        this.expect(")", "\")\" to close the euclidean rhythm");
        node = { type: "euclid", node, pulses, steps: stepsNode, rotation };
      } else {
        break;
      }
    }
    // Copies of a random step draw apart: copy i of n reads the random signal i/n cycles
    // later, as the n steps of [x x x]? would (found by running Strudel 1.2.6: bd!3? is not three equal draws).
    for (let i = 0; i < copies; i++) {
      const copy: MiniNode = node.type === "degrade" && copies > 1 && i > 0 ? { ...node, copy: [i, copies] } : node;
      steps.push({ node: copy, weight });
    }
  }

  /** An atom, a rest or a bracketed group. */
  private term(): MiniNode {
    const t = this.peek();
    switch (t.kind) {
      case "word":
      case "number":
        return this.atomOrList();
      case "~":
      case "-":
        this.next();
        return { type: "rest", range: { start: t.start, end: t.end } };
      case "[": {
        this.next();
        const inner = this.layers(["]"]);
        this.closing("]", t);
        return inner;
      }
      case "<": {
        this.next();
        const inner = this.layers([">"]);
        this.closing(">", t);
        return { type: "alt", layers: inner.type === "stack" ? inner.layers : [inner] };
      }
      case "{": {
        this.next();
        const inner = this.layers(["}"]);
        this.closing("}", t);
        const layers = inner.type === "stack" ? inner.layers : [inner];
        if (this.peek().kind === "%") {
          this.next();
          return { type: "poly", layers, steps: this.term() };
        }
        return { type: "poly", layers };
      }
      default:
        return this.fail(t, "a name, a number, \"~\" or an opening bracket");
    }
  }

  private closing(kind: TokenKind, open: Token): void {
    const t = this.peek();
    if (t.kind !== kind) this.fail(t, `"${kind}" to close the "${open.text}" at position ${open.start}`);
    this.next();
  }

  private atomOrList(): MiniNode {
    const t = this.next();
    return { type: "atom", value: atomValue(t), range: { start: t.start, end: t.end } };
  }

  /** A term, or terms joined by ":" into a list ("bd:3", "C:<major minor>"). */
  private listOrTerm(): MiniNode {
    const start = this.peek().start;
    const first = this.term();
    if (this.peek().kind !== ":" || this.peek().spaceBefore) return first;
    const items = [first];
    while (this.peek().kind === ":" && !this.peek().spaceBefore) {
      this.next();
      const t = this.peek();
      if (t.spaceBefore || t.kind === "end") this.fail(t, "a name, a number or a bracket after \":\"");
      items.push(this.term());
    }
    const end = this.tokens[this.pos - 1]!.end;
    return { type: "list", items, range: { start, end } };
  }
}

function atomValue(t: Token): string | number {
  return t.kind === "number" ? Number(t.text) : t.text;
}

/**
 * The tree of a mini-notation string. Throws {@link MiniSyntaxError} naming
 * the position and what was expected.
 */
export function parseMini(src: string): MiniNode {
  const tree = new Parser(src).parseAll();
  checkNumbers(tree, src);
  return tree;
}

/** Factors, euclid arguments and step counts must be numbers: say where one is not. */
function checkNumbers(node: MiniNode, src: string, numeric = false, what = ""): void {
  const sub = (n: MiniNode | undefined, num: boolean, w: string) => n && checkNumbers(n, src, num, w);
  switch (node.type) {
    case "atom":
      if (numeric && typeof node.value !== "number") {
        throw new MiniSyntaxError(src, node.range.start, `"${node.value}" is not a number`, `a number ${what}`);
      }
      return;
    case "list":
      if (numeric) throw new MiniSyntaxError(src, node.range.start, "a list", `a number ${what}`);
      for (const item of node.items) sub(item, false, what);
      return;
    case "rest":
      return;
    case "seq":
      for (const s of node.steps) sub(s.node, numeric, what);
      return;
    case "stack":
    case "choice":
    case "alt":
      for (const l of node.layers) sub(l, numeric, what);
      return;
    case "poly":
      for (const l of node.layers) sub(l, numeric, what);
      sub(node.steps, true, "of steps after %");
      return;
    case "fast":
    case "slow":
      sub(node.node, numeric, what);
      sub(node.factor, true, `as the factor after ${node.type === "fast" ? "*" : "/"}`);
      return;
    case "degrade":
      sub(node.node, numeric, what);
      return;
    case "euclid":
      sub(node.node, numeric, what);
      sub(node.pulses, true, "of pulses in ( )");
      sub(node.steps, true, "of steps in ( )");
      sub(node.rotation, true, "of rotation in ( )");
      return;
  }
}


