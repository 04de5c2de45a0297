import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/global-redis.ts"],
    reporters: ["default", "./test/setup/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Every core: tests take time from injected or fake clocks, not the wall clock, so they hold
    // however many files run at once (vitest's own default leaves one core idle).
    pool: "forks",
    maxWorkers: "100%",
  },
});
