/**
 * The app as it ships: compiled to dist/ by `npm run build`, started with plain node (no tsx),
 * on this machine's Node and — from a folder laid out as the image's production stage, with
 * production dependencies only — on Node 24, the image's runtime. What no tool here can show
 * without a Docker engine is that this stage really starts; everything else about the
 * Dockerfile is Docker's to check.
 */
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { startFakeTelegram } from "../fakes/telegram/index.ts";
import { TEST_API_KEY, TEST_SECRET } from "../support/app-harness.ts";
import { freePort } from "../support/redis-server.ts";
import { BUILT_ARGS, type MainProcess, type StartOptions, startMain } from "./main-process.ts";

const REPO = join(import.meta.dirname, "..", "..");
const DOCKERFILE = readFileSync(join(REPO, "Dockerfile"), "utf8");
/** A database of its own, so the app's default `sb:` keys meet no other test file's. */
const REDIS_DB = 12;

async function sh(cmd: string, args: string[], cwd: string): Promise<void> {
  await promisify(execFile)(cmd, args, { cwd, encoding: "utf8", timeout: 240_000 }).catch((e) => {
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${e.stdout}\n${e.stderr}`);
  });
}

/** Starts the built app with a fake Telegram and this suite's Redis; resolves once it says ready. */
async function startBuilt(start: StartOptions): Promise<{ main: MainProcess; port: number }> {
  const telegram = await startFakeTelegram();
  cleanups.push(() => telegram.close());
  const port = await freePort();
  const main = startMain(
    {
      ASSETPAY_API_KEY: TEST_API_KEY,
      ASSETPAY_API_SECRET: TEST_SECRET,
      ASSETPAY_BASE_URL: "http://127.0.0.1:9",
      REDIS_URL: `${inject("redisUrl")}/${REDIS_DB}`,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(port),
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
    },
    start,
  );
  running.push(main);
  await main.waitForLog("skinbridge ready", 60_000);
  return { main, port };
}

async function expectReadyThenCleanExit(main: MainProcess, port: number): Promise<void> {
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ status: "ready", checks: { store: "up", telegram: "up" } });
  expect((await fetch(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
  main.child.kill("SIGTERM");
  expect(await main.exited).toEqual({ code: 0, signal: null });
}

const running: MainProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  for (const c of cleanups.splice(0)) await c();
});

// One build, as the image's build stage makes it: `npm run build` in a clean folder holding only
// the sources the stage COPYs from the context (a source left out of COPY or .dockerignore
// fails here). The stage's `npm ci` is the one .ci/run runs on every fresh machine; the
// checkout's node_modules stand in for it.
const work = mkdtempSync(join(tmpdir(), "skinbridge-stage-"));
const build = join(work, "build");
afterAll(() => rm(work, { recursive: true, force: true }), 120_000);

/** The sources the build stage COPYs from the context (not `--from` another stage). */
const buildSources = () => {
  const stage = DOCKERFILE.slice(DOCKERFILE.indexOf("AS build"), DOCKERFILE.indexOf("AS deps"));
  return [...stage.matchAll(/^COPY (?!--)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(" "));
};

const runtime = join(work, "runtime");

// The build, and the runtime stage's production dependencies beside it (the deps stage's
// `npm ci --omit=dev`): two independent stages, so they run at once.
beforeAll(async () => {
  mkdirSync(build);
  for (const source of buildSources()) cpSync(join(REPO, source), join(build, source), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(build, "node_modules"));
  mkdirSync(runtime);
  for (const f of ["package.json", "package-lock.json"]) cpSync(join(REPO, f), join(runtime, f));
  await Promise.all([
    sh("npm", ["run", "build"], build),
    sh("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"], runtime),
  ]);
}, 240_000);

describe("npm run build", () => {
  it("emits JavaScript with source maps, and neither the sandbox nor the demo", () => {
    expect(existsSync(join(build, "dist/src/main.js"))).toBe(true);
    expect(existsSync(join(build, "dist/src/main.js.map"))).toBe(true);
    expect(existsSync(join(build, "dist/scripts/register-commands.js"))).toBe(true);
    expect(existsSync(join(build, "dist/src/sandbox"))).toBe(false);
    expect(existsSync(join(build, "dist/src/demo.js"))).toBe(false);
  });

  it("starts on this machine's Node without tsx and answers readiness", async () => {
    const { main, port } = await startBuilt({ args: BUILT_ARGS, cwd: build });
    await expectReadyThenCleanExit(main, port);
  }, 90_000);
});

describe("the image's production stage, rehearsed in a clean folder", () => {
  it("matches the Dockerfile: Node 24, npm ci to build, npm ci --omit=dev for the runtime, plain node to run", () => {
    expect(DOCKERFILE).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(DOCKERFILE).toMatch(
      /AS build[\s\S]*^RUN npm ci --no-audit --no-fund$[\s\S]*^RUN npm run build$[\s\S]*AS deps/m,
    );
    expect(DOCKERFILE).toMatch(/AS deps[\s\S]*^RUN npm ci --omit=dev --no-audit --no-fund/m);
    const runtime = DOCKERFILE.slice(DOCKERFILE.indexOf("AS runtime"));
    expect([...runtime.matchAll(/^COPY .+$/gm)].map((m) => m[0])).toEqual([
      "COPY --from=deps /app/node_modules ./node_modules",
      "COPY --from=build /app/dist ./dist",
      "COPY package.json ./",
    ]);
    expect(runtime).toContain('CMD ["node", "--enable-source-maps", "dist/src/main.js"]');
    expect(buildSources()).toEqual(
      expect.arrayContaining(["package.json", "package-lock.json", "src", "commands"]),
    );
  });

  it("holds production dependencies only, and starts on Node 24", async () => {
    rmSync(join(runtime, "node_modules/typescript"), { recursive: true, force: true });
    cpSync(join(build, "dist"), join(runtime, "dist"), { recursive: true });

    for (const dev of ["tsx", "esbuild", "typescript", "vitest", "@biomejs/biome"]) {
      expect(existsSync(join(runtime, "node_modules", dev)), dev).toBe(false);
    }
    expect(existsSync(join(runtime, "node_modules/discord.js"))).toBe(true);
    expect(existsSync(join(runtime, "dist/src/sandbox"))).toBe(false);

    const node24 = execFileSync("npx", ["-y", "-p", "node@24", "node", "-p", "process.execPath"], {
      encoding: "utf8",
      timeout: 240_000,
    }).trim();
    expect(execFileSync(node24, ["--version"], { encoding: "utf8" })).toMatch(/^v24\./);
    const { main, port } = await startBuilt({ node: node24, args: BUILT_ARGS, cwd: runtime });
    await expectReadyThenCleanExit(main, port);
  }, 400_000);
});
