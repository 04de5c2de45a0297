/**
 * Money that does not depend on timing. Each case stalls one instance between reading a basket
 * and committing its transition — for as long as the test likes, far past any lease — while
 * another instance applies the next status; then lets the stalled one go on. Run with two app
 * instances on one Redis and with two concurrent callbacks on the memory store. Whatever the
 * interleaving, the money ends as AssetPay's final word says, and re-delivering anything
 * afterwards changes nothing.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { centsToDollars } from "../../src/base/money.ts";
import type { TradeRecord } from "../../src/core/trade-records.ts";
import {
  eventually,
  postSignedCallback,
  startTestApp,
  type TestApp,
  testConfig,
} from "../support/app-harness.ts";
import { stallNextCommit } from "../support/stall.ts";

interface Basket {
  externalId: string;
  tradeId: string;
  memberId: string;
  prices: number[];
  itemIds: string[];
}

async function basket(
  app: TestApp,
  kind: "deposit" | "withdraw",
  prices: number[],
  opts: { instant?: boolean } = {},
): Promise<Basket> {
  const tradeId = randomUUID();
  const b: Basket = {
    externalId: `sb-${kind.slice(0, 2)}-${tradeId.slice(0, 12)}`,
    tradeId,
    memberId: `console:${randomUUID().slice(0, 10)}`,
    prices,
    itemIds: prices.map((_, i) => `${tradeId}-item-${i}`),
  };
  const record: TradeRecord = {
    externalId: b.externalId,
    kind,
    source: "client",
    memberId: b.memberId,
    game: "730",
    items: prices.map((p, i) => ({
      id: b.itemIds[i] as string,
      name: `Item ${i}`,
      memberPriceCents: p,
      quotedPriceCents: p,
      amount: 1,
    })),
    totalCents: prices.reduce((a, c) => a + c, 0),
    instant: opts.instant ?? false,
    createdAt: new Date().toISOString(),
    phase: "open",
  };
  await app.app.core.records.create(record);
  return b;
}

function wire(
  b: Basket,
  kind: "deposit" | "withdraw",
  status: string,
  opts: { tradeId?: string; itemStatus?: string; preCreditRatio?: number } = {},
) {
  const total = b.prices.reduce((a, c) => a + c, 0);
  const trade: Record<string, unknown> = {
    id: opts.tradeId ?? b.tradeId,
    type: kind,
    source: "client",
    externalId: b.externalId,
    merchantId: "m",
    clientUserId: "c",
    clientTradeUrl: "https://steamcommunity.com/tradeoffer/new/?partner=1&token=abcdefgh",
    clientSteamID: "76561197960265729",
    status,
    game: "730",
    items: b.prices.map((p, i) => ({
      id: b.itemIds[i],
      appid: 730,
      tradable: true,
      offer: { price: centsToDollars(p) },
      ...(kind === "withdraw" ? { status: opts.itemStatus ?? status } : {}),
    })),
    totalPrice: centsToDollars(total),
    createdAt: "2026-11-21T00:00:00.000Z",
    updatedAt: "2026-11-21T00:00:00.000Z",
  };
  if (opts.preCreditRatio !== undefined) {
    const pre = Math.floor(total * opts.preCreditRatio);
    trade.isInstant = true;
    trade.preCredit = centsToDollars(pre);
    trade.pendingCredit = centsToDollars(total - pre);
  }
  return { trade };
}

/** Sends `first` to instance A, stalls A right before its commit, applies `second` on B, lets A go. */
async function interleave(a: TestApp, b: TestApp, first: unknown, second: unknown) {
  const stall = stallNextCommit(a.app);
  const stalled = postSignedCallback(a.callbackUrl, first);
  await stall.reached;
  const meanwhile = await postSignedCallback(b.callbackUrl, second);
  expect(meanwhile.status).toBe(200);
  stall.release();
  expect((await stalled).status).toBe(200);
}

async function money(app: TestApp, memberId: string) {
  const ledger = app.app.core.ledger;
  const journal = await ledger.journal(memberId, { limit: 1000 });
  return {
    balance: await ledger.balance(memberId),
    journal: journal.map((e) => [e.op, e.itemId, e.availableDeltaCents, e.heldDeltaCents]),
  };
}

