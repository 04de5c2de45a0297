/**
 * The community trading on its own account, on Discord, end to end: a moderator gives a market
 * skin to a member, sells skins from a storage account into the merchant wallet, cancels an
 * undelivered giveaway item, and reads the wallet and the audit, all through `/admin` subcommands
 * on the real discord.js client against the fake Discord and the AssetPay sandbox. Each journey
 * asserts what the admin sees in their ephemeral replies and DMs and what members see in theirs,
 * that the merchant wallet (never a member balance) paid or was credited, and that the bot never
 * did anything Discord would refuse.
 */
import type { APIMessage } from "discord.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import type { OptionValue } from "../fakes/discord/index.ts";
import {
  buttonId,
  buttons,
  type DiscordWorld,
  dmTexts,
  interact,
  linkOnDiscord,
  selectMenu,
  startDiscordWorld,
  textOf,
  tradeUrl,
  USERS,
  waitForDm,
} from "./support-discord.ts";

/** A moderator by role (the world's admin role) and one listed by user id. */
const MOD = USERS.erin;
const OWNER = USERS.hana;

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({
    redisUrl: inject("redisUrl"),
    env: {
      DISCORD_ADMIN_USER_IDS: OWNER,
      // AssetPay's default auto-cancel (30 minutes) would revert an undelivered giveaway item at
      // the very moment the admin may first cancel it.
      ASSETPAY_AUTO_CANCEL_MINUTES: "120",
    },
    // A rejected trade's `failed` callback is refused as unknown: its retries should end in
    // milliseconds, not the sandbox's default half-minute of backoff.
    sandbox: { callbackRetry: { attempts: 3, baseDelayMs: 50 } },
  });
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

const memberId = (userId: string) => `discord:${userId}`;
const money = (cents: number) => world.app.core.i18n.money("en", cents);
const walletCents = () => Math.round(world.sandbox.balance * 100);
const members = () => world.app.core.ledger.totals();
const lines = (m: APIMessage | undefined) => textOf(m).split("\n");

let nextPartner = 90_000;
async function link(userId: string, token = "e2eTOKEN"): Promise<string> {
  const url = tradeUrl(nextPartner++, token);
  await linkOnDiscord(world.fake, userId, url);
  return url;
}

/** `/admin <subcommand>` as `userId` would send it. */
function admin(userId: string, subcommand: string, options: Record<string, OptionValue> = {}) {
  return interact(world.fake, { type: "command", name: "admin", subcommand, userId, options });
}

async function press(userId: string, on: APIMessage, label: string) {
  return interact(world.fake, {
    type: "button",
    userId,
    messageId: on.id,
    customId: buttonId(on, label),
  });
}

/** Chooses the first `count` options of the picker's select menu in one go, as Discord sends them. */
async function choose(userId: string, picker: APIMessage, count: number) {
  const menu = selectMenu(picker);
  const picked = menu.options.slice(0, count);
  const step = await interact(world.fake, {
    type: "select",
    userId,
    messageId: picker.id,
    customId: menu.custom_id,
    values: picked.map((o) => o.value),
  });
  return { step, picked };
}

/** The cents of a select option's price (its description ends in `$12.34`). */
function priceOf(option: { description?: string }): number {
  const m = /\$([\d,.]+)$/.exec(option.description ?? "");
  if (!m?.[1]) throw new Error(`no price in option: ${option.description}`);
  return Math.round(Number(m[1].replace(/,/g, "")) * 100);
}

/** The sandbox trades the community started on its own account, oldest first. */
const selfTrades = (type: "withdraw" | "deposit") =>
  world.sandbox.trades.list().filter((t) => t.source === "self" && t.type === type);
const approvalsOf = (tradeId: string) =>
  world.sandbox.deliveries
    .filter((d) => d.kind === "approval" && d.tradeId === tradeId)
    .map((d) => d.outcome);
