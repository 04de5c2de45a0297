/**
 * The community trading on its own account, on Telegram, end to end: an admin gives a market skin
 * to a member, sells skins from a storage account into the merchant wallet, cancels an undelivered
 * giveaway item, and reads the wallet and the audit, all through the real app and grammY bot
 * against the fake Telegram Bot API and the AssetPay sandbox. Each journey asserts what the admin
 * and the members see in their chats, that the merchant wallet (never a member balance) paid or
 * was credited, and that the bot never did anything Telegram would refuse.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TgMessage } from "../fakes/telegram/index.ts";
import { buttons, type Member, startWorld, tradeUrl, type World } from "./support-telegram.ts";

const ADMIN_ID = 4_200_000_101;

let world: World;
let admin: Member;
beforeAll(async () => {
  world = await startWorld({
    adminUserIds: [ADMIN_ID],
    // AssetPay's default auto-cancel (30 minutes) would revert an undelivered giveaway item at the
    // very moment the admin may first cancel it.
    env: { ASSETPAY_AUTO_CANCEL_MINUTES: "120" },
    // The notifier's one-message-a-second pacing has its own tests; here it would only add seconds
    // to every progress DM an admin waits for.
    platform: { rateLimits: { perChatIntervalMs: 50 } },
  });
  admin = world.member({ id: ADMIN_ID, first_name: "Mod" });
});
afterAll(async () => world?.close());

let seen = 0;
beforeEach(() => {
  seen = world.fake.violations.length;
});
afterEach(() => {
  expect(world.fake.violations.slice(seen)).toEqual([]);
  expect(world.app.core.i18n.problems()).toEqual([]);
});

let nextPartner = 80_000;
/** A member with a linked Steam account (`token` may be a sandbox magic one). */
async function linkedMember(token = "AbCdEf12"): Promise<Member> {
  const member = world.member();
  const reply = await world.say(member, `/link ${tradeUrl(nextPartner++, token)}`);
  expect(reply.text).toMatch(/^✅ Linked!/);
  return member;
}

const money = (cents: number) => world.app.core.i18n.money("en", cents);
const walletCents = () => Math.round(world.sandbox.balance * 100);
const lines = (m: TgMessage) => (m.text ?? "").split("\n");
const itemLine = (m: TgMessage, n: number) => lines(m).find((l) => l.startsWith(`✅ ${n}. `)) ?? "";
/** The cents of a picker line's price (`— $12.34`). */
function priceOf(line: string): number {
  const m = /— \$([\d,.]+)/.exec(line);
  if (!m?.[1]) throw new Error(`no price on line: ${line}`);
  return Math.round(Number(m[1].replace(/,/g, "")) * 100);
}

/** The sandbox trades the community started on its own account, oldest first. */
const selfTrades = (type: "withdraw" | "deposit") =>
  world.sandbox.trades.list().filter((t) => t.source === "self" && t.type === type);
const approvalsOf = (tradeId: string) =>
  world.sandbox.deliveries
    .filter((d) => d.kind === "approval" && d.tradeId === tradeId)
    .map((d) => d.outcome);
/** The statuses the admin's progress DMs about `tradeId` announced, in the order they arrived. */
const progressOf = (tradeId: string) =>
  world
    .botMessages(admin.chat.id)
    .map((m) => new RegExp(`^(?:✅ |⚠️ )?Community \\w+ ${tradeId} is now (.+?) \\(`).exec(m.text ?? "")?.[1])
    .filter((status) => status !== undefined);
const progressDm = (tradeId: string, status: string) =>
  world.waitForMessage(admin.chat.id, new RegExp(`Community \\w+ ${tradeId} is now ${status} \\(`));
const members = () => world.app.core.ledger.totals();

/** `/admin giveaway <member> redline`, then the Field-Tested skin: the listing picker. */
async function giveawayPicker(recipient: Member): Promise<TgMessage> {
  const choices = await world.say(admin, `/admin giveaway ${recipient.user.id} redline`);
  expect(choices.text).toBe("Pick the skin you mean:");
  return world.press(admin, choices, "AK-47 | Redline (Field-Tested)");
}

