import { afterEach, describe, expect, it } from "vitest";
import { API_KEY, cheapListing, depositable, startWorld, tokenFor, type World } from "./harness.ts";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function depositFor(world: World, partner: number) {
  const token = tokenFor(partner);
  const [item] = await depositable(world.api, token);
  const res = await world.api.client(token, "POST", "/client/trading/deposit", {
    items: [{ itemId: item?.id, price: item?.offer.price }],
  });
  return { token, item, trade: res.body.data };
}

describe("the /_sandbox control API", () => {
  it("advances the virtual clock and runs every transition that fell due", async () => {
    w = await startWorld();
    const { trade } = await depositFor(w, 6001);
    const res = await w.api.control("POST", "/_sandbox/advance", { seconds: 65 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ now: "2026-07-01T12:01:05.000Z", ran: 3 });
    expect(w.receiver.statuses(trade.id)).toEqual(["initiated", "pending", "active", "hold"]);
  });

  it("forces a transition with its callback, and the lifecycle continues from there", async () => {
    w = await startWorld();
    const { trade } = await depositFor(w, 6002);
    const forced = await w.api.control("POST", `/_sandbox/trades/${trade.id}/transition`, { status: "hold" });
    expect(forced.body.trade).toMatchObject({
      status: "hold",
      offerID: expect.any(String),
      holdEndDate: expect.any(String),
    });
    await w.sandbox.idle();
    expect(w.receiver.statuses(trade.id)).toEqual(["initiated", "hold"]);
    await w.sandbox.clock.advance(7 * 86_400);
    expect(w.receiver.statuses(trade.id)).toEqual(["initiated", "hold", "completed"]);

    const late = await w.api.control("POST", `/_sandbox/trades/${trade.id}/transition`, {
      status: "reverted",
      revertedBy: "supplier",
    });
    expect(late.body.trade).toMatchObject({ status: "reverted", revertedBy: "supplier" });
  });

  it("forces one withdraw item into a failure with an item error", async () => {
    w = await startWorld();
    const token = tokenFor(6003);
    const a = await cheapListing(w.api, token, { skip: 0 });
    const b = await cheapListing(w.api, token, { skip: 1 });
    const res = await w.api.client(token, "POST", "/client/trading/withdraw", {
      items: [
        { itemId: a.id, price: a.price },
        { itemId: b.id, price: b.price },
      ],
    });
    await w.sandbox.clock.advance(3);
    const forced = await w.api.control("POST", `/_sandbox/trades/${res.body.data.id}/transition`, {
      status: "failed",
      itemId: a.id,
      error: "PURCHASE_FAILED",
    });
    expect(
      forced.body.trade.items.map((i: { status: string; error?: string }) => [i.status, i.error]),
    ).toEqual([
      ["failed", "PURCHASE_FAILED"],
      ["pending", undefined],
    ]);
    const bad = await w.api.control("POST", `/_sandbox/trades/${res.body.data.id}/transition`, {
      status: "lost",
    });
    expect(bad.status).toBe(400);
  });

  it("refuses a transition naming a deposit item or an unknown withdraw item, and the trade goes on", async () => {
    w = await startWorld();
    const { trade } = await depositFor(w, 6004);
    const deposit = await w.api.control("POST", `/_sandbox/trades/${trade.id}/transition`, {
      status: "failed",
      itemId: trade.items[0].id,
    });
    expect(deposit.status).toBe(400);
    const token = tokenFor(6005);
    const listing = await cheapListing(w.api, token, { skip: 0 });
    const wd = await w.api.client(token, "POST", "/client/trading/withdraw", {
      items: [{ itemId: listing.id, price: listing.price }],
    });
    await w.sandbox.clock.advance(3);
    const unknown = await w.api.control("POST", `/_sandbox/trades/${wd.body.data.id}/transition`, {
      status: "failed",
      itemId: "no-such-item",
    });
    expect(unknown.body.error.key).toBe("ITEM_NOT_FOUND");
    await w.sandbox.clock.advance(75);
    expect(w.sandbox.trades.get(trade.id)?.status).toBe("hold");
    expect(w.sandbox.trades.get(wd.body.data.id)?.status).toBe("hold");
  });

  it("shows state, the request log without credentials, and deliveries", async () => {
    w = await startWorld();
    const { trade, token } = await depositFor(w, 6004);
    const state = await w.api.control("GET", "/_sandbox/state");
    expect(state.body.trades.map((t: { id: string }) => t.id)).toEqual([trade.id]);
    expect(state.body.scheduled[0]).toMatchObject({
      tradeId: trade.id,
      label: expect.stringContaining("deposit:pending"),
    });
    expect(state.body.merchant.callbackUrl).toBe(w.receiver.url);

    await w.api.merchant("POST", "/secure/check-tradeurl", {
      tradeurl: "https://steamcommunity.com/tradeoffer/new/?partner=1&token=AbCdEf12",
    });
    const log = await w.api.control("GET", "/_sandbox/requests");
    const text = JSON.stringify(log.body);
    expect(text).not.toContain(token);
    expect(text).not.toContain(API_KEY);
    expect(log.body.requests.map((r: { caller: string }) => r.caller)).toContain("api-key");
    expect(
      log.body.requests.find((r: { path: string }) => r.path === "/client/trading/deposit"),
    ).toMatchObject({
      status: 200,
      caller: "client:76561197960271732",
    });

    const deliveries = await w.api.control("GET", `/_sandbox/deliveries?tradeId=${trade.id}`);
    expect(deliveries.body.deliveries).toHaveLength(1);
  });

  it("moves prices: one item, one catalog entry's listings, or every deposit price by a percentage", async () => {
    w = await startWorld();
    const token = tokenFor(6005);
    const [item] = await depositable(w.api, token);
    expect((await w.api.control("POST", "/_sandbox/prices", { itemId: item?.id, price: 9.99 })).body).toEqual(
      { updated: 1 },
    );
    const after = await w.api.client(token, "GET", "/client/inventory?limit=-1");
    expect(after.body.data.inventory.find((i: { id: string }) => i.id === item?.id).offer.price).toBe(9.99);

    const listing = await cheapListing(w.api, token);
    await w.api.control("POST", "/_sandbox/prices", {
      itemId: listing.itemId,
      side: "withdraw",
      price: 77.7,
    });
    const listings = await w.api.client(token, "GET", `/client/market/item?itemId=${listing.itemId}`);
    expect(listings.body.data.every((l: { offer: { price: number } }) => l.offer.price === 77.7)).toBe(true);

    const before = (await w.api.merchant("GET", "/secure/prices")).body.data[0].deposit;
    await w.api.control("POST", "/_sandbox/prices", { percent: 10, side: "deposit" });
    const moved = (await w.api.merchant("GET", "/secure/prices")).body.data[0].deposit;
    expect(Math.round(moved * 100)).toBe(Math.round(before * 110));
  });

  it("sets faults and API errors over HTTP", async () => {
    w = await startWorld();
    const set = await w.api.control("POST", "/_sandbox/faults", {
      drop: 1,
      apiErrors: [{ route: "POST /client/trading/deposit", key: "FLEET_DEGRADED", retryAfter: 30 }],
    });
    expect(set.body.config).toMatchObject({ drop: { count: 1 } });
    const token = tokenFor(6006);
    const [item] = await depositable(w.api, token);
    const refused = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
    });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ key: "FLEET_DEGRADED", code: 1011 });
    expect(refused.headers.get("retry-after")).toBe("30");
    const ok = await w.api.client(token, "POST", "/client/trading/deposit", {
      items: [{ itemId: item?.id, price: item?.offer.price }],
    });
    expect(ok.status).toBe(200);
    await w.sandbox.idle();
    const stats = await w.api.control("GET", "/_sandbox/faults");
    expect(stats.body.stats).toMatchObject({ dropped: 1, apiErrors: 1 });
    const cleared = await w.api.control("DELETE", "/_sandbox/faults");
    expect(cleared.body.config).toEqual({});
  });

  it("sets the callback URL after a successful ping, and resets everything", async () => {
    w = await startWorld({}, { noCallbackUrl: true });
    const set = await w.api.control("POST", "/_sandbox/callback-url", { url: w.receiver.url });
    expect(set.body).toEqual({ ping: true, callbackUrl: w.receiver.url });
    await depositFor(w, 6007);
    await w.sandbox.clock.advance(100);
    const reset = await w.api.control("POST", "/_sandbox/reset");
    expect(reset.body).toEqual({ ok: true, now: "2026-07-01T12:00:00.000Z" });
    const state = await w.api.control("GET", "/_sandbox/state");
    expect(state.body.trades).toEqual([]);
    expect(state.body.merchant.balance).toBe(100_000);
  });

  it("auto-progresses with a time scale: a CS2 deposit reaches completed in real seconds", async () => {
    w = await startWorld({ timeScale: 1_000_000 });
    const { trade } = await depositFor(w, 6008);
    await w.receiver.waitFor(
      (r) => r.body.trade?.id === trade.id && r.body.trade?.status === "completed",
      5_000,
    );
    expect(w.receiver.statuses(trade.id)).toEqual(["initiated", "pending", "active", "hold", "completed"]);
  });
});
