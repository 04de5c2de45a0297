import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dollarsToCents } from "../../src/base/money.ts";
import { depositable, startWorld, steamIdOf, tokenFor, tradeUrl, type World } from "./harness.ts";

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.close();
});

describe("a CS2 deposit", () => {
  it("walks initiated → pending → active → hold → completed, each step a signed callback", async () => {
    const token = tokenFor(1001, { clientId: "member-1001" });
    const [item] = await depositable(w.api, token);
    const res = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
      externalId: "dep-1",
      isInstant: false,
    });
    expect(res.status).toBe(200);
    const trade = res.body.data;
    expect(trade).toMatchObject({
      type: "deposit",
      source: "client",
      status: "initiated",
      externalId: "dep-1",
      externalClientUserId: "member-1001",
      clientSteamID: steamIdOf(1001),
      totalPrice: item?.offer.price,
      preCredit: 0,
      pendingCredit: item?.offer.price,
    });

    await w.sandbox.clock.advance(5);
    const active = w.sandbox.trades.get(trade.id);
    expect(active?.status).toBe("active");
    expect(active?.offerID).toMatch(/^\d{10}$/);
    expect(active?.activeAt).toBeDefined();

    await w.sandbox.clock.advance(60);
    const held = w.sandbox.trades.get(trade.id);
    expect(held?.status).toBe("hold");
    expect(Date.parse(held?.holdEndDate ?? "") - w.sandbox.clock.now().getTime()).toBe(7 * 86_400_000);

    await w.sandbox.clock.advance(7 * 86_400);
    expect(w.receiver.statuses(trade.id)).toEqual(["initiated", "pending", "active", "hold", "completed"]);
    expect(w.receiver.received.every((r) => r.signature.ok)).toBe(true);
  });

  it("splits instant credit 60/40 within the user's collateral, exact to the cent", async () => {
    const token = tokenFor(1002, { clientData: { kycLevel: 3, fiatDeposits: true, cryptoDeposits: true } });
    const items = await depositable(w.api, token, 730, 3);
    const total = items.reduce((sum, i) => sum + dollarsToCents(i.offer.price), 0);
    const res = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: items.map((i) => ({ itemId: i.id, price: i.offer.price })),
      isInstant: true,
    });
    const trade = res.body.data;
    expect(dollarsToCents(trade.preCredit)).toBe(Math.floor((total * 60) / 100));
    expect(dollarsToCents(trade.preCredit) + dollarsToCents(trade.pendingCredit)).toBe(total);
    expect(trade.collateral.provider + trade.collateral.merchant).toBeCloseTo(trade.preCredit, 2);

    await w.sandbox.clock.advance(65);
    const hold = await w.receiver.waitFor(
      (r) => r.body.trade?.id === trade.id && r.body.trade?.status === "hold",
    );
    expect(hold.body.trade?.preCredit).toBe(trade.preCredit);
    expect(hold.body.trade?.pendingCredit).toBe(trade.pendingCredit);
  });

  it("caps the pre-credit at the collateral left after the user's other in-flight deposits", async () => {
    const token = tokenFor(1003);
    w.sandbox.setCollateral(steamIdOf(1003), { provider: 1, merchant: 0.5 });
    const items = await depositable(w.api, token, 730, 2);
    const first = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: items[0]?.id, price: items[0]?.offer.price }],
      isInstant: true,
    });
    const second = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: items[1]?.id, price: items[1]?.offer.price }],
      isInstant: true,
    });
    const used = dollarsToCents(first.body.data.preCredit) + dollarsToCents(second.body.data.preCredit);
    expect(used).toBeLessThanOrEqual(150);
    expect(first.body.data.collateral.provider).toBeLessThanOrEqual(1);
    const inventory = await w.api.client(token, "GET", "/client/inventory");
    expect(dollarsToCents(inventory.body.data.collateral)).toBe(150 - used);
  });

  it("takes the items out of the inventory once accepted and gives them back on a revert", async () => {
    const token = tokenFor(1004, { token: "REVERT00" });
    const [item] = await depositable(w.api, token);
    const res = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
    });
    await w.sandbox.clock.advance(65);
    const during = await w.api.client(token, "GET", "/client/inventory?limit=-1");
    expect(during.body.data.inventory.map((i: { id: string }) => i.id)).not.toContain(item?.id);
    await w.sandbox.clock.advance(3 * 86_400);
    const reverted = w.sandbox.trades.get(res.body.data.id);
    expect(reverted).toMatchObject({ status: "reverted", revertedBy: "user" });
    const after = await w.api.client(token, "GET", "/client/inventory?limit=-1");
    expect(after.body.data.inventory.map((i: { id: string }) => i.id)).toContain(item?.id);
  });
});

