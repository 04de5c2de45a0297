import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AssetPayError, TradeOutcomeUnknown, tradeCreated } from "../../src/assetpay/errors.ts";
import { destroySocket, type FakeAssetPay, fail, fakeAssetPay, hang, ok } from "./fake-assetpay.ts";
import { API_KEY, clientFor, inventoryData, itemWire, member, TRADE_URL, tradeWire } from "./fixtures.ts";

const TRADES = /^\/secure\/trades\//;
const notFound = fail(404, { code: 0, key: "TRADE_NOT_FOUND", message: "Trade not found" });
const oneItem = [{ itemId: "item-0001", priceCents: 1075 }];

let fake: FakeAssetPay;
beforeEach(async () => {
  fake = await fakeAssetPay();
});
afterEach(() => fake.close());

describe("trade bodies and money", () => {
  it("sends a deposit the contract accepts, prices converted from cents, isInstant always explicit", async () => {
    fake.on(
      "POST",
      "/client/trading/deposit",
      ok(
        tradeWire({
          totalPrice: 10.78,
          preCredit: 6.45,
          pendingCredit: 4.33,
          isInstant: true,
          relatedTrades: [
            tradeWire({ id: "sibling-1", totalPrice: 0.03, items: [itemWire({ offer: { price: 0.01 } })] }),
          ],
        }),
      ),
    );
    const client = clientFor(fake);
    const trade = await client.deposit(member, {
      items: [
        { itemId: "item-0001", priceCents: 1075 },
        { itemId: "rust-stack-01", priceCents: 1, amount: 3 },
      ],
      game: "730",
      externalId: "dep-1",
      isInstant: false,
    });

    const [call] = fake.calls("POST", "/client/trading/deposit");
    expect(call?.body).toEqual({
      items: [
        { itemId: "item-0001", price: 10.75 },
        { itemId: "rust-stack-01", price: 0.01, amount: 3 },
      ],
      game: "730",
      externalId: "dep-1",
      isInstant: false,
    });
    expect(call?.contractErrors).toEqual([]);
    expect(call?.headers["content-type"]).toBe("application/json");
    expect(trade).toMatchObject({
      type: "deposit",
      externalId: "dep-1",
      totalCents: 1078,
      preCreditCents: 645,
      pendingCreditCents: 433,
      clientSteamId: member.steamId,
    });
    expect(trade.items[0]).toMatchObject({ priceCents: 1075, marketPriceCents: 1230 });
    expect(trade.relatedTrades?.[0]).toMatchObject({ id: "sibling-1", totalCents: 3 });
    await client.close();
  });

  it("sends a withdrawal with per-item ceilings and references", async () => {
    fake.on("POST", "/client/trading/withdraw", ok(tradeWire({ type: "withdraw", externalId: "wd-1" })));
    const client = clientFor(fake);
    await client.withdraw(member, {
      items: [
        { itemId: "listing-01", priceCents: 1999, maxPriceCents: 2099, externalId: "wd-1-a" },
        { itemId: "listing-02", priceCents: 5 },
      ],
      game: "252490",
      externalId: "wd-1",
      autoCancel: 720,
      slippageBps: 150,
    });
    const [call] = fake.calls("POST", "/client/trading/withdraw");
    expect(call?.body).toEqual({
      items: [
        { itemId: "listing-01", price: 19.99, maxPrice: 20.99, externalId: "wd-1-a" },
        { itemId: "listing-02", price: 0.05 },
      ],
      slippageBps: 150,
      autoCancel: 720,
      game: "252490",
      externalId: "wd-1",
    });
    expect(call?.contractErrors).toEqual([]);
    await client.close();
  });

  it("sends a quick withdrawal with its ceiling in dollars", async () => {
    fake.on(
      "POST",
      "/client/trading/withdraw/quick",
      ok(tradeWire({ type: "withdraw", externalId: "qw-1" })),
    );
    const client = clientFor(fake);
    await client.quickWithdraw(member, {
      marketHashName: "AK-47 | Redline (Field-Tested)",
      maxPriceCents: 1250,
      amount: 2,
      delivery: "instant",
      game: "730",
      externalId: "qw-1",
      externalIds: ["qw-1-a", "qw-1-b"],
    });
    const [call] = fake.calls("POST", "/client/trading/withdraw/quick");
    expect(call?.body).toEqual({
      marketHashName: "AK-47 | Redline (Field-Tested)",
      maxPrice: 12.5,
      amount: 2,
      delivery: "instant",
      game: "730",
      externalId: "qw-1",
      externalIds: ["qw-1-a", "qw-1-b"],
    });
    expect(call?.contractErrors).toEqual([]);
    await client.close();
  });

  it("sells and buys for the merchant with the api key and the trade URL in the body", async () => {
    fake.on("POST", "/secure/sell", ok(tradeWire({ source: "self", externalId: "sell-1" })));
    fake.on("POST", "/secure/buy", ok(tradeWire({ source: "self", type: "withdraw", externalId: "buy-1" })));
    const client = clientFor(fake);
    const sold = await client.sell({
      tradeUrl: TRADE_URL,
      items: oneItem,
      game: "730",
      externalId: "sell-1",
      isInstant: true,
    });
    await client.buy({
      tradeUrl: TRADE_URL,
      items: [{ itemId: "listing-01", priceCents: 300 }],
      game: "730",
      externalId: "buy-1",
    });

    const [sell] = fake.calls("POST", "/secure/sell");
    const [buy] = fake.calls("POST", "/secure/buy");
    expect(sell?.body).toEqual({
      tradeUrl: TRADE_URL,
      items: [{ itemId: "item-0001", price: 10.75 }],
      game: "730",
      externalId: "sell-1",
      isInstant: true,
    });
    expect(buy?.body).toEqual({
      tradeUrl: TRADE_URL,
      items: [{ itemId: "listing-01", price: 3 }],
      game: "730",
      externalId: "buy-1",
    });
    for (const call of [sell, buy]) {
      expect(call?.contractErrors).toEqual([]);
      expect(call?.headers["api-key"]).toBe(API_KEY);
      expect(call?.headers.authorization).toBeUndefined();
    }
    expect(sold.source).toBe("self");
    await client.close();
  });

  it("refuses prices that are not whole positive cents and externalIds with commas before sending", async () => {
    const client = clientFor(fake);
    const badPrice = await client
      .deposit(member, {
        items: [{ itemId: "item-0001", priceCents: 10.5 }],
        game: "730",
        externalId: "d",
        isInstant: false,
      })
      .catch((e) => e);
    const badRef = await client
      .deposit(member, { items: oneItem, game: "730", externalId: "a,b", isInstant: false })
      .catch((e) => e);
    expect(badPrice).toMatchObject({
      key: "VALIDATION_FAILED",
      status: 0,
      fields: { "items.0.price": expect.any(String) },
    });
    expect(badRef).toMatchObject({ key: "VALIDATION_FAILED", fields: { externalId: expect.any(String) } });
    expect(fake.requests).toHaveLength(0);
    await client.close();
  });
});

