/**
 * The world a Telegram end-to-end test runs in: the AssetPay sandbox, the fake Telegram Bot API,
 * and the real app with the real grammY platform on top, built exactly as main.ts builds them
 * (loadConfig → createApp → createTelegramPlatform → addNotifier → start). Members act through the
 * fake (they write, they press buttons) and tests read what they see there.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { type App, type AppOverrides, createApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { memberIdOf } from "../../src/core/members.ts";
import {
  createTelegramPlatform,
  type TelegramPlatform,
  type TelegramPlatformOptions,
} from "../../src/platforms/telegram/index.ts";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.ts";
import { connectRedis, type RedisClient } from "../../src/store/redis.ts";
import { CATALOGUES } from "../../src/ui/catalogues.ts";
import {
  type CallbackHandle,
  type FakeTelegram,
  type FakeTelegramOptions,
  startFakeTelegram,
  type TgChat,
  type TgMessage,
  type TgPrivateChat,
  type TgUser,
} from "../fakes/telegram/index.ts";

const API_KEY = "ap_tg_e2e_key_0123456789";
const API_SECRET = "tg-e2e-api-secret-0123456789";
const MERCHANT_ID = "3e0b8a52-6c1d-4f7e-9a2b-8d4c6e1f0a37";
export const WEBHOOK_SECRET = "tg-e2e-webhook-secret_0123";

/** A Steam trade URL the sandbox treats as a normal account (`token` may be a magic one). */
export function tradeUrl(partner: number, token = "AbCdEf12"): string {
  return `https://steamcommunity.com/tradeoffer/new/?partner=${partner}&token=${token}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface WorldOptions {
  redisUrl?: string;
  webhook?: boolean;
  adminUserIds?: number[];
  fake?: FakeTelegramOptions;
  sandbox?: Partial<SandboxOptions>;
  platform?: TelegramPlatformOptions;
  env?: Record<string, string>;
  /** Extra app overrides (clocks). */
  app?: Pick<AppOverrides, "now" | "dashboardNow">;
  /** Steam sign-in required for /link, against the sandbox's Steam OpenID provider. */
  steamSignIn?: boolean;
}

export interface Member {
  user: TgUser;
  chat: TgPrivateChat;
  memberId: string;
}

export interface World {
  fake: FakeTelegram;
  sandbox: Sandbox;
  /** The running app and platform; replaced by `restart`. */
  app: App;
  platform: TelegramPlatform;
  config: Config;
  /** Stops the app and its platform and starts new ones on the same store, as a deploy would. */
  restart(): Promise<void>;
  /** A member who has opened the private chat with the bot. */
  member(init?: Partial<TgUser>): Member;
  /** Writes `text` in the chat (the member's private chat by default); resolves with the bot's answer there. */
  say(member: Member, text: string, chat?: TgChat): Promise<TgMessage>;
  /** Presses the button labelled `label` (exactly, or matching) on `message`; resolves once the message changed. */
  press(member: Member, message: TgMessage, label: string | RegExp): Promise<TgMessage>;
  /** Presses without waiting for anything but the answer. */
  tap(member: Member, message: TgMessage, label: string | RegExp): CallbackHandle;
  /** The bot's messages in a chat, oldest first. */
  botMessages(chatId: number): TgMessage[];
  /** Waits for a bot message in the chat whose text matches. */
  waitForMessage(chatId: number, text: RegExp, timeoutMs?: number): Promise<TgMessage>;
  close(): Promise<void>;
}

export function buttons(message: TgMessage | undefined): { text: string; data?: string; url?: string }[] {
  return (message?.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({
    text: b.text,
    ...(b.callback_data !== undefined ? { data: b.callback_data } : {}),
    ...(b.url !== undefined ? { url: b.url } : {}),
  }));
}

export function buttonData(message: TgMessage, label: string | RegExp): string {
  const found = buttons(message).find((b) =>
    typeof label === "string" ? b.text === label : label.test(b.text),
  );
  if (!found?.data) {
    throw new Error(
      `no button ${String(label)} on message: ${JSON.stringify(buttons(message).map((b) => b.text))}`,
    );
  }
  return found.data;
}

/** How every trade notice opens, in every language: the fixed words before its first placeholder. */
const NOTICE_OPENINGS: string[] = Object.values(CATALOGUES).flatMap((catalogue) => {
  const openings: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === "string") openings.push(node.split("{{")[0]!.trim());
    else if (node && typeof node === "object") for (const child of Object.values(node)) walk(child);
  };
  walk((catalogue as { notify?: unknown }).notify);
  // Short openings ("Community") could begin an answer too.
  return openings.filter((o) => o.length >= 12);
});

/**
 * A trade notice rather than the answer to a command. In a private chat the bot answers a command
 * without quoting it, so a notice the outbox sends meanwhile would otherwise pass for the answer.
 */
export function isNotice(text: string): boolean {
  const words = text.replace(/^[^\p{L}\p{N}]+/u, "");
  return NOTICE_OPENINGS.some((opening) => words.startsWith(opening));
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const fake = await startFakeTelegram(opts.fake);
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const sandbox = await startSandbox({
    port: 0,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    merchantId: MERCHANT_ID,
    callbackUrl: `${appUrl}/assetpay/callback`,
    approvalTimeoutMs: 2_000,
    callbackRetry: { attempts: 3, baseDelayMs: 50 },
    createLatencyMs: 0,
    ...opts.sandbox,
  });
  const config = loadConfig({
    ASSETPAY_API_KEY: API_KEY,
    ASSETPAY_API_SECRET: API_SECRET,
    ASSETPAY_MERCHANT_ID: MERCHANT_ID,
    ASSETPAY_BASE_URL: sandbox.url,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_ADMIN_USER_IDS: (opts.adminUserIds ?? []).join(","),
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: String(port),
    LOG_LEVEL: "silent",
    RECONCILE_INTERVAL_SECONDS: "0",
    ...(opts.webhook ? { PUBLIC_URL: appUrl, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET } : {}),
    // A public listener turns Steam sign-in on by default; these worlds link without it unless asked.
    ...(opts.webhook && !opts.steamSignIn ? { STEAM_SIGNIN: "off" } : {}),
    ...(opts.steamSignIn
      ? { PUBLIC_URL: appUrl, STEAM_SIGNIN: "required", STEAM_OPENID_URL: `${sandbox.url}/steam/openid` }
      : {}),
    ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : { SKINBRIDGE_EPHEMERAL: "true" }),
    ...opts.env,
  });
  let redis: RedisClient | undefined;
  if (opts.redisUrl) redis = await connectRedis(opts.redisUrl);
  const redisPrefix = `tg:${randomUUID().slice(0, 8)}:`;
  const telegram = config.telegram;
  if (!telegram) throw new Error("the test config has no Telegram section");

  const boot = async () => {
    const app = await createApp(config, {
      outboxPollMs: 20,
      ...(redis ? { redis, redisPrefix } : {}),
      ...opts.app,
      auditFlushMs: 50,
      ...(redis ? { redis, redisPrefix } : {}),
    });
    const platform = createTelegramPlatform(app, telegram, {
      pollTimeoutSeconds: 5,
      // One chat's messages 50 ms apart instead of Telegram's 1.05 s, unless the fake enforces a
      // per-chat limit: pacing has its own tests (test/core/pacing.test.ts,
      // bench/notifications.ts), and waiting it out here would be the wall clock in a test.
      ...(opts.fake?.rateLimit ? {} : { rateLimits: { perChatIntervalMs: 50 } }),
      ...opts.platform,
    });
    app.addNotifier(platform.notifier);
    await app.start();
    await platform.start();
    return { app, platform };
  };
  const shutdown = async (running: { app: App; platform: TelegramPlatform }) => {
    await running.platform.stop();
    await running.app.stop();
  };
  let running = await boot();

  const botMessages = (chatId: number) => fake.chat(chatId).filter((m) => m.from?.id === fake.botUser.id);
  const lastBotMessageId = (chatId: number) => botMessages(chatId).at(-1)?.message_id ?? 0;

  const findButton = (message: TgMessage, label: string | RegExp) => buttonData(message, label);

  const world: World = {
    fake,
    sandbox,
    get app() {
      return running.app;
    },
    get platform() {
      return running.platform;
    },
    config,
    async restart() {
      await shutdown(running);
      running = await boot();
    },
    member(init) {
      const user = fake.user(init);
      const chat = fake.privateChat(user);
      fake.addChat(chat);
      return { user, chat, memberId: memberIdOf({ platform: "telegram", userId: String(user.id) }) };
    },
    async say(member, text, chat) {
      const where = chat ?? member.chat;
      const after = lastBotMessageId(where.id);
      fake.sendText(member.user, where, text);
      return fake.waitFor(
        () => botMessages(where.id).find((m) => m.message_id > after && !isNotice(m.text ?? "")),
        10_000,
      );
    },
    tap(member, message, label) {
      return fake.pressButton(member.user, message, findButton(message, label));
    },
    async press(member, message, label) {
      const since = fake.calls.length;
      const handle = world.tap(member, message, label);
      await handle.answered;
      const chatId = message.chat.id;
      // The answer is the edit of this message, or a new message when it could not be edited.
      await fake.waitForCall("editMessageText", {
        since,
        where: (p) => Number(p.chat_id) === chatId && Number(p.message_id) === message.message_id,
        timeoutMs: 10_000,
      });
      const now = fake.message(chatId, message.message_id);
      if (!now) throw new Error("the pressed message is gone");
      return now;
    },
    botMessages,
    waitForMessage(chatId, text, timeoutMs = 10_000) {
      return fake.waitFor(() => botMessages(chatId).find((m) => text.test(m.text ?? "")), timeoutMs);
    },
    async close() {
      await shutdown(running);
      await sandbox.close();
      await fake.close();
      if (redis) await redis.close();
    },
  };
  return world;
}
