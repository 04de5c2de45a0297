/**
 * /price on Discord, end to end: the real discord.js client against the fake Discord, the app on
 * Redis, the AssetPay sandbox over HTTP. A member autocompletes a skin, asks its price in either
 * game and reads the cheapest listing in their own terms (the community fee included) and
 * language; no match and AssetPay's refusals are said in words.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { applyBps } from "../../src/base/money.ts";
import {
  type DiscordWorld,
  interact,
  linkOnDiscord,
  startDiscordWorld,
  textOf,
  tradeUrl,
  USERS,
} from "./support-discord.ts";

const FEE_BPS = 250;
let world: DiscordWorld;

beforeAll(async () => {
  world = await startDiscordWorld({ redisUrl: inject("redisUrl"), env: { FEE_BPS: String(FEE_BPS) } });
  for (const [userId, partner] of [
    [USERS.alice, 510001],
    [USERS.bruno, 510002],
  ] as const)
    await linkOnDiscord(world.fake, userId, tradeUrl(partner));
});

afterAll(async () => {
  await world?.close();
});

afterEach(() => {
  world.sandbox.faults.clear();
  expect(world.fake.violations).toEqual([]);
  expect(world.app.core.i18n.problems()).toEqual([]);
});

/** Autocompletes `typed` for /price's item option (with `game` already chosen) and returns the choices. */
async function suggestions(userId: string, typed: string, game?: string) {
  const handle = world.fake.dispatchInteraction({
    type: "autocomplete",
    name: "price",
    userId,
    focused: "item",
    options: { item: typed, ...(game ? { game } : {}) },
  });
  const ack = await handle.acknowledged;
  expect(ack.type).toBe(8);
  return (ack.data as { choices: { name: string; value: string }[] }).choices;
}

function price(userId: string, item: string, opts: { game?: string; locale?: string } = {}) {
  return interact(world.fake, {
    type: "command",
    name: "price",
    userId,
    options: { item, ...(opts.game ? { game: opts.game } : {}) },
    ...(opts.locale ? { locale: opts.locale } : {}),
  });
}

/** The cheapest AssetPay price of a skin, read with the plain client (not the code under test). */
async function cheapestQuoted(userId: string, game: "cs2" | "rust", id: string): Promise<number> {
  const { core } = world.app;
  const identity = core.accounts.identity(await core.accounts.require(`discord:${userId}`));
  const items =
    game === "cs2"
      ? await core.client.marketItem(identity, { itemId: id, perPage: 100 })
      : (await core.client.market(identity, { game: "252490", search: id, perPage: -1 })).items.filter(
          (i) => (i.marketHashName ?? i.name) === id,
        );
  return Math.min(...items.map((i) => i.priceCents ?? Number.POSITIVE_INFINITY));
}

describe("/price", () => {
  it("is registered with an autocompleted item and a game choice, described in every language", async () => {
    const registered = world.fake.commands().find((c) => c.name === "price");
    expect(registered?.description).toBe("Show the cheapest listing of a skin");
    expect(registered?.description_localizations?.ru).toBe("Показать самое дешёвое предложение скина");
    const [item, game] = registered?.options ?? [];
    expect(item).toMatchObject({ name: "item", required: true, autocomplete: true });
    expect(game).toMatchObject({ name: "game", choices: [{ value: "cs2" }, { value: "rust" }] });
  });

  it("finds a CS2 skin through autocomplete and shows its cheapest listing with the community fee", async () => {
    const choices = await suggestions(USERS.alice, "AK-47 | Red");
    expect(choices.length).toBeGreaterThan(0);
    const redline = choices.find((c) => c.name === "AK-47 | Redline (Field-Tested)");
    if (!redline) throw new Error(`no Redline among ${JSON.stringify(choices)}`);

    const { message } = await price(USERS.alice, redline.value);
    expect(message.flags).toBe(64);
    const cents = applyBps(await cheapestQuoted(USERS.alice, "cs2", redline.value), FEE_BPS);
    const money = world.app.core.i18n.money("en", cents);
    const [title, cheapest, listings] = textOf(message).split("\n").filter(Boolean);
    expect(title).toBe("Cheapest listing · CS2");
    expect(cheapest).toBe(`AK-47 | Redline (Field-Tested): ${money}, community fee included.`);
    expect(listings).toMatch(/^\d+ listings? on the market right now\.$/);
  });

  it("prices a Rust skin, autocompleted from Rust's market, in the member's language", async () => {
    const choices = await suggestions(USERS.bruno, "ak47", "rust");
    expect(choices.map((c) => c.name).sort()).toEqual([
      "Forest Raiders Custom AK47",
      "Glory AK47",
      "Tempered AK47",
    ]);

    const { message } = await price(USERS.bruno, "Tempered AK47", { game: "rust", locale: "ru" });
    const cents = applyBps(await cheapestQuoted(USERS.bruno, "rust", "Tempered AK47"), FEE_BPS);
    const text = textOf(message);
    expect(text.split("\n")[0]).toBe("Самое дешёвое предложение · Rust");
    expect(text).toContain(
      `Tempered AK47: ${world.app.core.i18n.money("ru", cents)}, с учётом комиссии сообщества.`,
    );
  });

  it("says so when nothing matches in the chosen game", async () => {
    // A CS2 name is no Rust skin.
    const { message } = await price(USERS.alice, "AK-47 | Redline (Field-Tested)", { game: "rust" });
    expect(textOf(message)).toBe(
      "No Rust listing matches “AK-47 | Redline (Field-Tested)” right now. Check the spelling or try the other game.",
    );
  });

  it("tells a member without a Steam link to link first, in autocomplete and on submit", async () => {
    const requests = world.sandbox.requestLog.length;
    const notLinked = world.app.core.i18n.t("en", "errors.core.notLinked");
    expect(await suggestions(USERS.kim, "redline")).toEqual([{ name: notLinked.slice(0, 100), value: "-" }]);
    const { message } = await price(USERS.kim, "redline");
    expect(textOf(message)).toBe(notLinked);
    expect(world.sandbox.requestLog.slice(requests)).toEqual([]);
  });

  it("words AssetPay's rate limit as such, in autocomplete and on submit", async () => {
    const busy = "AssetPay is busy right now. Try again in 30 seconds.";
    world.sandbox.faults.set({
      apiErrors: [{ route: "GET /client/market/suggestions", key: "RATE_LIMITED", retryAfter: 30, count: 2 }],
    });
    expect(await suggestions(USERS.alice, "redline")).toEqual([{ name: busy, value: "-" }]);
    const { message } = await price(USERS.alice, "redline");
    expect(textOf(message)).toBe(busy);
  });
});
