/**
 * `npm run register`: registers the Discord application commands, on DISCORD_GUILD_ID (instant)
 * or globally, only when they differ from what Discord has. Reads the same environment (and
 * `.env`) as the bot; needs DISCORD_TOKEN, and DISCORD_APPLICATION_ID or a token Discord answers
 * `GET /applications/@me` for.
 */
import { REST } from "discord.js";
import { COMMANDS } from "../commands/index.ts";
import { ConfigError, loadConfig, secretValues } from "../src/config.ts";
import { createLogger } from "../src/log.ts";
import { createCommandBuilder } from "../src/platforms/discord/commands.ts";
import { registerCommands } from "../src/platforms/discord/register.ts";
import { createI18n } from "../src/ui/i18n.ts";

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  const logger = createLogger({ level: config.log.level, name: "register", secrets: secretValues(config) });
  const discord = config.discord;
  if (!discord) {
    logger.error("DISCORD_TOKEN is not set: there is no Discord bot to register commands for");
    return 1;
  }
  const i18n = createI18n({
    defaultLocale: config.i18n.defaultLocale,
    onMissing: (problem) => logger.warn({ problem }, "translation problem"),
  });
  const rest = new REST({ api: discord.apiBase }).setToken(discord.token);
  const result = await registerCommands({
    rest,
    ...(discord.applicationId !== undefined ? { applicationId: discord.applicationId } : {}),
    ...(discord.guildId !== undefined ? { guildId: discord.guildId } : {}),
    commands: createCommandBuilder(i18n).build(COMMANDS),
    logger,
  });
  process.stdout.write(
    `${result.changed ? "Registered" : "Already up to date:"} ${result.count} commands ${
      result.scope === "global" ? "globally" : `on guild ${result.scope.guildId}`
    }\n`,
  );
  return 0;
}

process.exitCode = await main();
