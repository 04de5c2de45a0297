import { afterEach, describe, expect, it } from "vitest";
import { dollarsToCents } from "../../src/base/money.ts";
import { startSandbox } from "../../src/sandbox/server.ts";
import {
  apiFor,
  cheapListing,
  type Received,
  sandboxOptions,
  startWorld,
  tokenFor,
  type World,
} from "./harness.ts";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const isApproval = (tradeId: string) => (r: Received) =>
  r.body.trade?.id === tradeId && r.body.trade?.type === "withdraw" && r.body.trade?.status === "initiated";

async function withdraw(world: World, token: string, body: object) {
  return world.api.client(token, "POST", "/client/trading/withdraw", body);
}

describe("the withdrawal approval callback", () => {
  it("approves on a plain 2xx: the listing is bought, delivered and leaves the market", async () => {
    w = await startWorld();
    const token = tokenFor(2001);
    const listing = await cheapListing(w.api, token);
    const before = w.sandbox.balance;
    const res = await withdraw(w, token, {
      items: [{ itemId: listing.id, price: listing.price }],
      externalId: "wd-1",
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ type: "withdraw", status: "initiated", totalPrice: listing.price });
    expect(res.body.data.items[0]).toEqual({
      id: listing.id,
      appid: 730,
      tradable: true,
      amount: 1,
      status: "initiated",
      offer: { price: listing.price, delivery: "standard" },
    });
    expect(res.body.data.autoCancelAt).toBe(
      new Date(Date.parse(res.body.data.createdAt) + 30 * 60_000).toISOString(),
    );

    const approval = await w.receiver.waitFor(isApproval(res.body.data.id));
    expect(approval.signature.ok).toBe(true);
    await w.sandbox.clock.advance(2);
    const pending = w.sandbox.trades.get(res.body.data.id);
    expect(pending?.status).toBe("pending");
    expect(pending?.items[0]).toMatchObject({ status: "pending", marketHashName: expect.any(String) });
    expect(dollarsToCents(w.sandbox.balance)).toBe(dollarsToCents(before) - dollarsToCents(listing.price));

    await w.sandbox.clock.advance(70);
    const hold = w.sandbox.trades.get(res.body.data.id);
    expect(hold?.items[0]?.status).toBe("hold");
    expect(hold?.items[0]?.assetId).toMatch(/^\d+$/);
    await w.sandbox.clock.advance(7 * 86_400);
    expect(w.receiver.statuses(res.body.data.id)).toEqual([
      "initiated",
      "pending",
      "active",
      "hold",
      "completed",
    ]);

    const stillListed = await w.api.client(
      token,
      "GET",
      `/client/market/item?itemId=${listing.itemId}&perPage=100`,
    );
    expect(stillListed.body.data.map((l: { id: string }) => l.id)).not.toContain(listing.id);
  });

  it.each([
    ["HTTP 402", { status: 402, body: { error: "insufficient balance" } }],
    ['a 2xx with {"action":"reject"}', { status: 200, body: { action: "reject", reason: "balance" } }],
  ])("rejects on %s: the trade fails MERCHANT_REJECTED and nothing is bought", async (_name, reply) => {
    w = await startWorld();
    const world = w;
    world.receiver.reply = (cb) => (cb.body.trade?.status === "initiated" ? reply : { status: 200 });
    const token = tokenFor(2002);
    const listing = await cheapListing(world.api, token);
    const before = world.sandbox.balance;
    const res = await withdraw(world, token, { items: [{ itemId: listing.id, price: listing.price }] });
    await world.sandbox.idle();
    const failed = await world.receiver.waitFor((r) => r.body.trade?.status === "failed");
    expect(failed.body.trade).toMatchObject({
      id: res.body.data.id,
      status: "failed",
      error: "MERCHANT_REJECTED",
    });
    expect(failed.body.trade?.items[0]?.status).toBe("failed");
    expect(world.sandbox.deliveries.filter((d) => d.kind === "approval")).toHaveLength(1);
    expect(world.sandbox.balance).toBe(before);
    const market = await world.api.client(
      token,
      "GET",
      `/client/market/item?itemId=${listing.itemId}&perPage=100`,
    );
    expect(market.body.data.map((l: { id: string }) => l.id)).toContain(listing.id);
  });

  it("retries a timed-out approval 3 times, each with a new delivery id, then fails APPROVAL_TIMEOUT", async () => {
    w = await startWorld({ approvalTimeoutMs: 150 });
    w.receiver.reply = (cb) => (cb.body.trade?.status === "initiated" ? { hang: true } : { status: 200 });
    const token = tokenFor(2003);
    const listing = await cheapListing(w.api, token);
    const res = await withdraw(w, token, { items: [{ itemId: listing.id, price: listing.price }] });
    await w.sandbox.idle();
    const attempts = w.receiver.received.filter(isApproval(res.body.data.id));
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.deliveryId)).size).toBe(3);
    expect(attempts.every((a) => a.signature.ok)).toBe(true);
    expect(w.sandbox.trades.get(res.body.data.id)).toMatchObject({
      status: "failed",
      error: "APPROVAL_TIMEOUT",
    });
  });

  it("counts 5xx, 408 and 429 as failed attempts and approves on a later 2xx", async () => {
    w = await startWorld();
    const answers = [503, 429, 200];
    w.receiver.reply = (cb) =>
      cb.body.trade?.status === "initiated" ? { status: answers.shift() ?? 200 } : { status: 200 };
    const token = tokenFor(2004);
    const listing = await cheapListing(w.api, token);
    const res = await withdraw(w, token, { items: [{ itemId: listing.id, price: listing.price }] });
    await w.sandbox.clock.advance(2);
    expect(w.sandbox.trades.get(res.body.data.id)?.status).toBe("pending");
    expect(w.sandbox.deliveries.filter((d) => d.kind === "approval").map((d) => d.outcome)).toEqual([
      "failed",
      "failed",
      "approved",
    ]);
  });

  it("is refused with MERCHANT_NO_CALLBACK_URL while no callback URL is set", async () => {
    const sandbox = await startSandbox(sandboxOptions());
    try {
      const api = apiFor(sandbox);
      const token = tokenFor(2005);
      const listing = await cheapListing(api, token);
      const res = await api.client(token, "POST", "/client/trading/withdraw", {
        items: [{ itemId: listing.id, price: listing.price }],
      });
      expect(res.body.error).toMatchObject({ key: "MERCHANT_NO_CALLBACK_URL", code: 1705 });
    } finally {
      await sandbox.close();
    }
  });
});