describe("a giveaway", () => {
  it("buys the skin with the community wallet and delivers it to the member, who is told by DM", async () => {
    // A member who never linked Steam has nowhere to receive a gift; the admin reads exactly that.
    const stranger = world.member();
    await world.say(stranger, "/help");
    const requests = world.sandbox.requestLog.length;
    const refused = await world.say(admin, `/admin giveaway ${stranger.user.id} redline`);
    expect(refused.text).toBe(
      `⚠️ Member ${stranger.user.id} hasn't linked a Steam account yet, so there is nowhere to send a gift. Ask them to use /link first.`,
    );
    expect(world.sandbox.requestLog.slice(requests)).toEqual([]);

    const recipient = await linkedMember();
    const walletBefore = walletCents();
    const owedBefore = await members();

    let picker = await giveawayPicker(recipient);
    expect(lines(picker)).toEqual(
      expect.arrayContaining([
        "Choose a skin to give away",
        "AK-47 | Redline (Field-Tested)",
        // The name Telegram reported for them, never the internal id.
        `The community wallet pays these prices; Member ${recipient.user.id} receives the skin.`,
      ]),
    );
    // The admin's own balance is beside the point: the wallet pays.
    expect(picker.text).not.toContain("Your balance");
    picker = await world.press(admin, picker, /^1\. /);
    const price = priceOf(itemLine(picker, 1));
    const receipt = await world.press(admin, picker, "Confirm");
    expect(lines(receipt)[0]).toBe(
      `✅ Giveaway started: AK-47 | Redline for ${money(price)} from the community wallet, to Member ${recipient.user.id}. I'll DM you as it progresses.`,
    );
    expect(receipt.reply_markup).toBeUndefined();

    await world.sandbox.idle();
    const trade = selfTrades("withdraw").at(-1);
    if (!trade) throw new Error("no giveaway reached AssetPay");
    expect(trade.clientTradeUrl).toBe(tradeUrl(nextPartner - 1));
    // The bot approves the buy it started itself.
    expect(approvalsOf(trade.id)).toEqual(["approved"]);

    await world.sandbox.clock.advance(5);
    await progressDm(trade.id, "Preparing");
    expect(walletCents()).toBe(walletBefore - price);

    await world.sandbox.clock.advance(15);
    const offer = await world.waitForMessage(recipient.chat.id, /^The community sent you a gift/);
    const offerUrl = buttons(offer)[0]?.url ?? "";
    expect(offerUrl).toMatch(/^https:\/\/steamcommunity\.com\/tradeoffer\/\d+\/$/);
    expect(lines(offer)[0]).toBe(
      `The community sent you a gift: AK-47 | Redline. Accept the Steam trade offer: ${offerUrl}`,
    );
    expect(buttons(offer)).toEqual([{ text: "View trade offer", url: offerUrl }]);
    await progressDm(trade.id, "Offer sent");

    await world.sandbox.clock.advance(70);
    await progressDm(trade.id, "In Steam trade hold");
    await world.sandbox.clock.advance(8 * 86_400);
    const gift = await world.waitForMessage(
      recipient.chat.id,
      /^✅ Your gift from the community has arrived/,
    );
    expect(lines(gift)[0]).toBe(
      "✅ Your gift from the community has arrived in your Steam inventory: AK-47 | Redline. Enjoy!",
    );
    const done = await progressDm(trade.id, "Completed");
    expect(lines(done)[0]).toBe(
      `✅ Community giveaway ${trade.id} is now Completed (AK-47 | Redline, ${money(price)}).`,
    );
    expect(progressOf(trade.id)).toEqual(["Preparing", "Offer sent", "In Steam trade hold", "Completed"]);

    // Nobody's balance paid for it, and the member's chat holds only the gift.
    expect(world.sandbox.trades.get(trade.id)?.status).toBe("completed");
    expect(walletCents()).toBe(walletBefore - price);
    expect(await members()).toEqual(owedBefore);
    expect(await world.app.core.ledger.balance(recipient.memberId)).toEqual({
      availableCents: 0,
      heldCents: 0,
    });
    expect(world.botMessages(recipient.chat.id).map((m) => lines(m)[0])).toEqual([
      expect.stringMatching(/^✅ Linked!/),
      lines(offer)[0],
      lines(gift)[0],
    ]);

    const audit = await world.say(admin, "/admin audit");
    expect(lines(audit)[0]).toBe("Community trades");
    expect(audit.text).toContain(
      `· giveaway ${trade.id} · Completed · ${money(price)} · AK-47 | Redline · started by Mod · for Member ${recipient.user.id}`,
    );
  });

  it("is rejected at approval when nobody here started it", async () => {
    // Someone holding the API key buys a skin for themselves behind the bot's back.
    const rogueUrl = tradeUrl(nextPartner++);
    const probe = { memberId: "probe", steamId: "76561197960265729", tradeUrl: rogueUrl };
    const [skin] = await world.app.core.client.suggestions(probe, "AK-47");
    const [listing] = await world.app.core.client.marketItem(probe, { itemId: skin?.id ?? "" });
    if (!listing?.priceCents) throw new Error("the sandbox market has no AK-47 listing");
    const walletBefore = walletCents();
    const notices = (await world.app.core.outbox.stats()).enqueued;
    const sent = world.fake.callsTo("sendMessage").length;

    const res = await fetch(`${world.sandbox.url}/secure/buy`, {
      method: "POST",
      headers: { "api-key": world.config.assetpay.apiKey, "content-type": "application/json" },
      body: JSON.stringify({
        tradeUrl: rogueUrl,
        items: [{ itemId: listing.id, price: listing.priceCents / 100 }],
        game: "730",
        externalId: `rogue-${nextPartner}`,
      }),
    });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { id: string } };
    await world.sandbox.idle();

    expect(approvalsOf(data.id)).toEqual(["rejected"]);
    expect(world.sandbox.trades.get(data.id)).toMatchObject({ status: "failed", error: "MERCHANT_REJECTED" });
    expect(walletCents()).toBe(walletBefore);
    // The failure is news about a trade the bot never started: refused as unknown, and it told
    // nobody anything and moved no one's money.
    const failed = world.sandbox.deliveries.find((d) => d.tradeId === data.id && d.tradeStatus === "failed");
    expect(new Set(failed?.attempts.map((a) => a.status))).toEqual(new Set([404]));
    expect((await world.app.core.outbox.stats()).enqueued).toBe(notices);
    expect(world.fake.callsTo("sendMessage")).toHaveLength(sent);
    expect((await world.app.core.community.recent(50)).map((e) => e.tradeId)).not.toContain(data.id);
  });
});

