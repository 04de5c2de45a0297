/**
 * Process entry for `npm start`: load and validate the configuration, refuse to keep balances
 * in memory unless told to, start the app and the configured platforms, and shut down
 * gracefully on SIGTERM/SIGINT (stop taking interactions, finish callbacks and sends, close
 * Redis, exit 0). A start-up problem the operator can fix ends the process with one line on
 * stderr and its own exit code (failures.ts); anything else is logged with its stack, exit 1.
 */
import type { App } from "./app.ts";
import { type Config, ConfigError, describeConfig, loadConfig, secretValues } from "./config.ts";
import { EXIT_CODES, StartupFailure } from "./failures.ts";
import { createLogger, type Logger } from "./log.ts";

export interface Platform {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The chat platforms configured for this process; their notifiers join the outbox before it
 * starts. Each platform's code (discord.js, grammY) is loaded only when it is configured: a
 * Telegram-only community does not carry discord.js in memory.
 */
async function createPlatforms(app: App, config: Config): Promise<Platform[]> {
  const platforms: Platform[] = [];
  if (config.telegram) {
    const { createTelegramPlatform } = await import("./platforms/telegram/index.ts");
    const telegram = createTelegramPlatform(app, config.telegram);
    app.addNotifier(telegram.notifier);
    platforms.push(telegram);
  }
  if (config.discord) {
    const { createDiscordPlatform } = await import("./platforms/discord/index.ts");
    const discord = createDiscordPlatform(app, config.discord);
    app.addNotifier(discord.notifier);
    platforms.push(discord);
  }
  return platforms;
}

function fail(lines: string[], code: number): never {
  process.stderr.write(lines.map((l) => `${l}\n`).join(""));
  process.exit(code);
}

function configFailure(err: ConfigError): never {
  fail(
    err.problems.map(
      (p) =>
        `skinbridge: invalid configuration: ${p.replace(/^- /, "")} — set it in the environment or .env (see .env.example)`,
    ),
    EXIT_CODES.configuration,
  );
}

function installShutdown(app: App, platforms: Platform[], logger: Logger): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.error("shutdown took longer than 25 s; exiting");
      process.exit(1);
    }, 25_000);
    force.unref();
    try {
      for (const p of platforms) await p.stop();
      await app.stop();
      logger.info("stopped cleanly");
      process.exit(0);
    } catch (err) {
      logger.error({ err }, "shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) configFailure(err);
    throw err;
  }
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    name: "skinbridge",
    secrets: secretValues(config),
  });
  if (config.store.mode === "memory" && !config.store.ephemeral) {
    const failure = new StartupFailure(
      EXIT_CODES.configuration,
      "REDIS_URL is not set, and balances kept in memory would vanish on restart",
      "set REDIS_URL, or SKINBRIDGE_EPHEMERAL=true for a throwaway run",
    );
    fail([failure.line()], failure.exitCode);
  }
  for (const warning of config.warnings) logger.warn(warning);
  logger.info({ config: describeConfig(config) }, "starting skinbridge");

  try {
    // Loaded once the configuration holds: a typo in .env is answered before discord.js,
    // grammY and the Redis client are read from disk.
    const { createApp } = await import("./app.ts");
    const app = await createApp(config, { logger });
    const platforms = await createPlatforms(app, config);
    await app.start();
    installShutdown(app, platforms, logger);
    // Side by side: one platform waiting for its network must not hold the other back.
    await Promise.all(platforms.map((p) => p.start()));
    logger.info("skinbridge ready");
  } catch (err) {
    if (err instanceof StartupFailure) fail([err.line()], err.exitCode);
    logger.fatal({ err }, "skinbridge failed to start");
    process.exit(EXIT_CODES.unexpected);
  }
}

await main();
