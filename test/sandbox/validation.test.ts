import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintClientToken } from "../../src/assetpay/token.ts";
import { type Api, MERCHANT_ID, startWorld, steamIdOf, tokenFor, tradeUrl, type World } from "./harness.ts";

let w: World;
let api: Api;
beforeAll(async () => {
  w = await startWorld();
  api = w.api;
});
afterAll(async () => {
  await w.close();
});

describe("merchant authentication", () => {
  it("answers MISSING_API_KEY without the api-key header and INVALID_API_KEY for a wrong one", async () => {
    const missing = await api.call("POST", "/secure/check-tradeurl", { body: { tradeurl: tradeUrl(1) } });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ success: false, error: { key: "MISSING_API_KEY", code: 1900 } });
    expect(missing.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const wrong = await api.call("POST", "/secure/check-tradeurl", {
      body: { tradeurl: tradeUrl(1) },
      headers: { "api-key": "ap_wrong" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ key: "INVALID_API_KEY", code: 1901 });
  });
});

describe("client authentication", () => {
  it("accepts the token raw or as Bearer", async () => {
    const token = tokenFor(4001);
    const raw = await api.call("GET", "/client/trades", { headers: { authorization: token } });
    const bearer = await api.call("GET", "/client/trades", { headers: { authorization: `Bearer ${token}` } });
    expect([raw.status, bearer.status]).toEqual([200, 200]);
  });

  it("answers MISSING_BEARER without a token and INVALID_TOKEN for a forged, expired or foreign one", async () => {
    const none = await api.call("GET", "/client/inventory");
    expect(none.body.error).toMatchObject({ key: "MISSING_BEARER", code: 1108 });
    const mint = (over: Partial<Parameters<typeof mintClientToken>[0]>) =>
      mintClientToken({
        merchantId: MERCHANT_ID,
        apiSecret: "test-secret",
        steamId: steamIdOf(4002),
        tradeUrl: tradeUrl(4002),
        ...over,
      }).token;
    const tokens = {
      forged: mint({ apiSecret: "someone-elses-secret" }),
      expired: mint({ now: Math.floor(Date.now() / 1000) - 90_000 }),
      foreign: mint({ merchantId: "another-merchant" }),
      garbage: "not.a.jwt",
    };
    for (const [name, token] of Object.entries(tokens)) {
      const res = await api.client(token, "GET", "/client/inventory");
      expect([name, res.status, res.body.error?.key]).toEqual([name, 401, "INVALID_TOKEN"]);
    }
  });

  it("issues tokens from authenticate-client that the client routes accept and that carry clientId", async () => {
    const res = await api.merchant("POST", "/auth/authenticate-client", {
      clientSteamId: steamIdOf(4003),
      clientTradeUrl: tradeUrl(4003),
      clientId: "discord:1234",
      clientData: { kycLevel: 1, registrationDate: null, fiatDeposits: true },
    });
    expect(res.status).toBe(200);
    const inventory = await api.client(res.body.data.token, "GET", "/client/inventory");
    expect(inventory.status).toBe(200);
  });
});

