/**
 * Turns a user's program (Strudel REPL format, TypeScript or JavaScript) into
 * the body of an async function the evaluator can run:
 *
 * - TypeScript types are blanked out with whitespace (amaro, strip-only), so
 *   every line and column stays where the user wrote it.
 * - Double-quoted and backtick strings become `__mini(str, offset)`, a
 *   mini-notation pattern that knows where in the program it was written.
 *   Single-quoted strings stay plain values, as in Strudel's REPL. A
 *   program's top-level string statements (`"bd sd"`, `"c3 e3".note()`) are
 *   patterns too, never directives.
 * - `$: pat` and `name: pat` become `__play("name", pat)`; a leading `_`
 *   (`_$:`, `_bass:`) keeps the slot but mutes it, as in Strudel.
 * - The last expression statement becomes `return expr`.
 *
 * All edits are insertions or small replacements on one line, recorded in a
 * {@link PositionMap} so that an error's position in the generated code maps
 * back to the user's line and column.
 * @module
 */
import { createRequire } from "node:module";
import { parse, type Node } from "acorn";
import type * as Amaro from "amaro";
import { ProgramError } from "./errors.ts";
import { PositionMap, type Edit } from "./position-map.ts";
import { VISUAL_METHODS } from "../pattern/visual-methods.ts";

export type Transpiled = {
  /** Body of an async function; its strings call `__mini`, its labels `__play`. */
  code: string;
  /** Maps offsets in `code` back to offsets in the user's source. */
  map: PositionMap;
  /** Slot names in program order, as labelled (`$` for anonymous ones). */
  labels: string[];
};

/** Callees whose string arguments are plain strings, not mini-notation. */
const PLAIN_STRING_CALLEES = new Set(["samples", "setcps", "setcpm", "setCps", "setCpm", "require", "record", "stopRecording"]);
const PLAIN_STRING_OPERATORS = new Set(["==", "===", "!=", "!==", "+", "<", ">", "<=", ">=", "in", "instanceof"]);
const PLAIN_STRING_OBJECTS = new Set(["console", "JSON", "Object", "Math", "Number", "String", "Date", "Reflect", "Symbol"]);

/**
 * How deep brackets may nest: the TypeScript stripper (amaro, WebAssembly)
 * overflows its stack somewhere past 150 and is then broken for every later
 * call, so a program is refused before it gets there.
 */
export const MAX_NESTING = 100;

export function transpile(source: string): Transpiled {
  checkNesting(source);
  const js = stripTypes(source);
  const program = parseJs(js, source);
  const edits: Edit[] = [];
  const labels: string[] = [];
  // First, so that `return ` comes before a `__mini(` at the same offset.
  const last = (program as Node & { body: Node[] }).body.at(-1);
  if (last?.type === "ExpressionStatement") edits.push({ at: last.start, remove: 0, insert: "return " });
  // A block's closing parenthesis goes after any closing its last string gets at the same offset.
  const closings: Edit[] = [];
  const topStatements = new Set<Node>((program as Node & { body: Node[] }).body);
  visit(program, null, null, false, (node, parent, key, plain) => {
    if (!plain && isMiniString(node, parent, key, topStatements)) {
      const contentStart = node.start + 1; // after the opening quote or backtick
      edits.push({ at: node.start, remove: 0, insert: "__mini(" });
      edits.push({ at: node.end, remove: 0, insert: `, ${contentStart})` });
    } else if (node.type === "LabeledStatement") {
      const stmt = node as Node & { label: Node & { name: string }; body: Node & { expression?: Node } };
      if (stmt.body.type !== "ExpressionStatement" || !stmt.body.expression) return;
      labels.push(stmt.label.name);
      edits.push({ at: stmt.start, remove: stmt.body.start - stmt.start, insert: `__play(${JSON.stringify(stmt.label.name)}, ` });
      closings.push({ at: stmt.body.expression.end, remove: 0, insert: ")" });
    } else if (node.type === "CallExpression") {
      const site = visualSite(node as AnyNode, js);
      if (site) edits.push(site);
    }
  });
  edits.push(...closings);
  const map = new PositionMap(js, edits);
  return { code: map.apply(js), map, labels };
}

const require = createRequire(import.meta.url);
const AMARO = require.resolve("amaro");
let amaro = loadAmaro();

/** A new instance of the stripper (its WebAssembly memory is its own). */
function loadAmaro(): typeof Amaro {
  delete require.cache[AMARO];
  return require(AMARO) as typeof Amaro;
}

function stripTypes(source: string): string {
  try {
    return amaro.transformSync(source, { mode: "strip-only" }).code;
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError || /RuntimeError|memory access/.test(String(err))) {
      // The stripper trapped: its memory may be corrupt, so the next program gets a fresh one.
      amaro = loadAmaro();
      parseJs(source, source);
      throw new ProgramError(`syntax error: the TypeScript stripper could not handle this program (${(err as Error).message.split(" (")[0]}); simplify the deepest part`, "syntax", 1, 1);
    }
    // A plain JavaScript parse error has the most precise position; amaro's
    // message is better for TypeScript-only constructs (enum, namespaces).
    parseJs(source, source);
    throw ProgramError.fromAmaro(String(err), source);
  }
}

/**
 * Refuses a program whose brackets ((, [, {, and `${` in templates) nest
 * deeper than MAX_NESTING, naming where. Strings and comments are skipped;
 * a regular expression's brackets may be counted, which only matters for a
 * program already that deep.
 */