describe("the withdrawal price rule", () => {
  it("charges a lower current price and refuses a higher one unless maxPrice or slippage allows it", async () => {
    w = await startWorld();
    const token = tokenFor(2010);
    const a = await cheapListing(w.api, token, { skip: 0 });
    const b = await cheapListing(w.api, token, { skip: 1 });
    const c = await cheapListing(w.api, token, { skip: 2 });

    w.sandbox.setPrice({ itemId: a.id, price: 0.5 });
    const cheaper = await withdraw(w, token, { items: [{ itemId: a.id, price: 2 }] });
    expect(cheaper.body.data.items[0].offer.price).toBe(0.5);
    expect(cheaper.body.data.totalPrice).toBe(0.5);

    w.sandbox.setPrice({ itemId: b.id, price: 10.5 });
    const dearer = await withdraw(w, token, { items: [{ itemId: b.id, price: 10 }] });
    expect(dearer.status).toBe(409);
    expect(dearer.body.error).toMatchObject({
      key: "PRICE_CHANGED",
      details: { items: [{ itemId: b.id, price: 10.5 }] },
    });
    const withSlippage = await withdraw(w, token, { items: [{ itemId: b.id, price: 10 }], slippageBps: 500 });
    expect(withSlippage.body.data.totalPrice).toBe(10.5);

    w.sandbox.setPrice({ itemId: c.id, price: 12 });
    const tooFar = await withdraw(w, token, {
      items: [{ itemId: c.id, price: 10, maxPrice: 11.99 }],
      slippageBps: 2000,
    });
    expect(tooFar.body.error?.key).toBe("PRICE_CHANGED");
    const withMax = await withdraw(w, token, { items: [{ itemId: c.id, price: 10, maxPrice: 12 }] });
    expect(withMax.body.data.totalPrice).toBe(12);
  });

  it("tells a malformed, an unknown and an already bought listing apart", async () => {
    w = await startWorld();
    const token = tokenFor(2011);
    const malformed = await withdraw(w, token, { items: [{ itemId: "not-a-listing", price: 1 }] });
    expect(malformed.body.error?.key).toBe("INVALID_LISTING_ID");
    const unknown = await withdraw(w, token, {
      items: [{ itemId: "00000000-0000-8000-8000-000000000000", price: 1 }],
    });
    expect(unknown.body.error).toMatchObject({ key: "LISTING_NOT_FOUND", code: 14 });
    const listing = await cheapListing(w.api, token);
    await withdraw(w, token, { items: [{ itemId: listing.id, price: listing.price }] });
    const again = await withdraw(w, tokenFor(2012), {
      items: [{ itemId: listing.id, price: listing.price }],
    });
    expect(again.body.error?.key).toBe("ITEMS_UNAVAILABLE");
  });
});

