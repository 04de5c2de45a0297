/**
 * Live receipts on Telegram, end to end: the message a member confirmed becomes the trade's status
 * card and is edited through a whole deposit and a whole withdrawal, while DMs come only for the
 * steps that ask something of the member or end the trade.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TgMessage } from "../fakes/telegram/index.ts";
import { type Member, startWorld, tradeUrl, type World } from "./support-telegram.ts";

let world: World;
beforeAll(async () => {
  world = await startWorld();
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

let nextPartner = 74_000;
async function linkedMember(): Promise<Member> {
  const member = world.member();
  const reply = await world.say(member, `/link ${tradeUrl(nextPartner++)}`);
  expect(reply.text).toMatch(/^✅ Linked!/);
  return member;
}

/** Every text the card showed, in order (the edits of the receipt message). */
function cardTexts(receipt: TgMessage): string[] {
  return world.fake.calls
    .filter(
      (c) =>
        c.method === "editMessageText" &&
        Number(c.params.chat_id) === receipt.chat.id &&
        Number(c.params.message_id) === receipt.message_id &&
        c.response?.ok === true,
    )
    .map((c) => String(c.params.text));
}

/** Waits until the card shows `text`, and returns it as it is now. */
function cardShows(receipt: TgMessage, text: RegExp): Promise<TgMessage> {
  return world.fake.waitFor(() => {
    const now = world.fake.message(receipt.chat.id, receipt.message_id);
    return now && text.test(now.text ?? "") ? now : undefined;
  }, 10_000);
}

/** The bot's messages in the chat other than the card that match `text`: the DMs about it. */
const dmsMatching = (receipt: TgMessage, text: RegExp) =>
  world
    .botMessages(receipt.chat.id)
    .filter((m) => m.message_id !== receipt.message_id && text.test(m.text ?? ""));

/** Waits for a DM (a message other than the card) matching `text`. */
const dmArrives = (receipt: TgMessage, text: RegExp) =>
  world.fake.waitFor(() => dmsMatching(receipt, text)[0], 10_000);

describe("a live receipt card", () => {
  it("follows a whole deposit on the confirmed message, with DMs for the offer and the end", async () => {
    const member = await linkedMember();
    let picker = await world.say(member, "/deposit");
    picker = await world.press(member, picker, /^1\. /);
    const receipt = await world.press(member, picker, "Confirm");
    expect(receipt.text).toMatch(/^✅ Deposit started/);

    await world.sandbox.clock.advance(70);
    const offerCard = await cardShows(receipt, /Your deposit offer is ready/);
    expect(offerCard.text).toMatch(/Trade: \S+/);
    // The offer asks the member to act: it comes as a DM as well, with its button.
    await dmArrives(receipt, /Your deposit offer is ready/);
    expect(dmsMatching(receipt, /Your deposit offer is ready/)).toHaveLength(1);

    for (const seconds of [60, 8 * 86_400]) await world.sandbox.clock.advance(seconds);
    await cardShows(receipt, /^✅ Deposit complete/);
    await dmArrives(receipt, /^✅ Deposit complete/);
    expect(dmsMatching(receipt, /^✅ Deposit complete/)).toHaveLength(1);
    const shown = cardTexts(receipt);
    expect(shown.findIndex((t) => /offer is ready/.test(t))).toBeLessThan(
      shown.findIndex((t) => /Deposit complete/.test(t)),
    );
    // The hold in between moved the card only.
    expect(shown.some((t) => /trade hold/.test(t))).toBe(true);
    expect(dmsMatching(receipt, /trade hold/)).toEqual([]);
  });

  it("follows a whole withdrawal: approved and in hold on the card only, offer and delivery as DMs too", async () => {
    const member = await linkedMember();
    await world.app.core.admin.adjust({
      actor: "test",
      memberId: member.memberId,
      amountCents: 50_000,
      reason: "starting balance",
      requestId: `seed-${member.memberId}`,
    });
    const choices = await world.say(member, "/withdraw redline");
    let picker = await world.press(member, choices, "AK-47 | Redline (Field-Tested)");
    picker = await world.press(member, picker, /^1\. /);
    const receipt = await world.press(member, picker, "Confirm");
    expect(receipt.text).toMatch(/^✅ Withdrawal requested/);

    await world.sandbox.clock.advance(5);
    await cardShows(receipt, /Your withdrawal of .* is approved/);
    for (const seconds of [15, 70]) await world.sandbox.clock.advance(seconds);
    await cardShows(receipt, /Your withdrawal offer is ready/);
    await dmArrives(receipt, /Your withdrawal offer is ready/);
    await world.sandbox.clock.advance(8 * 86_400);
    const done = await cardShows(receipt, /^✅ Withdrawal complete/);
    expect(done.text).toMatch(/Trade: \S+/);
    await dmArrives(receipt, /^✅ Withdrawal complete/);

    expect(dmsMatching(receipt, /is approved/)).toEqual([]);
    expect(dmsMatching(receipt, /trade-protected/)).toEqual([]);
    expect(dmsMatching(receipt, /Your withdrawal offer is ready/)).toHaveLength(1);
    expect(dmsMatching(receipt, /^✅ Withdrawal complete/)).toHaveLength(1);
    expect(cardTexts(receipt).some((t) => /trade-protected until/.test(t))).toBe(true);
  });
});
