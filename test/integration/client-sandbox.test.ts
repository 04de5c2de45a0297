/**
 * The AssetPay client against the running sandbox, both real, over HTTP on 127.0.0.1: every
 * operation on its success path and on the refusals AssetPay documents for it. One sandbox and
 * one verifying callback receiver serve the whole file; each test trades as fresh Steam accounts
 * (new partner numbers), so trades, inventories and per-user guards never overlap. Tests share
 * the sandbox's virtual clock and run in file order, so none waits on another's trades.
 */
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AssetPayClient,
  type AssetPayClientOptions,
  type ClientIdentity,
  createAssetPayClient,
  type TokenStore,
} from "../../src/assetpay/client.ts";
import { AssetPayError, tradeCreated } from "../../src/assetpay/errors.ts";
import type { GameId, Item, Trade } from "../../src/assetpay/schemas.ts";
import { decodeToken, mintClientToken } from "../../src/assetpay/token.ts";
import { tokenKey } from "../../src/assetpay/token-cache.ts";
import type { Cents } from "../../src/base/money.ts";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.ts";
import {
  API_KEY,
  MERCHANT_ID,
  type Receiver,
  SECRET,
  startReceiver,
  steamIdOf,
  tradeUrl,
} from "../sandbox/harness.ts";
import { type LossyProxy, startLossyProxy } from "./lossy-proxy.ts";

const CS2: GameId = "730";
const RUST: GameId = "252490";
const MISSING_LISTING = "00000000-0000-8000-8000-000000000000";

let sandbox: Sandbox;
let receiver: Receiver;
let client: AssetPayClient;
const extraClients: AssetPayClient[] = [];

function clientWith(overrides: Partial<AssetPayClientOptions> = {}): AssetPayClient {
  const c = createAssetPayClient({
    baseUrl: sandbox.url,
    apiKey: API_KEY,
    apiSecret: SECRET,
    merchantId: MERCHANT_ID,
    retry: { baseDelayMs: 1 },
    ...overrides,
  });
  extraClients.push(c);
  return c;
}

beforeAll(async () => {
  receiver = await startReceiver(SECRET);
  sandbox = await startSandbox({
    port: 0,
    apiKey: API_KEY,
    apiSecret: SECRET,
    merchantId: MERCHANT_ID,
    startTime: new Date("2026-07-01T12:00:00.000Z"),
    callbackRetry: { attempts: 3, baseDelayMs: 20 },
    approvalTimeoutMs: 2_000,
    createLatencyMs: 0,
  });
  expect(await sandbox.setCallbackUrl(receiver.url)).toBe(true);
  client = clientWith();
});

afterAll(async () => {
  await Promise.all(extraClients.map((c) => c.close()));
  await sandbox?.close();
  await receiver?.close();
});

// Deterministic partner numbers: the sandbox derives each inventory from the SteamID.
let nextPartner = 4_100_000;

/** A member trading as a Steam account nobody else in this file uses; `token` picks sandbox magic. */
function member(token = "AbCdEf12"): ClientIdentity {
  const partner = nextPartner++;
  return { memberId: `member-${partner}`, steamId: steamIdOf(partner), tradeUrl: tradeUrl(partner, token) };
}

