/**
 * The outbox's Telegram notifier against the fake Bot API: what a member receives, how a closed
 * door and a flood wait are reported back to the outbox, and that bulk sends stay within
 * Telegram's per-chat rate.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Notice } from "../../src/core/notifications.ts";
import type { Notifier } from "../../src/core/outbox-worker.ts";
import { createLogger } from "../../src/log.ts";
import { createNotificationApi, TELEGRAM_RATE_LIMITS } from "../../src/platforms/telegram/api.ts";
import { createTelegramNotifier } from "../../src/platforms/telegram/notifier.ts";
import { createI18n } from "../../src/ui/i18n.ts";
import { type FakeTelegram, type FakeTelegramOptions, startFakeTelegram } from "../fakes/telegram/index.ts";

const fakes: FakeTelegram[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const fake of fakes.splice(0)) {
    expect(fake.violations).toEqual([]);
    await fake.close();
  }
});

/**
 * Fakes the clocks grammY's throttler and retry, and the fake Bot API's stamps, read; sockets stay
 * real. Time then moves only through `runClock`, so gaps are measured in fake milliseconds.
 */
function fakeClocks(): void {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
  });
}

/** A turn of the real event loop, for socket I/O to progress while fake time stands still. */
const ioTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Moves fake time in 10 ms steps until `work` settles, giving socket I/O a real turn between
 * steps; `holdBefore(ms)` returning true keeps time from passing `ms` (fake) until it turns false.
 */
async function runClock<T>(work: Promise<T>, hold?: { beforeMs: number; until: () => boolean }): Promise<T> {
  let settled = false;
  const out = work.finally(() => {
    settled = true;
  });
  const start = Date.now();
  while (!settled) {
    await ioTurn();
    if (hold && !hold.until() && Date.now() - start + 10 >= hold.beforeMs) continue;
    await vi.advanceTimersByTimeAsync(10);
  }
  return out;
}

async function setup(opts: FakeTelegramOptions = {}): Promise<{ fake: FakeTelegram; notifier: Notifier }> {
  const fake = await startFakeTelegram(opts);
  fakes.push(fake);
  const notifier = createTelegramNotifier({
    api: createNotificationApi(fake.token, fake.apiRoot, TELEGRAM_RATE_LIMITS),
    i18n: createI18n({ defaultLocale: "en" }),
    logger: createLogger({ level: "silent", name: "test" }),
  });
  return { fake, notifier };
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

  it("waits out a short flood wait and delivers, but hands a long one back to the outbox", async () => {
    const { fake, notifier } = await setup();
    const member = fake.user();
    fake.addChat(fake.privateChat(member));
    const recipient = { platform: "telegram", userId: String(member.id) };

    fakeClocks();
    fake.forceRateLimit(1, "sendMessage");
    expect(await runClock(notifier.deliver(recipient, credited, "en"))).toEqual({ ok: true });
    const [refused, retried] = fake.callsTo("sendMessage");
    expect(refused?.response).toMatchObject({ ok: false, error_code: 429 });
    expect(retried?.response?.ok).toBe(true);
    expect(retried!.at - refused!.at).toBeGreaterThanOrEqual(1_000);

    fake.forceRateLimit(60, "sendMessage");
    expect(await runClock(notifier.deliver(recipient, credited, "en"))).toEqual({
      ok: false,
      error: "Too Many Requests: retry after 60",
      retryAfterMs: 60_000,
    });
    // Not retried: the outbox waits the minute, not a worker.
    const calls = fake.callsTo("sendMessage");
    expect(calls).toHaveLength(3);
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

  it("sends at most one message a second to a chat while other chats go at once", async () => {
    const { fake, notifier } = await setup({ rateLimit: { perChatPerSecond: 1 } });
    const busy = fake.user();
    fake.addChat(fake.privateChat(busy));
    const others = [fake.user(), fake.user(), fake.user()];
    for (const u of others) fake.addChat(fake.privateChat(u));

    fakeClocks();
    const toOther = (c: { params: Record<string, unknown> }) => Number(c.params["chat_id"]) !== busy.id;
    const sending = Promise.all([
      ...[1, 2, 3].map(() =>
        notifier.deliver({ platform: "telegram", userId: String(busy.id) }, credited, "en"),
      ),
      ...others.map((u) => notifier.deliver({ platform: "telegram", userId: String(u.id) }, credited, "en")),
    ]);
    // Fake time stays short of a second until the other chats' messages have arrived: were they
    // queued behind the busy chat, they would never arrive and the test would time out.
    const results = await runClock(sending, {
      beforeMs: 1_000,
      until: () => fake.callsTo("sendMessage").filter(toOther).length === others.length,
    });
    expect(results.every((r) => r.ok)).toBe(true);
    const toBusy = fake.callsTo("sendMessage").filter((c) => Number(c.params.chat_id) === busy.id);
    expect(toBusy.map((c) => c.response?.ok)).toEqual([true, true, true]);
    expect(toBusy[1]!.at - toBusy[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(toBusy[2]!.at - toBusy[1]!.at).toBeGreaterThanOrEqual(1_000);
    const toOthers = fake.callsTo("sendMessage").filter(toOther);
    // The other chats did not queue behind the busy one: all went before its second message.
    expect(Math.max(...toOthers.map((c) => c.at))).toBeLessThan(toBusy[1]!.at);
  });
});
