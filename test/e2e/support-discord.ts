/**
 * The Discord world for end-to-end tests, built the way production runs: the AssetPay sandbox,
 * the app from `createApp(loadConfig(…))` on a real Redis, the Discord platform with the real
 * discord.js client logged in to a fake Discord, and the platform's notifier on the outbox.
 * Helpers drive interactions as a member would and read back what the member sees.
 */
import { randomUUID } from "node:crypto";
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIMessage } from "discord.js";
import { expect } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { createDiscordPlatform, type DiscordPlatform } from "../../src/platforms/discord/index.ts";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.ts";
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  type FakeDiscord,
  type InteractionHandle,
  type InteractionInput,
  startFakeDiscord,
} from "../fakes/discord/index.ts";
import { freePort } from "../support/steam-signin.ts";

export const API_KEY = "ap_e2e_discord_key_0123";
export const API_SECRET = "e2e-discord-secret-0123456789";
export const MERCHANT_ID = "0f3c9b1e-7a2d-4e6f-8b5a-1c2d3e4f5a6b";
export const ADMIN_ROLE = "1300000000000000900";

/** The guild's members: a few traders, one with closed DMs, a moderator (by role) and a plain member. */
export const USERS = {
  alice: "1300000000000001001",
  bruno: "1300000000000001002",
  carol: "1300000000000001003",
  dana: "1300000000000001004",
  erin: "1300000000000001005",
  frank: "1300000000000001006",
  gina: "1300000000000001007",
  hana: "1300000000000001008",
  ivan: "1300000000000001009",
  jules: "1300000000000001010",
  kim: "1300000000000001011",
  lee: "1300000000000001012",
  mia: "1300000000000001013",
} as const;

/** A Steam trade URL for account `partner` (the sandbox derives inventories from it). */
export function tradeUrl(partner: number, token = "e2eTOKEN"): string {
  return `https://steamcommunity.com/tradeoffer/new/?partner=${partner}&token=${token}`;
}

/** A partner whose sandbox CS2 inventory has 30 items, 28 of them depositable: two picker pages. */
export const TWO_PAGE_PARTNER = 100027;

export interface DiscordWorld {
  fake: FakeDiscord;
  sandbox: Sandbox;
  app: App;
  platform: DiscordPlatform;
  config: Config;
  /** Stops the platform and the app (not the fake or the sandbox), as a deploy would. */
  stopBot(): Promise<void>;
  /** Builds and starts a fresh app and platform on the same Redis data, as after a restart. */
  restartBot(): Promise<void>;
  close(): Promise<void>;
}

export interface DiscordWorldOptions {
  redisUrl: string;
  /** Extra environment for `loadConfig`, over the world's own (e.g. `DISCORD_ADMIN_USER_IDS`). */
  env?: Record<string, string>;
  /** Sandbox options over the world's own (e.g. faster callback retries). */
  sandbox?: Partial<SandboxOptions>;
  /** Steam sign-in required for /link, against the sandbox's Steam OpenID provider. */
  steamSignIn?: boolean;
  /** One clock for the app and the fake's interaction tokens (epoch ms), to let tokens expire. */
  now?: () => number;
}

export async function startDiscordWorld(opts: DiscordWorldOptions): Promise<DiscordWorld> {
  const fake = await startFakeDiscord({
    ...(opts.now ? { now: opts.now } : {}),
    closedDms: new Set([USERS.carol]),
    guilds: [
      {
        id: DEFAULT_GUILD_ID,
        name: "Skin Traders",
        channels: [{ id: DEFAULT_CHANNEL_ID, name: "trading" }],
        roles: [{ id: ADMIN_ROLE, name: "Moderators" }],
        members: [
          { id: USERS.alice, username: "alice", globalName: "Alice" },
          { id: USERS.bruno, username: "bruno" },
          { id: USERS.carol, username: "carol" },
          { id: USERS.dana, username: "dana" },
          { id: USERS.erin, username: "erin", roles: [ADMIN_ROLE] },
          { id: USERS.frank, username: "frank" },
          { id: USERS.gina, username: "gina" },
          { id: USERS.hana, username: "hana" },
          { id: USERS.ivan, username: "ivan" },
          { id: USERS.jules, username: "jules" },
          { id: USERS.kim, username: "kim" },
          { id: USERS.lee, username: "lee" },
          { id: USERS.mia, username: "mia" },
        ],
      },
    ],
  });
  const sandbox = await startSandbox({
    port: 0,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    merchantId: MERCHANT_ID,
    createLatencyMs: 1,
    ...opts.sandbox,
  });
  const config = loadConfig({
    ASSETPAY_API_KEY: API_KEY,
    ASSETPAY_API_SECRET: API_SECRET,
    ASSETPAY_MERCHANT_ID: MERCHANT_ID,
    ASSETPAY_BASE_URL: sandbox.url,
    DISCORD_TOKEN: fake.token,
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_ADMIN_ROLE_IDS: ADMIN_ROLE,
    REDIS_URL: opts.redisUrl,
    SKINBRIDGE_EPHEMERAL: "true",
    LOG_LEVEL: "silent",
    HTTP_HOST: "127.0.0.1",
    RECONCILE_INTERVAL_SECONDS: "0",
    ...(opts.steamSignIn
      ? { STEAM_SIGNIN: "required", STEAM_OPENID_URL: `${sandbox.url}/steam/openid` }
      : {}),
    ...(opts.steamSignIn ? { PUBLIC_URL: "http://127.0.0.1" } : {}),
    ...opts.env,
  });
  config.http.port = 0;
  if (opts.steamSignIn) {
    // Steam sends the browser back to PUBLIC_URL: the listener's own address, so a fixed port.
    config.http.port = await freePort();
    config.http.publicUrl = `http://127.0.0.1:${config.http.port}`;
  }
  const discordConfig = config.discord;
  if (!discordConfig) throw new Error("the test config enables Discord");
  const redisPrefix = `e2e-discord:${randomUUID().slice(0, 8)}:`;

  const boot = async () => {
    const app = await createApp(config, {
      redisPrefix,
      outboxPollMs: 25,
      auditFlushMs: 50,
      ...(opts.now ? { now: opts.now } : {}),
    });
    // A DM channel's messages 50 ms apart instead of 1.05 s: pacing has its own tests
    // (test/core/pacing.test.ts, bench/notifications.ts), and the fake enforces no DM bucket
    // unless a test adds one; waiting the real gap out here would be the wall clock in a test.
    const platform = createDiscordPlatform(app, discordConfig, { rateLimits: { chatIntervalMs: 50 } });
    app.addNotifier(platform.notifier);
    const { url } = await app.start();
    await platform.start();
    return { app, platform, url };
  };

  let bot = await boot();
  if (!(await sandbox.setCallbackUrl(`${bot.url}${config.http.callbackPath}`))) {
    throw new Error("the sandbox could not reach the app's callback listener");
  }
  const world: DiscordWorld = {
    fake,
    sandbox,
    config,
    get app() {
      return bot.app;
    },
    get platform() {
      return bot.platform;
    },
    async stopBot() {
      await bot.platform.stop();
      await bot.app.stop();
    },
    async restartBot() {
      bot = await boot();
      await sandbox.setCallbackUrl(`${bot.url}${config.http.callbackPath}`, { force: true });
    },
    async close() {
      await bot.platform.stop().catch(() => undefined);
      await bot.app.stop().catch(() => undefined);
      await sandbox.close();
      await fake.close();
    },
  };
  return world;
}

