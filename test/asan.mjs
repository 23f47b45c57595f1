#!/usr/bin/env node
// Runs the engine tests a second time against the AddressSanitizer +
// UndefinedBehaviorSanitizer build of the native library. ASan's runtime has
// to be the first library in the process, so Bun is started with it preloaded;
// the binding picks the library named by OSTINATO_LIB.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const asanRuntime = spawnSync("cc", ["-print-file-name=libasan.so"], { encoding: "utf8" }).stdout.trim();
if (!asanRuntime.startsWith("/")) {
  console.error("test/asan.mjs: the compiler does not know where libasan.so is (install gcc's libasan)");
  process.exit(1);
}

const env = {
  ...process.env,
  OSTINATO_LIB: join(root, "native", "build", "libostinato-asan.so"),
  OSTINATO_SANITIZED: "1",
  LD_PRELOAD: asanRuntime,
  // LeakSanitizer would report Bun's own process-lifetime allocations;
  // this run is for memory errors and undefined behaviour in our library.
  ASAN_OPTIONS: "detect_leaks=0:abort_on_error=1:halt_on_error=1",
  UBSAN_OPTIONS: "halt_on_error=1:print_stacktrace=1",
};
const bun = join(root, "node_modules", ".bin", "bun");
// The sanitizers make the library several times slower (an offline render of
// 157 s took 48 s with the other core busy); a time limit is a guard against
// a hang, not an assertion, so this pass gives each test four times as long.
const limits = ["--testTimeout", "120000", "--hookTimeout", "240000"];
// The engine tests, then the engine's real-time tests alone (vitest.rt.config.ts).
// The first pass runs three files at a time: its longest file (60 s of real-time
// recording on the null backend) mostly sleeps, and would otherwise hold one of
// the two workers while the CPU-bound sanitized renders queue behind the other.
const passes = [["vitest.config.ts", "--maxWorkers", "3"], ["vitest.rt.config.ts"]];
for (const [config, ...workers] of passes) {
  const r = spawnSync(bun, ["--bun", "vitest", "run", "--config", config, ...workers, ...limits, "test/engine", ...process.argv.slice(2)], { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
