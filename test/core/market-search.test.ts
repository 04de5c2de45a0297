/**
 * The one market search (/withdraw, the admin giveaway, /price, autocomplete) against the AssetPay
 * sandbox over HTTP: both games' markets (CS2's catalog, Rust's name search), the query
 * normalised and the results limited, prices in the member's terms, and AssetPay's refusals
 * passed through as what they are.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssetPayError } from "../../src/assetpay/errors.ts";
import { applyBps } from "../../src/base/money.ts";
import { CoreError } from "../../src/core/errors.ts";
import { CHOICE_LIMIT } from "../../src/core/market-search.ts";
import { startWorld, type World } from "../support/world.ts";

const CS2 = "730";
const RUST = "252490";
const FEE_BPS = 500;

let w: World;
let member: string;

beforeAll(async () => {
  w = await startWorld({ env: { FEE_BPS: String(FEE_BPS) } });
  member = w.member();
  await w.core.accounts.link(member, w.tradeUrl());
});
afterAll(async () => w?.close());

/** The sandbox requests made while `run` runs. */
async function requestsDuring(run: () => Promise<unknown>) {
  const before = w.sandbox.requestLog.length;
  await run();
  return w.sandbox.requestLog.slice(before).map((r) => ({ path: r.path, query: r.query }));
}

describe("suggestions while typing", () => {
  it("asks CS2's catalog, normalising the query, and asks nothing under two characters", async () => {
    const found = await w.core.market.suggest(member, "  ak   redline ", CS2);
    expect(found.map((m) => m.name)).toContain("AK-47 | Redline (Field-Tested)");
    for (const m of found) expect(m.id).toMatch(/^[0-9a-f]{16}$/);
    expect(await w.core.market.suggest(member, "ak redline", CS2)).toEqual(found);

    const calls = await requestsDuring(() => w.core.market.suggest(member, " ak \t redline  ", CS2));
    expect(calls).toEqual([{ path: "/client/market/suggestions", query: { q: "ak redline" } }]);
    expect(await requestsDuring(() => w.core.market.suggest(member, " a ", CS2))).toEqual([]);
  });

  it("searches Rust's market by name: each skin once, no CS2 skin among them", async () => {
    const found = await w.core.market.suggest(member, "ak47", RUST);
    expect(found.map((m) => m.name).sort()).toEqual([
      "Forest Raiders Custom AK47",
      "Glory AK47",
      "Tempered AK47",
    ]);
    // Rust has no catalog: a skin is named by its market hash name.
    for (const m of found) expect(m.id).toBe(m.name);
    const calls = await requestsDuring(() => w.core.market.suggest(member, "ak47", RUST));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ path: "/client/market", query: { game: RUST, search: "ak47" } });
    // And CS2's "AK-47" is not Rust's "AK47".
    expect(await w.core.market.suggest(member, "ak47", CS2)).toEqual([]);
  });
});

describe("a typed search", () => {
  it("comes to one skin for an autocomplete pick without asking AssetPay, and for an exact name", async () => {
    const [redline] = await w.core.market.suggest(member, "AK-47 | Redline (Field-Tested)", CS2);
    if (!redline) throw new Error("the sandbox has no Redline");
    const calls = await requestsDuring(async () => {
      expect(await w.core.market.lookup(member, redline.id, CS2)).toEqual({
        kind: "one",
        match: { id: redline.id, name: "" },
      });
    });
    expect(calls).toEqual([]);
    expect(await w.core.market.lookup(member, "ak-47 | redline (field-tested)", CS2)).toEqual({
      kind: "one",
      match: redline,
    });
    expect(await w.core.market.lookup(member, "tempered ak47", RUST)).toEqual({
      kind: "one",
      match: { id: "Tempered AK47", name: "Tempered AK47" },
    });
    expect(await w.core.market.lookup(member, "hoodie", RUST)).toEqual({
      kind: "one",
      match: { id: "Blackout Hoodie", name: "Blackout Hoodie" },
    });
  });

  it("offers at most ten skins to choose from, and none when nothing matched", async () => {
    const many = await w.core.market.lookup(member, "AK-47", CS2);
    expect(many.kind).toBe("choices");
    if (many.kind !== "choices") return;
    // The sandbox's catalogue suggests 20 AK-47s: the first ten are offered.
    expect(many.found).toHaveLength(CHOICE_LIMIT);
    expect(await w.core.market.lookup(member, "no such skin anywhere", RUST)).toEqual({
      kind: "choices",
      found: [],
    });
    expect(await w.core.market.lookup(member, "   ", CS2)).toEqual({ kind: "choices", found: [] });
  });
});

