/**
 * Every setting comes from the environment, validated once at start. A bad setup fails with one
 * error listing every problem, so the operator fixes them in one go instead of one per restart.
 * Values are never echoed back: a secret pasted into the wrong variable must not reach a log.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";
import { type Locale, matchLocale, SUPPORTED_LOCALES } from "./ui/locales.ts";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto`: pretty on a terminal, JSON lines otherwise (a container, a pipe, a log shipper). */
export const LOG_FORMATS = ["json", "pretty", "auto"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface AssetPayConfig {
  apiKey: string;
  apiSecret: string;
  /** Still accepted on callbacks while a secret rotation is under way. */
  previousApiSecret?: string;
  merchantId?: string;
  /** No trailing slash. */
  baseUrl: string;
  callbackToleranceSeconds: number;
  /** Request `isInstant` on deposits and credit `preCredit` when a trade reaches `hold`. */
  instantCredit: boolean;
  /** `autoCancel` sent on withdrawals; absent means AssetPay's default (30 minutes). */
  autoCancelMinutes?: number;
}

export interface DiscordConfig {
  token: string;
  applicationId?: string;
  /** No trailing slash; discord.js's REST `api` option. */
  apiBase: string;
  /** Registers commands on one guild (instant) instead of globally (propagation takes a while). */
  guildId?: string;
  adminRoleIds: string[];
  adminUserIds: string[];
  /** The moderators' channel that receives every money move and moderator action. */
  auditChannelId?: string;
}

export interface TelegramConfig {
  token: string;
  /** No trailing slash; grammY's `apiRoot` option. */
  apiRoot: string;
  adminUserIds: string[];
  /** The moderators' chat that receives every money move and moderator action. */
  auditChatId?: string;
  /** Webhook when a secret and PUBLIC_URL are both set, long polling otherwise. */
  mode: "webhook" | "polling";
  webhookSecret?: string;
}

export type StoreConfig =
  | { mode: "redis"; redisUrl: string; ephemeral: boolean; connectTimeoutSeconds: number }
  /** `ephemeral` is the operator's explicit consent to lose balances on restart; main refuses memory mode without it. */
  | { mode: "memory"; ephemeral: boolean };

export interface Config {
  assetpay: AssetPayConfig;
  /** null: Discord disabled (no DISCORD_TOKEN). */
  discord: DiscordConfig | null;
  /** null: Telegram disabled (no TELEGRAM_BOT_TOKEN). */
  telegram: TelegramConfig | null;
  store: StoreConfig;
  http: { host: string; port: number; callbackPath: string; publicUrl?: string; maxConnections: number };
  /**
   * `/metrics` is served only when asked for: on the main listener behind `token` (bearer), and/or
   * on a listener of its own at `host:port`. Neither set: not served.
   */
  metrics: { token?: string; port?: number; host: string };
  log: { level: LogLevel; format: LogFormat };
  i18n: { defaultLocale: Locale };
  /** Community markup on shown withdraw prices and fee on deposit offers, in basis points. */
  feeBps: number;
  picker: { ttlSeconds: number };
  /** `intervalSeconds: 0` turns the reconciler off. */
  reconcile: {
    intervalSeconds: number;
    /** Completed trades stay watched this long for a reversal whose callback was lost… */
    reversalWatchDays: number;
    /** …looked at this often. */
    reversalRecheckMinutes: number;
  };
  outbox: { concurrency: number };
  /** The web dashboard: sign-in link and session lifetimes, solvency sampling (0 = off). */
  dashboard: { linkMinutes: number; sessionMinutes: number; sampleMinutes: number };
  /**
   * Steam sign-in (OpenID) when linking: `required` proves every link, `optional` offers it,
   * `off` links any valid trade URL. `openIdUrl` is Steam's provider (or the sandbox's).
   */
  steam: { signIn: "required" | "optional" | "off"; openIdUrl: string };
  /** Valid but probably unintended settings, for main to log at start. */
  warnings: string[];
}

/** Lists every invalid variable, one `- NAME: problem` line each; never contains a value. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.join("\n")}`,
    );
  }
}

// --- field schemas -------------------------------------------------------------------------------

const required = () => z.string({ error: "required" });

function int(min: number, max: number) {
  const msg = `must be an integer ${min}–${max}`;
  return z
    .string()
    .regex(/^[+-]?\d+$/, msg)
    .transform(Number)
    .pipe(z.number().int().min(min, msg).max(max, msg));
}

const bool = () =>
  z.stringbool({
    truthy: ["true", "1", "yes"],
    falsy: ["false", "0", "no"],
    case: "insensitive",
    error: "must be one of true, false, 1, 0, yes, no",
  });

function url(protocols: readonly string[], msg: string) {
  return z
    .string()
    .refine((s) => URL.canParse(s) && protocols.includes(new URL(s).protocol), msg)
    .transform((s) => s.replace(/\/+$/, ""));
}
const httpUrl = () => url(["http:", "https:"], "must be an http(s) URL");

/** Hosts that never leave the machine: plain http to them is not exposed to anyone. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

// AssetPay only calls back over HTTPS, and a plain-http callback URL would carry signed money
// events in clear; loopback stays allowed for trying things with the sandbox.
const publicUrl = () =>
  httpUrl().refine((s) => {
    const u = new URL(s);
    return u.protocol === "https:" || isLoopbackHost(u.hostname);
  }, "must be an https:// URL (plain http only for localhost / 127.0.0.1); put a TLS proxy in front (see README, HTTPS)");

const snowflake = () => z.string().regex(/^\d{1,20}$/, "must be a numeric id");

const idList = () =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((id) => id.trim())
        .filter((id) => id !== ""),
    )
    .pipe(z.array(z.string().regex(/^\d{1,20}$/, "must be a comma-separated list of numeric ids")));

const EnvSchema = z.object({
  ASSETPAY_API_KEY: required(),
  ASSETPAY_API_SECRET: required(),
  ASSETPAY_PREVIOUS_API_SECRET: z.string().optional(),
  ASSETPAY_MERCHANT_ID: z.string().optional(),
  ASSETPAY_BASE_URL: httpUrl().default("https://api.assetpay.gg"),
  ASSETPAY_CALLBACK_TOLERANCE_SECONDS: int(1, 86_400).default(300),
  ASSETPAY_INSTANT_CREDIT: bool().default(false),
  ASSETPAY_AUTO_CANCEL_MINUTES: int(30, 720).optional(),
  DISCORD_TOKEN: z.string().optional(),
  DISCORD_APPLICATION_ID: snowflake().optional(),
  DISCORD_API_BASE: httpUrl().default("https://discord.com/api"),
  DISCORD_GUILD_ID: snowflake().optional(),
  DISCORD_ADMIN_ROLE_IDS: idList().default([]),
  DISCORD_ADMIN_USER_IDS: idList().default([]),
  DISCORD_AUDIT_CHANNEL_ID: snowflake().optional(),
  // BotFather tokens are `<bot id>:<secret>`; checking the shape catches a token pasted into the wrong variable.
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, "must look like a BotFather token (<digits>:<letters>)")
    .optional(),
  TELEGRAM_API_ROOT: httpUrl().default("https://api.telegram.org"),
  TELEGRAM_ADMIN_USER_IDS: idList().default([]),
  // A group's or channel's chat id is negative (-100…).
  TELEGRAM_AUDIT_CHAT_ID: z
    .string()
    .regex(/^-?\d{1,20}$/, "must be a Telegram chat id (digits, negative for groups)")
    .optional(),
  // Telegram's own limits for secret_token (setWebhook).
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1–256 characters of A–Z, a–z, 0–9, _ and -")
    .optional(),
  REDIS_URL: url(["redis:", "rediss:"], "must be a redis:// or rediss:// URL").optional(),
  REDIS_CONNECT_TIMEOUT_SECONDS: int(1, 300).default(10),
  SKINBRIDGE_EPHEMERAL: bool().default(false),
  HTTP_HOST: z.string().default("0.0.0.0"),
  HTTP_PORT: int(1, 65_535).default(8080),
  CALLBACK_PATH: z
    .string()
    .regex(/^\/[^\s?#]*$/, "must be a path starting with /")
    .default("/assetpay/callback"),
  HTTP_MAX_CONNECTIONS: int(16, 100_000).default(512),
  PUBLIC_URL: publicUrl().optional(),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  METRICS_PORT: int(1, 65_535).optional(),
  METRICS_HOST: z.string().default("127.0.0.1"),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  LOG_FORMAT: z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(", ")}` }).default("auto"),
  FEE_BPS: int(0, 5000).default(0),
  DEFAULT_LOCALE: z
    .string()
    .transform((s) => matchLocale(s) ?? s)
    .pipe(z.enum(SUPPORTED_LOCALES, { error: `must be one of ${SUPPORTED_LOCALES.join(", ")}` }))
    .default("en"),
  PICKER_TTL_SECONDS: int(1, 86_400).default(900),
  RECONCILE_INTERVAL_SECONDS: int(0, 86_400).default(60),
  RECONCILE_REVERSAL_WATCH_DAYS: int(0, 60).default(8),
  RECONCILE_REVERSAL_RECHECK_MINUTES: int(1, 1440).default(60),
  OUTBOX_CONCURRENCY: int(1, 100).default(16),
  DASHBOARD_LINK_MINUTES: int(1, 60).default(10),
  DASHBOARD_SESSION_MINUTES: int(5, 1440).default(60),
  SOLVENCY_SAMPLE_MINUTES: int(0, 1440).default(15),
  STEAM_SIGNIN: z
    .enum(["required", "optional", "off"], { error: "must be one of required, optional, off" })
    .optional(),
  STEAM_OPENID_URL: httpUrl().default("https://steamcommunity.com/openid"),
});
type Env = z.infer<typeof EnvSchema>;

/** The names of every variable skinbridge reads (the `.env.example` test checks they are all documented). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape) as (keyof Env)[];

// --- loading -----------------------------------------------------------------------------------

/**
 * The process environment over an optional `.env` file: a variable set for real always wins, so a
 * forgotten `.env` never overrides what the operator passed. process.env is left untouched.
 */
export function readEnvironment(
  options: { path?: string; env?: NodeJS.ProcessEnv } = {},
): Record<string, string | undefined> {
  const path = resolve(options.path ?? ".env");
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseDotenv(readFileSync(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  return { ...fromFile, ...(options.env ?? process.env) };
}

/** Parses the variables a schema names, or throws ConfigError listing every problem. */
function parseEnv<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  // An empty assignment (`FEE_BPS=` copied from the example) means "not set", and stray whitespace
  // around a pasted token is a copy mistake, not part of the value.
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = env[name]?.trim();
    raw[name] = value === "" ? undefined : value;
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = new Map<string, string>();
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? "environment");
      if (!problems.has(name)) problems.set(name, issue.message);
    }
    throw new ConfigError([...problems].map(([name, message]) => `- ${name}: ${message}`));
  }
  return result.data;
}

