import { randomUUID } from "node:crypto";
import KeyvRedis from "@keyv/redis";
import { Keyv } from "keyv";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { AssetPayError } from "../../src/assetpay/errors.ts";
import { decodeToken, mintClientToken, verifyClientToken } from "../../src/assetpay/token.ts";
import { createMemoryTokenStore, tokenKey } from "../../src/assetpay/token-cache.ts";
import { type FakeAssetPay, fail, fakeAssetPay, ok } from "./fake-assetpay.ts";
import {
  API_KEY,
  API_SECRET,
  clientFor,
  inventoryData,
  MERCHANT_ID,
  member,
  STEAM_ID,
  TRADE_URL,
  tradeWire,
} from "./fixtures.ts";

const T0 = Date.parse("2026-05-14T12:00:00.000Z");
const DAY_MS = 86_400_000;

function bearer(fake: FakeAssetPay, index: number): string {
  const header = fake.calls("GET", "/client/inventory")[index]?.headers.authorization ?? "";
  return header.replace(/^Bearer /, "");
}

let fake: FakeAssetPay;
beforeEach(async () => {
  fake = await fakeAssetPay();
  fake.on("GET", "/client/inventory", ok(inventoryData()));
});
afterEach(() => fake.close());

describe("client tokens", () => {
  it("mints a token locally in exactly AssetPay's format, signed with the API secret", async () => {
    const client = clientFor(fake, { now: () => T0 });
    const token = await client.authenticateClient(member, { kycLevel: 2, fiatDeposits: true });

    const [head, body] = token.split(".") as [string, string, string];
    expect(Buffer.from(head, "base64url").toString("utf8")).toBe(
      JSON.stringify({ alg: "HS256", userId: MERCHANT_ID }),
    );
    const { claims } = decodeToken(token);
    const iat = Math.floor(T0 / 1000);
    expect(JSON.parse(Buffer.from(body, "base64url").toString("utf8"))).toEqual(claims);
    expect(claims).toEqual({
      merchantId: MERCHANT_ID,
      client: {
        steamID: STEAM_ID,
        tradeUrl: TRADE_URL,
        clientData: { kycLevel: 2, fiatDeposits: true },
        clientId: member.memberId,
      },
      iat,
      exp: iat + 86_400,
    });
    const verified = verifyClientToken(token, (id) => (id === MERCHANT_ID ? API_SECRET : undefined), iat + 1);
    expect(verified.ok).toBe(true);
    expect(fake.requests).toHaveLength(0);
    await client.close();
  });

  it("refuses to mint for an identity AssetPay would reject", async () => {
    const client = clientFor(fake);
    const err = await client.inventory({ ...member, steamId: "123" }, { game: "730" }).catch((e) => e);
    expect(err).toBeInstanceOf(AssetPayError);
    expect(err.key).toBe("VALIDATION_FAILED");
    expect(err.fields).toHaveProperty("clientSteamId");
    expect(fake.requests).toHaveLength(0);
    await client.close();
  });

  it("sends the member token as a Bearer header on client routes and the api key on secure routes", async () => {
    fake.on("GET", /^\/secure\/trades\//, ok(tradeWire()));
    const client = clientFor(fake, { now: () => T0 });
    await client.inventory(member, { game: "730" });
    await client.getTrade("dep-1");

    const [inv, lookup] = fake.requests;
    expect(inv?.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(inv?.headers["api-key"]).toBeUndefined();
    expect(decodeToken(bearer(fake, 0)).claims["merchantId"]).toBe(MERCHANT_ID);
    expect(lookup?.headers["api-key"]).toBe(API_KEY);
    expect(lookup?.headers.authorization).toBeUndefined();
    await client.close();
  });

  it("reuses a member's token and mints a new one five minutes before it expires", async () => {
    let now = T0;
    const client = clientFor(fake, { now: () => now });
    await client.inventory(member, { game: "730" });
    now = T0 + DAY_MS - 5 * 60_000 - 1000;
    await client.inventory(member, { game: "730" });
    now = T0 + DAY_MS - 5 * 60_000 + 1000;
    await client.inventory(member, { game: "730" });

    expect(bearer(fake, 1)).toBe(bearer(fake, 0));
    expect(bearer(fake, 2)).not.toBe(bearer(fake, 0));
    expect(decodeToken(bearer(fake, 2)).claims["iat"]).toBe(Math.floor(now / 1000));
    await client.close();
  });

  it("keeps one token per member identity: a new trade URL gets its own token", async () => {
    const client = clientFor(fake, { now: () => T0 });
    const otherUrl = "https://steamcommunity.com/tradeoffer/new/?partner=52079950&token=ZZZzzz99";
    await client.inventory(member, { game: "730" });
    await client.inventory({ ...member, tradeUrl: otherUrl }, { game: "730" });
    expect(decodeToken(bearer(fake, 1)).claims["client"]).toMatchObject({ tradeUrl: otherUrl });
    await client.close();
  });

  it("asks /auth/authenticate-client with the api key when no merchant id is configured", async () => {
    const serverToken = mintClientToken({
      merchantId: MERCHANT_ID,
      apiSecret: API_SECRET,
      steamId: STEAM_ID,
      tradeUrl: TRADE_URL,
      clientId: member.memberId,
      now: Math.floor(T0 / 1000),
    }).token;
    fake.on("POST", "/auth/authenticate-client", ok({ token: serverToken }));
    const client = clientFor(fake, { merchantId: undefined, now: () => T0 });
    await client.inventory(member, { game: "730" });
    await client.inventory(member, { game: "730" });

    const auths = fake.calls("POST", "/auth/authenticate-client");
    expect(auths).toHaveLength(1);
    expect(auths[0]?.headers["api-key"]).toBe(API_KEY);
    expect(auths[0]?.body).toEqual({
      clientSteamId: STEAM_ID,
      clientTradeUrl: TRADE_URL,
      clientId: member.memberId,
    });
    expect(auths[0]?.contractErrors).toEqual([]);
    expect(bearer(fake, 0)).toBe(serverToken);
    expect(bearer(fake, 1)).toBe(serverToken);
    await client.close();
  });

  it("asks AssetPay once when several calls for one member need a token at the same moment", async () => {
    const serverToken = mintClientToken({
      merchantId: MERCHANT_ID,
      apiSecret: API_SECRET,
      steamId: STEAM_ID,
      tradeUrl: TRADE_URL,
      now: Math.floor(T0 / 1000),
    }).token;
    fake.on("POST", "/auth/authenticate-client", ok({ token: serverToken }));
    const client = clientFor(fake, { merchantId: undefined, now: () => T0 });
    await Promise.all([1, 2, 3].map(() => client.inventory(member, { game: "730" })));
    expect(fake.calls("POST", "/auth/authenticate-client")).toHaveLength(1);
    expect(fake.calls("GET", "/client/inventory")).toHaveLength(3);
    await client.close();
  });

  it("drops a token AssetPay refuses, re-mints it and replays the call once with the same request id", async () => {
    const store = createMemoryTokenStore(() => T0);
    const stale = mintClientToken({
      merchantId: MERCHANT_ID,
      apiSecret: "a-rotated-away-secret",
      steamId: STEAM_ID,
      tradeUrl: TRADE_URL,
      now: Math.floor(T0 / 1000),
    }).token;
    await store.set(tokenKey(member), stale, DAY_MS);
    fake.on(
      "GET",
      "/client/inventory",
      fail(401, { code: 1102, key: "INVALID_TOKEN", message: "Invalid token" }),
      ok(inventoryData()),
    );
    const client = clientFor(fake, { tokenCache: store, now: () => T0 });
    const page = await client.inventory(member, { game: "730" });

    expect(page.count).toBe(1);
    const calls = fake.calls("GET", "/client/inventory");
    expect(calls).toHaveLength(2);
    expect(bearer(fake, 0)).toBe(stale);
    const fresh = bearer(fake, 1);
    expect(verifyClientToken(fresh, () => API_SECRET, Math.floor(T0 / 1000)).ok).toBe(true);
    expect(calls[1]?.headers["x-request-id"]).toBe(calls[0]?.headers["x-request-id"]);
    expect(await store.get(tokenKey(member))).toBe(fresh);
    await client.close();
  });

  it("re-mints only once: a second refusal reaches the caller", async () => {
    fake.on(
      "GET",
      "/client/inventory",
      fail(401, { code: 1111, key: "TOKEN_EXPIRED", message: "Token expired" }),
    );
    const client = clientFor(fake, { now: () => T0 });
    const err = await client.inventory(member, { game: "730" }).catch((e) => e);
    expect(err).toBeInstanceOf(AssetPayError);
    expect(err.key).toBe("TOKEN_EXPIRED");
    expect(err.status).toBe(401);
    expect(fake.calls("GET", "/client/inventory")).toHaveLength(2);
    await client.close();
  });

  it("shares tokens between instances through a Keyv store on Redis", async () => {
    const keyv = new Keyv({ store: new KeyvRedis(inject("redisUrl")), namespace: `test-${randomUUID()}` });
    let issued = 0;
    fake.on("POST", "/auth/authenticate-client", (_req, res) => {
      issued++;
      const token = mintClientToken({
        merchantId: MERCHANT_ID,
        apiSecret: API_SECRET,
        steamId: STEAM_ID,
        tradeUrl: TRADE_URL,
        now: Math.floor(T0 / 1000) + issued,
      }).token;
      return ok({ token })(_req, res);
    });
    const first = clientFor(fake, { merchantId: undefined, tokenCache: keyv, now: () => T0 });
    const second = clientFor(fake, { merchantId: undefined, tokenCache: keyv, now: () => T0 });
    await first.inventory(member, { game: "730" });
    await second.inventory(member, { game: "730" });

    expect(fake.calls("POST", "/auth/authenticate-client")).toHaveLength(1);
    expect(bearer(fake, 1)).toBe(bearer(fake, 0));
    await Promise.all([first.close(), second.close(), keyv.disconnect()]);
  });

  it("forgets a token in the in-memory store once its time is up", async () => {
    let now = T0;
    const store = createMemoryTokenStore(() => now);
    await store.set("k", "v", 1000);
    now = T0 + 999;
    expect(await store.get("k")).toBe("v");
    now = T0 + 1000;
    expect(await store.get("k")).toBeUndefined();
  });
});