describe("a trade call that fails in transit", () => {
  const deposit = (client: ReturnType<typeof clientFor>) =>
    client.deposit(member, { items: oneItem, game: "730", externalId: "dep-1", isInstant: false });

  it("returns the trade AssetPay did create, found by externalId, without re-sending", async () => {
    fake.on("POST", "/client/trading/deposit", destroySocket);
    fake.on("GET", TRADES, ok(tradeWire({ status: "active" })));
    const client = clientFor(fake);
    const trade = await deposit(client);

    expect(trade).toMatchObject({ externalId: "dep-1", status: "active", totalCents: 1075 });
    expect(fake.calls("POST", "/client/trading/deposit")).toHaveLength(1);
    const [lookup] = fake.calls("GET", TRADES);
    expect(lookup?.path).toBe("/secure/trades/dep-1");
    expect(lookup?.headers["api-key"]).toBe(API_KEY);
    await client.close();
  });

  it("says no trade was created when the lookup finds none", async () => {
    fake.on("POST", "/client/trading/deposit", destroySocket);
    fake.on("GET", TRADES, notFound);
    const client = clientFor(fake);
    const err = await deposit(client).catch((e) => e);

    expect(err).toBeInstanceOf(AssetPayError);
    expect(err).not.toBeInstanceOf(TradeOutcomeUnknown);
    expect(err).toMatchObject({ key: "SDK_NETWORK", status: 0, operation: "deposit" });
    expect(err.details).toMatchObject({ tradeCreated: false, externalId: "dep-1" });
    expect(tradeCreated(err)).toBe(false);
    expect(err.isRetryable).toBe(true);
    expect(fake.calls("POST", "/client/trading/deposit")).toHaveLength(1);
    await client.close();
  });

  it("reports an unknown outcome when the lookup fails too", async () => {
    fake.on("POST", "/client/trading/deposit", destroySocket);
    fake.on("GET", TRADES, fail(503, { code: 1007, key: "SYSTEM_MAINTENANCE", message: "Maintenance" }));
    const client = clientFor(fake);
    const err = await deposit(client).catch((e) => e);

    expect(err).toBeInstanceOf(TradeOutcomeUnknown);
    expect(err).toMatchObject({ key: "SDK_NETWORK", externalId: "dep-1" });
    expect(err.details).toMatchObject({ tradeCreated: "unknown", lookupError: "SYSTEM_MAINTENANCE" });
    expect(err.isRetryable).toBe(false);
    expect(fake.calls("POST", "/client/trading/deposit")).toHaveLength(1);
    expect(fake.calls("GET", TRADES)).toHaveLength(3);
    await client.close();
  });

  it("recovers a deposit that outlived its own deadline", async () => {
    fake.on("POST", "/client/trading/deposit", hang);
    fake.on("GET", TRADES, ok(tradeWire()));
    const client = clientFor(fake, { timeouts: { tradeMs: 50 } });
    await expect(deposit(client)).resolves.toMatchObject({ externalId: "dep-1" });
    await client.close();
  });

  it("reports a timed-out withdrawal that was never created as SDK_TIMEOUT with tradeCreated false", async () => {
    fake.on("POST", "/client/trading/withdraw", hang);
    fake.on("GET", TRADES, notFound);
    const client = clientFor(fake, { timeouts: { perOperation: { withdraw: 50 } } });
    const err = await client
      .withdraw(member, {
        items: [{ itemId: "listing-01", priceCents: 500 }],
        game: "730",
        externalId: "wd-9",
      })
      .catch((e) => e);
    expect(err).toMatchObject({ key: "SDK_TIMEOUT", details: { tradeCreated: false, externalId: "wd-9" } });
    await client.close();
  });

  it("cannot look up a quick withdrawal sent without an externalId", async () => {
    fake.on("POST", "/client/trading/withdraw/quick", destroySocket);
    const client = clientFor(fake);
    const err = await client
      .quickWithdraw(member, { itemId: "catalog-01", maxPriceCents: 500, amount: 1, game: "730" })
      .catch((e) => e);
    expect(err).toBeInstanceOf(TradeOutcomeUnknown);
    expect(tradeCreated(err)).toBe("unknown");
    expect(fake.calls("GET", TRADES)).toHaveLength(0);
    await client.close();
  });

  it("knows nothing was created when the member's token could not be obtained", async () => {
    fake.on("POST", "/auth/authenticate-client", destroySocket);
    const client = clientFor(fake, { merchantId: undefined, retry: { attempts: 1 } });
    const err = await deposit(client).catch((e) => e);
    expect(err).toMatchObject({ key: "SDK_NETWORK", operation: "authenticateClient" });
    expect(tradeCreated(err)).toBe(false);
    expect(fake.calls("POST", "/client/trading/deposit")).toHaveLength(0);
    expect(fake.calls("GET", TRADES)).toHaveLength(0);
    await client.close();
  });

  it("recovers a self-sell the same way", async () => {
    fake.on("POST", "/secure/sell", destroySocket);
    fake.on("GET", TRADES, ok(tradeWire({ source: "self", externalId: "sell-1" })));
    const client = clientFor(fake);
    const trade = await client.sell({
      tradeUrl: TRADE_URL,
      items: oneItem,
      game: "730",
      externalId: "sell-1",
      isInstant: false,
    });
    expect(trade).toMatchObject({ source: "self", externalId: "sell-1" });
    await client.close();
  });
});

