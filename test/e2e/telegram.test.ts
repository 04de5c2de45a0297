/**
 * Telegram members' journeys, end to end: the real app and grammY bot (long polling, memory
 * store) against the fake Telegram Bot API and the AssetPay sandbox. Each journey asserts what the
 * member sees in their chat, what the ledger says, and that the bot never did anything Telegram
 * would refuse.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TgMessage } from "../fakes/telegram/index.ts";
import { eventually } from "../support/app-harness.ts";
import { buttonData, buttons, type Member, startWorld, tradeUrl, type World } from "./support-telegram.ts";

const ADMIN_ID = 4_200_000_001;

let world: World;
beforeAll(async () => {
  world = await startWorld({ adminUserIds: [ADMIN_ID] });
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

let nextPartner = 70_000;
/** A member with a linked Steam account. */
async function linkedMember(): Promise<Member> {
  const member = world.member();
  const reply = await world.say(member, `/link ${tradeUrl(nextPartner++)}`);
  expect(reply.text).toMatch(/^✅ Linked!/);
  return member;
}

/** A linked member with a starting balance, credited by a moderator's adjustment. */
async function fundedMember(amountCents: number): Promise<Member> {
  const member = await linkedMember();
  await world.app.core.admin.adjust({
    actor: "test",
    memberId: member.memberId,
    amountCents,
    reason: "starting balance",
    requestId: `seed-${member.memberId}`,
  });
  return member;
}

const balance = (m: Member) => world.app.core.ledger.balance(m.memberId);
const dollars = (text: string) => Math.round(Number(text.replace(/[$,]/g, "")) * 100);
/** The cents of a picker line's price (`— $12.34`). */
function priceOf(line: string): number {
  const m = /— (\$[\d,.]+)/.exec(line);
  if (!m?.[1]) throw new Error(`no price on line: ${line}`);
  return dollars(m[1]);
}
const lines = (m: TgMessage) => (m.text ?? "").split("\n");
const itemLine = (m: TgMessage, n: number) =>
  lines(m).find((l) => new RegExp(`^(✅|▫️) ${n}\\. `).test(l)) ?? "";