/** The refusal `promise` ends with; fails the test if it resolves. */
async function refusal(promise: Promise<unknown>): Promise<AssetPayError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (err: unknown) => ({ rejected: err }),
  );
  if ("resolved" in outcome) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.resolved)}`);
  expect(outcome.rejected).toBeInstanceOf(AssetPayError);
  return outcome.rejected as AssetPayError;
}

function price(item: Item): Cents {
  if (item.priceCents === undefined) throw new Error(`item ${item.id} has no offer price`);
  return item.priceCents;
}

/** Items the member can deposit (tradable, accepted by AssetPay), cheapest first. */
async function depositable(who: ClientIdentity, count: number, game: GameId = CS2): Promise<Item[]> {
  const page = await client.inventory(who, { game, acceptedOnly: true, limit: -1, sort: "priceAsc" });
  const items = page.items.filter((i) => i.tradable);
  if (items.length < count) throw new Error(`member has only ${items.length} depositable items`);
  return items.slice(0, count);
}

/** Distinct CS2 standard-delivery listings, cheapest first (one per catalog item). */
async function listings(who: ClientIdentity, count: number): Promise<Item[]> {
  const page = await client.market(who, { game: CS2, sort: "priceAsc", perPage: -1 });
  const rows = page.items.filter((i) => i.delivery === "standard");
  if (rows.length < count) throw new Error(`market has only ${rows.length} standard listings`);
  return rows.slice(0, count);
}

function depositOf(items: Item[], externalId: string, game: GameId = CS2) {
  return {
    items: items.map((i) => ({ itemId: i.id, priceCents: price(i) })),
    game,
    externalId,
    isInstant: false,
  };
}

function approvalOf(tradeId: string) {
  return receiver.waitFor(
    (cb) =>
      cb.body.trade?.id === tradeId &&
      cb.body.trade.type === "withdraw" &&
      cb.body.trade.status === "initiated",
  );
}

/** Requests the sandbox served from now on, for asserting what went over the wire. */
function requestsSince(): () => Sandbox["requestLog"] {
  const before = new Set(sandbox.requestLog.map((r) => r.requestId));
  return () => sandbox.requestLog.filter((r) => !before.has(r.requestId));
}

let extSeq = 0;
const ext = (label: string) => `it-${label}-${++extSeq}`;

describe("authenticateClient", () => {
  it("mints the token locally when the merchant id is configured, in AssetPay's exact format", async () => {
    const who = member();
    const log = requestsSince();
    // The client's clock stands still at this moment: iat is exactly its second, not "close to now".
    const mintedAt = Date.now();
    const fixed = clientWith({ now: () => mintedAt });
    const token = await fixed.authenticateClient(who);

    expect(log().filter((r) => r.path === "/auth/authenticate-client")).toEqual([]);
    const { header, claims } = decodeToken(token);
    expect(header).toEqual({ alg: "HS256", userId: MERCHANT_ID });
    expect(claims).toEqual({
      merchantId: MERCHANT_ID,
      client: { steamID: who.steamId, tradeUrl: who.tradeUrl, clientId: who.memberId },
      iat: expect.any(Number),
      exp: (claims["iat"] as number) + 86_400,
    });
    expect(claims["iat"]).toBe(Math.floor(mintedAt / 1000));
    // The sandbox verifies it as AssetPay would: the member's own inventory comes back.
    const inventory = await fixed.inventory(who, { game: CS2 });
    expect(inventory.count).toBeGreaterThan(0);
  });

  it("asks /auth/authenticate-client for the token when no merchant id is configured, once per member", async () => {
    const remote = clientWith({ merchantId: undefined });
    const who = member();
    const log = requestsSince();
    const token = await remote.authenticateClient(who, { kycLevel: 1 });

    const auth = log().filter((r) => r.path === "/auth/authenticate-client");
    expect(auth).toHaveLength(1);
    expect(auth[0]).toMatchObject({
      method: "POST",
      status: 200,
      caller: "api-key",
      body: {
        clientSteamId: who.steamId,
        clientTradeUrl: who.tradeUrl,
        clientId: who.memberId,
        clientData: { kycLevel: 1 },
      },
    });
    const { header, claims } = decodeToken(token);
    expect(header).toEqual({ alg: "HS256", userId: MERCHANT_ID });
    expect(claims).toMatchObject({
      merchantId: MERCHANT_ID,
      client: {
        steamID: who.steamId,
        tradeUrl: who.tradeUrl,
        clientId: who.memberId,
        clientData: { kycLevel: 1 },
      },
    });

    // The cached token carries the clientData: $25 base + $50 for KYC level 1 of collateral.
    const first = await remote.inventory(who, { game: CS2 });
    await remote.inventory(who, { game: RUST });
    expect(first.collateralCents).toBe(7_500);
    expect(log().filter((r) => r.path === "/auth/authenticate-client")).toHaveLength(1);
  });

  it("replaces a token AssetPay refuses with a fresh one and replays the call once", async () => {
    const who = member();
    const stale = mintClientToken({
      merchantId: MERCHANT_ID,
      apiSecret: "a-rotated-away-secret",
      steamId: who.steamId,
      tradeUrl: who.tradeUrl,
    }).token;
    const stored = new Map([[tokenKey(who), stale]]);
    const store: TokenStore = {
      get: async (key) => stored.get(key),
      set: async (key, value) => stored.set(key, value),
      delete: async (key) => stored.delete(key),
    };
    const cached = clientWith({ tokenCache: store });
    const log = requestsSince();

    const page = await cached.inventory(who, { game: CS2 });

    expect(page.count).toBeGreaterThan(0);
    expect(log().map((r) => [r.path, r.status, r.errorKey])).toEqual([
      ["/client/inventory", 401, "INVALID_TOKEN"],
      ["/client/inventory", 200, undefined],
    ]);
    expect(stored.get(tokenKey(who))).not.toBe(stale);
  });

  it("is refused with INVALID_API_KEY for a wrong key, without echoing the key", async () => {
    const wrongKey = "ap_wrong_key_123456";
    const err = await refusal(clientWith({ apiKey: wrongKey }).checkTradeUrl(member().tradeUrl));
    expect(err).toMatchObject({ status: 401, key: "INVALID_API_KEY", code: 1901 });
    expect(JSON.stringify({ message: err.message, details: err.details, fields: err.fields })).not.toContain(
      wrongKey,
    );
  });
});

describe("checkTradeUrl", () => {
  it("reports a normal account as state 1 with its SteamID and clean bans", async () => {
    const who = member();
    expect(await client.checkTradeUrl(who.tradeUrl, { forceRefresh: true })).toEqual({
      state: 1,
      steamid: who.steamId,
      message: "Normal",
      canTrade: true,
      bans: { vacBanned: false, gameBans: 0, economyBan: "none" },
    });
  });

  it.each([
    ["PRIVATE0", { state: 5 }],
    ["CS2BAN00", { state: 2, canTrade: true, bans: { vacBanned: true } }],
    ["RUSTBAN0", { state: 3, bans: { gameBans: 1 } }],
    ["TRADEBAN", { state: 4, canTrade: false, bans: { economyBan: "banned" } }],
    ["ESCROW07", { state: 1, canTrade: false, reason: { escrowDays: 7, probation: false } }],
    ["PROBATN0", { state: 1, canTrade: false, reason: { escrowDays: 0, probation: true } }],
    ["BADURL00", { state: 6 }],
    ["NOUSER00", { state: 7 }],
    ["UNKNOWN0", { state: 8 }],
    ["NOTRADE0", { state: 9, canTrade: false }],
    ["STEAMDWN", { state: 10 }],
  ])("reports the account behind magic token %s as %o", async (token, expected) => {
    const result = await client.checkTradeUrl(member(token).tradeUrl);
    expect(result).toMatchObject(expected);
    expect(result.message).not.toBe("Normal");
  });

  it("answers a malformed trade URL with VALIDATION_FAILED naming the field", async () => {
    const err = await refusal(client.checkTradeUrl("https://steamcommunity.com/tradeoffer/new/?partner=1"));
    expect(err).toMatchObject({ status: 422, key: "VALIDATION_FAILED", code: 1001 });
    expect(Object.keys(err.fields ?? {})).toEqual(["tradeurl"]);
  });
});

describe("inventory", () => {
  it("lists a CS2 inventory with every price in integer cents, matching the dollars on the wire", async () => {
    const who = member();
    const page = await client.inventory(who, { game: CS2, limit: -1 });
    const token = await client.authenticateClient(who);
    const raw = await request(`${sandbox.url}/client/inventory?game=730&limit=-1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const wire = (
      (await raw.body.json()) as { data: { inventory: { id: string; offer: { price: number } }[] } }
    ).data.inventory;

    expect(page.count).toBe(wire.length);
    expect(page.items.map((i) => i.id)).toEqual(wire.map((i) => i.id));
    page.items.forEach((item, i) => {
      expect(item.appid).toBe(730);
      expect(Number.isSafeInteger(item.priceCents)).toBe(true);
      expect(item.priceCents).toBe(Math.round((wire[i]?.offer.price ?? Number.NaN) * 100));
    });
    expect(page.collateralCents).toBe(2_500);
    expect(Date.parse(page.updatedAt)).not.toBeNaN();
  });

  it("lists a Rust inventory, and passes sort, paging and cent price bounds through", async () => {
    const who = member();
    const rust = await client.inventory(who, { game: RUST, limit: -1 });
    expect(rust.items.length).toBeGreaterThan(0);
    expect(rust.items.every((i) => i.appid === 252490 && Number.isSafeInteger(i.priceCents))).toBe(true);

    const all = await client.inventory(who, { game: CS2, limit: -1, sort: "priceAsc" });
    const prices = all.items.map(price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const second = await client.inventory(who, { game: CS2, sort: "priceAsc", limit: 2, page: 2 });
    expect(second.count).toBe(all.count);
    expect(second.items.map((i) => i.id)).toEqual(all.items.slice(2, 4).map((i) => i.id));

    const [low, high] = [prices[3] ?? 0, prices[prices.length - 3] ?? 0];
    const bounded = await client.inventory(who, {
      game: CS2,
      limit: -1,
      minPriceCents: low,
      maxPriceCents: high,
    });
    expect(bounded.items.length).toBeGreaterThan(0);
    expect(bounded.items.every((i) => price(i) >= low && price(i) <= high)).toBe(true);
    expect(bounded.count).toBe(prices.filter((p) => p >= low && p <= high).length);
  });

  it.each([
    ["INVFAIL0", "INVENTORY_FETCH_FAILED", 424, 3],
    ["STEAMDWN", "STEAM_UNAVAILABLE", 424, 31],
    ["STEAMRL0", "STEAM_RATE_LIMITED", 424, 33],
    ["PRIVATE0", "INVENTORY_PRIVATE", 400, 24],
  ])("fails for magic token %s with %s (HTTP %i)", async (token, key, status, code) => {
    const err = await refusal(client.inventory(member(token), { game: CS2 }));
    expect(err).toMatchObject({ status, key, code, operation: "inventory" });
    expect(err.isRetryable).toBe(status === 424);
  });
});