function checkNesting(source: string): void {
  let depth = 0;
  /** For each open bracket, whether it is a template's `${` (its `}` goes back into the template). */
  const opened: boolean[] = [];
  let i = 0;
  const n = source.length;
  const template = (): void => {
    // inside a template literal, after its opening backtick or a `}` that closed a `${`
    for (; i < n; i++) {
      const c = source[i];
      if (c === "\\") i++;
      else if (c === "`") return void i++;
      else if (c === "$" && source[i + 1] === "{") {
        i += 2;
        open(true, i - 2);
        return;
      }
    }
  };
  const open = (isTemplate: boolean, at: number): void => {
    opened.push(isTemplate);
    if (++depth > MAX_NESTING) {
      throw ProgramError.at(`syntax error: brackets nest ${depth} deep here; the limit is ${MAX_NESTING} (split the expression, or name its parts)`, source, at);
    }
  };
  while (i < n) {
    const c = source[i]!;
    if (c === "/" && source[i + 1] === "/") {
      while (i < n && source[i] !== "\n") i++;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      for (i++; i < n && source[i] !== c && source[i] !== "\n"; i++) if (source[i] === "\\") i++;
      i++;
    } else if (c === "`") {
      i++;
      template();
    } else if (c === "(" || c === "[" || c === "{") {
      open(false, i);
      i++;
    } else if (c === ")" || c === "]" || c === "}") {
      const wasTemplate = opened.pop();
      depth = Math.max(0, depth - 1);
      i++;
      if (wasTemplate && c === "}") template();
    } else {
      i++;
    }
  }
}

function parseJs(js: string, source: string): Node {
  try {
    return parse(js, {
      ecmaVersion: "latest",
      sourceType: "script",
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      locations: false,
    });
  } catch (err) {
    const e = err as SyntaxError & { pos?: number };
    const message = e.message.replace(/\s*\(\d+:\d+\)$/, "");
    throw ProgramError.at(`syntax error: ${message}`, source, e.pos ?? 0);
  }
}

type AnyNode = Node & Record<string, unknown>;


/**
 * `pat._pianoroll(opts)` becomes `pat._pianoroll({__visualAt: N}, opts)`,
 * N the offset of the method's name: the method tags its haps' context with
 * N, so the editor knows which drawing an event belongs to.
 */
function visualSite(call: AnyNode, js: string): Edit | undefined {
  const callee = call.callee as AnyNode;
  if (callee.type !== "MemberExpression" || callee.computed) return undefined;
  const property = callee.property as AnyNode;
  if (property.type !== "Identifier" || !VISUAL_METHODS.has(property.name as string)) return undefined;
  const open = js.indexOf("(", callee.end);
  if (open < 0 || open >= call.end) return undefined;
  const hasArgs = (call.arguments as Node[]).length > 0;
  return { at: open + 1, remove: 0, insert: `{__visualAt: ${property.start}}${hasArgs ? ", " : ""}` };
}

function isMiniString(node: Node, parent: Node | null, key: string | null, topStatements: Set<Node>): boolean {
  const n = node as AnyNode;
  const isDoubleQuoted = n.type === "Literal" && typeof n.value === "string" && typeof n.raw === "string" && n.raw.startsWith('"');
  const isPlainTemplate =
    n.type === "TemplateLiteral" && (n.expressions as Node[]).length === 0 && parent?.type !== "TaggedTemplateExpression";
  if (!isDoubleQuoted && !isPlainTemplate) return false;
  if (!parent) return true;
  const p = parent as AnyNode;
  if ((p.type === "Property" || p.type === "MethodDefinition" || p.type === "PropertyDefinition") && key === "key") return false;
  if (p.type === "ImportDeclaration" || p.type === "ExportNamedDeclaration" || p.type === "ExportAllDeclaration" || p.type === "ImportExpression") return false;
  // A directive inside a function ("use strict") stays one; at the top level it is a pattern.
  if (p.type === "ExpressionStatement" && typeof p.directive === "string" && !topStatements.has(p)) return false;
  // Contexts where a string is a string, never a pattern: `new Error("…")`,
  // comparisons and concatenation, `throw "…"`, `case "…":`.
  if (p.type === "NewExpression" && key === "arguments") return false;
  if (p.type === "BinaryExpression" && PLAIN_STRING_OPERATORS.has(p.operator as string)) return false;
  if (p.type === "ThrowStatement" || (p.type === "SwitchCase" && key === "test")) return false;
  return true;
}

function isPlainStringCallee(callee: AnyNode): boolean {
  if (callee.type === "Identifier") return PLAIN_STRING_CALLEES.has(callee.name as string);
  if (callee.type === "MemberExpression") {
    const object = callee.object as AnyNode;
    return object.type === "Identifier" && PLAIN_STRING_OBJECTS.has(object.name as string);
  }
  return false;
}

/**
 * Depth-first walk over an acorn tree, telling each node its parent, the key
 * it sits under, and whether it is a plain-string argument: inside the
 * arguments of `samples(...)`, `console.log(...)` and the like, through
 * object and array literals, up to the next call.
 */
function visit(
  node: Node,
  parent: Node | null,
  key: string | null,
  plain: boolean,
  fn: (n: Node, p: Node | null, k: string | null, plain: boolean) => void,
): void {
  fn(node, parent, key, plain);
  const plainCall = node.type === "CallExpression" && isPlainStringCallee((node as AnyNode).callee as AnyNode);
  const passesPlain = node.type === "ObjectExpression" || node.type === "ArrayExpression" || node.type === "Property";
  for (const [k, child] of Object.entries(node)) {
    const childPlain = (plainCall && k === "arguments") || (plain && passesPlain);
    if (Array.isArray(child)) {
      for (const c of child) if (isNode(c)) visit(c, node, k, childPlain, fn);
    } else if (isNode(child)) {
      visit(child, node, k, childPlain, fn);
    }
  }
}

function isNode(x: unknown): x is Node {
  return typeof x === "object" && x !== null && typeof (x as Node).type === "string" && typeof (x as Node).start === "number";
}