describe("linking a Steam account", () => {
  it("asks for the trade URL when /link comes without one and links the account from the next message", async () => {
    const member = world.member();
    const prompt = await world.say(member, "/link");
    expect(prompt.text).toContain("You haven't linked a Steam account yet.");
    expect(prompt.text).toContain("Send me your Steam trade URL.");

    const refused = await world.say(member, "https://example.com/not-steam");
    expect(refused.text).toMatch(/^⚠️ That doesn't look like a Steam trade URL/);

    await world.say(member, "/link");
    const linked = await world.say(member, tradeUrl(12_345));
    expect(linked.text).toBe(
      "✅ Linked! Steam account 76561197960278073 is ready for deposits and withdrawals.",
    );
    expect(await world.app.core.accounts.get(member.memberId)).toMatchObject({
      steamId: "76561197960278073",
    });
  });
});

describe("depositing", () => {
  it("picks skins over two pages with toggles and credits the balance when the trade completes", async () => {
    const member = await linkedMember();
    let picker = await world.say(member, "/deposit");
    expect(lines(picker)[0]).toBe("Choose skins to deposit");
    expect(picker.text).toMatch(/Page 1 of [2-9]/);
    expect(buttons(picker).map((b) => b.text)).toEqual(
      expect.arrayContaining(["Next ▶", "Refresh", "Cancel"]),
    );
    // Nothing picked yet: no Confirm to press, no way back from page 1.
    expect(buttons(picker).map((b) => b.text)).not.toContain("Confirm");
    expect(buttons(picker).map((b) => b.text)).not.toContain("◀ Prev");

    picker = await world.press(member, picker, /^1\. /);
    const first = priceOf(itemLine(picker, 1));
    expect(itemLine(picker, 1)).toMatch(/^✅ 1\. /);
    expect(buttons(picker)[0]?.text).toMatch(/^✅ 1\. /);
    expect(picker.text).toContain("1 item selected");

    picker = await world.press(member, picker, "Next ▶");
    expect(picker.text).toMatch(/Page 2 of/);
    picker = await world.press(member, picker, /^2\. /);
    picker = await world.press(member, picker, /^3\. /);
    picker = await world.press(member, picker, /^✅ 3\. /);
    expect(itemLine(picker, 3)).toMatch(/^▫️ 3\. /);
    const second = priceOf(itemLine(picker, 2));
    const total = first + second;
    expect(picker.text).toContain(`Total: ${world.app.core.i18n.money("en", total)}`);

    picker = await world.press(member, picker, "◀ Prev");
    expect(itemLine(picker, 1)).toMatch(/^✅ 1\. /);
    expect(picker.text).toContain("2 items selected");

    const receipt = await world.press(member, picker, "Confirm");
    expect(lines(receipt)[0]).toBe("✅ Deposit started");
    expect(receipt.text).toContain(
      `accept it in Steam to get ${world.app.core.i18n.money("en", total)} in balance`,
    );
    expect(receipt.reply_markup).toBeUndefined();
    expect(await balance(member)).toEqual({ availableCents: 0, heldCents: 0 });

    await world.sandbox.clock.advance(70);
    const offer = await world.waitForMessage(member.chat.id, /Your deposit offer is ready/);
    expect(buttons(offer)).toEqual([
      {
        text: "View trade offer",
        url: expect.stringMatching(/^https:\/\/steamcommunity\.com\/tradeoffer\/\d+\/$/),
      },
    ]);
    await world.sandbox.clock.advance(8 * 86_400);
    const credited = await world.waitForMessage(member.chat.id, /^✅ Deposit complete/);
    const amount = world.app.core.i18n.money("en", total);
    expect(lines(credited)[0]).toBe(
      `✅ Deposit complete: ${amount} was added to your balance. New balance: ${amount}.`,
    );
    expect(await balance(member)).toEqual({ availableCents: total, heldCents: 0 });
  });

  it("deposits part of a Rust stack: the quantity chosen, its unit and total prices, credited exactly", async () => {
    // Sandbox inventories are rolled per Steam account: find a member holding a tradable stack.
    const STACK = /^▫️ (\d+)\. (.+?) · (\d+) × (\$[\d.]+) each — (\$[\d,.]+)$/;
    let found: { member: Member; picker: TgMessage; line: RegExpExecArray } | undefined;
    for (let tries = 0; tries < 12 && !found; tries++) {
      const member = await linkedMember();
      let picker = await world.say(member, "/deposit rust");
      for (let page = 0; page < 3 && !found; page++) {
        const line = lines(picker)
          .map((l) => STACK.exec(l))
          .find((m) => m !== null && Number(m[3]) >= 3);
        if (line) found = { member, picker, line };
        else if (buttons(picker).some((b) => b.text === "Next ▶"))
          picker = await world.press(member, picker, "Next ▶");
      }
    }
    if (!found) throw new Error("no member with a Rust stack");
    const { member, line } = found;
    const [, n, name, units, unitText, totalText] = line;
    const unit = dollars(unitText ?? "");
    const stack = Number(units);
    // The row's price is the whole stack's; its detail says the units and the unit price.
    expect(dollars(totalText ?? "")).toBe(unit * stack);

    let picker = await world.press(member, found.picker, new RegExp(`^${n}\\. `));
    expect(picker.text).toContain(
      `How many ${name}: ${stack} of ${stack} (total ${world.app.core.i18n.money("en", unit * stack)}).`,
    );
    picker = await world.press(member, picker, "−1");
    const chosen = stack - 1;
    const cents = unit * chosen;
    expect(itemLine(picker, Number(n))).toBe(
      `✅ ${n}. ${name} · ${chosen} of ${stack} × ${unitText} each — ${world.app.core.i18n.money("en", cents)}`,
    );
    expect(picker.text).toContain(`1 item selected · Total: ${world.app.core.i18n.money("en", cents)}`);

    const receipt = await world.press(member, picker, "Confirm");
    expect(receipt.text).toContain(`get ${world.app.core.i18n.money("en", cents)} in balance`);
    await world.sandbox.idle();
    const trade = world.sandbox.trades.list().at(-1);
    expect(trade?.items.map((i) => i.amount)).toEqual([chosen]);
    for (const seconds of [70, 8 * 86_400]) await world.sandbox.clock.advance(seconds);
    await world.waitForMessage(member.chat.id, /^✅ Deposit complete/);
    expect(await balance(member)).toEqual({ availableCents: cents, heldCents: 0 });
  });

  it("explains in the member's words when AssetPay cannot read their inventory", async () => {
    const member = world.member();
    await world.say(member, `/link ${tradeUrl(nextPartner++, "INVFAIL0")}`);
    const refused = await world.say(member, "/deposit");
    expect(refused.text).toBe(
      "⚠️ I couldn't load your Steam inventory just now. Wait a minute and try again.",
    );
  });

  it("answers a Confirm refused by the core in a reply and keeps the picker to try again", async () => {
    const member = await linkedMember();
    const admin = world.member({ id: ADMIN_ID });
    let picker = await world.say(member, "/deposit");
    picker = await world.press(member, picker, /^1\. /);
    expect((await world.say(admin, "/admin pause deposits")).text).toBe(
      "✅ Deposits are now paused for everyone.",
    );
    try {
      const before = world.botMessages(member.chat.id).length;
      world.tap(member, picker, "Confirm");
      const reply = await world.fake.waitFor(() => world.botMessages(member.chat.id)[before]);
      expect(reply.text).toBe("⚠️ Deposits are paused by the moderators for now. Please try again later.");
      expect(reply.reply_to_message?.message_id).toBe(picker.message_id);
      await world.platform.idle();
      expect(world.fake.message(member.chat.id, picker.message_id)).toEqual(picker);
    } finally {
      await world.say(admin, "/admin resume deposits");
    }
    const receipt = await world.press(member, picker, "Confirm");
    expect(lines(receipt)[0]).toBe("✅ Deposit started");
  });

  it("starts one trade when Confirm is tapped twice, and keeps the receipt on screen", async () => {
    const member = await linkedMember();
    let picker = await world.say(member, "/deposit");
    picker = await world.press(member, picker, /^1\. /);
    const trades = world.sandbox.trades.list().length;

    const since = world.fake.calls.length;
    const taps = [world.tap(member, picker, "Confirm"), world.tap(member, picker, "Confirm")];
    const answers = await Promise.all(taps.map((t) => t.answered));
    expect(answers.map((a) => a.accepted)).toEqual([true, true]);
    await world.fake.waitForCall("editMessageText", { since });
    await world.platform.idle();

    expect(world.sandbox.trades.list()).toHaveLength(trades + 1);
    expect(lines(world.fake.message(member.chat.id, picker.message_id)!)[0]).toBe("✅ Deposit started");
    expect(world.fake.calls.slice(since).filter((c) => c.method === "editMessageText")).toHaveLength(1);
    expect(world.botMessages(member.chat.id).at(-1)?.message_id).toBe(picker.message_id);
  });

  it("refuses another member's tap with an alert and leaves the picker as it was", async () => {
    const owner = await linkedMember();
    const other = world.member({ language_code: "en" });
    const picker = await world.say(owner, "/deposit");

    const since = world.fake.calls.length;
    const refused = await world.tap(other, picker, /^1\. /).answered;
    expect(refused.params).toMatchObject({
      text: "This list belongs to someone else. Run the command yourself to get your own.",
      show_alert: true,
    });
    await world.platform.idle();
    expect(world.fake.message(owner.chat.id, picker.message_id)).toEqual(picker);
    const made = world.fake.calls.slice(since).filter((c) => c.method !== "getUpdates");
    expect(made.map((c) => c.method)).toEqual(["answerCallbackQuery"]);

    const mine = await world.press(owner, picker, /^1\. /);
    expect(itemLine(mine, 1)).toMatch(/^✅ 1\. /);
  });
});

describe("a typed command", () => {
  it("shows Telegram's typing indicator while it works, before the answer", async () => {
    const member = await linkedMember();
    const before = world.fake.calls.length;
    const answer = await world.say(member, "/deposit rust");
    const calls = world.fake.calls
      .slice(before)
      .filter((c) => String(c.params.chat_id) === String(member.chat.id));
    const typing = calls.findIndex((c) => c.method === "sendChatAction" && c.params.action === "typing");
    const sent = calls.findIndex((c) => c.method === "sendMessage" && (c.response as { ok?: boolean })?.ok);
    expect(typing).toBeGreaterThanOrEqual(0);
    expect(typing).toBeLessThan(sent);
    expect(answer.text).toContain("Choose skins to deposit");
  });
});

describe("withdrawing", () => {
  it("tells a member whose withdrawals are paused or locked before asking what to search", async () => {
    const member = await linkedMember();
    const requests = world.sandbox.requestLog.length;
    await world.app.core.switches.set("withdrawals", true, "test");
    try {
      const asked = await world.say(member, "/withdraw");
      expect(asked.text).toBe("⚠️ Withdrawals are paused by the moderators for now. Please try again later.");
    } finally {
      await world.app.core.switches.set("withdrawals", false, "test");
    }
    await world.app.core.members.update(member.memberId, (p) => ({
      ...p,
      withdrawalsLocked: { reason: "negative", at: "" },
    }));
    const typed = await world.say(member, "/withdraw redline");
    expect(typed.text).toMatch(/^⚠️ Withdrawals are locked because your balance went below zero/);
    expect(world.sandbox.requestLog.slice(requests)).toEqual([]);
  });

  it("finds a skin by search and delivers it, holding and then settling the price", async () => {
    const member = await fundedMember(50_000);

    const choices = await world.say(member, "/withdraw redline");
    expect(choices.text).toBe("Pick the skin you mean:");
    let picker = await world.press(member, choices, "AK-47 | Redline (Field-Tested)");
    expect(lines(picker)).toEqual(
      expect.arrayContaining(["Choose skins to withdraw", "AK-47 | Redline (Field-Tested)"]),
    );
    expect(picker.text).toContain("Your balance: $500.00");

    picker = await world.press(member, picker, /^1\. /);
    const price = priceOf(itemLine(picker, 1));
    const receipt = await world.press(member, picker, "Confirm");
    expect(lines(receipt)[0]).toBe("✅ Withdrawal requested");
    expect(receipt.text).toContain(
      `Withdrawal requested: 1 item for ${world.app.core.i18n.money("en", price)}.`,
    );
    // AssetPay asks for approval right away: the price is held from then on.
    const held = await waitUntil(async () => {
      const b = await balance(member);
      return b.heldCents > 0 ? b : undefined;
    });
    expect(held).toEqual({ availableCents: 50_000 - price, heldCents: price });

    await world.sandbox.clock.advance(5);
    await world.waitForMessage(member.chat.id, /Your withdrawal of .* is approved/);
    for (const seconds of [15, 70, 8 * 86_400]) await world.sandbox.clock.advance(seconds);
    // The receipt card shows it and the DM tells it: both, before /balance is asked below.
    const [, done] = await world.fake.waitFor(() => {
      const both = world
        .botMessages(member.chat.id)
        .filter((m) => /^✅ Withdrawal complete/.test(m.text ?? ""));
      return both.length === 2 ? both : undefined;
    });
    if (!done) throw new Error("no DM");
    expect(lines(done)[0]).toBe(
      `✅ Withdrawal complete: your items for ${world.app.core.i18n.money("en", price)} were delivered. Enjoy!`,
    );
    expect(await balance(member)).toEqual({ availableCents: 50_000 - price, heldCents: 0 });
    // The history says what moved: the price held, then paid out of held — never "$0.00".
    const history = await world.say(member, "/balance");
    const paid = world.app.core.i18n.money("en", -price, { signed: true });
    expect(history.text).toContain(`· Withdrawal paid from held balance · ${paid}`);
    expect(history.text).toContain(`· Withdrawal held · ${paid}`);
    expect(history.text).not.toMatch(/· \$0\.00/);
  });

  it("keeps the picker open with the shortfall when the balance does not cover the skins", async () => {
    const member = await linkedMember();
    const trades = world.sandbox.trades.list().length;
    const choices = await world.say(member, "/withdraw redline");
    let picker = await world.press(member, choices, "AK-47 | Redline (Minimal Wear)");
    picker = await world.press(member, picker, /^1\. /);
    const price = priceOf(itemLine(picker, 1));

    picker = await world.press(member, picker, "Confirm");
    expect(lines(picker)[0]).toBe("⚠️ Choose skins to withdraw");
    expect(picker.text).toContain(
      `Not enough balance: this costs ${world.app.core.i18n.money("en", price)} and you have $0.00 available.`,
    );
    expect(buttons(picker).map((b) => b.text)).toContain("Confirm");
    expect(world.sandbox.trades.list()).toHaveLength(trades);
    expect(await balance(member)).toEqual({ availableCents: 0, heldCents: 0 });
  });
});

describe("a member who blocked the bot", () => {
  it("is credited all the same and finds the updates in /inbox when they come back", async () => {
    const member = await linkedMember();
    let picker = await world.say(member, "/deposit rust");
    picker = await world.press(member, picker, /^1\. /);
    const price = priceOf(itemLine(picker, 1));
    await world.press(member, picker, "Confirm");
    world.fake.block(member.chat.id);

    for (const seconds of [70, 8 * 86_400]) await world.sandbox.clock.advance(seconds);
    const recipient = { platform: "telegram", userId: String(member.user.id) };
    const profile = await waitUntil(async () => {
      const p = await world.app.core.members.get(member.memberId);
      const missed = await world.app.core.outbox.inbox(recipient, { limit: 10 });
      return p.unreachable && missed.length >= 2 ? p : undefined;
    });
    expect(profile.unreachable?.reason).toBe("Forbidden: bot was blocked by the user");

    const inbox = await world.say(member, "/inbox");
    expect(lines(inbox)[0]).toBe("Updates you missed");
    expect(inbox.text).toContain("Your deposit offer is ready");
    expect(inbox.text).toContain(`Deposit complete: ${world.app.core.i18n.money("en", price)} was added`);
    expect(inbox.text).toContain("I couldn't send you a direct message.");
    expect(await balance(member)).toEqual({ availableCents: price, heldCents: 0 });
  });
});

describe("blocking and unblocking the bot", () => {
  it("sends nothing while the member has the bot blocked, and tells them what they missed when they return", async () => {
    const member = await linkedMember();
    const change = (status: "kicked" | "member") => ({
      chat: member.chat,
      from: member.user,
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { user: world.fake.botUser, status: status === "kicked" ? "member" : "kicked" },
      new_chat_member: {
        user: world.fake.botUser,
        status,
        ...(status === "kicked" ? { until_date: 0 } : {}),
      },
    });
    let picker = await world.say(member, "/deposit rust");
    picker = await world.press(member, picker, /^1\. /);
    await world.press(member, picker, "Confirm");
    world.fake.block(member.chat.id);
    world.fake.injectUpdate("my_chat_member", change("kicked"));
    const blocked = await waitUntil(
      async () => (await world.app.core.members.get(member.memberId)).unreachable,
    );
    expect(blocked.reason).toBe("bot blocked");
    const sendsBefore = world.fake.callsTo("sendMessage").length;

    // The offer and the credit go straight to /inbox: not one refused send to a blocked member.
    for (const seconds of [70, 8 * 86_400]) await world.sandbox.clock.advance(seconds);
    const recipient = { platform: "telegram", userId: String(member.user.id) };
    await waitUntil(async () => {
      const missed = await world.app.core.outbox.inbox(recipient, { limit: 10 });
      return missed.length >= 2 ? missed : undefined;
    });
    const toMember = world.fake
      .callsTo("sendMessage")
      .slice(sendsBefore)
      .filter((c) => String(c.params.chat_id) === String(member.chat.id));
    expect(toMember).toEqual([]);

    // They unblock (Telegram's "Restart"): their next message hears what they missed, once.
    world.fake.unblock(member.chat.id);
    world.fake.injectUpdate("my_chat_member", change("member"));
    await waitUntil(async () => (await world.app.core.members.get(member.memberId)).unreachable?.returnedAt);
    const back = await world.say(member, "/balance");
    expect(back.text).toContain(
      "Welcome back! The updates I couldn't send you while the bot was blocked are waiting in /inbox.",
    );
    expect((await world.app.core.members.get(member.memberId)).unreachable).toBeUndefined();
    const again = await world.say(member, "/balance");
    expect(again.text).not.toContain("Welcome back");
    const inbox = await world.say(member, "/inbox");
    expect(inbox.text).toContain("Your deposit offer is ready");
  });
});

describe("in a group", () => {
  it("answers a money command with a button to the private chat, where /start runs it", async () => {
    const member = world.member();
    await world.say(member, `/link ${tradeUrl(nextPartner++)}`);
    const group = world.fake.group();
    const redirect = await world.say(member, `/deposit@${world.fake.botUser.username} rust`, group);
    expect(redirect.text).toBe(
      "Trading happens in our private chat, so nobody else sees your balance or your Steam trade link. Tap below to continue there.",
    );
    expect(redirect.reply_to_message?.text).toContain("/deposit@");
    expect(buttons(redirect)).toEqual([
      {
        text: "Continue in private chat",
        url: `https://t.me/${world.fake.botUser.username}?start=deposit-rust`,
      },
    ]);

    const balanceInGroup = await world.say(member, "/balance", group);
    expect(balanceInGroup.text).not.toContain("$");

    const picker = await world.say(member, "/start deposit-rust");
    expect(lines(picker)[0]).toBe("Choose skins to deposit");
    expect(picker.text).not.toMatch(/StatTrak|AK-47|AWP/);

    const help = await world.say(member, "/help", group);
    expect(lines(help)[0]).toBe("How this works");
  });
});

describe("moderators", () => {
  it("adjust a member's balance with /admin adjust, which members cannot use", async () => {
    const member = await linkedMember();
    const refused = await world.say(member, `/admin adjust ${member.user.id} 25 trying my luck`);
    expect(refused.text).toBe("⚠️ Only moderators can use this.");

    const admin = world.member({ id: ADMIN_ID });
    const usage = await world.say(admin, "/admin");
    expect(usage.text).toContain(
      `/admin adjust <member> <amount> <reason> — Add to or subtract from a member's balance`,
    );

    const adjusted = await world.say(
      admin,
      `/admin adjust ${member.user.id} 12.50 refund for ticket #12 <urgent>`,
    );
    expect(adjusted.text).toBe(
      `✅ Adjusted Member ${member.user.id}'s balance by +$12.50. New available balance: $12.50. Reason: refund for ticket #12 <urgent>`,
    );
    expect(await balance(member)).toEqual({ availableCents: 1250, heldCents: 0 });
    const shown = await world.say(member, "/balance");
    expect(shown.text).toContain("Available: $12.50");

    // The lookup says it in words: the member's name, each balance's change, the reason, who.
    const lookup = await world.say(admin, `/admin lookup ${member.user.id}`);
    expect(lines(lookup)[0]).toBe(`Member Member ${member.user.id}`);
    expect(lookup.text).toContain(
      `· Adjusted by a moderator · available +$12.50 · held $0.00 · reason: refund for ticket #12 <urgent> · by Member ${ADMIN_ID}`,
    );
    expect(lookup.text).not.toContain("telegram:");
  });

  it("see the admin command in their menu, members in every language see theirs", async () => {
    const memberMenu = world.fake.commands(undefined, "de");
    expect(memberMenu?.map((c) => c.command)).toEqual([
      "start",
      "link",
      "unlink",
      "join",
      "notify",
      "deposit",
      "withdraw",
      "price",
      "balance",
      "trades",
      "inbox",
      "language",
      "help",
    ]);
    const pt = world.fake.commands(undefined, "pt");
    expect(pt?.find((c) => c.command === "deposit")?.description).toBe(
      world.app.core.i18n.t("pt-BR", "commands.deposit.description"),
    );
    expect(pt).not.toEqual(world.fake.commands(undefined, "en"));
    const adminMenu = world.fake.commands({ type: "chat", chat_id: ADMIN_ID });
    expect(adminMenu?.at(-1)).toEqual({ command: "admin", description: "Moderator tools" });
  });
});

describe("choosing a language", () => {
  it("remembers the language chosen with /language over the app's", async () => {
    const member = world.member({ language_code: "ru" });
    const picker = await world.say(member, "/language");
    expect(buttonData(picker, "Deutsch")).toBe(`1:language:telegram_${member.user.id}:de`);
    await world.press(member, picker, "Deutsch");
    expect((await world.app.core.members.get(member.memberId)).localeOverride).toBe("de");
    const set = await world.say(member, "/language es");
    expect(set.text).toBe(`✅ ${world.app.core.i18n.t("es", "language.set", { language: "Español" })}`);
  });
});

describe("withdrawing a Rust skin", () => {
  it("searches Rust's market, opens the skin's Rust listings and holds the price of the one chosen", async () => {
    const member = await fundedMember(50_000);
    const choices = await world.say(member, "/withdraw rust ak47");
    expect(choices.text).toBe("Pick the skin you mean:");
    expect(
      buttons(choices)
        .map((b) => b.text)
        .sort(),
    ).toEqual(["Forest Raiders Custom AK47", "Glory AK47", "Tempered AK47"]);
    let picker = await world.press(member, choices, "Glory AK47");
    expect(lines(picker)).toEqual(expect.arrayContaining(["Choose skins to withdraw", "Glory AK47"]));
    picker = await world.press(member, picker, /^1\. /);
    const price = priceOf(itemLine(picker, 1));
    const receipt = await world.press(member, picker, "Confirm");
    expect(lines(receipt)[0]).toBe("✅ Withdrawal requested");
    const trade = world.sandbox.trades.list().at(-1);
    expect(trade).toMatchObject({ type: "withdraw", game: "252490" });
    expect(trade?.items.map((i) => i.appid)).toEqual([252490]);
    const held = await waitUntil(async () => {
      const b = await balance(member);
      return b.heldCents > 0 ? b : undefined;
    });
    expect(held).toEqual({ availableCents: 50_000 - price, heldCents: price });
  });
});

/** Waits until `check` gives a value. */
function waitUntil<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  return eventually(async () => {
    const value = await check();
    if (value === undefined) throw new Error("condition not met in time");
    return value;
  }, timeoutMs);
}