/** Validates the environment (by default process.env over `.env`) into a Config, or throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  return toConfig(parseEnv(EnvSchema, env));
}

const RegisterEnvSchema = EnvSchema.pick({
  DISCORD_TOKEN: true,
  DISCORD_APPLICATION_ID: true,
  DISCORD_API_BASE: true,
  DISCORD_GUILD_ID: true,
  LOG_LEVEL: true,
  LOG_FORMAT: true,
  DEFAULT_LOCALE: true,
}).extend({ DISCORD_TOKEN: required() });

export interface RegisterConfig {
  discord: Pick<DiscordConfig, "token" | "apiBase" | "applicationId" | "guildId">;
  log: Config["log"];
  i18n: Config["i18n"];
}

/** `npm run register` needs Discord's settings only: no AssetPay keys, no Redis. */
export function loadRegisterConfig(
  env: Record<string, string | undefined> = readEnvironment(),
): RegisterConfig {
  const e = parseEnv(RegisterEnvSchema, env);
  const discord: RegisterConfig["discord"] = { token: e.DISCORD_TOKEN, apiBase: e.DISCORD_API_BASE };
  if (e.DISCORD_APPLICATION_ID !== undefined) discord.applicationId = e.DISCORD_APPLICATION_ID;
  if (e.DISCORD_GUILD_ID !== undefined) discord.guildId = e.DISCORD_GUILD_ID;
  return {
    discord,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    i18n: { defaultLocale: e.DEFAULT_LOCALE },
  };
}

