/**
 * `npm run register`: registers the Discord application commands, on DISCORD_GUILD_ID (instant)
 * or globally, only when they differ from what Discord has. Reads the same environment (and
 * `.env`) as the bot but needs only Discord's settings: DISCORD_TOKEN, and
 * DISCORD_APPLICATION_ID or a token Discord answers `GET /applications/@me` for. A problem the
 * operator can fix (a bad variable, a refused token) is one line on stderr, as at `npm start`.
 */
import { REST } from "discord.js";
import { COMMANDS } from "../commands/index.ts";
import { ConfigError, loadRegisterConfig, type RegisterConfig } from "../src/config.ts";
import { discordTokenRejected, EXIT_CODES, isDiscordTokenError } from "../src/failures.ts";
import { createLogger } from "../src/log.ts";
import { createCommandBuilder } from "../src/platforms/discord/commands.ts";
import { registerCommands } from "../src/platforms/discord/register.ts";
import { createI18n } from "../src/ui/i18n.ts";

async function main(): Promise<number> {
  let config: RegisterConfig;
  try {
    config = loadRegisterConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) {
      process.stderr.write(
        `skinbridge: invalid configuration: ${p.replace(/^- /, "")} — set it in the environment or .env (see .env.example)\n`,
      );
    }
    return EXIT_CODES.configuration;
  }
  const { discord } = config;
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    name: "register",
    secrets: [discord.token],
  });
  const i18n = createI18n({
    defaultLocale: config.i18n.defaultLocale,
    onMissing: (problem) => logger.warn({ problem }, "translation problem"),
  });
  const rest = new REST({ api: discord.apiBase }).setToken(discord.token);
  try {
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
  } catch (err) {
    if (!isDiscordTokenError(err)) throw err;
    process.stderr.write(`${discordTokenRejected().line()}\n`);
    return EXIT_CODES.discordTokenRejected;
  }
}

process.exitCode = await main();