describe("trade lookups", () => {
  function serveByRef(known: Set<string>) {
    fake.on("GET", TRADES, (req, res) => {
      const refs = decodeURIComponent(req.path.slice("/secure/trades/".length)).split(",");
      if (refs.length === 1) {
        const [ref] = refs as [string];
        return known.has(ref)
          ? ok(tradeWire({ id: `id-${ref}`, externalId: ref }))(req, res)
          : notFound(req, res);
      }
      return ok(refs.filter((r) => known.has(r)).map((r) => tradeWire({ id: `id-${r}`, externalId: r })))(
        req,
        res,
      );
    });
  }

  it("answers a missing trade with TRADE_NOT_FOUND", async () => {
    serveByRef(new Set());
    const client = clientFor(fake);
    const err = await client.getTrade("nope").catch((e) => e);
    expect(err).toMatchObject({ key: "TRADE_NOT_FOUND", status: 404 });
    await client.close();
  });

  it("looks trades up in chunks of at most 100 refs joined by commas", async () => {
    const refs = Array.from({ length: 150 }, (_, i) => `ext-${i}`);
    serveByRef(new Set(refs.filter((_, i) => i % 2 === 0)));
    const client = clientFor(fake);
    const trades = await client.getTrades(refs);

    const calls = fake.calls("GET", TRADES);
    expect(calls.map((c) => c.path.slice("/secure/trades/".length).split(",").length)).toEqual([100, 50]);
    expect(calls[0]?.path).toBe(`/secure/trades/${refs.slice(0, 100).join(",")}`);
    expect(trades.map((t) => t.externalId)).toEqual(refs.filter((_, i) => i % 2 === 0));
    await client.close();
  });

  it("returns an array for a single ref, empty when it is missing", async () => {
    serveByRef(new Set(["ext-1"]));
    const client = clientFor(fake);
    expect((await client.getTrades(["ext-1"])).map((t) => t.id)).toEqual(["id-ext-1"]);
    expect(await client.getTrades(["ext-2"])).toEqual([]);
    expect(await client.getTrades([])).toEqual([]);
    await client.close();
  });

  it("rejects a ref containing a comma without asking AssetPay", async () => {
    const client = clientFor(fake);
    await expect(client.getTrades(["a", "b,c"])).rejects.toMatchObject({ key: "VALIDATION_FAILED" });
    await expect(client.getTrade("b,c")).rejects.toMatchObject({ key: "VALIDATION_FAILED" });
    expect(fake.requests).toHaveLength(0);
    await client.close();
  });
});