describe("a liquidation", () => {
  it("sells two skins from a storage account into the merchant wallet without touching members' money", async () => {
    const member = await linkedMember();
    const adjusted = await world.say(admin, `/admin adjust ${member.user.id} 12.50 tournament prize`);
    expect(adjusted.text).toMatch(/^✅ Adjusted/);
    const walletBefore = walletCents();
    const owedBefore = await members();

    // Telegram reads the game before the trade URL.
    const storage = tradeUrl(nextPartner++);
    let picker = await world.say(admin, `/admin liquidate rust ${storage}`);
    expect(lines(picker)).toEqual(
      expect.arrayContaining([
        "Choose skins to sell to AssetPay",
        "AssetPay credits these prices to the community wallet (instant credit requested). Member balances don't change.",
      ]),
    );
    picker = await world.press(admin, picker, /^1\. /);
    picker = await world.press(admin, picker, /^2\. /);
    const first = itemLine(picker, 1);
    const second = itemLine(picker, 2);
    const total = priceOf(first) + priceOf(second);
    expect(picker.text).toContain(`2 items selected · Total: ${money(total)}`);
    const names = [first, second].map((l) => /^✅ \d+\. (.+?) —/.exec(l)?.[1]).join(", ");
    const receipt = await world.press(admin, picker, "Confirm");
    expect(lines(receipt)[0]).toBe(
      `✅ Liquidation started: ${names} for ${money(total)} to the community wallet. I'll DM you as it progresses.`,
    );

    await world.sandbox.idle();
    const trade = selfTrades("deposit").at(-1);
    if (!trade) throw new Error("no liquidation reached AssetPay");
    expect(trade).toMatchObject({ clientTradeUrl: storage, game: "252490", isInstant: true });
    expect(trade.items).toHaveLength(2);

    await world.sandbox.clock.advance(5);
    await progressDm(trade.id, "Offer sent");
    await world.sandbox.clock.advance(60);
    const done = await progressDm(trade.id, "Completed");
    expect(lines(done)[0]).toBe(
      `✅ Community liquidation ${trade.id} is now Completed (${names}, ${money(total)}).`,
    );
    expect(progressOf(trade.id)).toEqual(["Preparing", "Offer sent", "Completed"]);

    expect(walletCents()).toBe(walletBefore + total);
    expect(await members()).toEqual(owedBefore);
    expect(await world.app.core.ledger.balance(member.memberId)).toEqual({
      availableCents: 1250,
      heldCents: 0,
    });

    const wallet = await world.say(admin, "/admin wallet");
    expect(lines(wallet)).toEqual([
      "✅ Community wallet",
      "",
      `AssetPay merchant wallet: ${money(walletBefore + total)}`,
      `Owed to members (available + held): ${money(owedBefore.availableCents + owedBefore.heldCents)}`,
      "",
      "Covered: the wallet holds more than members could withdraw.",
    ]);
    const audit = await world.say(admin, "/admin audit");
    expect(audit.text).toContain(
      `· liquidation ${trade.id} · Completed · ${money(total)} · ${names} · started by Mod`,
    );
  });
});

