import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { afterAll, describe, expect, it } from "vitest";
import {
  CONFIG_VARIABLES,
  ConfigError,
  describeConfig,
  loadConfig,
  readEnvironment,
  secretValues,
} from "../../src/config.ts";

const API_KEY = "ak_live_9f8e7d6c5b4a";
const API_SECRET = "as_live_0a1b2c3d4e5f";
const BASE = { ASSETPAY_API_KEY: API_KEY, ASSETPAY_API_SECRET: API_SECRET };

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message.split("\n").slice(1);
  }
  throw new Error("expected the config to be refused");
}

describe("loadConfig", () => {
  it("needs only the AssetPay key and secret, and fills every default", () => {
    const config = loadConfig(BASE);
    expect(config.assetpay).toEqual({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      baseUrl: "https://api.assetpay.gg",
      callbackToleranceSeconds: 300,
      instantCredit: false,
    });
    expect(config.discord).toBeNull();
    expect(config.telegram).toBeNull();
    expect(config.store).toEqual({ mode: "memory", ephemeral: false });
    expect(config.http).toEqual({
      host: "0.0.0.0",
      port: 8080,
      callbackPath: "/assetpay/callback",
      maxConnections: 512,
    });
    expect(config.metrics).toEqual({ host: "127.0.0.1" });
    expect(config.log.format).toBe("auto");
    expect(config.log.level).toBe("info");
    expect(config.i18n.defaultLocale).toBe("en");
    expect(config.feeBps).toBe(0);
    expect(config.picker.ttlSeconds).toBe(900);
    expect(config.reconcile.intervalSeconds).toBe(60);
    expect(config.outbox.concurrency).toBe(16);
  });

  it("lists every problem, one per line, without echoing any value", () => {
    const leaked = "999999:LEAKED_TOKEN_VALUE";
    const problems = problemsOf({
      ASSETPAY_API_SECRET: API_SECRET,
      ASSETPAY_BASE_URL: "ftp://api.assetpay.gg",
      ASSETPAY_AUTO_CANCEL_MINUTES: "10",
      HTTP_PORT: "eighty",
      FEE_BPS: "9000",
      SKINBRIDGE_EPHEMERAL: "maybe",
      DISCORD_ADMIN_USER_IDS: "123, alice",
      TELEGRAM_BOT_TOKEN: `${leaked} with spaces`,
      LOG_LEVEL: "loud",
      DEFAULT_LOCALE: "fr",
      REDIS_URL: "http://localhost:6379",
      CALLBACK_PATH: "assetpay",
    });
    expect(problems).toEqual([
      "- ASSETPAY_API_KEY: required",
      "- ASSETPAY_BASE_URL: must be an http(s) URL",
      "- ASSETPAY_AUTO_CANCEL_MINUTES: must be an integer 30–720",
      "- DISCORD_ADMIN_USER_IDS: must be a comma-separated list of numeric ids",
      "- TELEGRAM_BOT_TOKEN: must look like a BotFather token (<digits>:<letters>)",
      "- REDIS_URL: must be a redis:// or rediss:// URL",
      "- SKINBRIDGE_EPHEMERAL: must be one of true, false, 1, 0, yes, no",
      "- HTTP_PORT: must be an integer 1–65535",
      "- CALLBACK_PATH: must be a path starting with /",
      "- LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent",
      "- FEE_BPS: must be an integer 0–5000",
      "- DEFAULT_LOCALE: must be one of en, ru, pt-BR, de, es, tr, pl, uk",
    ]);
    expect(problems.join("\n")).not.toContain("LEAKED");
  });

  it("requires the API secret as well as the key", () => {
    expect(problemsOf({ ASSETPAY_API_KEY: API_KEY })).toEqual(["- ASSETPAY_API_SECRET: required"]);
  });

  it("refuses ports outside 1–65535", () => {
    expect(problemsOf({ ...BASE, HTTP_PORT: "0" })).toEqual(["- HTTP_PORT: must be an integer 1–65535"]);
    expect(problemsOf({ ...BASE, HTTP_PORT: "65536" })).toEqual(["- HTTP_PORT: must be an integer 1–65535"]);
    expect(problemsOf({ ...BASE, HTTP_PORT: "80.5" })).toEqual(["- HTTP_PORT: must be an integer 1–65535"]);
  });

  it("reads booleans written as true/false, 1/0 or yes/no in any case", () => {
    for (const yes of ["true", "1", "yes", "YES", "True"]) {
      expect(loadConfig({ ...BASE, ASSETPAY_INSTANT_CREDIT: yes }).assetpay.instantCredit).toBe(true);
    }
    for (const no of ["false", "0", "no", "No"]) {
      expect(loadConfig({ ...BASE, ASSETPAY_INSTANT_CREDIT: no }).assetpay.instantCredit).toBe(false);
    }
  });

  it("treats an empty or blank assignment as unset and trims pasted values", () => {
    const config = loadConfig({
      ...BASE,
      ASSETPAY_API_KEY: `  ${API_KEY}\n`,
      FEE_BPS: "",
      DISCORD_TOKEN: "   ",
      HTTP_PORT: " 9090 ",
    });
    expect(config.assetpay.apiKey).toBe(API_KEY);
    expect(config.feeBps).toBe(0);
    expect(config.discord).toBeNull();
    expect(config.http.port).toBe(9090);
    expect(problemsOf({ ...BASE, ASSETPAY_API_SECRET: "" })).toEqual(["- ASSETPAY_API_SECRET: required"]);
  });

  it("enables Discord with its token, trimming id lists and dropping empty entries", () => {
    const config = loadConfig({
      ...BASE,
      DISCORD_TOKEN: "discord-bot-token-value",
      DISCORD_APPLICATION_ID: "111111111111111111",
      DISCORD_GUILD_ID: "222222222222222222",
      DISCORD_ADMIN_ROLE_IDS: " 333 , ,444,",
      DISCORD_ADMIN_USER_IDS: "",
      DISCORD_API_BASE: "http://127.0.0.1:4000/api/",
    });
    expect(config.discord).toEqual({
      token: "discord-bot-token-value",
      applicationId: "111111111111111111",
      guildId: "222222222222222222",
      apiBase: "http://127.0.0.1:4000/api",
      adminRoleIds: ["333", "444"],
      adminUserIds: [],
    });
  });

  it("uses a Telegram webhook only when both its secret and PUBLIC_URL are set", () => {
    const token = "123456:AAbbCCddEEffGGhh_ii-jj";
    const webhook = loadConfig({
      ...BASE,
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_WEBHOOK_SECRET: "hook_secret-1",
      PUBLIC_URL: "https://bot.example.com/",
      TELEGRAM_ADMIN_USER_IDS: "42,43",
    });
    expect(webhook.telegram).toEqual({
      token,
      apiRoot: "https://api.telegram.org",
      adminUserIds: ["42", "43"],
      mode: "webhook",
      webhookSecret: "hook_secret-1",
    });
    expect(webhook.http.publicUrl).toBe("https://bot.example.com");

    const polling = loadConfig({
      ...BASE,
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_WEBHOOK_SECRET: "hook_secret-1",
    });
    expect(polling.telegram?.mode).toBe("polling");
    expect(polling.warnings).toContain(
      "TELEGRAM_WEBHOOK_SECRET is set but PUBLIC_URL is not: Telegram uses long polling",
    );
    expect(problemsOf({ ...BASE, TELEGRAM_WEBHOOK_SECRET: "has spaces in it" })).toEqual([
      "- TELEGRAM_WEBHOOK_SECRET: must be 1–256 characters of A–Z, a–z, 0–9, _ and -",
    ]);
  });

  it("wants PUBLIC_URL on https, except on loopback", () => {
    expect(problemsOf({ ...BASE, PUBLIC_URL: "http://bot.example.com" })[0]).toMatch(
      /^- PUBLIC_URL: must be an https:\/\/ URL/,
    );
    for (const ok of [
      "https://bot.example.com",
      "http://127.0.0.1:8080",
      "http://localhost:8080",
      "http://[::1]:8080",
    ]) {
      expect(loadConfig({ ...BASE, PUBLIC_URL: ok }).http.publicUrl).toBe(ok);
    }
  });

  it("stores in Redis when REDIS_URL is set, in memory otherwise with the ephemeral flag as given", () => {
    expect(loadConfig({ ...BASE, REDIS_URL: "redis://127.0.0.1:6379/2" }).store).toEqual({
      mode: "redis",
      redisUrl: "redis://127.0.0.1:6379/2",
      ephemeral: false,
      connectTimeoutSeconds: 10,
    });
    expect(loadConfig({ ...BASE, SKINBRIDGE_EPHEMERAL: "yes" }).store).toEqual({
      mode: "memory",
      ephemeral: true,
    });
    const refused = loadConfig(BASE);
    expect(refused.store).toEqual({ mode: "memory", ephemeral: false });
    expect(refused.warnings).toContain(
      "no REDIS_URL and SKINBRIDGE_EPHEMERAL is not set: durable balances need Redis",
    );
  });

  it("maps DEFAULT_LOCALE case-insensitively onto a supported locale", () => {
    expect(loadConfig({ ...BASE, DEFAULT_LOCALE: "pt-br" }).i18n.defaultLocale).toBe("pt-BR");
    expect(loadConfig({ ...BASE, DEFAULT_LOCALE: "UK" }).i18n.defaultLocale).toBe("uk");
  });

  it("accepts auto-cancel, tolerance and a zero reconcile interval within their ranges", () => {
    const config = loadConfig({
      ...BASE,
      ASSETPAY_AUTO_CANCEL_MINUTES: "720",
      ASSETPAY_CALLBACK_TOLERANCE_SECONDS: "60",
      RECONCILE_INTERVAL_SECONDS: "0",
      FEE_BPS: "250",
    });
    expect(config.assetpay.autoCancelMinutes).toBe(720);
    expect(config.assetpay.callbackToleranceSeconds).toBe(60);
    expect(config.reconcile.intervalSeconds).toBe(0);
    expect(config.feeBps).toBe(250);
  });
});