// ---- driving interactions -----------------------------------------------------------------------

export interface Answered {
  handle: InteractionHandle;
  /** What the member now sees in answer: the edited message, or the new ephemeral one. */
  message: APIMessage;
}

/**
 * Dispatches an interaction and waits until the app has finished answering it: acknowledged, then
 * its one edit or follow-up made on the interaction token.
 */
export async function interact(fake: FakeDiscord, input: InteractionInput): Promise<Answered> {
  const handle = fake.dispatchInteraction(input);
  await handle.acknowledged;
  const prefix = `/webhooks/${fake.applicationId}/${handle.token}`;
  await fake.waitFor((f) => f.calls.some((c) => c.path.startsWith(prefix) && c.status < 300), 10_000);
  const message = handle.followUps().at(-1) ?? handle.original();
  if (!message) throw new Error(`interaction ${handle.id} has no message to show`);
  return { handle, message };
}

/** `/link <url>` as `userId`; the bot must answer that the account is linked. */
export async function linkOnDiscord(fake: FakeDiscord, userId: string, url: string): Promise<void> {
  const { message } = await interact(fake, {
    type: "command",
    name: "link",
    userId,
    options: { trade_url: url },
  });
  expect(textOf(message)).toContain("Linked!");
}

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

function components(message: APIMessage): Row["components"] {
  return ((message.components ?? []) as Row[]).flatMap((row) => row.components);
}

/** The custom_id of the button labelled `label` (exactly, or starting with it). */
export function buttonId(message: APIMessage, label: string): string {
  for (const c of components(message)) {
    if (c.type === 2 && "custom_id" in c && "label" in c && c.label?.startsWith(label)) return c.custom_id;
  }
  throw new Error(`no button "${label}" in ${JSON.stringify(buttons(message))}`);
}

export function buttons(message: APIMessage): { label: string; disabled: boolean; url?: string }[] {
  return components(message)
    .filter((c) => c.type === 2)
    .map((c) => ({
      label: ("label" in c ? c.label : undefined) ?? "",
      disabled: "disabled" in c ? c.disabled === true : false,
      ...("url" in c && c.url ? { url: c.url } : {}),
    }));
}

export function selectMenu(message: APIMessage) {
  const menu = components(message).find((c) => c.type === 3);
  if (menu?.type !== 3) throw new Error("the message has no select menu");
  return menu;
}

/** What a member reads: embed title, description, fields and footer, without markdown. */
export function textOf(message: APIMessage | undefined): string {
  if (!message) return "";
  const parts: string[] = [];
  if (message.content) parts.push(message.content);
  for (const e of message.embeds ?? []) {
    if (e.title) parts.push(e.title);
    if (e.description) parts.push(e.description);
    for (const f of e.fields ?? []) parts.push(`${f.name}: ${f.value}`);
    if (e.footer?.text) parts.push(e.footer.text);
  }
  return parts
    .join("\n")
    .replace(/\*\*/g, "")
    .replace(/\\([\\*_~`|>#[\]()-])/g, "$1");
}

/** What a member reads in each of their DMs from the bot, oldest first. */
export function dmTexts(fake: FakeDiscord, userId: string): string[] {
  return fake.dmsTo(userId).map(textOf);
}

/** Waits for the first DM to `userId` whose text matches, among those after the first `since`. */
export function waitForDm(fake: FakeDiscord, userId: string, text: RegExp, since = 0): Promise<APIMessage> {
  return fake.waitFor((f) =>
    f
      .dmsTo(userId)
      .slice(since)
      .find((m) => text.test(textOf(m))),
  );
}