describe("a skin's listings", () => {
  it("lists one Rust skin's listings only, cheapest first, for the member with the fee and for the community without", async () => {
    const forMember = await w.core.market.listings(member, RUST, "Tempered AK47", "member");
    expect(forMember.length).toBeGreaterThan(0);
    for (const e of forMember) {
      expect(e.name).toBe("Tempered AK47");
      expect(e.priceCents).toBe(applyBps(e.quotedCents, FEE_BPS));
      expect(e.priceCents).toBeGreaterThan(e.quotedCents);
    }
    const prices = forMember.map((e) => e.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));

    // Rust's market search matches parts of names: only the rows named exactly so are the skin's.
    expect(await w.core.market.listings(member, RUST, "AK47", "member")).toEqual([]);

    const forCommunity = await w.core.market.listings(member, RUST, "Tempered AK47", "community");
    expect(forCommunity.map((e) => e.priceCents)).toEqual(forCommunity.map((e) => e.quotedCents));
    expect(forCommunity.map((e) => e.id).sort()).toEqual(forMember.map((e) => e.id).sort());
  });
});

describe("the cheapest listing", () => {
  it("is the cheapest of the skin's listings, in the member's terms, for each game", async () => {
    for (const [game, query] of [
      [CS2, "AK-47 | Redline (Field-Tested)"],
      [RUST, "Tempered AK47"],
    ] as const) {
      const cheapest = await w.core.market.cheapest(member, query, game);
      if (!cheapest) throw new Error(`no listing for ${query}`);
      const all = await w.core.market.listings(member, game, cheapest.match.id, "member");
      const quoted = Math.min(...all.map((e) => e.quotedCents));
      expect(cheapest).toMatchObject({ game, match: { name: query }, listings: all.length });
      expect(cheapest.listing.quotedCents).toBe(quoted);
      expect(cheapest.listing.priceCents).toBe(applyBps(quoted, FEE_BPS));
    }
  });

  it("is undefined when nothing matches", async () => {
    expect(await w.core.market.cheapest(member, "no such skin anywhere", CS2)).toBeUndefined();
    expect(await w.core.market.cheapest(member, "AK-47 | Redline", RUST)).toBeUndefined();
  });
});

describe("refusals", () => {
  it("passes AssetPay's rate limit through as RATE_LIMITED, in every step", async () => {
    const limited = (route: string) =>
      w.sandbox.faults.set({ apiErrors: [{ route, key: "RATE_LIMITED", count: 1, retryAfter: 30 }] });
    try {
      limited("GET /client/market/suggestions");
      await expect(w.core.market.suggest(member, "redline", CS2)).rejects.toMatchObject({
        constructor: AssetPayError,
        key: "RATE_LIMITED",
        retryAfter: 30,
      });
      limited("GET /client/market");
      await expect(w.core.market.lookup(member, "ak47", RUST)).rejects.toMatchObject({ key: "RATE_LIMITED" });
      limited("GET /client/market/item");
      await expect(
        w.core.market.cheapest(member, "AK-47 | Redline (Field-Tested)", CS2),
      ).rejects.toMatchObject({ key: "RATE_LIMITED" });
    } finally {
      w.sandbox.faults.clear();
    }
  });

  it("says a searcher without a Steam link is not linked, and asks AssetPay nothing", async () => {
    const calls = await requestsDuring(async () => {
      await expect(w.core.market.suggest(w.member(), "redline", CS2)).rejects.toEqual(
        new CoreError("notLinked"),
      );
    });
    expect(calls).toEqual([]);
  });
});

describe("a Rust giveaway", () => {
  it("opens on the Rust skin's listings at AssetPay's prices and starts a Rust buy for the recipient", async () => {
    const admin = w.member();
    const recipient = w.member();
    await w.core.accounts.link(recipient, w.tradeUrl());
    const s = await w.core.trading.openGiveaway(admin, {
      recipient,
      catalogId: "Tempered AK47",
      name: "Tempered AK47",
      game: RUST,
      pageSize: 8,
    });
    expect(s.game).toBe(RUST);
    expect(s.entries.length).toBeGreaterThan(0);
    for (const e of s.entries) {
      expect(e.name).toBe("Tempered AK47");
      expect(e.priceCents).toBe(e.quotedCents);
    }
    await w.core.trading.act(admin, s.id, { kind: "toggle", index: 0 });
    const started = await w.core.trading.confirm(admin, s.id);
    const trade = w.sandbox.trades.list().find((t) => t.externalId === started.record.externalId);
    expect(trade).toMatchObject({ game: RUST, source: "self" });
  });

  it("tells the admin a recipient without a link is unknown, and lets other refusals through", async () => {
    const opts = { recipient: w.member(), catalogId: "Tempered AK47", game: RUST, pageSize: 8 } as const;
    await expect(w.core.trading.openGiveaway(w.member(), opts)).rejects.toEqual(
      new CoreError("unknownMember"),
    );
  });
});