describe("describeConfig and secretValues", () => {
  const env = {
    ...BASE,
    ASSETPAY_PREVIOUS_API_SECRET: "as_old_secret_value",
    DISCORD_TOKEN: "discord-secret-token",
    TELEGRAM_BOT_TOKEN: "123456:TelegramSecretPart",
    TELEGRAM_WEBHOOK_SECRET: "webhook-secret-value",
    REDIS_URL: "redis://default:redis-pass-word@redis.internal:6380/1",
  };
  const secrets = [
    API_KEY,
    API_SECRET,
    "as_old_secret_value",
    "discord-secret-token",
    "123456:TelegramSecretPart",
    "webhook-secret-value",
    "redis-pass-word",
  ];

  it("replaces every secret with [set] and keeps where Redis is", () => {
    const described = describeConfig(loadConfig(env));
    const text = JSON.stringify(described);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(described).toMatchObject({
      assetpay: { apiKey: "[set]", apiSecret: "[set]", previousApiSecret: "[set]" },
      discord: { token: "[set]" },
      telegram: { token: "[set]", webhookSecret: "[set]" },
      store: { mode: "redis", redisUrl: "redis://[set]@redis.internal:6380/1" },
    });
  });

  it("lists every secret value for the logger to scrub", () => {
    expect(secretValues(loadConfig(env)).sort()).toEqual([...secrets].sort());
  });
});

