/**
 * Writes server/pattern/REFERENCE.md and server/pattern/docs/reference.json
 * from the doc comments. `bun server/pattern/docs/build.ts`.
 * @module
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { extractDocs, renderJson, renderMarkdown } from "./extract.ts";

/** Where the generated files live. */
export const REFERENCE_MD = join(import.meta.dirname, "..", "REFERENCE.md");
export const REFERENCE_JSON = join(import.meta.dirname, "reference.json");

if (import.meta.main) {
  const entries = extractDocs();
  writeFileSync(REFERENCE_MD, renderMarkdown(entries));
  writeFileSync(REFERENCE_JSON, renderJson(entries));
  console.log(`wrote ${entries.length} entries to ${REFERENCE_MD} and ${REFERENCE_JSON}`);
}
