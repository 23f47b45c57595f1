/**
 * The reference of the pattern language, read from the doc comments of the
 * source: one entry per function or method, with its aliases, signature,
 * description and examples. The same data feeds REFERENCE.md and the
 * editor's completion (reference.json).
 * @module
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { CONTROLS } from "../controls.ts";
import { OPERATORS } from "../register.ts";
import * as library from "../index.ts";

/** One documented name. */
export interface DocEntry {
  name: string;
  /** Other names for the same thing. */
  aliases: string[];
  /** "function" (top-level), "method", or both; "value" for patterns such as `sine`. */
  kinds: ("function" | "method" | "value")[];
  /** Arguments as written in the source, or the control's value. */
  signature: string;
  doc: string;
  examples: string[];
  /** Source file, relative to server/pattern. */
  file: string;
  /** Family (the file name without extension; "controls" for controls). */
  family: string;
}

const ROOT = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (e.name !== "docs") out.push(...sourceFiles(join(dir, e.name)));
    } else if (e.name.endsWith(".ts")) out.push(join(dir, e.name));
  }
  return out.sort();
}

const BLOCK = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export\s+(?:const|function|class|let)\s+([A-Za-z_$][\w$]*)\s*([^\n]*)/g;

function cleanComment(body: string): string[] {
  return body.split("\n").map((l) => l.replace(/^\s*\* ?/, "").replace(/\s+$/, ""));
}

function parseBlock(lines: string[]): { doc: string; examples: string[] } {
  const doc: string[] = [];
  const examples: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    const tag = /^@(\w+)\s*(.*)$/.exec(line.trim());
    if (tag) {
      if (current) examples.push(current.join("\n").trim());
      current = tag[1] === "example" ? (tag[2] ? [tag[2]] : []) : undefined;
      continue;
    }
    if (current) current.push(line);
    else doc.push(line);
  }
  if (current) examples.push(current.join("\n").trim());
  return { doc: doc.join("\n").trim(), examples: examples.filter(Boolean) };
}

/** Names defined by `register([...names], ...)` after a doc comment. */
function registeredNames(rest: string, src: string, at: number): string[] {
  const window = src.slice(at, at + 400);
  const m = /^\s*=\s*register\(\s*(\[[^\]]*\]|"[^"]*")/.exec(window);
  if (!m) return [];
  return [...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
}

function signatureOf(name: string, rest: string): string {
  const op = OPERATORS.get(name);
  if (op) {
    const args = op.args.map((k, i) => {
      const name = op.params?.[i] ?? `arg${i + 1}`;
      return k === "p" ? `${name}: Patternable` : name;
    });
    return `(${args.join(", ")})`;
  }
  const fn = /^\s*(?:<[^>]*>)?\(([^)]*)\)/.exec(rest);
  if (fn) return `(${fn[1]!.replace(/\s+/g, " ").trim()})`;
  return "";
}

/** Every documented name of the language, in source order per file. */
export function extractDocs(): DocEntry[] {
  const entries: DocEntry[] = [];
  const seen = new Set<string>();
  const lib = library as Record<string, unknown>;
  const proto = library.Pattern.prototype as unknown as Record<string, unknown>;
  for (const file of sourceFiles(ROOT)) {
    const src = readFileSync(file, "utf8");
    const rel = relative(ROOT, file).replaceAll("\\", "/");
    for (const m of src.matchAll(BLOCK)) {
      const { doc, examples } = parseBlock(cleanComment(m[1]!));
      if (examples.length === 0) continue; // internal helpers: documented, not part of the reference
      const name = m[2]!;
      const regNames = registeredNames(m[3]!, src, m.index! + m[0].length - m[3]!.length);
      const names = regNames.length > 0 ? regNames : [name];
      const primary = names[0]!;
      if (seen.has(primary)) continue;
      seen.add(primary);
      const kinds: DocEntry["kinds"] = [];
      const exported = lib[name] ?? lib[primary];
      if (exported instanceof library.Pattern) kinds.push("value");
      else if (typeof exported === "function") kinds.push("function");
      if (names.some((n) => n in proto)) kinds.push("method");
      entries.push({
        name: primary,
        aliases: names.slice(1).concat(name !== primary && !names.includes(name) ? [name] : []),
        kinds,
        signature: signatureOf(primary, m[3]!),
        doc,
        examples,
        file: rel,
        family: rel.replace(/\.ts$/, ""),
      });
    }
  }
  for (const spec of CONTROLS) {
    const [name, ...aliases] = spec.names as [string, ...string[]];
    if (seen.has(name)) {
      const e = entries.find((x) => x.name === name)!;
      for (const a of aliases) if (!e.aliases.includes(a)) e.aliases.push(a);
      if (!e.kinds.includes("method")) e.kinds.push("method");
      continue;
    }
    seen.add(name);
    const listNote = spec.listKeys ? ` A list value \`a:b\` sets ${spec.listKeys.map((k) => `\`${k}\``).join(", ")}.` : "";
    entries.push({
      name,
      aliases,
      kinds: ["function", "method"],
      signature: "(value: Patternable)",
      doc: `Control \`${name}\`: ${spec.doc}${listNote}`,
      examples: [`s("bd sd").${name}(${spec.example})`],
      file: "controls.ts",
      family: "controls",
    });
  }
  return entries;
}

/** The names (with aliases) that have an entry. */
export function documentedNames(entries: DocEntry[]): Set<string> {
  const out = new Set<string>();
  for (const e of entries) {
    out.add(e.name);
    for (const a of e.aliases) out.add(a);
  }
  return out;
}

function escapeCell(s: string): string {
  return s.replaceAll("|", "\\|");
}

/** REFERENCE.md: one section per family, one entry per name. */
export function renderMarkdown(entries: DocEntry[]): string {
  const families = new Map<string, DocEntry[]>();
  for (const e of entries) {
    const list = families.get(e.family) ?? [];
    list.push(e);
    families.set(e.family, list);
  }
  const out: string[] = [
    "# Pattern language reference",
    "",
    "Generated from the doc comments in `server/pattern/` by `bun server/pattern/docs/build.ts`; do not edit by hand",
    "(a test checks that this file is up to date). Every example runs as a test.",
    "",
    "Conventions: a string argument is mini-notation, an array is a sequence, a number is a pure value; every",
    "`Patternable` argument may be a pattern. Top-level functions are curried: `fast(2)` is a function of a pattern.",
    "",
    `${entries.length} entries.`,
    "",
  ];
  for (const [family, list] of [...families.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`## ${family}`, "");
    for (const e of [...list].sort((a, b) => a.name.localeCompare(b.name))) {
      const kinds = e.kinds.join(", ");
      out.push(`### ${e.name}`, "");
      out.push(`\`${e.name}${e.signature}\` — ${kinds}${e.aliases.length ? `; aliases: ${e.aliases.map((a) => `\`${a}\``).join(", ")}` : ""}`, "");
      out.push(escapeCell(e.doc), "");
      for (const ex of e.examples) out.push("```js", ex, "```", "");
    }
  }
  return out.join("\n");
}

/** reference.json: the same entries, for the editor's completion. */
export function renderJson(entries: DocEntry[]): string {
  return `${JSON.stringify(
    entries.map(({ name, aliases, kinds, signature, doc, examples }) => ({ name, aliases, kinds, signature, doc, examples })),
    null,
    1,
  )}\n`;
}
