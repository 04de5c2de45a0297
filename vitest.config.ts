import { configDefaults, defineConfig } from "vitest/config";

/**
 * Test files that need a process of their own. The discord.js REST client brings its own undici
 * (6), the app another (7), and both keep the dispatcher in one global per process: whichever
 * loads first serves the other's requests, and undici 7's does not recognise the FormData that
 * discord.js builds an upload with (its attachment test fails once another file loaded the app).
 */
const OWN_PROCESS = ["test/fakes-discord.test.ts"];

export default defineConfig({
  test: {
    globalSetup: ["test/setup/global-redis.ts"],
    reporters: ["default", "./test/setup/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Every core: tests take time from injected or fake clocks, not the wall clock, so they hold
    // however many files run at once (vitest's own default leaves one core idle).
    pool: "forks",
    maxWorkers: "100%",
    projects: [
      {
        extends: true,
        // Files share their worker's module cache: importing discord.js, grammY and the app
        // afresh for each of a hundred files was half the suite's time. Nothing here patches
        // modules, and fake timers are put back after each test that takes them.
        test: {
          name: "shared",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...OWN_PROCESS],
          isolate: false,
        },
      },
      { extends: true, test: { name: "own-process", include: OWN_PROCESS } },
    ],
  },
});
