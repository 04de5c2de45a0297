import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cheapListing,
  depositable,
  startWorld,
  steamIdOf,
  tokenFor,
  tradeUrl,
  type World,
} from "./harness.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.close();
});

describe("check-tradeurl with magic tokens", () => {
  it.each([
    ["AbCdEf12", { state: 1, canTrade: true }],
    ["CS2BAN00", { state: 2, bans: { vacBanned: true, gameBans: 0, economyBan: "none" } }],
    ["RUSTBAN0", { state: 3 }],
    [
      "TRADEBAN",
      { state: 4, canTrade: false, bans: { vacBanned: false, gameBans: 0, economyBan: "banned" } },
    ],
    ["PRIVATE0", { state: 5 }],
    ["BADURL00", { state: 6 }],
    ["NOUSER00", { state: 7 }],
    ["UNKNOWN0", { state: 8 }],
    ["NOTRADE0", { state: 9, canTrade: false }],
    ["STEAMDWN", { state: 10 }],
    ["ESCROW07", { state: 1, canTrade: false, reason: { escrowDays: 7, probation: false } }],
    ["PROBATN0", { state: 1, canTrade: false, reason: { escrowDays: 0, probation: true } }],
  ])("token %s answers %o", async (token, expected) => {
    const res = await w.api.merchant("POST", "/secure/check-tradeurl", { tradeurl: tradeUrl(7001, token) });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject(expected);
    expect(res.body.data.message).toEqual(expect.any(String));
  });

  it("derives the steamid from the partner id", async () => {
    const res = await w.api.merchant("POST", "/secure/check-tradeurl", { tradeurl: tradeUrl(52079950) });
    expect(res.body.data.steamid).toBe("76561198012345678");
  });
});

describe("Steam failures by magic token", () => {
  it.each([
    ["INVFAIL0", 424, "INVENTORY_FETCH_FAILED", 3],
    ["STEAMDWN", 424, "STEAM_UNAVAILABLE", 31],
    ["STEAMRL0", 424, "STEAM_RATE_LIMITED", 33],
    ["PRIVATE0", 400, "INVENTORY_PRIVATE", 24],
  ])("token %s makes the inventory answer %i %s", async (token, status, key, code) => {
    const res = await w.api.client(tokenFor(7002, { token }), "GET", "/client/inventory");
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ key, code });
  });

  it("refuses CS2 deposits of a VAC-banned user but takes their Rust items", async () => {
    const token = tokenFor(7003, { token: "CS2BAN00" });
    const [cs2] = await depositable(w.api, token, 730);
    const refused = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: cs2?.id, price: cs2?.offer.price }],
    });
    expect(refused.body.error?.key).toBe("USER_NOT_TRADEABLE");
    const [rust] = await depositable(w.api, token, 252490);
    const ok = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: rust?.id, price: rust?.offer.price }],
      game: "252490",
    });
    expect(ok.status).toBe(200);
  });

  it("lets a withdrawal to a trade-banned user fail after approval with USER_TRADE_RESTRICTED", async () => {
    const token = tokenFor(7004, { token: "TRADEBAN" });
    const listing = await cheapListing(w.api, token);
    const res = await w.api.client(token, "POST", "/client/trading/withdraw", {
      items: [{ itemId: listing.id, price: listing.price }],
    });
    await w.sandbox.clock.advance(3);
    expect(w.sandbox.trades.get(res.body.data.id)).toMatchObject({
      status: "failed",
      error: "USER_TRADE_RESTRICTED",
      items: [expect.objectContaining({ status: "failed", error: "BUYER_TRADE_RESTRICTED" })],
    });
  });
});

describe("externalId magic", () => {
  it("answers sb_err_<KEY> with that key, its code and its HTTP status", async () => {
    const token = tokenFor(7010);
    const listing = await cheapListing(w.api, token);
    const cases: [string, number, string][] = [
      ["sb_err_MERCHANT_BALANCE_LOW", 400, "MERCHANT_BALANCE_LOW"],
      ["sb_err_WITHDRAWALS_PAUSED_1", 503, "WITHDRAWALS_PAUSED"],
      ["sb_fleet_1", 503, "FLEET_DEGRADED"],
      ["sb_err_ITEM_OVERSTOCKED", 409, "ITEM_OVERSTOCKED"],
    ];
    for (const [externalId, status, key] of cases) {
      const res = await w.api.client(token, "POST", "/client/trading/withdraw", {
        items: [{ itemId: listing.id, price: listing.price }],
        externalId,
      });
      expect([externalId, res.status, res.body.error?.key]).toEqual([externalId, status, key]);
    }
  });

  it("describes overstocked deposit items in details.items", async () => {
    const token = tokenFor(7011);
    const [item] = await depositable(w.api, token);
    const res = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
      externalId: "sb_overstocked",
    });
    expect(res.body.error?.details).toEqual({
      items: [{ itemId: item?.id, marketHashName: item?.marketHashName, remaining: 0 }],
    });
  });

  it("ends a deposit by externalId outcome prefix, e.g. sb_declined", async () => {
    const token = tokenFor(7012);
    const [item] = await depositable(w.api, token);
    const res = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
      externalId: "sb_declined_42",
    });
    await w.sandbox.clock.advance(70);
    expect(w.sandbox.trades.get(res.body.data.id)?.status).toBe("declined");
  });

  it("makes a withdrawal's items be declined, or reverted by the supplier during the hold", async () => {
    const token = tokenFor(7013);
    const a = await cheapListing(w.api, token, { skip: 4 });
    const b = await cheapListing(w.api, token, { skip: 5 });
    const res = await w.api.client(token, "POST", "/client/trading/withdraw", {
      items: [
        { itemId: a.id, price: a.price, externalId: "sb_item_declined_a" },
        { itemId: b.id, price: b.price, externalId: "sb_item_reverted_b" },
      ],
    });
    await w.sandbox.clock.advance(4 * 86_400);
    const trade = w.sandbox.trades.get(res.body.data.id);
    expect(trade?.items.map((i) => [i.status, i.error])).toEqual([
      ["declined", "OFFER_NOT_ACCEPTED"],
      ["reverted", undefined],
    ]);
    expect(trade).toMatchObject({ status: "failed", revertedBy: "supplier" });
    expect(trade?.clientSteamID).toBe(steamIdOf(7013));
  });
});

describe("the magic inputs themselves", () => {
  it("are listed at /_sandbox/magic and every one is documented in the README", async () => {
    const res = await w.api.control("GET", "/_sandbox/magic");
    const names = [...Object.keys(res.body.tradeUrlTokens), ...Object.keys(res.body.externalIdPrefixes)];
    expect(names.length).toBeGreaterThan(30);
    const readme = readFileSync(new URL("../../src/sandbox/README.md", import.meta.url), "utf8");
    expect(names.filter((n) => !readme.includes(`\`${n}\``))).toEqual([]);
  });
});