describe("cancelling a withdraw item", () => {
  it("is too soon before 30 minutes, accepted after, and reverts the item with a refund", async () => {
    w = await startWorld();
    const token = tokenFor(2020, { token: "WDSLOW00" });
    const listing = await cheapListing(w.api, token);
    const res = await withdraw(w, token, {
      items: [{ itemId: listing.id, price: listing.price, externalId: "line-1" }],
      autoCancel: 720,
    });
    const tradeId = res.body.data.id;
    expect(res.body.data.autoCancelAt).toBeUndefined();
    await w.sandbox.clock.advance(60);
    const afterApproval = w.sandbox.balance;
    const early = await w.api.client(
      token,
      "POST",
      `/client/trading/withdraw/${tradeId}/items/${listing.id}/cancel`,
    );
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ key: "TRADE_CANCEL_TOO_SOON", code: 27 });

    await w.sandbox.clock.advance(30 * 60);
    const ok = await w.api.client(token, "POST", "/client/trading/withdraw/wd-none/items/line-1/cancel");
    expect(ok.body.error?.key).toBe("TRADE_NOT_FOUND");
    const cancel = await w.api.client(
      token,
      "POST",
      `/client/trading/withdraw/${tradeId}/items/line-1/cancel`,
    );
    expect(cancel.status).toBe(200);
    expect(cancel.body.data).toEqual({
      tradeId,
      itemId: listing.id,
      externalId: "line-1",
      status: "cancelled",
    });
    const reverted = await w.receiver.waitFor(
      (r) => r.body.trade?.id === tradeId && r.body.trade?.status === "reverted",
    );
    expect(reverted.body.trade?.items[0]?.status).toBe("reverted");
    expect(dollarsToCents(w.sandbox.balance)).toBe(
      dollarsToCents(afterApproval) + dollarsToCents(listing.price),
    );

    const again = await w.api.client(
      token,
      "POST",
      `/client/trading/withdraw/${tradeId}/items/line-1/cancel`,
    );
    expect(again.body.error?.key).toBe("TRADE_NOT_CANCELLABLE");
  });

  it("refuses other users, unknown items, offered items and Rust", async () => {
    w = await startWorld();
    const token = tokenFor(2021);
    const listing = await cheapListing(w.api, token);
    const res = await withdraw(w, token, {
      items: [{ itemId: listing.id, price: listing.price }],
      autoCancel: 720,
    });
    const tradeId = res.body.data.id;
    await w.sandbox.clock.advance(15);
    await w.sandbox.clock.advance(30 * 60);
    const path = `/client/trading/withdraw/${tradeId}/items/${listing.id}/cancel`;
    expect((await w.api.client(tokenFor(2022), "POST", path)).body.error?.key).toBe("FORBIDDEN");
    const missing = await w.api.client(
      token,
      "POST",
      `/client/trading/withdraw/${tradeId}/items/nope/cancel`,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error?.key).toBe("ITEM_NOT_FOUND");
    expect((await w.api.client(token, "POST", path)).body.error?.key).toBe("TRADE_NOT_CANCELLABLE");

    const market = await w.api.client(token, "GET", "/client/market?game=252490&sort=priceAsc");
    const rust = market.body.data.items[0];
    const rustTrade = await withdraw(w, token, {
      items: [{ itemId: rust.id, price: rust.offer.price }],
      game: "252490",
    });
    expect(rustTrade.body.data.autoCancelAt).toBeUndefined();
    await w.sandbox.clock.advance(31 * 60);
    const rustCancel = await w.api.client(
      token,
      "POST",
      `/client/trading/withdraw/${rustTrade.body.data.id}/cancel`,
    );
    expect(rustCancel.body.data).toMatchObject({ cancelled: 0 });
    expect(
      rustCancel.body.data.items.every((i: { reason?: string }) => i.reason === "TRADE_CANCEL_UNSUPPORTED"),
    ).toBe(true);
  });

  it("auto-cancels items a seller never sent once autoCancel minutes have passed", async () => {
    w = await startWorld();
    const token = tokenFor(2023, { token: "WDSLOW00" });
    const listing = await cheapListing(w.api, token);
    const res = await withdraw(w, token, {
      items: [{ itemId: listing.id, price: listing.price }],
      autoCancel: 45,
    });
    await w.sandbox.clock.advance(44 * 60);
    expect(w.sandbox.trades.get(res.body.data.id)?.status).toBe("pending");
    await w.sandbox.clock.advance(60);
    expect(w.receiver.statuses(res.body.data.id)).toEqual(["initiated", "pending", "reverted"]);
  });
});