/** The statuses `adminId`'s progress DMs about `tradeId` announced, in the order they arrived. */
const progressOf = (adminId: string, tradeId: string) =>
  dmTexts(world.fake, adminId)
    .map((text) => new RegExp(`^Community \\w+ ${tradeId} is now (.+?) \\(`).exec(text)?.[1])
    .filter((status) => status !== undefined);
const progressDm = (adminId: string, tradeId: string, status: string) =>
  waitForDm(world.fake, adminId, new RegExp(`^Community \\w+ ${tradeId} is now ${status} \\(`));
const messagesPosted = () =>
  world.fake.calls.filter((c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path)).length;

/** `/admin giveaway` with a typed search, then the Field-Tested skin: the listing picker. */
async function giveawayPicker(recipient: string): Promise<APIMessage> {
  const choices = await admin(MOD, "giveaway", { member: recipient, item: "redline" });
  expect(choices.message.flags).toBe(64);
  expect(textOf(choices.message)).toBe("Pick the skin you mean:");
  const picker = await press(MOD, choices.message, "AK-47 | Redline (Field-Tested)");
  expect(picker.message.id).toBe(choices.message.id);
  return picker.message;
}

describe("a giveaway", () => {
  it("buys the skin with the community wallet and delivers it to the member, who is told by DM", async () => {
    const recipient = USERS.alice;
    // Before Alice links Steam there is nowhere to send a gift, and the admin reads exactly that.
    const requests = world.sandbox.requestLog.length;
    const early = await admin(MOD, "giveaway", { member: recipient, item: "redline" });
    expect(textOf(early.message)).toBe(
      "Alice hasn't linked a Steam account yet, so there is nowhere to send a gift. Ask them to use /link first.",
    );
    expect(world.sandbox.requestLog.slice(requests)).toEqual([]);
    const recipientUrl = await link(recipient);
    const walletBefore = walletCents();
    const owedBefore = await members();

    const picker = await giveawayPicker(recipient);
    expect(lines(picker)).toEqual(
      expect.arrayContaining([
        "Choose a skin to give away",
        "AK-47 | Redline (Field-Tested)",
        // Named as Discord shows them, never by the internal id.
        "The community wallet pays these prices; Alice receives the skin.",
      ]),
    );
    // The admin's own balance is beside the point: the wallet pays.
    expect(textOf(picker)).not.toContain("Your balance");
    const { step, picked } = await choose(MOD, picker, 1);
    const price = priceOf(picked[0] ?? {});
    expect(textOf(step.message)).toContain(`1 item selected · Total: ${money(price)}`);
    const receipt = await press(MOD, step.message, "Confirm");
    expect(receipt.message.id).toBe(picker.id);
    expect(lines(receipt.message)[0]).toMatch(
      new RegExp(
        `^Giveaway started: .+ for \\${money(price)} from the community wallet, to Alice\\. I'll DM you as it progresses\\.$`,
      ),
    );
    expect(receipt.message.components).toEqual([]);

    await world.sandbox.idle();
    const trade = selfTrades("withdraw").at(-1);
    if (!trade) throw new Error("no giveaway reached AssetPay");
    expect(trade.clientTradeUrl).toBe(recipientUrl);
    // The bot approves the buy it started itself.
    expect(approvalsOf(trade.id)).toEqual(["approved"]);

    await world.sandbox.clock.advance(5);
    await progressDm(MOD, trade.id, "Preparing");
    expect(walletCents()).toBe(walletBefore - price);

    await world.sandbox.clock.advance(15);
    const offer = await waitForDm(world.fake, recipient, /^The community sent you a gift/);
    const offerUrl = buttons(offer)[0]?.url ?? "";
    expect(offerUrl).toMatch(/^https:\/\/steamcommunity\.com\/tradeoffer\/\d+\/$/);
    expect(lines(offer)[0]).toBe(
      `The community sent you a gift: AK-47 | Redline. Accept the Steam trade offer: ${offerUrl}`,
    );
    expect(buttons(offer)).toEqual([{ label: "View trade offer", disabled: false, url: offerUrl }]);
    await progressDm(MOD, trade.id, "Offer sent");

    await world.sandbox.clock.advance(70);
    await progressDm(MOD, trade.id, "In Steam trade hold");
    await world.sandbox.clock.advance(8 * 86_400);
    const done = await progressDm(MOD, trade.id, "Completed");
    expect(lines(done)[0]).toBe(
      `Community giveaway ${trade.id} is now Completed (AK-47 | Redline, ${money(price)}).`,
    );
    expect(done.embeds?.[0]?.color).toBe(0x57f287);
    expect(progressOf(MOD, trade.id)).toEqual([
      "Preparing",
      "Offer sent",
      "In Steam trade hold",
      "Completed",
    ]);
    // Its wording is being settled; what matters is that the member hears the skin arrived.
    const gift = await waitForDm(world.fake, recipient, /AK-47 \| Redline/, 1);
    expect(gift.embeds?.[0]?.color).toBe(0x57f287);
    expect(buttons(gift).filter((b) => b.url === undefined)).toEqual([]);

    // Nobody's balance paid for it, and the member's DMs hold only the gift.
    expect(world.sandbox.trades.get(trade.id)?.status).toBe("completed");
    expect(walletCents()).toBe(walletBefore - price);
    expect(await members()).toEqual(owedBefore);
    expect(await world.app.core.ledger.balance(memberId(recipient))).toEqual({
      availableCents: 0,
      heldCents: 0,
    });
    expect(world.fake.dmsTo(recipient).map((m) => m.id)).toEqual([offer.id, gift.id]);

    const audit = await admin(MOD, "audit");
    expect(audit.message.flags).toBe(64);
    expect(lines(audit.message)[0]).toBe("Community trades");
    expect(textOf(audit.message)).toContain(
      `· giveaway ${trade.id} · Completed · ${money(price)} · AK-47 | Redline · started by erin · for Alice`,
    );
    // The community's trade is in the audit, not in the moderator's own history.
    const own = await interact(world.fake, { type: "command", name: "trades", userId: MOD });
    expect(textOf(own.message)).toBe("No trades yet. Start with /deposit or /withdraw.");
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
    const posted = messagesPosted();

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
    expect(messagesPosted()).toBe(posted);
    expect((await world.app.core.community.recent(50)).map((e) => e.tradeId)).not.toContain(data.id);
  });
});