describe("cancelling a giveaway item", () => {
  it("is refused before 30 minutes, then reverts the undelivered item and refunds the wallet", async () => {
    // A seller who never sends: the bought item stays undelivered.
    const recipient = await linkedMember("WDSLOW00");
    const walletBefore = walletCents();
    let picker = await giveawayPicker(recipient);
    picker = await world.press(admin, picker, /^1\. /);
    const price = priceOf(itemLine(picker, 1));
    const dmsBefore = world.botMessages(admin.chat.id).length;
    await world.press(admin, picker, "Confirm");
    await world.sandbox.idle();
    await world.sandbox.clock.advance(5);

    // The admin learns the trade id from the progress DM; the item id only AssetPay shows.
    const preparing = await world.fake.waitFor(() =>
      world
        .botMessages(admin.chat.id)
        .slice(dmsBefore)
        .find((m) => /^Community giveaway \S+ is now Preparing/.test(m.text ?? "")),
    );
    const tradeId = /giveaway (\S+) is now/.exec(preparing.text ?? "")?.[1] ?? "";
    const itemId = world.sandbox.trades.get(tradeId)?.items[0]?.id ?? "";
    expect(walletCents()).toBe(walletBefore - price);

    const early = await world.say(admin, `/admin cancel ${tradeId} ${itemId}`);
    expect(early.text).toBe("⚠️ This can be canceled in 30 min. Please try again then.");
    expect(world.sandbox.trades.get(tradeId)?.items[0]?.status).toBe("pending");

    await world.sandbox.clock.advance(30 * 60);
    const accepted = await world.say(admin, `/admin cancel ${tradeId} ${itemId}`);
    expect(accepted.text).toBe(
      "✅ Cancellation requested. The refund to the community wallet arrives when AssetPay confirms it.",
    );
    const reverted = await progressDm(tradeId, "Reversed");
    expect(lines(reverted)[0]).toBe(
      `⚠️ Community giveaway ${tradeId} is now Reversed (AK-47 | Redline, ${money(price)}).`,
    );
    expect(world.sandbox.trades.get(tradeId)?.items[0]?.status).toBe("reverted");
    expect(walletCents()).toBe(walletBefore);
    // The member never had an offer to accept, so there is nothing to tell them.
    expect(world.botMessages(recipient.chat.id).map((m) => lines(m)[0])).toEqual([
      expect.stringMatching(/^✅ Linked!/),
    ]);

    const again = await world.say(admin, `/admin cancel ${tradeId} ${itemId}`);
    expect(again.text).toBe("⚠️ This can't be canceled any more — it's already on its way or finished.");
    const unknown = await world.say(admin, `/admin cancel ${tradeId} 00000000-0000-8000-8000-000000000000`);
    expect(unknown.text).toBe(
      "⚠️ I couldn't find that item in the trade. Check /trades for its current status.",
    );
    // Something that is not one of the community's giveaways is refused here, not sent to AssetPay.
    const requests = world.sandbox.requestLog.length;
    const memberTrade = "00000000-0000-4000-8000-000000000001";
    const notOurs = await world.say(admin, `/admin cancel ${memberTrade} ${itemId}`);
    expect(notOurs.text).toBe(
      `⚠️ Trade ${memberTrade} isn't one of the community's giveaways, so /admin cancel can't cancel anything in it. Members cancel their own withdrawals from /trades.`,
    );
    expect(world.sandbox.requestLog.slice(requests)).toEqual([]);

    const audit = await world.say(admin, "/admin audit");
    expect(audit.text).toContain(
      `· giveaway ${tradeId} · Reversed · ${money(price)} · AK-47 | Redline · started by Mod · for Member ${recipient.user.id}`,
    );
  });
});