describe("member reads", () => {
  it("reads the inventory with the game as an integer and price bounds in dollars, items in cents", async () => {
    fake.on("GET", "/client/inventory", ok(inventoryData()));
    const client = clientFor(fake);
    const page = await client.inventory(member, {
      game: "252490",
      refresh: true,
      acceptedOnly: true,
      minPriceCents: 150,
      maxPriceCents: 100_000,
      sort: "priceDesc",
      limit: -1,
    });
    const [call] = fake.calls("GET", "/client/inventory");
    expect(Object.fromEntries(call?.query ?? [])).toEqual({
      game: "252490",
      refresh: "true",
      acceptedOnly: "true",
      minPrice: "1.5",
      maxPrice: "1000",
      sort: "priceDesc",
      limit: "-1",
    });
    expect(page).toMatchObject({ count: 1, updatedAt: "2026-05-14T12:00:00.000Z", collateralCents: 2550 });
    expect(page.items[0]).toMatchObject({
      id: "item-0001",
      priceCents: 1075,
      marketPriceCents: 1230,
      accepted: true,
    });
    await client.close();
  });

  it("reads the market, one item's listings, suggestions and the member's trades", async () => {
    fake.on("GET", "/client/market", ok({ items: [itemWire({ itemId: "0010f8d48278ccb8" })], count: 7 }));
    fake.on(
      "GET",
      "/client/market/item",
      ok([itemWire({ id: "listing-01", offer: { price: 9.99, delivery: "instant" } })]),
    );
    fake.on(
      "GET",
      "/client/market/suggestions",
      ok([
        {
          id: "0010f8d48278ccb8",
          marketHashName: "AK-47 | Redline (Field-Tested)",
          iconUrl: "abc",
          rarity: "Classified",
        },
      ]),
    );
    fake.on("GET", "/client/trades", ok({ items: [tradeWire()], nextCursor: "c2" }));
    const client = clientFor(fake);

    const market = await client.market(member, {
      game: "730",
      search: "redline",
      perPage: 10,
      minPriceCents: 1,
    });
    const listings = await client.marketItem(member, {
      itemId: "0010f8d48278ccb8",
      delivery: "instant",
      phase: "Ruby",
    });
    const suggestions = await client.suggestions(member, "redl");
    const trades = await client.trades(member, { game: "252490", type: "withdraw", limit: 5, cursor: "c1" });

    expect(Object.fromEntries(fake.calls("GET", "/client/market")[0]?.query ?? [])).toEqual({
      game: "730",
      search: "redline",
      perPage: "10",
      minPrice: "0.01",
    });
    expect(market).toMatchObject({ count: 7, items: [{ catalogId: "0010f8d48278ccb8", priceCents: 1075 }] });
    expect(Object.fromEntries(fake.calls("GET", "/client/market/item")[0]?.query ?? [])).toEqual({
      itemId: "0010f8d48278ccb8",
      delivery: "instant",
      phase: "Ruby",
    });
    expect(listings).toMatchObject([{ id: "listing-01", priceCents: 999, delivery: "instant" }]);
    expect(suggestions).toEqual([
      {
        id: "0010f8d48278ccb8",
        marketHashName: "AK-47 | Redline (Field-Tested)",
        iconUrl: "abc",
        rarity: "Classified",
      },
    ]);
    expect(Object.fromEntries(fake.calls("GET", "/client/trades")[0]?.query ?? [])).toEqual({
      game: "252490",
      type: "withdraw",
      limit: "5",
      cursor: "c1",
    });
    expect(trades).toMatchObject({ nextCursor: "c2", items: [{ totalCents: 1075 }] });
    await client.close();
  });

  it("checks a trade URL with the contract's lower-case field name", async () => {
    fake.on(
      "POST",
      "/secure/check-tradeurl",
      ok({ state: 1, steamid: member.steamId, message: "Normal", canTrade: true }),
    );
    const client = clientFor(fake);
    const result = await client.checkTradeUrl(TRADE_URL, { forceRefresh: true });
    const [call] = fake.calls("POST", "/secure/check-tradeurl");
    expect(call?.body).toEqual({ tradeurl: TRADE_URL, forceRefresh: true });
    expect(call?.contractErrors).toEqual([]);
    expect(result).toMatchObject({ state: 1, canTrade: true });
    await client.close();
  });

  it("reads another account's inventory for self-trades with the trade URL in the query", async () => {
    fake.on("GET", "/secure/inventory", ok(inventoryData()));
    const client = clientFor(fake);
    await client.secureInventory(TRADE_URL, { game: "730", page: 2 });
    const [call] = fake.calls("GET", "/secure/inventory");
    expect(call?.query.get("tradeUrl")).toBe(TRADE_URL);
    expect(call?.query.get("page")).toBe("2");
    expect(call?.headers["api-key"]).toBe(API_KEY);
    await client.close();
  });
});