describe("a liquidation", () => {
  it("sells two skins from a storage account into the merchant wallet without touching members' money", async () => {
    const member = USERS.bruno;
    await link(member);
    const adjusted = await admin(MOD, "adjust", { member, amount: "12.50", reason: "tournament prize" });
    expect(textOf(adjusted.message)).toContain("Adjusted");
    const walletBefore = walletCents();
    const owedBefore = await members();

    // The moderator listed by user id, without the role, runs this one.
    const storage = tradeUrl(nextPartner++);
    const opened = await admin(OWNER, "liquidate", { trade_url: storage, game: "rust" });
    expect(opened.message.flags).toBe(64);
    expect(lines(opened.message)).toEqual(
      expect.arrayContaining([
        "Choose skins to sell to AssetPay",
        "AssetPay credits these prices to the community wallet (instant credit requested). Member balances don't change.",
      ]),
    );
    const { step, picked } = await choose(OWNER, opened.message, 2);
    const total = picked.reduce((sum, o) => sum + priceOf(o), 0);
    const names = picked.map((o) => o.label);
    expect(textOf(step.message)).toContain(`2 items selected · Total: ${money(total)}`);
    const receipt = await press(OWNER, step.message, "Confirm");
    expect(receipt.message.id).toBe(opened.message.id);
    expect(lines(receipt.message)[0]).toMatch(
      new RegExp(
        `^Liquidation started: .+ for \\${money(total)} to the community wallet\\. I'll DM you as it progresses\\.$`,
      ),
    );

    await world.sandbox.idle();
    const trade = selfTrades("deposit").at(-1);
    if (!trade) throw new Error("no liquidation reached AssetPay");
    expect(trade).toMatchObject({ clientTradeUrl: storage, game: "252490", isInstant: true });
    expect(trade.items).toHaveLength(2);

    await world.sandbox.clock.advance(5);
    await progressDm(OWNER, trade.id, "Offer sent");
    await world.sandbox.clock.advance(60);
    const done = await progressDm(OWNER, trade.id, "Completed");
    expect(lines(done)[0]).toBe(
      `Community liquidation ${trade.id} is now Completed (${names.join(", ")}, ${money(total)}).`,
    );
    expect(progressOf(OWNER, trade.id)).toEqual(["Preparing", "Offer sent", "Completed"]);
    // The other moderator started nothing and hears nothing of it.
    expect(progressOf(MOD, trade.id)).toEqual([]);

    expect(walletCents()).toBe(walletBefore + total);
    expect(await members()).toEqual(owedBefore);
    expect(await world.app.core.ledger.balance(memberId(member))).toEqual({
      availableCents: 1250,
      heldCents: 0,
    });
    expect(world.fake.dmsTo(member)).toEqual([]);

    const wallet = await admin(OWNER, "wallet");
    expect(wallet.message.flags).toBe(64);
    expect(lines(wallet.message)).toEqual([
      "Community wallet",
      "Covered: the wallet holds more than members could withdraw.",
      `AssetPay merchant wallet: ${money(walletBefore + total)}`,
      `Owed to members (available + held): ${money(owedBefore.availableCents + owedBefore.heldCents)}`,
    ]);
    const audit = await admin(OWNER, "audit");
    expect(textOf(audit.message)).toContain(
      `· liquidation ${trade.id} · Completed · ${money(total)} · ${names.join(", ")} · started by hana`,
    );
  });
});