describe("items of one withdrawal", () => {
  it("fail individually while the others are delivered", async () => {
    w = await startWorld();
    const token = tokenFor(2030);
    const a = await cheapListing(w.api, token, { skip: 0 });
    const b = await cheapListing(w.api, token, { skip: 1 });
    const res = await withdraw(w, token, {
      items: [
        { itemId: a.id, price: a.price, externalId: "sb_item_fail_a" },
        { itemId: b.id, price: b.price },
      ],
    });
    await w.sandbox.clock.advance(3);
    const pending = w.sandbox.trades.get(res.body.data.id);
    expect(pending?.items.map((i) => [i.status, i.error])).toEqual([
      ["failed", "LISTING_UNAVAILABLE"],
      ["pending", undefined],
    ]);
    await w.sandbox.clock.advance(8 * 86_400);
    const done = w.sandbox.trades.get(res.body.data.id);
    expect(done?.status).toBe("completed");
    expect(done?.items.map((i) => i.status)).toEqual(["failed", "completed"]);
  });

  it("of a quick withdrawal are filled with the cheapest listings under the ceiling", async () => {
    w = await startWorld();
    const token = tokenFor(2031);
    const listing = await cheapListing(w.api, token);
    const res = await w.api.client(token, "POST", "/client/trading/withdraw/quick", {
      itemId: listing.itemId,
      maxPrice: 500,
      amount: 2,
      externalIds: ["q-1", "q-2"],
    });
    expect(res.status).toBe(200);
    expect(res.body.data.totalPrice).toBe(1000);
    expect(res.body.data.items.map((i: { offer: { price: number } }) => i.offer.price)).toEqual([500, 500]);
    await w.sandbox.clock.advance(3);
    const filled = w.sandbox.trades.get(res.body.data.id);
    expect(filled?.items.every((i) => i.status === "pending" && (i.offer?.price ?? 0) < 500)).toBe(true);
    expect(filled?.items.map((i) => i.externalId)).toEqual(["q-1", "q-2"]);
    expect(filled?.totalPrice).toBeLessThan(1000);
  });
});