describe("readEnvironment", () => {
  const dir = mkdtempSync(join(tmpdir(), "skinbridge-env-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads .env but lets a variable set in the real environment win", () => {
    const path = join(dir, ".env");
    writeFileSync(path, "ASSETPAY_API_KEY=from-file\nFEE_BPS=100\n# a comment\nHTTP_PORT=1234\n");
    const env = readEnvironment({
      path,
      env: { ASSETPAY_API_KEY: "from-env", ASSETPAY_API_SECRET: API_SECRET },
    });
    const config = loadConfig(env);
    expect(config.assetpay.apiKey).toBe("from-env");
    expect(config.feeBps).toBe(100);
    expect(config.http.port).toBe(1234);
  });

  it("works without a .env file", () => {
    expect(readEnvironment({ path: join(dir, "missing.env"), env: { A: "1" } })).toEqual({ A: "1" });
  });
});

describe(".env.example", () => {
  const example = parseDotenv(readFileSync(new URL("../../.env.example", import.meta.url)));

  it("documents every variable the config reads, and nothing else", () => {
    expect(Object.keys(example).sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it("is a valid configuration once the key and secret are filled in", () => {
    const config = loadConfig({ ...example, ...BASE, SKINBRIDGE_EPHEMERAL: "true" });
    expect(config.http.port).toBe(8080);
    expect(config.store).toEqual({ mode: "memory", ephemeral: true });
  });
});
