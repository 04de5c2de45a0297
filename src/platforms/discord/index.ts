/**
 * The Discord adapter. Wire it in like this (main.ts does, the end-to-end tests do the same):
 *
 *   const app = await createApp(config);
 *   const discord = createDiscordPlatform(app, config.discord);
 *   app.addNotifier(discord.notifier);
 *   await app.start();
 *   await discord.start();
 */
export {
  boundedCaches,
  createDiscordPlatform,
  type DiscordPlatform,
  type DiscordPlatformOptions,
} from "./client.ts";
export { createCommandBuilder, DISCORD_LOCALES, type DiscordCommandJSON } from "./commands.ts";
export { createInteractionRouter, type InteractionRouter } from "./interactions.ts";
export { DISCORD_CAPS, invocationOf, isAdmin } from "./members.ts";
export { createDiscordNotifier } from "./notifier.ts";
export { commandsDiffer, type RegisterOptions, type RegisterResult, registerCommands } from "./register.ts";
export { DISCORD_LIMITS, renderView, TONE_COLOURS } from "./render.ts";
