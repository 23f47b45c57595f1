import { defineConfig } from "vitest/config";
import { shared } from "./vitest.config.ts";

// The real-time pass: one file at a time, nothing else running.
export default defineConfig({
  test: {
    ...shared,
    include: ["test/**/*.rt.test.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
  },
});