describe("request validation", () => {
  it("rejects a bad trade URL, a bad SteamID and an unknown field with VALIDATION_FAILED and dotted fields", async () => {
    const res = await api.merchant("POST", "/auth/authenticate-client", {
      clientSteamId: "7656119801234567",
      clientTradeUrl: "https://steamcommunity.com/tradeoffer/new/?partner=1&token=short",
      clientData: { kycLevel: -1, extra: true },
      nickname: "x",
    });
    expect(res.status).toBe(422);
    expect(res.body.error?.key).toBe("VALIDATION_FAILED");
    expect(res.body.error?.code).toBe(1001);
    expect(Object.keys(res.body.error?.fields ?? {}).sort()).toEqual([
      "clientData.extra",
      "clientData.kycLevel",
      "clientSteamId",
      "clientTradeUrl",
      "nickname",
    ]);
    expect(res.body.error?.fields?.nickname).toBe("is not allowed");
  });

  it("rejects the old-generation item shape (offer:{...}) and missing or mistyped fields", async () => {
    const token = tokenFor(4010);
    const res = await api.client(token, "POST", "/client/trading/deposit", {
      items: [
        { itemId: "abcdef", offer: { price: 1, reference: "x" } },
        { itemId: "abc", price: "1.00" },
      ],
      isInstant: "yes",
    });
    expect(res.status).toBe(422);
    expect(res.body.error?.fields).toEqual({
      "items.0.price": "is required",
      "items.0.offer": "is not allowed",
      "items.1.itemId": "must be at least 5 characters",
      "items.1.price": "must be a number",
      isInstant: "must be a boolean",
    });
  });

  it("caps fields at 20 and names the first 5 in the message", async () => {
    const token = tokenFor(4011);
    const items = Array.from({ length: 30 }, () => ({ itemId: "x", price: 0 }));
    const res = await api.client(token, "POST", "/client/trading/deposit", { items });
    expect(Object.keys(res.body.error?.fields ?? {})).toHaveLength(20);
    expect(res.body.error?.message).toHaveLength(5);
    expect(res.body.error?.message?.[0]).toBe("items.0.itemId: must be at least 5 characters");
  });

  it("checks limits: withdraw price, slippage, autoCancel, quick amount", async () => {
    const token = tokenFor(4012);
    const withdraw = await api.client(token, "POST", "/client/trading/withdraw", {
      items: [{ itemId: "00000000-0000-8000-8000-000000000000", price: 100_001 }],
      slippageBps: 2001,
      autoCancel: 29,
    });
    expect(withdraw.body.error?.fields).toEqual({
      "items.0.price": "must be at most 100000",
      slippageBps: "must be at most 2000",
      autoCancel: "must be at least 30",
    });
    const quick = await api.client(token, "POST", "/client/trading/withdraw/quick", {
      marketHashName: "AK-47 | Redline (Field-Tested)",
      maxPrice: 10,
      amount: 201,
      phase: "Ruby",
      delivery: "instant",
    });
    expect(quick.body.error?.fields).toMatchObject({
      amount: "must be at most 200",
      phase: expect.any(String),
    });
  });

  it("answers malformed JSON with 400 VALIDATION_FAILED and a non-object body with 422", async () => {
    const token = tokenFor(4013);
    const malformed = await api.call("POST", "/client/trading/deposit", {
      raw: '{"items": [',
      headers: { authorization: token },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({
      key: "VALIDATION_FAILED",
      fields: { body: "is not valid JSON" },
    });
    const array = await api.client(token, "POST", "/client/trading/deposit", [1, 2]);
    expect(array.status).toBe(422);
    expect(array.body.error?.fields).toEqual({ body: "must be an object" });
  });

  it("validates query strings the same way", async () => {
    const token = tokenFor(4014);
    const res = await api.client(token, "GET", "/client/market?game=440&sort=cheapest&perPage=0");
    expect(res.body.error?.fields).toEqual({
      game: "must be 730 (CS2) or 252490 (Rust)",
      sort: "must be one of: relevance, priceAsc, priceDesc, nameAsc, nameDesc",
      perPage: "must be -1 (all) or 1-1000",
    });
    const item = await api.client(token, "GET", "/client/market/item");
    expect(item.body.error?.fields).toEqual({ itemId: "itemId or marketHashName is required" });
  });

  it("refuses more than 100 refs in a batch trade lookup", async () => {
    const refs = Array.from({ length: 101 }, (_, i) => `ref-${i}`).join(",");
    const res = await api.merchant("GET", `/secure/trades/${refs}`);
    expect(res.status).toBe(422);
    expect(res.body.error?.fields?.tradeId).toContain("100");
    const some = await api.merchant("GET", "/secure/trades/ref-1,ref-2");
    expect(some.body.data).toEqual([]);
    const one = await api.merchant("GET", "/secure/trades/ref-1");
    expect(one.status).toBe(404);
    expect(one.body.error?.key).toBe("TRADE_NOT_FOUND");
  });
});

describe("routing", () => {
  it("answers an unknown route with 404 NOT_FOUND in the error envelope", async () => {
    const res = await api.call("GET", "/client/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, error: { key: "NOT_FOUND", code: 1003 } });
    expect(res.headers.get("x-request-id")).toBe(res.body.requestId);
  });
});