describe("cancelling a giveaway item", () => {
  it("is refused before 30 minutes, then reverts the undelivered item and refunds the wallet", async () => {
    // A seller who never sends: the bought item stays undelivered.
    const recipient = USERS.dana;
    await link(recipient, "WDSLOW00");
    const walletBefore = walletCents();

    // Autocomplete suggests skins as the admin types — searching with the recipient's link, which
    // Discord sends along, so an admin without a Steam link of their own gets suggestions too —
    // and a suggestion opens the listing picker straight away.
    expect(await world.app.core.accounts.get(`discord:${MOD}`)).toBeUndefined();
    const suggest = world.fake.dispatchInteraction({
      type: "autocomplete",
      name: "admin",
      subcommand: "giveaway",
      userId: MOD,
      focused: "item",
      options: { member: recipient, item: "AK-47 | Red" },
    });
    const ack = await suggest.acknowledged;
    expect(ack.type).toBe(8);
    const { choices } = ack.data as { choices: { name: string; value: string }[] };
    const fieldTested = choices.find((c) => c.name === "AK-47 | Redline (Field-Tested)");
    if (!fieldTested) throw new Error(`no Field-Tested Redline among ${JSON.stringify(choices)}`);
    const opened = await admin(MOD, "giveaway", { member: recipient, item: fieldTested.value });
    expect(lines(opened.message)).toEqual(expect.arrayContaining(["Choose a skin to give away"]));
    const { step, picked } = await choose(MOD, opened.message, 1);
    const price = priceOf(picked[0] ?? {});
    const dmsBefore = world.fake.dmsTo(MOD).length;
    await press(MOD, step.message, "Confirm");
    await world.sandbox.idle();
    await world.sandbox.clock.advance(5);

    // The admin learns the trade id from the progress DM; the item id AssetPay shows.
    const preparing = await waitForDm(world.fake, MOD, /^Community giveaway \S+ is now Preparing/, dmsBefore);
    const tradeId = /giveaway (\S+) is now/.exec(textOf(preparing))?.[1] ?? "";
    const itemId = world.sandbox.trades.get(tradeId)?.items[0]?.id ?? "";
    expect(itemId).not.toBe("");
    expect(walletCents()).toBe(walletBefore - price);

    const early = await admin(MOD, "cancel", { trade: tradeId, item: itemId });
    expect(early.message.flags).toBe(64);
    // The minutes left, as a member's own cancel says them.
    expect(textOf(early.message)).toBe("This can be canceled in 30 min. Please try again then.");
    expect(world.sandbox.trades.get(tradeId)?.items[0]?.status).toBe("pending");

    await world.sandbox.clock.advance(30 * 60);
    const accepted = await admin(MOD, "cancel", { trade: tradeId, item: itemId });
    expect(textOf(accepted.message)).toBe(
      "Cancellation requested. The refund to the community wallet arrives when AssetPay confirms it.",
    );
    const reverted = await progressDm(MOD, tradeId, "Reversed");
    expect(lines(reverted)[0]).toBe(
      `Community giveaway ${tradeId} is now Reversed (AK-47 | Redline, ${money(price)}).`,
    );
    expect(world.sandbox.trades.get(tradeId)?.items[0]?.status).toBe("reverted");
    expect(walletCents()).toBe(walletBefore);
    // The member never had an offer to accept, so there is nothing to tell them.
    expect(world.fake.dmsTo(recipient)).toEqual([]);

    const again = await admin(MOD, "cancel", { trade: tradeId, item: itemId });
    expect(textOf(again.message)).toBe(
      "This can't be canceled any more — it's already on its way or finished.",
    );
    const unknown = await admin(MOD, "cancel", {
      trade: tradeId,
      item: "00000000-0000-8000-8000-000000000000",
    });
    expect(textOf(unknown.message)).toBe(
      "I couldn't find that item in the trade. Check /trades for its current status.",
    );
    // Something that is not one of the community's giveaways is refused here, not sent to AssetPay.
    const requests = world.sandbox.requestLog.length;
    const memberTrade = "00000000-0000-4000-8000-000000000001";
    const notOurs = await admin(MOD, "cancel", { trade: memberTrade, item: itemId });
    expect(textOf(notOurs.message)).toBe(
      `Trade ${memberTrade} isn't one of the community's giveaways, so /admin cancel can't cancel anything in it. Members cancel their own withdrawals from /trades.`,
    );
    expect(world.sandbox.requestLog.slice(requests)).toEqual([]);

    const audit = await admin(MOD, "audit");
    expect(textOf(audit.message)).toContain(
      `· giveaway ${tradeId} · Reversed · ${money(price)} · AK-47 | Redline · started by erin · for dana`,
    );
  });
});