function races(name: string, instances: () => [TestApp, TestApp]) {
  describe(name, () => {
    it("a stall before an instant deposit's pre-credit never credits on top of the full credit", async () => {
      const [a, b] = instances();
      const d = await basket(a, "deposit", [400_000, 237_810], { instant: true });
      const hold = wire(d, "deposit", "hold", { preCreditRatio: 0.6 });
      const completed = wire(d, "deposit", "completed", { preCreditRatio: 0.6 });
      await interleave(a, b, hold, completed);
      const after = await money(a, d.memberId);
      expect(after.balance).toEqual({ availableCents: 637_810, heldCents: 0 });
      // Re-delivering either status, on either instance, changes nothing.
      for (const body of [hold, completed]) {
        expect((await postSignedCallback(a.callbackUrl, body)).status).toBe(200);
        expect((await postSignedCallback(b.callbackUrl, body)).status).toBe(200);
      }
      expect(await money(a, d.memberId)).toEqual(after);
    });

    it("a stall with a stale 'nothing credited yet' still claws back what completion credited", async () => {
      const [a, b] = instances();
      const d = await basket(a, "deposit", [4_025]);
      const reverted = wire(d, "deposit", "reverted");
      await interleave(a, b, reverted, wire(d, "deposit", "completed"));
      const after = await money(a, d.memberId);
      expect(after.balance).toEqual({ availableCents: 0, heldCents: 0 });
      expect(after.journal).toEqual([
        ["debit", d.itemIds[0], -4_025, 0],
        ["credit", d.itemIds[0], 4_025, 0],
      ]);
      expect((await postSignedCallback(b.callbackUrl, reverted)).status).toBe(200);
      expect(await money(a, d.memberId)).toEqual(after);
    });

    it("refunds a delivered withdrawal item that is reverted, once, with one entry per transition", async () => {
      const [a, b] = instances();
      const w = await basket(a, "withdraw", [1_500, 2_500]);
      await a.app.core.admin.adjust({
        actor: "test",
        memberId: w.memberId,
        amountCents: 10_000,
        reason: "seed",
      });
      expect((await postSignedCallback(a.callbackUrl, wire(w, "withdraw", "initiated"))).status).toBe(200);
      const completed = wire(w, "withdraw", "completed");
      const reverted = wire(w, "withdraw", "reverted");
      expect((await postSignedCallback(b.callbackUrl, completed)).status).toBe(200);
      expect((await money(a, w.memberId)).balance).toEqual({ availableCents: 6_000, heldCents: 0 });
      await interleave(a, b, reverted, completed);
      const after = await money(a, w.memberId);
      expect(after.balance).toEqual({ availableCents: 10_000, heldCents: 0 });
      const [i0, i1] = w.itemIds;
      expect(after.journal).toEqual([
        ["credit", i1, 2_500, 0],
        ["credit", i0, 1_500, 0],
        ["settle", i1, 0, -2_500],
        ["settle", i0, 0, -1_500],
        ["hold", i1, -2_500, 2_500],
        ["hold", i0, -1_500, 1_500],
        ["adjust", undefined, 10_000, 0],
      ]);
      for (const body of [completed, reverted]) await postSignedCallback(b.callbackUrl, body);
      expect(await money(a, w.memberId)).toEqual(after);
      // Either instance's outbox worker may deliver it.
      await eventually(() => {
        const sent = [...a.notifier.sent, ...(b === a ? [] : b.notifier.sent)];
        const refund = sent.find((s) => s.notice.tradeId === w.tradeId && s.notice.status === "reverted");
        expect(refund?.notice).toMatchObject({ kind: "withdraw.failed", amountCents: 4_000 });
      });
    });

    it("credits a basket's items once whichever trade id reports them", async () => {
      const [a, b] = instances();
      const d = await basket(a, "deposit", [900, 100]);
      expect((await postSignedCallback(a.callbackUrl, wire(d, "deposit", "completed"))).status).toBe(200);
      const repeat = wire(d, "deposit", "completed", { tradeId: randomUUID() });
      expect((await postSignedCallback(b.callbackUrl, repeat)).status).toBe(200);
      expect((await money(a, d.memberId)).balance).toEqual({ availableCents: 1_000, heldCents: 0 });
    });

    it("two trades of a split basket each credit their own items, exactly once", async () => {
      const [a, b] = instances();
      const d = await basket(a, "deposit", [700, 300]);
      const first = wire({ ...d, prices: [700], itemIds: [d.itemIds[0] as string] }, "deposit", "completed");
      const secondId = randomUUID();
      const second = wire(
        { ...d, prices: [300], itemIds: [d.itemIds[1] as string] },
        "deposit",
        "completed",
        {
          tradeId: secondId,
        },
      );
      await interleave(a, b, first, second);
      await postSignedCallback(b.callbackUrl, first);
      await postSignedCallback(a.callbackUrl, second);
      expect((await money(a, d.memberId)).balance).toEqual({ availableCents: 1_000, heldCents: 0 });
      const record = await a.app.core.records.byExternalId(d.externalId);
      expect(Object.keys(record?.trades ?? {}).sort()).toEqual([d.tradeId, secondId].sort());
      expect(record?.phase).toBe("closed");
    });
  });
}

describe("settlement under stalled instances", () => {
  describe("on Redis", () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      const prefix = `t:${randomUUID().slice(0, 8)}:`;
      a = await startTestApp(testConfig({ ASSETPAY_INSTANT_CREDIT: "true" }), {
        redisUrl: inject("redisUrl"),
        prefix,
      });
      b = await startTestApp(testConfig({ ASSETPAY_INSTANT_CREDIT: "true" }), {
        redisUrl: inject("redisUrl"),
        prefix,
      });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
    });
    races("two instances sharing one Redis", () => [a, b]);
  });

  describe("on the memory store", () => {
    let a: TestApp;
    beforeAll(async () => {
      a = await startTestApp(testConfig({ ASSETPAY_INSTANT_CREDIT: "true" }));
    });
    afterAll(async () => {
      await a?.close();
    });
    races("two concurrent callbacks on one instance", () => [a, a]);
  });
});
