// Vitest global setup: samples fetched by URL go to a cache private to this
// run (never the user's ~/.cache), and github: points at a closed port on
// 127.0.0.1, so no test reaches the internet by accident; the tests that
// fetch start their own HTTP server and say where it is.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let dir: string | undefined;

export function setup(): void {
  dir = mkdtempSync(join(tmpdir(), "ostinato-cache-"));
  process.env.OSTINATO_CACHE = dir;
  process.env.OSTINATO_GITHUB_BASE = "http://127.0.0.1:9";
}

export function teardown(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