describe("when AssetPay refuses a self-trade", () => {
  it("tells the admin the wallet is too low, or to wait out the rate limit, and keeps the picker", async () => {
    const recipient = USERS.gina;
    await link(recipient);
    const opened = await giveawayPicker(recipient);
    let { step } = await choose(MOD, opened, 1);
    const trades = world.sandbox.trades.list().length;
    const walletBefore = world.sandbox.balance;
    world.sandbox.setBalance(1);
    try {
      step = await press(MOD, step.message, "Confirm");
    } finally {
      world.sandbox.setBalance(walletBefore);
    }
    expect(step.message.id).toBe(opened.id);
    expect(lines(step.message)[0]).toBe("Choose a skin to give away");
    expect(step.message.embeds?.[0]?.color).toBe(0xfee75c);
    expect(textOf(step.message)).toContain(
      "The merchant wallet is low ($1.00). Withdrawals fail once it can't cover them.",
    );
    expect(buttons(step.message).map((b) => b.label)).toContain("Confirm");
    const picker = step.message;

    world.sandbox.faults.set({
      apiErrors: [{ route: "POST /secure/buy", key: "RATE_LIMITED", retryAfter: 12 }],
    });
    const busy = await press(MOD, picker, "Confirm");
    // A refusal comes apart from the picker, which stays as it was to press again.
    expect(busy.message.id).not.toBe(picker.id);
    expect(busy.message.flags).toBe(64);
    expect(textOf(busy.message)).toBe("AssetPay is busy right now. Try again in 12 seconds.");
    expect(world.fake.message(picker.id)).toEqual(picker);
    expect(world.sandbox.trades.list()).toHaveLength(trades);

    const receipt = await press(MOD, picker, "Confirm");
    expect(receipt.message.id).toBe(picker.id);
    expect(lines(receipt.message)[0]).toMatch(
      /^Giveaway started: .+ for \$[\d,.]+ from the community wallet/,
    );
  });
});

