/**
 * The moderators' audit chat on Telegram, through the real grammY bot and the sandbox: a
 * deposit, an admin adjustment, a withdrawal and a Steam reversal reach it in order, each with
 * the member's name, the amount, the trade and the balances before and after — and never a
 * trade URL or token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TgMessage } from "../fakes/telegram/index.ts";
import { eventually } from "../support/app-harness.ts";
import { type Member, startWorld, tradeUrl, type World } from "./support-telegram.ts";

const ADMIN_ID = 4_200_000_301;
const AUDIT_CHAT = -1_001_234_567_890;
let world: World;
let nextPartner = 8_300_000;

beforeAll(async () => {
  world = await startWorld({
    adminUserIds: [ADMIN_ID],
    env: { TELEGRAM_AUDIT_CHAT_ID: String(AUDIT_CHAT), ASSETPAY_INSTANT_CREDIT: "true" },
  });
  world.fake.addChat(world.fake.group({ id: AUDIT_CHAT, title: "Moderators" }));
});
afterAll(async () => {
  await world?.close();
});

async function linkedMember(token = "AbCdEf12"): Promise<Member> {
  const member = world.member();
  const reply = await world.say(member, `/link ${tradeUrl(nextPartner++, token)}`);
  expect(reply.text).toMatch(/^✅ Linked!/);
  return member;
}

const auditText = () =>
  world
    .botMessages(AUDIT_CHAT)
    .map((m: TgMessage) => m.text ?? "")
    .join("\n");

function auditShows(pattern: RegExp): Promise<void> {
  return eventually(() => {
    if (!pattern.test(auditText())) throw new Error(`audit chat never showed ${pattern}:\n${auditText()}`);
  }, 10_000);
}

describe("the audit chat", () => {
  it("receives a deposit, an adjustment, a withdrawal and a reversal in order, with names", async () => {
    const member = await linkedMember();
    const name = `Member ${member.user.id}`;
    const admin = world.member({ id: ADMIN_ID, first_name: "Mod" });

    // A deposit: pre-credited at the hold (instant credit), the rest when it completes.
    let picker = await world.say(member, "/deposit");
    picker = await world.press(member, picker, /^1\. /);
    await world.press(member, picker, "Confirm");
    for (const seconds of [70, 8 * 86_400]) await world.sandbox.clock.advance(seconds);
    await auditShows(new RegExp(`${name} · Deposit credited`));

    const adjusted = await world.say(admin, `/admin adjust ${member.user.id} 500 tournament prize`);
    expect(adjusted.text).toContain("Adjusted");
    await auditShows(/Adjusted by a moderator \+\$500\.00/);

    const choices = await world.say(member, "/withdraw redline");
    let listings = await world.press(member, choices, "AK-47 | Redline (Field-Tested)");
    listings = await world.press(member, listings, /^1\. /);
    await world.press(member, listings, "Confirm");
    for (const seconds of [5, 15, 70, 8 * 86_400]) await world.sandbox.clock.advance(seconds);
    await auditShows(new RegExp(`${name} · Withdrawal paid from held balance`));

    // Steam reverses another member's deposit after its pre-credit.
    const reverted = await linkedMember("REVERT00");
    let picker2 = await world.say(reverted, "/deposit");
    picker2 = await world.press(reverted, picker2, /^1\. /);
    await world.press(reverted, picker2, "Confirm");
    for (const seconds of [70, 3 * 86_400 + 60]) await world.sandbox.clock.advance(seconds);
    await auditShows(new RegExp(`Member ${reverted.user.id} · Deposit reversed -\\$`));

    const text = auditText();
    const order = [
      `${name} · Deposit pre-credited +$`,
      `${name} · Deposit credited +$`,
      `${name} · Adjusted by a moderator +$500.00`,
      `${name} · Withdrawal held -$`,
      `${name} · Withdrawal paid from held balance -$`,
      `Member ${reverted.user.id} · Deposit reversed -$`,
    ].map((phrase) => text.indexOf(phrase));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Who did it, the trade, the balances around the move.
    expect(text).toMatch(
      /Adjusted by a moderator \+\$500\.00 · available \$[\d,.]+ → \$[\d,.]+ · held \$0\.00 → \$0\.00 · reason: tournament prize · by Mod/,
    );
    expect(text).toMatch(
      /Withdrawal held -\$[\d,.]+ · available \$[\d,.]+ → \$[\d,.]+ · held \$0\.00 → \$[\d,.]+ · trade \S+/,
    );
    // Names, not ids; never a trade URL or a token.
    expect(text).not.toMatch(/telegram:\d/);
    expect(text).not.toMatch(/steamcommunity|tradeoffer|token/i);
  });
});
