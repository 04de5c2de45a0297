import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/global-redis.ts"],
    reporters: ["default", "./test/setup/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Two cores: keep parallelism modest so timing-sensitive end-to-end tests stay honest.
    maxWorkers: 2,
  },
});
