import { defineConfig } from "vitest/config";

// Tests run under Bun (`bun --bun vitest run`) so that bun:ffi is there.
// The default `forks` pool fails under Bun; `threads` works.
export default defineConfig({
  test: {
    pool: "threads",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/jackd.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real-time tests share two cores with everything else; keep them from
    // fighting each other for the CPU.
    maxWorkers: 2,
    passWithNoTests: true,
  },
});