function toConfig(e: Env): Config {
  const warnings: string[] = [];
  const assetpay: AssetPayConfig = {
    apiKey: e.ASSETPAY_API_KEY,
    apiSecret: e.ASSETPAY_API_SECRET,
    baseUrl: e.ASSETPAY_BASE_URL,
    callbackToleranceSeconds: e.ASSETPAY_CALLBACK_TOLERANCE_SECONDS,
    instantCredit: e.ASSETPAY_INSTANT_CREDIT,
  };
  if (e.ASSETPAY_PREVIOUS_API_SECRET !== undefined)
    assetpay.previousApiSecret = e.ASSETPAY_PREVIOUS_API_SECRET;
  if (e.ASSETPAY_MERCHANT_ID !== undefined) assetpay.merchantId = e.ASSETPAY_MERCHANT_ID;
  if (e.ASSETPAY_AUTO_CANCEL_MINUTES !== undefined)
    assetpay.autoCancelMinutes = e.ASSETPAY_AUTO_CANCEL_MINUTES;

  let discord: DiscordConfig | null = null;
  if (e.DISCORD_TOKEN !== undefined) {
    discord = {
      token: e.DISCORD_TOKEN,
      apiBase: e.DISCORD_API_BASE,
      adminRoleIds: e.DISCORD_ADMIN_ROLE_IDS,
      adminUserIds: e.DISCORD_ADMIN_USER_IDS,
    };
    if (e.DISCORD_APPLICATION_ID !== undefined) discord.applicationId = e.DISCORD_APPLICATION_ID;
    if (e.DISCORD_GUILD_ID !== undefined) discord.guildId = e.DISCORD_GUILD_ID;
    if (e.DISCORD_AUDIT_CHANNEL_ID !== undefined) discord.auditChannelId = e.DISCORD_AUDIT_CHANNEL_ID;
    if (discord.adminRoleIds.length === 0 && discord.adminUserIds.length === 0) {
      warnings.push("Discord has no admins: set DISCORD_ADMIN_ROLE_IDS or DISCORD_ADMIN_USER_IDS");
    }
  }

  let telegram: TelegramConfig | null = null;
  if (e.TELEGRAM_BOT_TOKEN !== undefined) {
    const webhook = e.TELEGRAM_WEBHOOK_SECRET !== undefined && e.PUBLIC_URL !== undefined;
    telegram = {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT,
      adminUserIds: e.TELEGRAM_ADMIN_USER_IDS,
      mode: webhook ? "webhook" : "polling",
    };
    if (e.TELEGRAM_WEBHOOK_SECRET !== undefined) telegram.webhookSecret = e.TELEGRAM_WEBHOOK_SECRET;
    if (e.TELEGRAM_AUDIT_CHAT_ID !== undefined) telegram.auditChatId = e.TELEGRAM_AUDIT_CHAT_ID;
    if (e.TELEGRAM_WEBHOOK_SECRET !== undefined && e.PUBLIC_URL === undefined) {
      warnings.push("TELEGRAM_WEBHOOK_SECRET is set but PUBLIC_URL is not: Telegram uses long polling");
    }
    if (telegram.adminUserIds.length === 0)
      warnings.push("Telegram has no admins: set TELEGRAM_ADMIN_USER_IDS");
  }
  if (discord === null && telegram === null) {
    warnings.push("neither DISCORD_TOKEN nor TELEGRAM_BOT_TOKEN is set: no chat platform is enabled");
  }

  const store: StoreConfig =
    e.REDIS_URL !== undefined
      ? {
          mode: "redis",
          redisUrl: e.REDIS_URL,
          ephemeral: e.SKINBRIDGE_EPHEMERAL,
          connectTimeoutSeconds: e.REDIS_CONNECT_TIMEOUT_SECONDS,
        }
      : { mode: "memory", ephemeral: e.SKINBRIDGE_EPHEMERAL };
  if (store.mode === "memory") {
    warnings.push(
      e.SKINBRIDGE_EPHEMERAL
        ? "no REDIS_URL: balances live in memory and vanish on restart"
        : "no REDIS_URL and SKINBRIDGE_EPHEMERAL is not set: durable balances need Redis",
    );
  }

  const http: Config["http"] = {
    host: e.HTTP_HOST,
    port: e.HTTP_PORT,
    callbackPath: e.CALLBACK_PATH,
    maxConnections: e.HTTP_MAX_CONNECTIONS,
  };
  if (e.PUBLIC_URL !== undefined) http.publicUrl = e.PUBLIC_URL;
  // Steam sends the browser back to PUBLIC_URL, so sign-in needs one.
  const signIn = e.STEAM_SIGNIN ?? (e.PUBLIC_URL !== undefined ? "required" : "off");
  if (signIn !== "off" && e.PUBLIC_URL === undefined)
    throw new ConfigError([
      `- STEAM_SIGNIN: ${signIn} needs PUBLIC_URL (Steam sends the browser back there)`,
    ]);
  if (signIn === "off" && e.PUBLIC_URL !== undefined)
    warnings.push("STEAM_SIGNIN is off: anyone can link a Steam account whose trade URL they know");
  const metrics: Config["metrics"] = { host: e.METRICS_HOST };
  if (e.METRICS_TOKEN !== undefined) metrics.token = e.METRICS_TOKEN;
  if (e.METRICS_PORT !== undefined) metrics.port = e.METRICS_PORT;

  return {
    assetpay,
    discord,
    telegram,
    store,
    http,
    metrics,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    i18n: { defaultLocale: e.DEFAULT_LOCALE },
    feeBps: e.FEE_BPS,
    picker: { ttlSeconds: e.PICKER_TTL_SECONDS },
    reconcile: {
      intervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
      reversalWatchDays: e.RECONCILE_REVERSAL_WATCH_DAYS,
      reversalRecheckMinutes: e.RECONCILE_REVERSAL_RECHECK_MINUTES,
    },
    outbox: { concurrency: e.OUTBOX_CONCURRENCY },
    dashboard: {
      linkMinutes: e.DASHBOARD_LINK_MINUTES,
      sessionMinutes: e.DASHBOARD_SESSION_MINUTES,
      sampleMinutes: e.SOLVENCY_SAMPLE_MINUTES,
    },
    steam: { signIn, openIdUrl: e.STEAM_OPENID_URL },
    warnings,
  };
}