describe("a member who is not an admin", () => {
  it("is refused every community operation, and nothing reaches AssetPay", async () => {
    const member = USERS.frank;
    await link(member);
    // Discord itself only shows /admin to members who may manage the server.
    const registered = world.fake.commands().find((c) => c.name === "admin");
    expect(registered?.default_member_permissions).toBe("32");

    const requests = world.sandbox.requestLog.length;
    const trades = world.sandbox.trades.list().length;
    const suggest = world.fake.dispatchInteraction({
      type: "autocomplete",
      name: "admin",
      subcommand: "giveaway",
      userId: member,
      focused: "item",
      options: { member, item: "AK-47 | Red" },
    });
    expect((await suggest.acknowledged).data).toEqual({ choices: [] });
    const attempts: [string, Record<string, OptionValue>][] = [
      ["giveaway", { member, item: "redline" }],
      ["liquidate", { trade_url: tradeUrl(nextPartner++), game: "rust" }],
      [
        "cancel",
        { trade: "00000000-0000-4000-8000-000000000001", item: "00000000-0000-8000-8000-000000000002" },
      ],
      ["wallet", {}],
      ["audit", {}],
    ];
    for (const [subcommand, options] of attempts) {
      const { message } = await admin(member, subcommand, options);
      expect({ subcommand, flags: message.flags, reply: textOf(message) }).toEqual({
        subcommand,
        flags: 64,
        reply: "Only moderators can use this.",
      });
    }
    expect(world.sandbox.requestLog.slice(requests).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(world.sandbox.trades.list()).toHaveLength(trades);
  });
});

describe("a Rust giveaway", () => {
  it("suggests Rust skins, lists the skin's Rust listings and buys one for the member", async () => {
    const recipient = USERS.ivan;
    const recipientUrl = await link(recipient);
    const suggest = world.fake.dispatchInteraction({
      type: "autocomplete",
      name: "admin",
      subcommand: "giveaway",
      userId: MOD,
      focused: "item",
      options: { member: recipient, item: "ak47", game: "rust" },
    });
    const { choices } = (await suggest.acknowledged).data as { choices: { name: string; value: string }[] };
    expect(choices.map((c) => c.name).sort()).toEqual([
      "Forest Raiders Custom AK47",
      "Glory AK47",
      "Tempered AK47",
    ]);
    const tempered = choices.find((c) => c.name === "Tempered AK47");

    const opened = await admin(MOD, "giveaway", {
      member: recipient,
      item: String(tempered?.value),
      game: "rust",
    });
    expect(lines(opened.message)).toEqual(
      expect.arrayContaining(["Choose a skin to give away", "Tempered AK47"]),
    );
    const menu = selectMenu(opened.message);
    expect(menu.options.length).toBeGreaterThan(0);
    for (const o of menu.options) expect(o.label).toBe("Tempered AK47");
    const { step, picked } = await choose(MOD, opened.message, 1);
    const price = priceOf(picked[0] ?? {});
    const receipt = await press(MOD, step.message, "Confirm");
    expect(lines(receipt.message)[0]).toMatch(/^Giveaway started: /);

    await world.sandbox.idle();
    const trade = selfTrades("withdraw").at(-1);
    expect(trade).toMatchObject({ game: "252490", clientTradeUrl: recipientUrl });
    // One Rust listing (Rust listing ids are compound: game, asset id, suffix).
    expect(trade?.items.map((i) => [i.appid, i.id.split("_")[0]])).toEqual([[252490, "252490"]]);
    expect(Math.round((trade?.totalPrice ?? 0) * 100)).toBe(price);
  });
});
