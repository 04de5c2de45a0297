/**
 * The outbox's Telegram notifier against the fake Bot API: what a member receives, how a closed
 * door and a flood wait are reported back to the outbox, and how a chat's turn is taken.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Notice } from "../../src/core/notifications.ts";
import type { Notifier } from "../../src/core/outbox-worker.ts";
import { createSendPacer, type PacerClock, type SendPacer } from "../../src/core/pacing.ts";
import { createLogger } from "../../src/log.ts";
import { createNotificationApi, TELEGRAM_RATE_LIMITS } from "../../src/platforms/telegram/api.ts";
import { createTelegramNotifier } from "../../src/platforms/telegram/notifier.ts";
import { createMemorySlotStore } from "../../src/store/send-slots.ts";
import { createI18n } from "../../src/ui/i18n.ts";
import { type FakeTelegram, type FakeTelegramOptions, startFakeTelegram } from "../fakes/telegram/index.ts";

const fakes: FakeTelegram[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) {
    expect(fake.violations).toEqual([]);
    await fake.close();
  }
});

/** A clock the test moves by hand; nothing in these tests waits for a slot in the future. */
function handClock(): PacerClock & { advance(ms: number): void } {
  let t = Date.UTC(2026, 0, 1, 12);
  return {
    now: () => t,
    sleep: async () => {},
    advance: (ms) => {
      t += ms;
    },
  };
}

async function setup(
  opts: FakeTelegramOptions = {},
  clock: PacerClock = handClock(),
): Promise<{ fake: FakeTelegram; notifier: Notifier; pacer: SendPacer }> {
  const fake = await startFakeTelegram(opts);
  fakes.push(fake);
  const pacer = createSendPacer({
    platform: "telegram",
    slots: createMemorySlotStore(),
    limits: { globalIntervalMs: 0, chatIntervalMs: TELEGRAM_RATE_LIMITS.perChatIntervalMs },
    clock,
  });
  const notifier = createTelegramNotifier({
    api: createNotificationApi(fake.token, fake.apiRoot, pacer),
    pacer,
    i18n: createI18n({ defaultLocale: "en" }),
    logger: createLogger({ level: "silent", name: "test" }),
  });
  return { fake, notifier, pacer };
}

const credited: Notice = {
  kind: "deposit.credited",
  tradeId: "t-1",
  game: "730",
  amountCents: 1234,
  balanceCents: 5678,
  items: ["AK-47 | Redline <FT>"],
};

describe("the Telegram notifier", () => {
  it("sends a notice as a private HTML message, with a button to the Steam offer when there is one", async () => {
    const { fake, notifier } = await setup();
    const member = fake.user();
    fake.addChat(fake.privateChat(member));
    const recipient = { platform: "telegram", userId: String(member.id) };

    expect(await notifier.deliver(recipient, credited, "en")).toEqual({ ok: true });
    const offer: Notice = { kind: "deposit.offer", tradeId: "t-1", game: "730", offerId: "4861948215" };
    expect(await notifier.deliver(recipient, offer, "en")).toEqual({ ok: true });

    const [first, second] = fake.chat(member.id);
    expect(first?.text).toBe(
      "✅ Deposit complete: $12.34 was added to your balance. New balance: $56.78.\n\nAK-47 | Redline <FT>",
    );
    expect(second?.reply_markup?.inline_keyboard).toEqual([
      [{ text: "View trade offer", url: "https://steamcommunity.com/tradeoffer/4861948215/" }],
    ]);
  });

  it("reports members who blocked the bot, left Telegram or never opened the chat as unreachable", async () => {
    const { fake, notifier } = await setup();
    const blocked = fake.user();
    fake.addChat(fake.privateChat(blocked));
    fake.block(blocked.id);
    const stranger = fake.user();
    fake.sendText(stranger, fake.group(), "hi all");
    const deactivated = fake.user();
    fake.addChat(fake.privateChat(deactivated));
    fake.failNext({ method: "sendMessage", errorCode: 403, description: "Forbidden: user is deactivated" });

    const to = (id: number) => ({ platform: "telegram", userId: String(id) });
    expect(await notifier.deliver(to(deactivated.id), credited, "en")).toEqual({
      ok: false,
      unreachable: true,
      reason: "Forbidden: user is deactivated",
    });
    expect(await notifier.deliver(to(blocked.id), credited, "en")).toEqual({
      ok: false,
      unreachable: true,
      reason: "Forbidden: bot was blocked by the user",
    });
    expect(await notifier.deliver(to(stranger.id), credited, "en")).toEqual({
      ok: false,
      unreachable: true,
      reason: "Forbidden: bot can't initiate conversation with a user",
    });
  });

  it("hands any flood wait back to the outbox with Telegram's retry_after, without retrying it", async () => {
    const { fake, notifier } = await setup();
    const member = fake.user();
    fake.addChat(fake.privateChat(member));
    const recipient = { platform: "telegram", userId: String(member.id) };

    fake.forceRateLimit(1, "sendMessage");
    expect(await notifier.deliver(recipient, credited, "en")).toEqual({
      ok: false,
      rateLimited: true,
      retryAfterMs: 1_000,
    });
    fake.forceRateLimit(60, "sendMessage");
    expect(await notifier.deliver(recipient, credited, "en")).toEqual({
      ok: false,
      rateLimited: true,
      retryAfterMs: 60_000,
    });
    // Not retried: the outbox waits, not a worker.
    expect(fake.callsTo("sendMessage")).toHaveLength(2);
  });

  it("leaves a Telegram outage to the outbox's retries", async () => {
    const { fake, notifier } = await setup();
    const member = fake.user();
    fake.addChat(fake.privateChat(member));
    fake.failNext({ method: "sendMessage", errorCode: 502, description: "Bad Gateway" });
    expect(
      await notifier.deliver({ platform: "telegram", userId: String(member.id) }, credited, "en"),
    ).toEqual({
      ok: false,
      error: "502 Bad Gateway",
    });
  });

  it("gives a chat one turn a second while other chats' turns are free", async () => {
    const clock = handClock();
    const { notifier } = await setup({}, clock);
    const busy = { platform: "telegram", userId: "101" };
    const others = ["102", "103", "104"].map((userId) => ({ platform: "telegram", userId }));
    const interval = TELEGRAM_RATE_LIMITS.perChatIntervalMs;
    const turn = (r: { platform: string; userId: string }) => notifier.turn?.(r);

    expect(await turn(busy)).toBe(0);
    expect(await turn(busy)).toBe(interval);
    for (const r of others) expect(await turn(r)).toBe(0);
    clock.advance(interval - 1);
    expect(await turn(busy)).toBe(1);
    clock.advance(1);
    expect(await turn(busy)).toBe(0);
    expect(await turn(busy)).toBe(interval);
  });
});
