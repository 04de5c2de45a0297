/**
 * /price on Telegram, end to end: the real grammY bot against the fake Telegram Bot API, the app,
 * the AssetPay sandbox over HTTP. A member writes `/price [rust] <skin>` (or `/price` and then the
 * skin) and reads the cheapest listing in their own terms (the community fee included) and
 * language; no match and AssetPay's refusals are said in words.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyBps } from "../../src/base/money.ts";
import type { TgMessage } from "../fakes/telegram/index.ts";
import { type Member, startWorld, tradeUrl, type World } from "./support-telegram.ts";

const FEE_BPS = 250;
let world: World;

beforeAll(async () => {
  world = await startWorld({ env: { FEE_BPS: String(FEE_BPS) } });
});
afterAll(async () => world?.close());

let seen = 0;
beforeEach(() => {
  seen = world.fake.violations.length;
});
afterEach(() => {
  world.sandbox.faults.clear();
  expect(world.fake.violations.slice(seen)).toEqual([]);
  expect(world.app.core.i18n.problems()).toEqual([]);
});

let nextPartner = 520_000;
async function linkedMember(language_code?: string): Promise<Member> {
  const member = world.member(language_code ? { language_code } : {});
  const reply = await world.say(member, `/link ${tradeUrl(nextPartner++)}`);
  expect(reply.text).toMatch(/^✅/);
  return member;
}

const lines = (m: TgMessage) => (m.text ?? "").split("\n").filter(Boolean);

/** The cheapest AssetPay price of a skin, read with the plain client (not the code under test). */
async function cheapestQuoted(member: Member, game: "730" | "252490", name: string): Promise<number> {
  const { core } = world.app;
  const identity = core.accounts.identity(await core.accounts.require(member.memberId));
  const rows =
    game === "730"
      ? await core.client.marketItem(identity, { marketHashName: name, perPage: 100 })
      : (await core.client.market(identity, { game, search: name, perPage: -1 })).items.filter(
          (i) => (i.marketHashName ?? i.name) === name,
        );
  return Math.min(...rows.map((i) => i.priceCents ?? Number.POSITIVE_INFINITY));
}

describe("/price", () => {
  it("is in every member's command menu", () => {
    expect(world.fake.commands(undefined, "en")?.find((c) => c.command === "price")).toEqual({
      command: "price",
      description: "Show the cheapest listing of a skin",
    });
    expect(world.fake.commands(undefined, "uk")?.find((c) => c.command === "price")?.description).toBe(
      "Показати найдешевшу пропозицію скіна",
    );
  });

  it("shows a CS2 skin's cheapest listing with the community fee", async () => {
    const member = await linkedMember();
    const name = "AK-47 | Redline (Field-Tested)";
    const answer = await world.say(member, `/price ${name}`);
    const cents = applyBps(await cheapestQuoted(member, "730", name), FEE_BPS);
    const [title, cheapest, listings] = lines(answer);
    expect(title).toMatch(/Cheapest listing · CS2$/);
    expect(cheapest).toBe(`${name}: ${world.app.core.i18n.money("en", cents)}, community fee included.`);
    expect(listings).toMatch(/^\d+ listings? on the market right now\.$/);
  });

  it("asks which skin when none is given and prices the next message, in Rust and the member's language", async () => {
    const member = await linkedMember("de");
    const prompt = await world.say(member, "/price rust");
    expect(prompt.text).toContain("Welchen Skin soll ich bewerten?");
    const answer = await world.say(member, "hoodie");
    const cents = applyBps(await cheapestQuoted(member, "252490", "Blackout Hoodie"), FEE_BPS);
    expect(lines(answer)[0]).toMatch(/Günstigstes Angebot · Rust$/);
    expect(answer.text).toContain(
      `Blackout Hoodie: ${world.app.core.i18n.money("de", cents)}, inklusive Community-Gebühr.`,
    );
  });

  it("says so when nothing matches, and words AssetPay's rate limit as such", async () => {
    const member = await linkedMember();
    const none = await world.say(member, "/price rust redline");
    expect(none.text).toBe(
      "⚠️ No Rust listing matches “redline” right now. Check the spelling or try the other game.",
    );
    world.sandbox.faults.set({
      apiErrors: [{ route: "GET /client/market", key: "RATE_LIMITED", retryAfter: 30 }],
    });
    const busy = await world.say(member, "/price rust tempered");
    expect(busy.text).toBe("⚠️ AssetPay is busy right now. Try again in 30 seconds.");
  });

  it("tells a member without a Steam link to link first", async () => {
    const member = world.member();
    const answer = await world.say(member, "/price redline");
    expect(answer.text).toContain(world.app.core.i18n.t("en", "errors.core.notLinked"));
  });
});