describe("when AssetPay refuses a self-trade", () => {
  it("tells the admin the wallet is too low, or to wait out the rate limit, and keeps the picker", async () => {
    const recipient = await linkedMember();
    let picker = await giveawayPicker(recipient);
    picker = await world.press(admin, picker, /^1\. /);
    const trades = world.sandbox.trades.list().length;
    const walletBefore = world.sandbox.balance;
    world.sandbox.setBalance(1);
    try {
      picker = await world.press(admin, picker, "Confirm");
    } finally {
      world.sandbox.setBalance(walletBefore);
    }
    expect(lines(picker)[0]).toBe("⚠️ Choose a skin to give away");
    expect(picker.text).toContain(
      "The merchant wallet is low ($1.00). Withdrawals fail once it can't cover them.",
    );
    expect(buttons(picker).map((b) => b.text)).toContain("Confirm");

    world.sandbox.faults.set({
      apiErrors: [{ route: "POST /secure/buy", key: "RATE_LIMITED", retryAfter: 12 }],
    });
    const before = world.botMessages(admin.chat.id).length;
    world.tap(admin, picker, "Confirm");
    const reply = await world.fake.waitFor(() => world.botMessages(admin.chat.id)[before]);
    expect(reply.text).toBe("⚠️ AssetPay is busy right now. Try again in 12 seconds.");
    expect(reply.reply_to_message?.message_id).toBe(picker.message_id);
    await world.platform.idle();
    expect(world.fake.message(admin.chat.id, picker.message_id)).toEqual(picker);
    expect(world.sandbox.trades.list()).toHaveLength(trades);

    const receipt = await world.press(admin, picker, "Confirm");
    expect(lines(receipt)[0]).toMatch(/^✅ Giveaway started: AK-47 \| Redline for /);
  });
});

describe("a member who is not an admin", () => {
  it("is refused every community operation, and nothing reaches AssetPay", async () => {
    const member = await linkedMember();
    const requests = world.sandbox.requestLog.length;
    const trades = world.sandbox.trades.list().length;
    for (const command of [
      `/admin giveaway ${member.user.id} redline`,
      `/admin liquidate rust ${tradeUrl(nextPartner++)}`,
      "/admin cancel 00000000-0000-4000-8000-000000000001 00000000-0000-8000-8000-000000000002",
      "/admin wallet",
      "/admin audit",
    ]) {
      const reply = await world.say(member, command);
      expect({ command, reply: reply.text }).toEqual({ command, reply: "⚠️ Only moderators can use this." });
    }
    expect(world.sandbox.requestLog.slice(requests).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(world.sandbox.trades.list()).toHaveLength(trades);
  });
});

describe("a Rust giveaway", () => {
  it("offers the Rust skins a search finds and buys the chosen Rust listing for the member", async () => {
    const recipient = await linkedMember();
    const choices = await world.say(admin, `/admin giveaway rust ${recipient.user.id} ak47`);
    expect(choices.text).toBe("Pick the skin you mean:");
    expect(
      buttons(choices)
        .map((b) => b.text)
        .sort(),
    ).toEqual(["Forest Raiders Custom AK47", "Glory AK47", "Tempered AK47"]);
    let picker = await world.press(admin, choices, "Tempered AK47");
    expect(lines(picker)).toEqual(expect.arrayContaining(["Choose a skin to give away", "Tempered AK47"]));
    picker = await world.press(admin, picker, /^1\. /);
    const price = priceOf(itemLine(picker, 1));
    const receipt = await world.press(admin, picker, "Confirm");
    expect(lines(receipt)[0]).toBe(
      `✅ Giveaway started: Tempered AK47 for ${money(price)} from the community wallet, to Member ${recipient.user.id}. I'll DM you as it progresses.`,
    );

    await world.sandbox.idle();
    const trade = selfTrades("withdraw").at(-1);
    expect(trade).toMatchObject({ game: "252490", clientTradeUrl: tradeUrl(nextPartner - 1) });
    expect(trade?.items.map((i) => i.appid)).toEqual([252490]);
  });
});