describe("the merchant's user id", () => {
  it("comes from authenticate-client's clientId even when the token was minted locally without it", async () => {
    await w.api.merchant("POST", "/auth/authenticate-client", {
      clientSteamId: steamIdOf(1005),
      clientTradeUrl: tradeUrl(1005),
      clientId: "tg:42",
    });
    const token = tokenFor(1005);
    const [item] = await depositable(w.api, token);
    const res = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
    });
    expect(res.body.data.externalClientUserId).toBe("tg:42");
  });
});

describe("a Rust deposit", () => {
  it("is credited in full and completes without a hold", async () => {
    const token = tokenFor(1010);
    const [item] = await depositable(w.api, token, 252490);
    const res = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price, amount: 1 }],
      game: "252490",
      isInstant: true,
    });
    expect(res.body.data).toMatchObject({
      game: "252490",
      preCredit: res.body.data.totalPrice,
      pendingCredit: 0,
    });
    await w.sandbox.clock.advance(65);
    expect(w.receiver.statuses(res.body.data.id)).toEqual(["initiated", "pending", "active", "completed"]);
  });
});

describe("deposit refusals", () => {
  it("answers PRICE_CHANGED with the current prices when the quote is stale", async () => {
    const token = tokenFor(1020);
    const [item] = await depositable(w.api, token);
    w.sandbox.setPrice({ itemId: item?.id as string, price: 123.45 });
    const res = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ key: "PRICE_CHANGED", code: 11 });
    expect(res.body.error?.details).toEqual({ items: [{ itemId: item?.id, price: 123.45 }] });
    const retry = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: 123.45 }],
    });
    expect(retry.status).toBe(200);
  });

  it("refuses items that are not the user's, or already in a deposit, as ITEMS_UNAVAILABLE", async () => {
    const token = tokenFor(1021);
    const [item] = await depositable(w.api, token);
    const stranger = await w.api.client(tokenFor(1022), "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
    });
    expect(stranger.body.error?.key).toBe("ITEMS_UNAVAILABLE");
    expect(stranger.body.error?.details.items[0]).toMatchObject({
      itemId: item?.id,
      reason: "not_in_inventory",
    });

    await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
    });
    const twice = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
    });
    expect(twice.body.error?.details.items[0]).toMatchObject({ reason: "in_deposit" });
  });

  it("keeps externalIds unique per merchant, even for a trade that failed on creation", async () => {
    const token = tokenFor(1023);
    const [a, b] = await depositable(w.api, token, 730, 2);
    const noBots = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: a?.id, price: a?.offer.price }],
      externalId: "sb_err_NO_BOTS_AVAILABLE",
    });
    expect(noBots.status).toBe(503);
    expect(noBots.headers.get("retry-after")).toBe("30");
    const reuse = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: b?.id, price: b?.offer.price }],
      externalId: "sb_err_NO_BOTS_AVAILABLE",
    });
    expect(reuse.status).toBe(409);
    expect(reuse.body.error?.key).toBe("EXTERNAL_ID_EXISTS");
    const lookup = await w.api.merchant("GET", "/secure/trades/sb_err_NO_BOTS_AVAILABLE");
    expect(lookup.body.data.status).toBe("failed");
  });

  it("guards a user with more than 5 deposits awaiting acceptance, then 10 per 5 minutes", async () => {
    const token = tokenFor(1024);
    const items = await depositable(w.api, token, 730, 12);
    const deposit = (i: number) =>
      w.api.client(token, "POST", "/client/trading/deposit", {
        items: [{ itemId: items[i]?.id, price: items[i]?.offer.price }],
      });
    for (let i = 0; i < 5; i++) expect((await deposit(i)).status).toBe(200);
    const sixth = await deposit(5);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error?.key).toBe("TOO_MANY_ACTIVE_TRADES");

    await w.sandbox.clock.advance(65); // the five are accepted (hold): no longer awaiting
    for (let i = 5; i < 10; i++) expect((await deposit(i)).status).toBe(200);
    await w.sandbox.clock.advance(65);
    const eleventh = await deposit(10);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error?.key).toBe("RATE_LIMITED");
    expect(Number(eleventh.headers.get("retry-after"))).toBeGreaterThan(0);

    await w.sandbox.clock.advance(5 * 60);
    expect((await deposit(10)).status).toBe(200);
  });

  it("answers DEPOSIT_IN_PROGRESS to a second deposit while the first offer is being created", async () => {
    const token = tokenFor(1025);
    const [a, b] = await depositable(w.api, token, 730, 2);
    const [first, second] = await Promise.all([
      w.api.client(token, "POST", "/client/trading/deposit", {
        items: [{ itemId: a?.id, price: a?.offer.price }],
        externalId: "sb_slow_create_1",
      }),
      w.api.client(token, "POST", "/client/trading/deposit", {
        items: [{ itemId: b?.id, price: b?.offer.price }],
      }),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(second.body.error?.key).toBe("DEPOSIT_IN_PROGRESS");
  });

  it("lets only one of two concurrent deposits take the same externalId", async () => {
    const [a] = await depositable(w.api, tokenFor(1027));
    const [b] = await depositable(w.api, tokenFor(1028));
    const results = await Promise.all([
      w.api.client(tokenFor(1027), "POST", "/client/trading/deposit", {
        items: [{ itemId: a?.id, price: a?.offer.price }],
        externalId: "shared-ref",
      }),
      w.api.client(tokenFor(1028), "POST", "/client/trading/deposit", {
        items: [{ itemId: b?.id, price: b?.offer.price }],
        externalId: "shared-ref",
      }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("refuses empty and oversized baskets with MISSING_ITEMS and TOO_MANY_ITEMS", async () => {
    const token = tokenFor(1026);
    const empty = await w.api.client(token, "POST", "/client/trading/deposit", { items: [] });
    expect(empty.body.error).toMatchObject({ key: "MISSING_ITEMS", code: 2 });
    const items = Array.from({ length: 251 }, (_, i) => ({ itemId: `item-${i}`, price: 1 }));
    const big = await w.api.client(token, "POST", "/client/trading/deposit", { items });
    expect(big.body.error).toMatchObject({ key: "TOO_MANY_ITEMS", code: 8 });
  });
});

describe("deposit outcomes chosen by magic trade URL tokens", () => {
  it.each([
    ["DECLINE0", "declined", ["initiated", "pending", "active", "declined"], 65],
    ["CANCEL00", "canceled", ["initiated", "pending", "active", "canceled"], 700],
    ["DEPFAIL0", "failed", ["initiated", "pending", "failed"], 10],
  ])("token %s ends the deposit %s", async (magic, status, sequence, seconds) => {
    const token = tokenFor(1030, { token: magic });
    const [item] = await depositable(w.api, token);
    const res = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
    });
    await w.sandbox.clock.advance(seconds);
    expect(w.sandbox.trades.get(res.body.data.id)?.status).toBe(status);
    expect(w.receiver.statuses(res.body.data.id)).toEqual(sequence);
  });
});
