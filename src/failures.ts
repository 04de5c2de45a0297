/**
 * Why the process cannot run, as one line an operator can act on, and a distinct exit code per
 * cause so a supervisor (or a script) can tell them apart without parsing text. Every fatal
 * start-up problem goes through here, written to stderr in the same shape:
 *
 *   skinbridge: <what is wrong> — <how to fix it>
 */
export const EXIT_CODES = {
  /** Something unexpected: the log line above it carries the stack. */
  unexpected: 1,
  /** sysexits EX_UNAVAILABLE: Redis did not answer within REDIS_CONNECT_TIMEOUT_SECONDS. */
  redisUnreachable: 69,
  /** sysexits EX_CANTCREAT: the listening port is taken or not allowed. */
  cannotListen: 73,
  /** Telegram refused TELEGRAM_BOT_TOKEN. */
  telegramTokenRejected: 76,
  /** sysexits EX_NOPERM: Discord refused DISCORD_TOKEN. */
  discordTokenRejected: 77,
  /** sysexits EX_CONFIG: a variable is missing or invalid. */
  configuration: 78,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export class StartupFailure extends Error {
  override readonly name = "StartupFailure";
  constructor(
    readonly exitCode: ExitCode,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem} — ${fix}`);
  }

  /** The line written to stderr (no newline inside: the problem and the fix are single lines). */
  line(): string {
    return `skinbridge: ${this.message.replace(/\s*\n\s*/g, " ")}`;
  }
}

/** `listen()` refused: the port is in use or privileged. */
export function listenFailure(err: unknown, what: string, portVariable: string): StartupFailure | undefined {
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  const where = `${e.address ?? "?"}:${e.port ?? "?"}`;
  if (e.code === "EADDRINUSE") {
    return new StartupFailure(
      EXIT_CODES.cannotListen,
      `${what} cannot listen on ${where}: the port is already in use`,
      `stop the other process using it or set ${portVariable} to a free port`,
    );
  }
  if (e.code === "EACCES" || e.code === "EADDRNOTAVAIL") {
    return new StartupFailure(
      EXIT_CODES.cannotListen,
      `${what} cannot listen on ${where} (${e.code})`,
      `set ${portVariable} above 1023 and the host to an address of this machine`,
    );
  }
  return undefined;
}

export function discordTokenRejected(): StartupFailure {
  return new StartupFailure(
    EXIT_CODES.discordTokenRejected,
    "Discord rejected DISCORD_TOKEN (401 Unauthorized)",
    "copy the bot token again from the Discord developer portal (Bot → Reset Token) into DISCORD_TOKEN",
  );
}

export function telegramTokenRejected(status: number): StartupFailure {
  return new StartupFailure(
    EXIT_CODES.telegramTokenRejected,
    `Telegram rejected TELEGRAM_BOT_TOKEN (${status})`,
    "copy the token again from @BotFather (/mybots → API Token) into TELEGRAM_BOT_TOKEN",
  );
}

/** discord.js turns a 401 from `/gateway/bot` or gateway close 4004 into `TokenInvalid`. */
export function isDiscordTokenError(err: unknown): boolean {
  const e = err as { code?: unknown; status?: unknown } | undefined;
  return e?.code === "TokenInvalid" || e?.status === 401;
}
