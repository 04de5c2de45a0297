/**
 * Logging with two layers against leaking credentials: pino's path redaction for the fields that
 * hold secrets by name, and a last pass over each finished line that removes the configured
 * secret values and Telegram bot tokens wherever they ended up (an error message quoting a URL,
 * a header copied into a string). The second layer is what makes a logged secret a bug we have
 * to write twice.
 */
import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";
import { PinoPretty } from "pino-pretty";

export type { Logger } from "pino";

const CENSOR = "[Redacted]";

/** Property names that hold a secret wherever they appear. */
const SECRET_KEYS = [
  "apiKey",
  "apiSecret",
  "previousApiSecret",
  "secret",
  "webhookSecret",
  "token",
  "botToken",
  "clientToken",
  "password",
  "authorization",
];

/** Header names that carry credentials (lower-case, as Node and undici deliver them). */
const SECRET_HEADERS = [
  "api-key",
  "authorization",
  "Authorization",
  "cookie",
  "set-cookie",
  "x-telegram-bot-api-secret-token",
];

/** pino wildcards match exactly one level, so each name is listed at the depths our log objects reach. */
const DEPTHS = ["", "*.", "*.*.", "*.*.*."];

function headerPath(prefix: string, header: string): string {
  return `${prefix}headers[${JSON.stringify(header)}]`;
}

export const REDACT_PATHS: readonly string[] = [
  ...DEPTHS.flatMap((d) => SECRET_KEYS.map((k) => `${d}${k}`)),
  ...DEPTHS.flatMap((d) => SECRET_HEADERS.map((h) => headerPath(d, h))),
];

// A Telegram bot token is `<bot id>:<35 chars>`; it appears in every Bot API URL as `/bot<token>/`.
const BOT_TOKEN_IN_PATH = /(\/bot)\d+(?::|%3A)[^/?#\s"']*/gi;
const BOT_TOKEN_ANYWHERE = /\b\d{5,}:[A-Za-z0-9_-]{30,}/g;
const SECRET_QUERY = /([?&;][^=&#\s"']*(?:token|key|secret|password)[^=&#\s"']*=)[^&#\s"']*/gi;
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s"']*@/gi;

/**
 * Hides the credentials a URL may carry: a Telegram bot token in `/bot<token>/`, the value of
 * any query parameter named like a token, key, secret or password, and `user:password@`.
 * Works on any string, so a message that merely contains a URL can go through it too.
 */
export function redactUrl(url: string | URL): string {
  return String(url)
    .replace(BOT_TOKEN_IN_PATH, `$1${CENSOR}`)
    .replace(SECRET_QUERY, `$1${CENSOR}`)
    .replace(URL_CREDENTIALS, `$1${CENSOR}@`);
}

/** Removes each secret value (raw and JSON-escaped) and anything shaped like a bot token from a text. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === "") continue;
    out = out.replaceAll(secret, CENSOR);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.replaceAll(escaped, CENSOR);
  }
  return redactUrl(out).replace(BOT_TOKEN_ANYWHERE, CENSOR);
}

export interface CreateLoggerOptions {
  level: string;
  name?: string;
  /** Where lines go; stdout when absent. Tests pass a stream and read what was written. */
  destination?: DestinationStream;
  /** Secret values to scrub from every line (config.ts `secretValues(config)`). */
  secrets?: readonly string[];
  /**
   * `json` lines for machines, `pretty` (pino-pretty: time, level, message, fields) for people,
   * `auto` (default): pretty when stdout is a terminal. Redaction and scrubbing run before either.
   */
  format?: "json" | "pretty" | "auto";
}

function prettyOn(destination: DestinationStream | undefined): DestinationStream {
  const toTerminal = destination === undefined && process.stdout.isTTY === true;
  return PinoPretty({
    // Synchronous: a line logged just before process.exit() must not be lost in a buffer.
    sync: true,
    colorize: toTerminal,
    translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l",
    ignore: "pid,hostname,name",
    ...(destination ? { destination: destination as NodeJS.WritableStream } : {}),
  });
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const secrets = [...(options.secrets ?? [])].filter((s) => s !== "").sort((a, b) => b.length - a.length);
  const pinoOptions: LoggerOptions = {
    level: options.level,
    redact: { paths: [...REDACT_PATHS], censor: CENSOR },
    hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
  };
  if (options.name !== undefined) pinoOptions.name = options.name;
  const format = options.format ?? "auto";
  const pretty =
    format === "pretty" || (format === "auto" && !options.destination && process.stdout.isTTY === true);
  if (pretty) return pino(pinoOptions, prettyOn(options.destination));
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