describe("market, suggestions and marketItem", () => {
  it("browses the CS2 and Rust markets in cents, within the price bounds asked for", async () => {
    const who = member();
    const cs2 = await client.market(who, {
      game: CS2,
      minPriceCents: 100,
      maxPriceCents: 2_500,
      sort: "priceAsc",
      perPage: 20,
    });
    expect(cs2.items.length).toBeGreaterThan(0);
    expect(cs2.count).toBeGreaterThanOrEqual(cs2.items.length);
    const prices = cs2.items.map(price);
    expect(prices.every((p) => Number.isSafeInteger(p) && p >= 100 && p <= 2_500)).toBe(true);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(cs2.items.every((i) => i.appid === 730 && i.catalogId !== undefined)).toBe(true);

    const rust = await client.market(who, { game: RUST, perPage: 5 });
    expect(rust.items.length).toBeGreaterThan(0);
    expect(rust.items.every((i) => i.appid === 252490)).toBe(true);
  });

  it("suggests catalog items by name and lists one item's listings cheapest first", async () => {
    const who = member();
    const suggestions = await client.suggestions(who, "ak-47");
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.every((s) => s.marketHashName.toLowerCase().includes("ak-47"))).toBe(true);
    const first = suggestions[0];
    if (first === undefined) throw new Error("no suggestion");
    expect(first).toMatchObject({ id: expect.any(String), iconUrl: expect.any(String) });

    const rows = await client.marketItem(who, { itemId: first.id, perPage: 100 });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.marketHashName === first.marketHashName)).toBe(true);
    const prices = rows.map(price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));

    const standard = await client.marketItem(who, { itemId: first.id, delivery: "standard", perPage: 100 });
    expect(standard.every((r) => r.delivery === "standard")).toBe(true);
  });

  it("answers NOT_FOUND for an item the catalog does not have", async () => {
    const err = await refusal(client.marketItem(member(), { itemId: "no-such-catalog-item" }));
    expect(err).toMatchObject({ status: 404, key: "NOT_FOUND", operation: "marketItem" });
  });
});

