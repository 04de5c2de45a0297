/**
 * One person on Discord and Telegram, end to end, the way production runs both: one app with the
 * Discord platform (real discord.js against the fake Discord) and the Telegram platform (real
 * grammY against the fake Bot API) attached, on a real Redis, against the AssetPay sandbox.
 * A Telegram member joins the Discord member's wallet with a /join code; the money merges
 * exactly; trade notices go where the trade was started, then where the member chose with
 * /notify, and to the other platform when DMs are closed; a lock set on Telegram stops a
 * withdrawal on Discord.
 */
import { randomUUID } from "node:crypto";
import type { APIMessage } from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createDiscordPlatform, type DiscordPlatform } from "../../src/platforms/discord/index.ts";
import { createTelegramPlatform, type TelegramPlatform } from "../../src/platforms/telegram/index.ts";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.ts";
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  type FakeDiscord,
  startFakeDiscord,
} from "../fakes/discord/index.ts";
import {
  type FakeTelegram,
  startFakeTelegram,
  type TgMessage,
  type TgUser,
} from "../fakes/telegram/index.ts";
import { eventually } from "../support/app-harness.ts";
import { buttonId, interact, selectMenu, textOf, tradeUrl } from "./support-discord.ts";
import { isNotice } from "./support-telegram.ts";

const API_KEY = "ap_e2e_two_platforms_key";
const API_SECRET = "e2e-two-platforms-secret-0123456789";
const MERCHANT_ID = "6a1f0c3e-2b4d-4e8f-9a7c-5d3e1f2a4b6c";
const MODERATOR_TG = 4_300_000_001;
/** Discord members: one with open DMs, one whose DMs are closed. */
const ANNA = "1300000000000002001";
const BORIS = "1300000000000002002";

let discord: FakeDiscord;
let telegram: FakeTelegram;
let sandbox: Sandbox;
let app: App;
let platforms: { discord: DiscordPlatform; telegram: TelegramPlatform };

beforeAll(async () => {
  discord = await startFakeDiscord({
    closedDms: new Set([BORIS]),
    guilds: [
      {
        id: DEFAULT_GUILD_ID,
        name: "Skin Traders",
        channels: [{ id: DEFAULT_CHANNEL_ID, name: "trading" }],
        members: [
          { id: ANNA, username: "anna" },
          { id: BORIS, username: "boris" },
        ],
      },
    ],
  });
  telegram = await startFakeTelegram();
  sandbox = await startSandbox({
    port: 0,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    merchantId: MERCHANT_ID,
    createLatencyMs: 1,
  });
  const config = loadConfig({
    ASSETPAY_API_KEY: API_KEY,
    ASSETPAY_API_SECRET: API_SECRET,
    ASSETPAY_MERCHANT_ID: MERCHANT_ID,
    ASSETPAY_BASE_URL: sandbox.url,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_BASE: discord.apiBase,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_ADMIN_USER_IDS: String(MODERATOR_TG),
    REDIS_URL: inject("redisUrl"),
    SKINBRIDGE_EPHEMERAL: "true",
    LOG_LEVEL: "silent",
    HTTP_HOST: "127.0.0.1",
    RECONCILE_INTERVAL_SECONDS: "0",
  });
  config.http.port = 0;
  if (!config.discord || !config.telegram) throw new Error("the test config enables both platforms");
  // As src/main.ts does: one app, every configured platform attached, each with its notifier.
  app = await createApp(config, { redisPrefix: `e2e-two:${randomUUID().slice(0, 8)}:`, outboxPollMs: 20 });
  // One chat's messages 50 ms apart instead of the platforms' 1.05 s, as in the other e2e worlds:
  // pacing has its own tests, and neither fake here enforces a per-chat limit.
  platforms = {
    discord: createDiscordPlatform(app, config.discord, { rateLimits: { chatIntervalMs: 50 } }),
    telegram: createTelegramPlatform(app, config.telegram, {
      pollTimeoutSeconds: 5,
      rateLimits: { perChatIntervalMs: 50 },
    }),
  };
  app.addNotifier(platforms.discord.notifier);
  app.addNotifier(platforms.telegram.notifier);
  const { url } = await app.start();
  await platforms.discord.start();
  await platforms.telegram.start();
  if (!(await sandbox.setCallbackUrl(`${url}${config.http.callbackPath}`)))
    throw new Error("the sandbox could not reach the app's callback listener");
});

afterAll(async () => {
  await platforms?.telegram.stop().catch(() => undefined);
  await platforms?.discord.stop().catch(() => undefined);
  await app?.stop().catch(() => undefined);
  await sandbox?.close();
  await telegram?.close();
  await discord?.close();
});

