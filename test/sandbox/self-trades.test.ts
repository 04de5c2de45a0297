import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cheapListing, startWorld, tokenFor, tradeUrl, type World } from "./harness.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.close();
});

const sellerUrl = tradeUrl(8001);

async function sellable(count: number) {
  const res = await w.api.merchant(
    "GET",
    `/secure/inventory?tradeUrl=${encodeURIComponent(sellerUrl)}&acceptedOnly=true&limit=-1`,
  );
  expect(res.body.data.collateral).toBe(0);
  return (res.body.data.inventory as { id: string; tradable: boolean; offer: { price: number } }[])
    .filter((i) => i.tradable)
    .slice(0, count);
}

describe("merchant self-trades", () => {
  it("sell: fully trusted, preCredit = totalPrice and no collateral, and no per-client guard", async () => {
    const items = await sellable(6);
    const trades = [];
    for (const item of items) {
      const res = await w.api.merchant("POST", "/secure/sell", {
        tradeUrl: sellerUrl,
        items: [{ itemId: item.id, price: item.offer.price }],
        isInstant: true,
      });
      expect(res.status).toBe(200);
      trades.push(res.body.data);
    }
    expect(trades[0]).toMatchObject({
      source: "self",
      type: "deposit",
      preCredit: trades[0].totalPrice,
      pendingCredit: 0,
      collateral: { merchant: 0, provider: 0 },
    });
    const before = w.sandbox.balance;
    await w.sandbox.clock.advance(65 + 7 * 86_400);
    expect(w.receiver.statuses(trades[0].id)).toEqual([
      "initiated",
      "pending",
      "active",
      "hold",
      "completed",
    ]);
    const credited = trades.reduce((sum, t) => sum + Math.round(t.totalPrice * 100), 0);
    expect(Math.round(w.sandbox.balance * 100)).toBe(Math.round(before * 100) + credited);
  });

  it("buy: goes through the approval callback and is cancellable only through the secure route", async () => {
    const buyerUrl = tradeUrl(8002, "WDSLOW00");
    const listing = await cheapListing(w.api, tokenFor(8002));
    const res = await w.api.merchant("POST", "/secure/buy", {
      tradeUrl: buyerUrl,
      items: [{ itemId: listing.id, price: listing.price, externalId: "self-line" }],
      externalId: "self-buy-1",
      autoCancel: 720,
    });
    expect(res.body.data).toMatchObject({ source: "self", type: "withdraw", status: "initiated" });
    await w.receiver.waitFor(
      (r) => r.body.trade?.id === res.body.data.id && r.body.trade?.status === "initiated",
    );
    await w.sandbox.clock.advance(31 * 60);
    const asClient = await w.api.client(
      tokenFor(8002, { token: "WDSLOW00" }),
      "POST",
      "/client/trading/withdraw/self-buy-1/items/self-line/cancel",
    );
    expect(asClient.body.error?.key).toBe("FORBIDDEN");
    const cancel = await w.api.merchant("POST", "/secure/buy/self-buy-1/items/self-line/cancel");
    expect(cancel.body.data).toMatchObject({
      tradeId: res.body.data.id,
      itemId: listing.id,
      status: "cancelled",
    });
    await w.sandbox.idle();
    expect(w.sandbox.trades.get("self-buy-1")?.items[0]?.status).toBe("reverted");
    const listed = await w.api.merchant("GET", "/secure/trades");
    expect(listed.body.data.items.map((t: { id: string }) => t.id)).toContain(res.body.data.id);
  });
});
