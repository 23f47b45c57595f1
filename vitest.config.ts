import { defineConfig } from "vitest/config";

// Tests run under Bun (`bun --bun vitest run`) so that bun:ffi is there.
// The default `forks` pool fails under Bun; `threads` works.
//
// Real-time tests (`*.rt.test.ts`: zero xruns, clock pace, long streams) run
// in a second pass of their own, one file at a time (vitest.rt.config.ts),
// so nothing else competes with them for the machine's two cores.
export const shared = {
  pool: "threads" as const,
  globalSetup: ["test/setup/jackd.ts", "test/setup/sample-cache.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    ...shared,
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "test/**/*.rt.test.ts"],
    maxWorkers: 2,
  },
});
