/**
 * What an operator sees when the bot cannot start: one line on stderr naming the problem and
 * its fix, and an exit code of its own (src/failures.ts) — never a stack trace. And what they
 * see when a platform is merely unreachable: the bot keeps running, says so in a warning, and
 * reports not-ready until it connects.
 */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { EXIT_CODES } from "../../src/failures.ts";
import { startFakeDiscord } from "../fakes/discord/index.ts";
import { startFakeTelegram } from "../fakes/telegram/index.ts";
import { eventually, TEST_API_KEY, TEST_SECRET } from "../support/app-harness.ts";
import { freePort } from "../support/redis-server.ts";
import { type MainProcess, startMain } from "./main-process.ts";

const BASE = {
  ASSETPAY_API_KEY: TEST_API_KEY,
  ASSETPAY_API_SECRET: TEST_SECRET,
  ASSETPAY_BASE_URL: "http://127.0.0.1:9",
  SKINBRIDGE_EPHEMERAL: "true",
  HTTP_HOST: "127.0.0.1",
  LOG_LEVEL: "warn",
  LOG_FORMAT: "json",
};

const running: MainProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  for (const c of cleanups.splice(0)) await c();
});

type OnFinished = (fn: () => void | Promise<void>) => void;

async function run(onTestFinished: OnFinished, env: Record<string, string>) {
  const main = startMain({ ...BASE, HTTP_PORT: String(await freePort()), ...env });
  onTestFinished(() => {
    if (main.child.exitCode === null) main.child.kill("SIGKILL");
  });
  const { code } = await main.exited;
  const lines = main.stderr().trim().split("\n");
  return { code, lines, output: main.output() };
}

function expectOneLine(r: { lines: string[]; output: string }, ...parts: string[]) {
  expect(r.lines, r.output).toHaveLength(1);
  expect(r.lines[0]).toMatch(/^skinbridge: .+ — .+$/);
  for (const part of parts) expect(r.lines[0]).toContain(part);
  expect(r.output).not.toMatch(/\n\s+at /);
}

// Each case is its own process on its own port: they run side by side, each cleaning up after
// itself (a shared afterEach would stop the others' processes).
describe.concurrent("start-up failures", { timeout: 90_000 }, () => {
  it("a configuration problem: one line per variable, exit 78, no value echoed", async ({
    onTestFinished,
  }) => {
    const r = await run(onTestFinished, {
      HTTP_PORT: "70000",
      PUBLIC_URL: "http://bot.example.com",
      ASSETPAY_API_KEY: "",
      ASSETPAY_API_SECRET: "super-secret-value",
      LOG_LEVEL: "loud",
    });
    expect(r.code).toBe(EXIT_CODES.configuration);
    // Every problem at once, not the first one found.
    expect(r.lines).toHaveLength(4);
    for (const line of r.lines)
      expect(line).toMatch(/^skinbridge: invalid configuration: [A-Z_]+: .+ — set it in/);
    for (const name of ["HTTP_PORT", "PUBLIC_URL", "ASSETPAY_API_KEY", "LOG_LEVEL"])
      expect(r.lines.join("\n")).toContain(`${name}: `);
    expect(r.lines.join("\n")).toContain("PUBLIC_URL: must be an https:// URL");
    expect(r.output).not.toContain("bot.example.com");
    expect(r.output).not.toContain("super-secret-value");
  });

  it("no REDIS_URL and no consent to lose balances: the same shape, exit 78", async ({ onTestFinished }) => {
    const r = await run(onTestFinished, { SKINBRIDGE_EPHEMERAL: "" });
    expect(r.code).toBe(EXIT_CODES.configuration);
    expectOneLine(r, "REDIS_URL is not set", "SKINBRIDGE_EPHEMERAL=true");
  });

  it("Redis unreachable: exit 69 once REDIS_CONNECT_TIMEOUT_SECONDS is over", async ({ onTestFinished }) => {
    const r = await run(onTestFinished, {
      SKINBRIDGE_EPHEMERAL: "",
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      REDIS_CONNECT_TIMEOUT_SECONDS: "1",
    });
    expect(r.code).toBe(EXIT_CODES.redisUnreachable);
    expectOneLine(r, "Redis is unreachable", "start Redis or correct REDIS_URL");
  });

  it("the port in use: exit 73", async ({ onTestFinished }) => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, "127.0.0.1", resolve));
    onTestFinished(() => new Promise((resolve) => taken.close(() => resolve())));
    const r = await run(onTestFinished, { HTTP_PORT: String(port) });
    expect(r.code).toBe(EXIT_CODES.cannotListen);
    expectOneLine(r, `127.0.0.1:${port}`, "already in use", "HTTP_PORT");
  });

  it("Discord refusing the token: exit 77", async ({ onTestFinished }) => {
    const fake = await startFakeDiscord();
    onTestFinished(() => fake.close());
    const r = await run(onTestFinished, {
      DISCORD_TOKEN: "not-the-token.for-this-bot.x",
      DISCORD_API_BASE: fake.apiBase,
    });
    expect(r.code).toBe(EXIT_CODES.discordTokenRejected);
    expectOneLine(r, "Discord rejected DISCORD_TOKEN", "developer portal");
    expect(r.output).not.toContain("not-the-token");
  });

  it("Telegram refusing the token: exit 76", async ({ onTestFinished }) => {
    const fake = await startFakeTelegram();
    onTestFinished(() => fake.close());
    const r = await run(onTestFinished, {
      TELEGRAM_BOT_TOKEN: "123456:WrongTokenWrongTokenWrongToken",
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    expect(r.code).toBe(EXIT_CODES.telegramTokenRejected);
    expectOneLine(r, "Telegram rejected TELEGRAM_BOT_TOKEN", "@BotFather");
  });
});

