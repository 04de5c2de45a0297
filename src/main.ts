/**
 * Process entry for `npm start`: load and validate the configuration, refuse to keep balances
 * in memory unless told to, start the app and the configured platforms, and shut down
 * gracefully on SIGTERM/SIGINT (stop taking interactions, finish callbacks and sends, close
 * Redis, exit 0).
 */
import { type App, createApp } from "./app.ts";
import { type Config, ConfigError, describeConfig, loadConfig, secretValues } from "./config.ts";
import { createLogger } from "./log.ts";
import { createDiscordPlatform } from "./platforms/discord/index.ts";
import { createTelegramPlatform } from "./platforms/telegram/index.ts";

export interface Platform {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The chat platforms configured for this process; their notifiers join the outbox before it starts. */
async function startPlatforms(app: App, config: Config): Promise<Platform[]> {
  const platforms: Platform[] = [];
  if (config.telegram) {
    const telegram = createTelegramPlatform(app, config.telegram);
    app.addNotifier(telegram.notifier);
    platforms.push(telegram);
  }
  if (config.discord) {
    const discord = createDiscordPlatform(app, config.discord);
    app.addNotifier(discord.notifier);
    platforms.push(discord);
  }
  return platforms;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.log.level, name: "skinbridge", secrets: secretValues(config) });
  if (config.store.mode === "memory" && !config.store.ephemeral) {
    logger.fatal(
      "REDIS_URL is not set. Balances would vanish on restart, so skinbridge refuses to start. " +
        "Set REDIS_URL, or SKINBRIDGE_EPHEMERAL=true to run with throwaway in-memory balances.",
    );
    process.exit(1);
  }
  for (const warning of config.warnings) logger.warn(warning);
  logger.info({ config: describeConfig(config) }, "starting skinbridge");

  const app = await createApp(config, { logger });
  const platforms = await startPlatforms(app, config);
  await app.start();
  for (const p of platforms) await p.start();

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

await main();