describe("deposit", () => {
  it("creates a deposit priced in cents, as the sandbox recorded it", async () => {
    const who = member();
    const items = await depositable(who, 2);
    const externalId = ext("deposit");
    const trade = await client.deposit(who, depositOf(items, externalId));

    const total = items.reduce((sum, i) => sum + price(i), 0);
    expect(trade).toMatchObject({
      type: "deposit",
      source: "client",
      status: "initiated",
      externalId,
      externalClientUserId: who.memberId,
      clientSteamId: who.steamId,
      game: CS2,
      totalCents: total,
      preCreditCents: 0,
      pendingCreditCents: total,
      isInstant: false,
    });
    expect(trade.items.map((i) => [i.id, i.priceCents])).toEqual(items.map((i) => [i.id, price(i)]));
    expect(sandbox.trades.get(externalId)).toMatchObject({ id: trade.id, totalPrice: total / 100 });
  });

  it("splits an instant deposit into pre-credit and pending credit that add up to the total", async () => {
    const who = member();
    await client.authenticateClient(who, { kycLevel: 3, fiatDeposits: true, cryptoDeposits: true });
    const items = await depositable(who, 3);
    const trade = await client.deposit(who, { ...depositOf(items, ext("instant")), isInstant: true });
    const total = items.reduce((sum, i) => sum + price(i), 0);
    expect(trade.totalCents).toBe(total);
    expect(trade.preCreditCents).toBe(Math.floor((total * 6) / 10));
    expect((trade.preCreditCents ?? 0) + (trade.pendingCreditCents ?? 0)).toBe(total);
  });

  it("is refused with PRICE_CHANGED after the offer moved, and accepted at the new quote", async () => {
    const who = member();
    const [item] = await depositable(who, 1);
    if (item === undefined) throw new Error("no item");
    const moved = price(item) + 7;
    expect(sandbox.setPrice({ itemId: item.id, price: moved / 100 })).toBe(1);

    const err = await refusal(client.deposit(who, depositOf([item], ext("stale"))));
    expect(err).toMatchObject({ status: 409, key: "PRICE_CHANGED", code: 11, operation: "deposit" });
    expect(err.details).toEqual({ items: [{ itemId: item.id, price: moved / 100 }] });
    expect(tradeCreated(err)).toBeUndefined();

    const requoted = (await client.inventory(who, { game: CS2, limit: -1 })).items.find(
      (i) => i.id === item.id,
    );
    expect(requoted?.priceCents).toBe(moved);
    const trade = await client.deposit(who, depositOf([requoted ?? item], ext("requoted")));
    expect(trade.totalCents).toBe(moved);
  });

  it("is refused with EXTERNAL_ID_EXISTS when an externalId is reused", async () => {
    const who = member();
    const [a, b] = await depositable(who, 2);
    if (a === undefined || b === undefined) throw new Error("no items");
    const externalId = ext("reused");
    const first = await client.deposit(who, depositOf([a], externalId));

    const err = await refusal(client.deposit(who, depositOf([b], externalId)));
    expect(err).toMatchObject({ status: 409, key: "EXTERNAL_ID_EXISTS", code: 1 });
    expect(sandbox.trades.get(externalId)?.id).toBe(first.id);
  });

  it("is refused with TOO_MANY_ACTIVE_TRADES once five deposits await acceptance", async () => {
    const who = member();
    const items = await depositable(who, 6);
    for (const item of items.slice(0, 5)) await client.deposit(who, depositOf([item], ext("active")));

    const sixth = items[5];
    if (sixth === undefined) throw new Error("no sixth item");
    const err = await refusal(client.deposit(who, depositOf([sixth], ext("sixth"))));
    expect(err).toMatchObject({ status: 429, key: "TOO_MANY_ACTIVE_TRADES", operation: "deposit" });
  });

  it("answers a malformed item id with VALIDATION_FAILED and an unknown one with ITEMS_UNAVAILABLE", async () => {
    const who = member();
    const malformed = await refusal(
      client.deposit(who, {
        items: [{ itemId: "x1", priceCents: 100 }],
        game: CS2,
        externalId: ext("bad"),
        isInstant: false,
      }),
    );
    expect(malformed).toMatchObject({ status: 422, key: "VALIDATION_FAILED", code: 1001 });
    expect(malformed.fields).toEqual({ "items.0.itemId": expect.stringMatching(/at least 5/) });

    const unknown = await refusal(
      client.deposit(who, {
        items: [{ itemId: "NzMwXzJfbm9wZQ", priceCents: 100 }],
        game: CS2,
        externalId: ext("unknown"),
        isInstant: false,
      }),
    );
    expect(unknown).toMatchObject({ status: 400, key: "ITEMS_UNAVAILABLE", code: 9 });
    expect(unknown.details).toEqual({ items: [{ itemId: "NzMwXzJfbm9wZQ", reason: "not_in_inventory" }] });
  });

  it("recovers a deposit whose response was lost by looking it up by externalId", async () => {
    const proxy: LossyProxy = await startLossyProxy(sandbox.url);
    try {
      const lossy = clientWith({ baseUrl: proxy.url });
      const who = member();
      const items = await depositable(who, 1);
      const externalId = ext("lost-response");
      const log = requestsSince();
      const lost = proxy.lose("response", "POST /client/trading/deposit");

      const trade = await lossy.deposit(who, depositOf(items, externalId));

      await lost;
      const recorded = sandbox.trades.get(externalId);
      expect(trade).toMatchObject({
        id: recorded?.id,
        externalId,
        type: "deposit",
        totalCents: price(items[0]!),
      });
      const sent = log().filter((r) => r.method === "POST" && r.path === "/client/trading/deposit");
      expect(sent).toHaveLength(1);
      expect(log().some((r) => r.method === "GET" && r.path === `/secure/trades/${externalId}`)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it("reports tradeCreated false when the request was lost before AssetPay saw it, so a retry is safe", async () => {
    const proxy = await startLossyProxy(sandbox.url);
    try {
      const lossy = clientWith({ baseUrl: proxy.url });
      const who = member();
      const items = await depositable(who, 1);
      const externalId = ext("lost-request");
      const log = requestsSince();
      void proxy.lose("request", "POST /client/trading/deposit");

      const err = await refusal(lossy.deposit(who, depositOf(items, externalId)));

      expect(err).toMatchObject({ key: "SDK_NETWORK", status: 0, operation: "deposit" });
      expect(tradeCreated(err)).toBe(false);
      expect(sandbox.trades.get(externalId)).toBeUndefined();
      expect(log().filter((r) => r.path === "/client/trading/deposit")).toEqual([]);

      const retried = await lossy.deposit(who, depositOf(items, externalId));
      expect(sandbox.trades.get(externalId)?.id).toBe(retried.id);
    } finally {
      await proxy.close();
    }
  });
});

describe("trades", () => {
  it("pages a member's trades newest first with an opaque cursor", async () => {
    const who = member();
    const items = await depositable(who, 3);
    const created: Trade[] = [];
    for (const item of items) created.push(await client.deposit(who, depositOf([item], ext("paged"))));
    const newestFirst = created.map((t) => t.id).reverse();

    const first = await client.trades(who, { limit: 2 });
    expect(first.items.map((t) => t.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.trades(who, { limit: 2, cursor: first.nextCursor ?? "" });
    expect(second.items.map((t) => t.id)).toEqual(newestFirst.slice(2));
    expect(second.nextCursor).toBeNull();
    expect(second.items[0]?.totalCents).toBe(price(items[0]!));

    expect((await client.trades(who, { type: "withdraw" })).items).toEqual([]);
    const err = await refusal(client.trades(who, { cursor: "not-a-cursor" }));
    expect(err).toMatchObject({
      status: 422,
      key: "VALIDATION_FAILED",
      fields: { cursor: expect.any(String) },
    });
  });
});

describe("withdraw and quickWithdraw", () => {
  it("creates a withdrawal that waits for the merchant's approval, then is sourced", async () => {
    const who = member();
    const [listing] = await listings(who, 1);
    if (listing === undefined) throw new Error("no listing");
    const externalId = ext("withdraw");
    const trade = await client.withdraw(who, {
      items: [{ itemId: listing.id, priceCents: price(listing) }],
      game: CS2,
      externalId,
    });
    expect(trade).toMatchObject({
      type: "withdraw",
      status: "initiated",
      externalId,
      totalCents: price(listing),
      autoCancelAt: new Date(Date.parse(trade.createdAt) + 30 * 60_000).toISOString(),
    });
    expect(trade.items).toMatchObject([{ id: listing.id, priceCents: price(listing), status: "initiated" }]);

    const approval = await approvalOf(trade.id);
    expect(approval.signature.ok).toBe(true);
    await sandbox.clock.advance(2);
    const sourced = await client.getTrade(trade.id);
    expect(sourced).toMatchObject({ status: "pending", totalCents: price(listing) });
    expect(sourced.items[0]?.marketHashName).toBe(listing.marketHashName);
  });

  it("is refused with MERCHANT_NO_CALLBACK_URL while the merchant has no callback URL", async () => {
    const who = member();
    const [listing] = await listings(who, 1);
    if (listing === undefined) throw new Error("no listing");
    await sandbox.setCallbackUrl(null);
    try {
      const err = await refusal(
        client.withdraw(who, {
          items: [{ itemId: listing.id, priceCents: price(listing) }],
          game: CS2,
          externalId: ext("no-callback"),
        }),
      );
      expect(err).toMatchObject({ status: 400, key: "MERCHANT_NO_CALLBACK_URL", code: 1705 });
    } finally {
      expect(await sandbox.setCallbackUrl(receiver.url)).toBe(true);
    }
  });

  it("is refused with LISTING_NOT_FOUND for a listing that does not exist", async () => {
    const err = await refusal(
      client.withdraw(member(), {
        items: [{ itemId: MISSING_LISTING, priceCents: 100 }],
        game: CS2,
        externalId: ext("missing"),
      }),
    );
    expect(err).toMatchObject({ status: 404, key: "LISTING_NOT_FOUND", code: 14 });
    expect(err.details).toEqual({ items: [{ itemId: MISSING_LISTING }] });
  });

  it("buys units of a catalog item at a ceiling and charges the cheapest listings under it", async () => {
    const who = member();
    const [suggestion] = await client.suggestions(who, "redline");
    if (suggestion === undefined) throw new Error("no suggestion");
    const offers = await client.marketItem(who, {
      itemId: suggestion.id,
      delivery: "standard",
      perPage: 100,
    });
    const cheapest = offers.slice(0, 2).map(price);
    const ceiling = Math.max(...offers.slice(0, 3).map(price));
    const externalId = ext("quick");

    const trade = await client.quickWithdraw(who, {
      itemId: suggestion.id,
      maxPriceCents: ceiling,
      amount: 2,
      game: CS2,
      externalId,
      externalIds: [`${externalId}-a`, `${externalId}-b`],
    });
    expect(trade).toMatchObject({
      type: "withdraw",
      status: "initiated",
      externalId,
      totalCents: 2 * ceiling,
    });
    expect(trade.items.map((i) => [i.externalId, i.priceCents])).toEqual([
      [`${externalId}-a`, ceiling],
      [`${externalId}-b`, ceiling],
    ]);

    await approvalOf(trade.id);
    await sandbox.clock.advance(2);
    const filled = await client.getTrade(externalId);
    expect(filled.items.map((i) => i.priceCents)).toEqual(cheapest);
    expect(filled.totalCents).toBe((cheapest[0] ?? 0) + (cheapest[1] ?? 0));
  });

  it("refuses a quick withdrawal of Rust items with QUICK_BUY_UNSUPPORTED_GAME", async () => {
    const err = await refusal(
      client.quickWithdraw(member(), {
        marketHashName: "Tempered AK47",
        maxPriceCents: 5_000,
        amount: 1,
        game: RUST,
      }),
    );
    expect(err).toMatchObject({ status: 400, key: "QUICK_BUY_UNSUPPORTED_GAME", code: 32 });
  });
});

describe("cancelWithdrawItem and cancelWithdraw", () => {
  it("refuses to cancel an item before 30 minutes, then cancels it and the item is reverted", async () => {
    const who = member("WDSLOW00");
    const [listing] = await listings(who, 1);
    if (listing === undefined) throw new Error("no listing");
    const trade = await client.withdraw(who, {
      items: [{ itemId: listing.id, priceCents: price(listing) }],
      game: CS2,
      externalId: ext("cancel-item"),
      autoCancel: 120,
    });

    const early = await refusal(client.cancelWithdrawItem(who, trade.id, listing.id));
    expect(early).toMatchObject({ status: 400, key: "TRADE_CANCEL_TOO_SOON", code: 27 });

    await sandbox.clock.advance(30 * 60);
    expect((await client.getTrade(trade.id)).items[0]?.status).toBe("pending");
    const result = await client.cancelWithdrawItem(who, trade.id, listing.id);
    expect(result).toEqual({ tradeId: trade.id, itemId: listing.id, status: "cancelled" });

    await sandbox.idle();
    const reverted = await client.getTrade(trade.id);
    expect(reverted.items[0]?.status).toBe("reverted");
    expect(reverted.status).toBe("reverted");
  });

  it("cancels what it can of a withdrawal and says why the rest failed", async () => {
    const who = member();
    const [slow, normal] = await listings(who, 2);
    if (slow === undefined || normal === undefined) throw new Error("no listings");
    const externalId = ext("cancel-all");
    const trade = await client.withdraw(who, {
      items: [
        { itemId: slow.id, priceCents: price(slow), externalId: `sb_item_slow-${externalId}` },
        { itemId: normal.id, priceCents: price(normal) },
      ],
      game: CS2,
      externalId,
      autoCancel: 120,
    });
    await sandbox.clock.advance(30 * 60);

    const result = await client.cancelWithdraw(who, trade.id);

    expect(result).toEqual({
      tradeId: trade.id,
      requested: 2,
      cancelled: 1,
      failed: 1,
      items: [
        { itemId: slow.id, externalId: `sb_item_slow-${externalId}`, status: "cancelled" },
        { itemId: normal.id, status: "failed", reason: "TRADE_NOT_CANCELLABLE" },
      ],
    });
  });

  it("answers TRADE_NOT_FOUND for a trade that does not exist", async () => {
    const err = await refusal(client.cancelWithdraw(member(), "no-such-trade"));
    expect(err).toMatchObject({ status: 404, key: "TRADE_NOT_FOUND" });
  });
});

describe("getTrade and getTrades", () => {
  it("finds a trade by id and by externalId, and answers TRADE_NOT_FOUND for a miss", async () => {
    const who = member();
    const externalId = ext("lookup");
    const created = await client.deposit(who, depositOf(await depositable(who, 1), externalId));

    const byId = await client.getTrade(created.id);
    const byExternal = await client.getTrade(externalId);
    expect(byId).toEqual(byExternal);
    expect(byId).toMatchObject({ id: created.id, externalId, totalCents: created.totalCents });

    const err = await refusal(client.getTrade(ext("nothing")));
    expect(err).toMatchObject({ status: 404, key: "TRADE_NOT_FOUND", operation: "getTrade" });
  });

  it("looks up a batch of refs, leaving misses out and chunking more than 100 refs", async () => {
    const who = member();
    const [a, b] = await depositable(who, 2);
    if (a === undefined || b === undefined) throw new Error("no items");
    const first = await client.deposit(who, depositOf([a], ext("batch")));
    const second = await client.deposit(who, depositOf([b], ext("batch")));

    const small = await client.getTrades([first.id, "missing-ref-1", second.externalId ?? ""]);
    expect(small.map((t) => t.id).sort()).toEqual([first.id, second.id].sort());

    const misses = Array.from({ length: 99 }, (_, i) => `missing-${i}`);
    const log = requestsSince();
    const large = await client.getTrades([first.id, ...misses, second.id]);
    expect(large.map((t) => t.id).sort()).toEqual([first.id, second.id].sort());
    const lookups = log().filter((r) => r.path.startsWith("/secure/trades/"));
    expect(lookups.map((r) => r.path.split(",").length)).toEqual([100, 1]);

    // A trailing chunk of one miss is a 404 the batch lookup swallows.
    const withMiss = await client.getTrades([first.id, ...misses, "missing-tail"]);
    expect(withMiss.map((t) => t.id)).toEqual([first.id]);
  });
});

describe("merchant self-trades: secureInventory, sell, buy and cancelBuyItem", () => {
  it("reads any account's inventory without collateral and sells from it with full credit", async () => {
    const url = member().tradeUrl;
    const page = await client.secureInventory(url, {
      game: CS2,
      acceptedOnly: true,
      limit: -1,
      sort: "priceAsc",
    });
    expect(page.collateralCents).toBe(0);
    const items = page.items.filter((i) => i.tradable).slice(0, 2);
    expect(items).toHaveLength(2);

    const externalId = ext("sell");
    const trade = await client.sell({ tradeUrl: url, ...depositOf(items, externalId) });
    const total = items.reduce((sum, i) => sum + price(i), 0);
    expect(trade).toMatchObject({
      type: "deposit",
      source: "self",
      externalId,
      clientTradeUrl: url,
      totalCents: total,
      preCreditCents: total,
      pendingCreditCents: 0,
    });

    const err = await refusal(client.secureInventory(member("INVFAIL0").tradeUrl, { game: CS2 }));
    expect(err).toMatchObject({ status: 424, key: "INVENTORY_FETCH_FAILED", operation: "secureInventory" });
  });

  it("buys a listing for an account, then cancels the undelivered item after 30 minutes", async () => {
    const url = member("WDSLOW00").tradeUrl;
    const [listing] = await listings(member(), 1);
    if (listing === undefined) throw new Error("no listing");
    const externalId = ext("buy");
    const trade = await client.buy({
      tradeUrl: url,
      items: [{ itemId: listing.id, priceCents: price(listing) }],
      game: CS2,
      externalId,
      autoCancel: 120,
    });
    expect(trade).toMatchObject({
      type: "withdraw",
      source: "self",
      status: "initiated",
      totalCents: price(listing),
    });
    await approvalOf(trade.id);

    const early = await refusal(client.cancelBuyItem(trade.id, listing.id));
    expect(early).toMatchObject({ status: 400, key: "TRADE_CANCEL_TOO_SOON", operation: "cancelBuyItem" });
    await sandbox.clock.advance(30 * 60);
    expect(await client.cancelBuyItem(externalId, listing.id)).toEqual({
      tradeId: trade.id,
      itemId: listing.id,
      status: "cancelled",
    });
    await sandbox.idle();
    expect((await client.getTrade(trade.id)).items[0]?.status).toBe("reverted");
  });
});