describe("a platform that cannot be reached", () => {
  it("keeps the bot running, warns once with the fix, and reports not ready", {
    timeout: 90_000,
  }, async () => {
    const port = await freePort();
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const main = startMain({
      ...BASE,
      HTTP_PORT: String(port),
      TELEGRAM_BOT_TOKEN: "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      TELEGRAM_API_ROOT: unreachable,
    });
    running.push(main);
    const warning = await main.waitForLog(
      `Telegram is unreachable at ${unreachable} (ECONNREFUSED); retrying — check this host's network and TELEGRAM_API_ROOT`,
      // Starting the sources through tsx takes a while on a busy 2-core machine.
      60_000,
    );
    expect(warning).toMatchObject({ level: 40, component: "telegram" });
    expect(warning).not.toHaveProperty("err");
    await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { store: "up", telegram: "down" } });
    });
    expect(main.child.exitCode).toBeNull();
    main.child.kill("SIGTERM");
    expect((await main.exited).code).toBe(0);
  });
});

describe("npm run register", { timeout: 90_000 }, () => {
  it("needs only Discord's settings, and a refused token is one line, exit 77", async () => {
    const fake = await startFakeDiscord();
    cleanups.push(() => fake.close());
    const main = startMain(
      { DISCORD_TOKEN: "not-the-token.for-this-bot.x", DISCORD_API_BASE: fake.apiBase, LOG_FORMAT: "json" },
      { args: ["--import", "tsx", "scripts/register-commands.ts"] },
    );
    running.push(main);
    const { code } = await main.exited;
    expect(code).toBe(EXIT_CODES.discordTokenRejected);
    const lines = main.stderr().trim().split("\n");
    expect(lines, main.output()).toEqual([
      expect.stringMatching(/^skinbridge: Discord rejected DISCORD_TOKEN/),
    ]);
  });

  it("registers with the right token and nothing else set", async () => {
    const fake = await startFakeDiscord();
    cleanups.push(() => fake.close());
    const main = startMain(
      {
        DISCORD_TOKEN: fake.token,
        DISCORD_API_BASE: fake.apiBase,
        DISCORD_APPLICATION_ID: fake.applicationId,
      },
      { args: ["--import", "tsx", "scripts/register-commands.ts"] },
    );
    running.push(main);
    expect((await main.exited).code, main.output()).toBe(0);
    expect(main.output()).toMatch(/Registered \d+ commands globally/);
  });
});
