/**
 * Strudel's own documentation examples, read at test time from the sources
 * of @strudel/core, @strudel/mini and @strudel/tonal 1.2.6 in node_modules:
 * the `@example` sections of their doc comments and the `@name` tags. Only
 * the doc comments are read (they are what strudel.cc shows its users);
 * nothing of them is committed here.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
const PACKAGES = ["core", "mini", "tonal"] as const;

export type StrudelExample = {
  /** `pkg/file.mjs name#k`: stable for a fixed Strudel version. */
  id: string;
  /** The documented name (`@name`, or the declaration after the comment). */
  name: string;
  code: string;
};

export type StrudelDocs = { examples: StrudelExample[]; names: Set<string> };

/** Every doc comment of the packages' top-level .mjs sources, in file order. */
function docComments(): { file: string; text: string; after: string }[] {
  const out: { file: string; text: string; after: string }[] = [];
  for (const pkg of PACKAGES) {
    const dir = join(ROOT, "node_modules/@strudel", pkg);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".mjs")).sort()) {
      const src = readFileSync(join(dir, f), "utf8");
      for (const m of src.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
        const text = m[1]!.split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n");
        const after = src.slice(m.index! + m[0].length, m.index! + m[0].length + 200);
        out.push({ file: `${pkg}/${f}`, text, after });
      }
    }
  }
  return out;
}

/** The name a doc comment documents. */
function nameOf(text: string, after: string): string {
  const tag = /@name\s+([\w$.]+)/.exec(text);
  if (tag) return tag[1]!.replace(/^.*\./, "");
  const decl = /^\s*(?:export\s+)?(?:const|let|function\*?|async function)\s*\{?\s*([\w$]+)|^\s*([\w$]+)\s*[:(=]/.exec(after);
  return decl?.[1] ?? decl?.[2] ?? "?";
}

let cached: StrudelDocs | undefined;

/** The examples and documented names (with `@synonyms`). */
export function strudelDocs(): StrudelDocs {
  if (cached) return cached;
  const examples: StrudelExample[] = [];
  const names = new Set<string>();
  const count = new Map<string, number>();
  for (const { file, text, after } of docComments()) {
    const name = nameOf(text, after);
    if (/@name\s/.test(text)) names.add(name);
    for (const m of text.matchAll(/@synonyms\s+([^\n@]+)/g)) for (const s of m[1]!.split(/[\s,]+/)) if (s) names.add(s);
    const parts = text.split(/^@example[^\n]*\n/m).slice(1);
    for (const part of parts) {
      const code = part.split(/^@\w+/m)[0]!.trim();
      if (!code) continue;
      const key = `${file} ${name}`;
      const k = (count.get(key) ?? 0) + 1;
      count.set(key, k);
      examples.push({ id: `${key}#${k}`, name, code });
    }
  }
  cached = { examples, names };
  return cached;
}
