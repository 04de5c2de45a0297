/**
 * The Discord platform: a discord.js client with the Guilds intent only and bounded caches (the
 * bot reads interactions, not messages or presences), wired to the shared command runtime, plus
 * the DM notifier for the outbox. REST (and, through `GET /gateway/bot`, the gateway) goes to
 * `config.apiBase`, which is how tests point the real client at a fake Discord. Under discord.js's
 * ShardingManager each process's client picks its shards from the environment as usual.
 */
import { Client, Events, GatewayIntentBits, Options } from "discord.js";
import type { Logger } from "pino";
import { COMMANDS } from "../../../commands/index.ts";
import type { App } from "../../app.ts";
import type { DiscordConfig } from "../../config.ts";
import type { Notifier } from "../../core/outbox-worker.ts";
import { createSendPacer, type PaceLimits } from "../../core/pacing.ts";
import { discordTokenRejected, isDiscordTokenError } from "../../failures.ts";
import { reasonOf, startWithRetry } from "../start-retry.ts";
import { createDiscordAuditSink } from "./audit-sink.ts";
import { createCommandBuilder } from "./commands.ts";
import { createDmRest, UNBOUND_REQUESTS_PER_SECOND } from "./dm-rest.ts";
import { createInteractionRouter } from "./interactions.ts";
import { createDiscordNotifier } from "./notifier.ts";
import { registerCommands } from "./register.ts";

export interface DiscordPlatform {
  client: Client;
  notifier: Notifier;
  /** Logs in, waits for READY, then registers the commands if they changed. */
  start(): Promise<void>;
  /** Stops taking interactions, finishes the ones being answered, disconnects. */
  stop(): Promise<void>;
}

export interface DiscordPlatformOptions {
  /** Compare and (only on a difference) register the commands at start. Default true. */
  registerCommands?: boolean;
  logger?: Logger;
  rateLimits?: Partial<PaceLimits>;
}

/**
 * Discord exempts interaction responses and follow-ups from the bot's global rate limit, but
 * @discordjs/rest counts every request against one client-side budget per fixed second: a busy
 * minute would queue members' answers behind each other, and for DMs a fixed second lets up to
 * twice the budget through in any rolling one. So neither REST's own budget ever binds: the
 * client's REST (interactions, plus a handful of login and registration calls) needs none, and
 * DMs, the bulk of the token-authenticated traffic, are paced on the shared timeline
 * (core/pacing.ts, dm-rest.ts), which any rolling second sees within Discord's 50.
 */

export const DISCORD_RATE_LIMITS: PaceLimits = {
  // 47.6 requests a second against Discord's 50 (bench/notifications.ts).
  globalIntervalMs: 21,
  window: { limit: 50, windowMs: 1_040 },
  // A DM channel's message bucket allows 5 per 5 s; one a second keeps a member's DMs steady.
  chatIntervalMs: 1_050,
};

const keepSelf = (x: { id: string; client: Client<true> }) => x.id === x.client.user.id;

/**
 * Only what interactions need stays cached, and never without bound: messages, presences,
 * reactions and the like are not cached at all; users and members up to a few thousand.
 */
export function boundedCaches() {
  return Options.cacheWithLimits({
    ...Options.DefaultMakeCacheSettings,
    ApplicationCommandManager: 0,
    AutoModerationRuleManager: 0,
    BaseGuildEmojiManager: 0,
    DMMessageManager: 0,
    GuildBanManager: 0,
    GuildEmojiManager: 0,
    GuildForumThreadManager: 0,
    GuildInviteManager: 0,
    GuildMessageManager: 0,
    GuildScheduledEventManager: 0,
    GuildStickerManager: 0,
    GuildTextThreadManager: 0,
    MessageManager: 0,
    PresenceManager: 0,
    ReactionManager: 0,
    ReactionUserManager: 0,
    StageInstanceManager: 0,
    ThreadManager: 0,
    ThreadMemberManager: 0,
    VoiceStateManager: 0,
    GuildMemberManager: { maxSize: 2_000, keepOverLimit: keepSelf },
    UserManager: { maxSize: 2_000, keepOverLimit: keepSelf },
  });
}