describe("cancellations", () => {
  it("cancels one withdrawal item and a whole withdrawal for the member, and a self-buy item", async () => {
    fake.on(
      "POST",
      /^\/client\/trading\/withdraw\/[^/]+\/items\/[^/]+\/cancel$/,
      ok({ tradeId: "t-1", itemId: "i-1", externalId: "wd-1/a", status: "cancelled" }),
    );
    fake.on(
      "POST",
      /^\/client\/trading\/withdraw\/[^/]+\/cancel$/,
      ok({
        tradeId: "t-1",
        requested: 2,
        cancelled: 1,
        failed: 1,
        items: [
          { itemId: "i-1", status: "cancelled" },
          { itemId: "i-2", status: "failed", reason: "TRADE_CANCEL_TOO_SOON" },
        ],
      }),
    );
    fake.on(
      "POST",
      /^\/secure\/buy\/[^/]+\/items\/[^/]+\/cancel$/,
      ok({ tradeId: "t-2", itemId: "i-9", status: "cancelled" }),
    );
    const client = clientFor(fake);

    const one = await client.cancelWithdrawItem(member, "wd-1", "wd-1/a");
    const all = await client.cancelWithdraw(member, "wd-1");
    const self = await client.cancelBuyItem("t-2", "i-9");

    expect(fake.requests.map((r) => r.path)).toEqual([
      "/client/trading/withdraw/wd-1/items/wd-1%2Fa/cancel",
      "/client/trading/withdraw/wd-1/cancel",
      "/secure/buy/t-2/items/i-9/cancel",
    ]);
    expect(fake.requests[0]?.headers.authorization).toMatch(/^Bearer /);
    expect(fake.requests[2]?.headers["api-key"]).toBe(API_KEY);
    expect(one).toEqual({ tradeId: "t-1", itemId: "i-1", externalId: "wd-1/a", status: "cancelled" });
    expect(all).toMatchObject({ requested: 2, cancelled: 1, failed: 1 });
    expect(self).toEqual({ tradeId: "t-2", itemId: "i-9", status: "cancelled" });
    await client.close();
  });

  it("does not retry a cancellation that met a 500", async () => {
    fake.on("POST", /\/cancel$/, fail(500, { code: 1006, key: "SERVER_ERROR", message: "boom" }));
    const client = clientFor(fake);
    await expect(client.cancelWithdraw(member, "wd-1")).rejects.toMatchObject({ key: "SERVER_ERROR" });
    expect(fake.requests).toHaveLength(1);
    await client.close();
  });
});