// --- describing --------------------------------------------------------------------------------

const SET = "[set]";

/** Hides the credentials of a URL (a Redis password) and keeps where it points, which is what an operator debugs. */
function hideUrlCredentials(value: string): string {
  const u = new URL(value);
  if (u.username === "" && u.password === "") return value;
  u.username = "";
  u.password = "";
  return u.href.replace("//", `//${SET}@`);
}

/** The config as a loggable object: every secret is `"[set]"`, a Redis URL loses its credentials. */
export function describeConfig(config: Config): Record<string, unknown> {
  const { assetpay, discord, telegram, store } = config;
  return {
    ...config,
    assetpay: {
      ...assetpay,
      apiKey: SET,
      apiSecret: SET,
      previousApiSecret: assetpay.previousApiSecret === undefined ? undefined : SET,
    },
    discord: discord && { ...discord, token: SET },
    telegram: telegram && {
      ...telegram,
      token: SET,
      webhookSecret: telegram.webhookSecret === undefined ? undefined : SET,
    },
    store: store.mode === "redis" ? { ...store, redisUrl: hideUrlCredentials(store.redisUrl) } : store,
    metrics: { ...config.metrics, token: config.metrics.token === undefined ? undefined : SET },
  };
}

/**
 * Every secret value in the config, for the logger to scrub from any line that quotes one by
 * accident (an error message, a URL). Values shorter than 6 characters are left out: scrubbing
 * "abc" from every line would garble logs without protecting anything worth protecting.
 */
export function secretValues(config: Config): string[] {
  const values = [
    config.assetpay.apiKey,
    config.assetpay.apiSecret,
    config.assetpay.previousApiSecret,
    config.discord?.token,
    config.telegram?.token,
    config.telegram?.webhookSecret,
    config.metrics.token,
  ];
  if (config.store.mode === "redis") {
    const password = new URL(config.store.redisUrl).password;
    if (password !== "") values.push(decodeURIComponent(password), password);
  }
  return [...new Set(values.filter((v): v is string => v !== undefined && v.length >= 6))];
}