afterEach(() => {
  expect(discord.violations).toEqual([]);
  expect(telegram.violations).toEqual([]);
  expect(app.core.i18n.problems()).toEqual([]);
});

// ---- members acting on each platform -------------------------------------------------------------

interface TgMember {
  user: TgUser;
  chatId: number;
  memberId: string;
}

function telegramMember(id?: number): TgMember {
  const user = telegram.user(id !== undefined ? { id } : undefined);
  const chat = telegram.privateChat(user);
  telegram.addChat(chat);
  return { user, chatId: chat.id, memberId: `telegram:${user.id}` };
}

const botMessages = (chatId: number) =>
  telegram.chat(chatId).filter((m) => m.from?.id === telegram.botUser.id);

/** Writes `text` in the member's private chat; resolves with the bot's answer. */
async function say(member: TgMember, text: string): Promise<TgMessage> {
  const after = botMessages(member.chatId).at(-1)?.message_id ?? 0;
  const chat = telegram.privateChat(member.user);
  telegram.sendText(member.user, chat, text);
  return telegram.waitFor(
    () => botMessages(member.chatId).find((m) => m.message_id > after && !isNotice(m.text ?? "")),
    10_000,
  );
}

const telegramTexts = (member: TgMember) => botMessages(member.chatId).map((m) => m.text ?? "");
const discordDms = (userId: string) => discord.dmsTo(userId).map(textOf);

async function command(userId: string, name: string, options?: Record<string, string>) {
  return (await interact(discord, { type: "command", name, userId, ...(options ? { options } : {}) }))
    .message;
}

let picks = 0;
/** Starts a one-item deposit from the Discord picker (another item each time); answers its receipt card. */
async function depositOnDiscord(userId: string): Promise<APIMessage> {
  const picker = await command(userId, "deposit", { game: "cs2" });
  const menu = selectMenu(picker);
  const selected = await interact(discord, {
    type: "select",
    userId,
    messageId: picker.id,
    customId: menu.custom_id,
    values: [String(menu.options[picks++]?.value)],
  });
  const receipt = await interact(discord, {
    type: "button",
    userId,
    messageId: picker.id,
    customId: buttonId(selected.message, "Confirm"),
  });
  expect(textOf(receipt.message)).toContain("Deposit started");
  const record = (await app.core.records.ofMember(`discord:${userId}`, 1))[0];
  expect(record?.tradeId).toBeDefined();
  return receipt.message;
}

/** Joins `member`'s Telegram identity to the Discord user's wallet with a /join code. */
async function joinByCode(discordUser: string, member: TgMember): Promise<TgMessage> {
  const code = /Your code: ([A-Z0-9]{8})/.exec(textOf(await command(discordUser, "join")))?.[1];
  expect(code).toBeDefined();
  return say(member, `/join ${code}`);
}

