/**
 * Live receipts on Discord, end to end: the ephemeral message a member confirmed becomes the
 * trade's status card, edited through the interaction's token while it lives (15 minutes, on one
 * clock shared by the app and the fake); after that the member's DMs carry every step.
 */
import type { APIMessage } from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import {
  buttonId,
  type DiscordWorld,
  interact,
  linkOnDiscord,
  selectMenu,
  startDiscordWorld,
  textOf,
  tradeUrl,
  USERS,
} from "./support-discord.ts";

let world: DiscordWorld;
/** Added to real time: moving it past 15 minutes expires the interaction tokens on both sides. */
let skewMs = 0;

beforeAll(async () => {
  world = await startDiscordWorld({
    redisUrl: inject("redisUrl"),
    now: () => Date.now() + skewMs,
    // The sandbox signs its callbacks on real time: the app's clock runs up to 16 minutes ahead.
    env: { ASSETPAY_CALLBACK_TOLERANCE_SECONDS: "3600" },
  });
});
afterAll(async () => world?.close());
afterEach(() => {
  expect(world.fake.violations).toEqual([]);
  expect(world.app.core.i18n.problems()).toEqual([]);
});

const memberId = (userId: string) => `discord:${userId}`;

const link = (userId: string, partner: number) => linkOnDiscord(world.fake, userId, tradeUrl(partner));

/** Picks the first item of the picker the command opens and confirms: the receipt message. */
async function confirmFirst(userId: string, name: string, options: Record<string, string>) {
  const { fake } = world;
  const opened = await interact(fake, { type: "command", name, userId, options });
  const menu = selectMenu(opened.message);
  const step = await interact(fake, {
    type: "select",
    userId,
    messageId: opened.message.id,
    customId: menu.custom_id,
    values: [String(menu.options[0]?.value)],
  });
  const done = await interact(fake, {
    type: "button",
    userId,
    messageId: opened.message.id,
    customId: buttonId(step.message, "Confirm"),
  });
  expect(done.message.id).toBe(opened.message.id);
  return done.message;
}

const cardShows = (card: APIMessage, text: RegExp) =>
  world.fake.waitFor(() => {
    const now = world.fake.message(card.id);
    return now && text.test(textOf(now)) ? now : undefined;
  }, 10_000);

const dmsMatching = (userId: string, text: RegExp) =>
  world.fake.dmsTo(userId).filter((m) => text.test(textOf(m)));

const dmArrives = (userId: string, text: RegExp) =>
  world.fake.waitFor(() => dmsMatching(userId, text)[0], 10_000);

async function withdrawRedline(userId: string, partner: number): Promise<APIMessage> {
  await link(userId, partner);
  await world.app.core.admin.adjust({
    actor: "test",
    memberId: memberId(userId),
    amountCents: 50_000,
    reason: "starting balance",
    requestId: `seed-${userId}`,
  });
  const handle = world.fake.dispatchInteraction({
    type: "autocomplete",
    name: "withdraw",
    userId,
    focused: "item",
    options: { item: "AK-47 | Red" },
  });
  const { choices } = (await handle.acknowledged).data as { choices: { name: string; value: string }[] };
  const redline = choices.find((c) => c.name.startsWith("AK-47 | Redline")) ?? choices[0];
  const receipt = await confirmFirst(userId, "withdraw", { item: String(redline?.value) });
  expect(textOf(receipt)).toContain("Withdrawal requested");
  return receipt;
}

describe("a live receipt card", () => {
  it("follows a whole deposit while the token lives, with DMs for the offer and the end", async () => {
    const { sandbox } = world;
    await link(USERS.gina, 210_001);
    const receipt = await confirmFirst(USERS.gina, "deposit", { game: "cs2" });
    expect(textOf(receipt)).toContain("Deposit started");

    await sandbox.clock.advance(70);
    const offer = await cardShows(receipt, /Your deposit offer is ready/);
    expect(textOf(offer)).toMatch(/Trade: \S+/);
    await dmArrives(USERS.gina, /Your deposit offer is ready/);

    for (const seconds of [60, 8 * 86_400]) await sandbox.clock.advance(seconds);
    await cardShows(receipt, /Deposit complete/);
    await dmArrives(USERS.gina, /Deposit complete/);
    expect(dmsMatching(USERS.gina, /trade hold/)).toEqual([]);
    expect(dmsMatching(USERS.gina, /Your deposit offer is ready/)).toHaveLength(1);
  });

  it("follows a whole withdrawal: approved and in hold on the card only", async () => {
    const receipt = await withdrawRedline(USERS.hana, 210_002);
    for (const seconds of [5, 15, 70]) await world.sandbox.clock.advance(seconds);
    await cardShows(receipt, /Your withdrawal offer is ready/);
    await dmArrives(USERS.hana, /Your withdrawal offer is ready/);
    await world.sandbox.clock.advance(8 * 86_400);
    await cardShows(receipt, /Withdrawal complete/);
    await dmArrives(USERS.hana, /Withdrawal complete/);
    expect(dmsMatching(USERS.hana, /is approved/)).toEqual([]);
    expect(dmsMatching(USERS.hana, /trade-protected/)).toEqual([]);
  });

  it("falls back to DMs for every step once the interaction token's 15 minutes are over", async () => {
    const receipt = await withdrawRedline(USERS.ivan, 210_003);
    const shown = textOf(receipt);
    skewMs += 15 * 60_000 + 1_000;
    for (const seconds of [5, 15, 70]) await world.sandbox.clock.advance(seconds);
    await dmArrives(USERS.ivan, /is approved/);
    await dmArrives(USERS.ivan, /Your withdrawal offer is ready/);
    await world.sandbox.clock.advance(8 * 86_400);
    await dmArrives(USERS.ivan, /trade-protected/);
    await dmArrives(USERS.ivan, /Withdrawal complete/);
    // The card stays as the member last saw it; no edit was tried on the dead token.
    expect(textOf(world.fake.message(receipt.id))).toBe(shown);
  });
});