export function createDiscordPlatform(
  app: Pick<App, "core" | "sendSlots">,
  config: DiscordConfig,
  options: DiscordPlatformOptions = {},
): DiscordPlatform {
  const logger = (options.logger ?? app.core.logger).child({ platform: "discord" });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.apiBase, globalRequestsPerSecond: UNBOUND_REQUESTS_PER_SECOND },
    makeCache: boundedCaches(),
  });
  const router = createInteractionRouter({ core: app.core, config, logger });
  client.on(Events.InteractionCreate, router.handle);
  // An 'error' event without a listener would throw and take the process down.
  client.on(Events.Error, (err) => logger.error({ err }, "discord.js error"));
  client.on(Events.ShardError, (err, shardId) => logger.warn({ err, shardId }, "gateway connection error"));
  const pacer = createSendPacer({
    platform: "discord",
    slots: app.sendSlots,
    limits: { ...DISCORD_RATE_LIMITS, ...options.rateLimits },
  });
  // The outbox may deliver before the gateway is up: DMs only need REST and the token.
  const dmRest = createDmRest({
    apiBase: config.apiBase,
    token: config.token,
    pacer,
    observe: (outcome) =>
      (outcome === "sent" ? app.core.metrics.platformSends : app.core.metrics.rateLimited).inc({
        platform: "discord",
        kind: "notice",
      }),
  });
  const notifier = createDiscordNotifier({
    rest: dmRest,
    pacer,
    i18n: app.core.i18n,
    logger,
    receipts: app.core.receipts,
  });
  const status = app.core.health.component("discord");
  const gatewayDown = `Discord's gateway is disconnected; discord.js is reconnecting — check this host's network (and discordstatus.com)`;
  client.on(Events.ShardDisconnect, () => status.down(gatewayDown));
  client.on(Events.ShardReconnecting, () => status.down(gatewayDown));
  client.on(Events.ShardReady, () => status.up());
  client.on(Events.ShardResume, () => status.up());
  let stopped = false;
  if (config.auditChannelId !== undefined)
    app.core.audit.addSink(createDiscordAuditSink(dmRest, config.auditChannelId));

  const syncCommands = async () => {
    // One process registers: the one holding shard 0 (or the only one).
    if (client.shard && !client.shard.ids.includes(0)) return;
    try {
      await registerCommands({
        rest: client.rest,
        applicationId: config.applicationId ?? client.application?.id,
        ...(config.guildId !== undefined ? { guildId: config.guildId } : {}),
        commands: createCommandBuilder(app.core.i18n).build(COMMANDS),
        logger,
      });
    } catch (err) {
      // The commands registered last time keep working; the next start tries again.
      logger.error({ err }, "registering Discord commands failed");
    }
  };

  return {
    client,
    notifier,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await startWithRetry(
        async () => {
          await client.login(config.token);
        },
        {
          status,
          fatal: (err) => (isDiscordTokenError(err) ? discordTokenRejected() : undefined),
          describe: (err) =>
            `Discord is unreachable at ${config.apiBase} (${reasonOf(err)}); retrying — check this host's network`,
          stopped: () => stopped,
        },
      );
      await ready;
      status.up();
      logger.info({ user: client.user?.id, guilds: client.guilds.cache.size }, "Discord connected");
      if (options.registerCommands !== false) await syncCommands();
    },
    async stop() {
      stopped = true;
      await router.drain();
      await client.destroy();
      // DMs still being sent by the outbox (stopped after the platforms) finish on this REST.
      dmRest.clearHashSweeper();
      dmRest.clearHandlerSweeper();
    },
  };
}