describe("one wallet on Discord and Telegram", () => {
  const discordId = `discord:${ANNA}`;
  let member: TgMember;

  it("joins a Telegram member to the Discord member's wallet by /join code, merging money exactly", async () => {
    member = telegramMember();
    expect((await command(ANNA, "link", { trade_url: tradeUrl(410_001) })).embeds?.[0]).toBeDefined();
    await app.core.admin.adjust({
      actor: "admin:test",
      memberId: discordId,
      amountCents: 10_000,
      reason: "test funds",
    });
    await app.core.admin.adjust({
      actor: "admin:test",
      memberId: member.memberId,
      amountCents: 2_550,
      reason: "test funds",
    });
    const before = await app.core.ledger.totals();

    const joined = await joinByCode(ANNA, member);
    expect(joined.text).toContain("Joined!");
    expect(joined.text).toContain("$25.50");
    // Until they choose, notices follow the trade.
    expect(joined.text).toContain("Trade notices come where you start each trade");

    expect(await app.core.ledger.balance(discordId)).toEqual({ availableCents: 12_550, heldCents: 0 });
    expect(await app.core.ledger.balance(member.memberId)).toEqual({ availableCents: 0, heldCents: 0 });
    const after = await app.core.ledger.totals();
    expect(after.availableCents + after.heldCents).toBe(before.availableCents + before.heldCents);
    const moves = async (id: string) =>
      (await app.core.ledger.journal(id))
        .filter((e) => e.reason === "wallet-join")
        .map((e) => e.availableDeltaCents);
    expect(await moves(discordId)).toEqual([2_550]);
    expect(await moves(member.memberId)).toEqual([-2_550]);
    expect((await say(member, "/balance")).text).toContain("$125.50");
  });

  it("tells a deposit started on Discord on Discord, even after the member moved to Telegram", async () => {
    await depositOnDiscord(ANNA);
    await sandbox.clock.advance(10);
    await sandbox.idle();
    await discord.waitFor(() => discordDms(ANNA).some((t) => t.includes("Your deposit offer is ready")));

    // The person is on Telegram now: the identity used last is no longer the trade's.
    await say(member, "/balance");
    expect(await app.core.identities.recipientFor(discordId)).toBe(member.memberId);
    const telegramBefore = telegramTexts(member).length;
    await sandbox.clock.advance(8 * 86_400);
    await sandbox.idle();
    await discord.waitFor(() => discordDms(ANNA).some((t) => t.includes("Deposit complete")));
    expect(telegramTexts(member).slice(telegramBefore).join("\n")).not.toContain("Deposit complete");
  });

  it("tells the next Discord deposit on Telegram once the member chose Telegram with /notify here", async () => {
    const status = await say(member, "/notify");
    expect(status.text).toContain("Trade notices come where you start each trade");
    expect((await say(member, "/notify here")).text).toContain(
      "notices about your trades now come to this chat",
    );
    expect(textOf(await command(ANNA, "notify"))).toContain("Trade notices go to your Telegram account");

    const dmsBefore = discordDms(ANNA).length;
    const card = await depositOnDiscord(ANNA);
    await sandbox.clock.advance(10);
    await sandbox.idle();
    await telegram.waitFor(
      () => telegramTexts(member).some((t) => t.includes("Your deposit offer is ready")),
      10_000,
    );
    expect(discordDms(ANNA).slice(dmsBefore).join("\n")).not.toContain("deposit offer");
    // The card confirmed on Discord still follows the trade.
    await discord.waitFor(() => textOf(discord.message(card.id)).includes("Your deposit offer is ready"));

    // Back to the default: where each trade is started.
    expect((await say(member, "/notify auto")).text).toContain("now come where you started it");
    expect(await app.core.identities.chosenForNotices(discordId)).toBeUndefined();
  });

  it("a lock set on Telegram stops a withdrawal on Discord", async () => {
    const moderator = telegramMember(MODERATOR_TG);
    const locked = await say(moderator, `/admin lock ${member.user.id} fraud check`);
    expect(locked.text).toContain("is locked");
    expect((await app.core.members.get(discordId)).locked?.reason).toBe("fraud check");

    const typed = discord.dispatchInteraction({
      type: "autocomplete",
      name: "withdraw",
      userId: ANNA,
      focused: "item",
      options: { item: "AK" },
    });
    const choices = ((await typed.acknowledged).data as { choices: { value: string }[] }).choices;
    const picker = await command(ANNA, "withdraw", { item: String(choices[0]?.value) });
    const text = textOf(picker);
    expect(text).toContain(app.core.i18n.t("en", "errors.core.memberLocked"));
    const held = await app.core.ledger.balance(discordId);
    expect(held.heldCents).toBe(0);
  });
});

describe("falling back to the other platform when DMs are closed", () => {
  it("sends the rest of a trade's notices to Telegram once Discord turned out unreachable", async () => {
    const member = telegramMember();
    expect((await command(BORIS, "link", { trade_url: tradeUrl(410_002) })).embeds?.[0]).toBeDefined();
    expect((await joinByCode(BORIS, member)).text).toContain("Joined!");

    await depositOnDiscord(BORIS);
    await sandbox.clock.advance(10);
    await sandbox.idle();
    // The offer notice goes to Discord (the trade's platform), where DMs are closed.
    await eventually(async () => {
      if (!(await app.core.members.get(`discord:${BORIS}`)).unreachable) throw new Error("not marked yet");
    }, 10_000);
    expect(discord.dmsTo(BORIS)).toEqual([]);
    // The notice that found Discord closed is not left in an inbox nobody opens: it is handed to
    // Telegram, once.
    await telegram.waitFor(
      () => telegramTexts(member).some((t) => t.includes("Your deposit offer is ready")),
      10_000,
    );

    await sandbox.clock.advance(8 * 86_400);
    await sandbox.idle();
    await telegram.waitFor(() => telegramTexts(member).some((t) => t.includes("Deposit complete")), 10_000);
    expect(telegramTexts(member).filter((t) => t.includes("Your deposit offer is ready"))).toHaveLength(1);

    // DMs reopened: choosing Discord again clears the mark, so the next notice tries Discord.
    await command(BORIS, "notify", { where: "here" });
    expect((await app.core.members.get(`discord:${BORIS}`)).unreachable).toBeUndefined();
  });
});
