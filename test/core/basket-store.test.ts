/**
 * What used to be read-modify-write of one JSON value is now appends and versioned commits:
 * a member's trade list and the community audit keep every concurrent writer's line, and
 * baskets written by the previous layout (a Keyv value with per-trade counters) keep working.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { centsToDollars } from "../../src/base/money.ts";
import type { CommunityEvent } from "../../src/core/community-log.ts";
import type { TradeRecord } from "../../src/core/trade-records.ts";
import { postSignedCallback, startTestApp, type TestApp, testConfig } from "../support/app-harness.ts";

function record(memberId: string, externalId: string, extra: Partial<TradeRecord> = {}): TradeRecord {
  return {
    externalId,
    kind: "deposit",
    source: "client",
    memberId,
    game: "730",
    items: [
      {
        id: `${externalId}-i`,
        name: "AK-47 | Redline",
        memberPriceCents: 4_025,
        quotedPriceCents: 4_025,
        amount: 1,
      },
    ],
    totalCents: 4_025,
    instant: false,
    createdAt: new Date().toISOString(),
    phase: "open",
    ...extra,
  };
}

function line(tradeId: string, status: string): CommunityEvent {
  return {
    at: new Date().toISOString(),
    tradeId,
    externalId: `sb-se-${tradeId}`,
    kind: "liquidation",
    actor: "discord:1",
    status,
    totalCents: 100,
    items: ["Crate"],
  };
}

describe("appends that no concurrent writer can lose (two instances on one Redis)", () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const prefix = `t:${randomUUID().slice(0, 8)}:`;
    a = await startTestApp(testConfig(), { redisUrl: inject("redisUrl"), prefix });
    b = await startTestApp(testConfig(), { redisUrl: inject("redisUrl"), prefix });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("keeps every trade a member starts at the same instant in their list", async () => {
    const memberId = `console:${randomUUID().slice(0, 8)}`;
    const ids = Array.from({ length: 12 }, (_, i) => `sb-de-race${i}-${randomUUID().slice(0, 6)}`);
    await Promise.all(ids.map((id, i) => (i % 2 ? a : b).app.core.records.create(record(memberId, id))));
    const listed = (await a.app.core.records.ofMember(memberId, 100)).map((r) => r.externalId);
    expect(listed.sort()).toEqual([...ids].sort());
  });

  it("keeps the audit lines of liquidations moving in the same instant, once each", async () => {
    const trades: string[] = [randomUUID(), randomUUID(), randomUUID()];
    const lines = trades.flatMap((t) => [line(t, "active"), line(t, "completed")]);
    await Promise.all([...lines, ...lines].map((l, i) => (i % 2 ? a : b).app.core.community.append(l)));
    const kept = (await a.app.core.community.recent(100)).filter((e) => trades.includes(e.tradeId));
    expect(kept).toHaveLength(6);
    expect(new Set(kept.map((e) => `${e.tradeId}:${e.status}`)).size).toBe(6);
  });

  it("settles a basket the previous version wrote, without repeating what it credited", async () => {
    const memberId = `console:${randomUUID().slice(0, 8)}`;
    const tradeId = randomUUID();
    const externalId = `sb-de-${tradeId.slice(0, 12)}`;
    const core = a.app.core;
    // As the previous version left it: credited on `completed`, keyed by trade id, counters on the record.
    await core.kv.intents.set(
      `trade-ext:${externalId}`,
      record(memberId, externalId, {
        tradeId,
        status: "completed",
        phase: "closed",
        effects: {
          [tradeId]: {
            creditedCents: 4_025,
            preCreditedCents: 0,
            settledCents: 0,
            refundedCents: 0,
            closed: true,
          },
        },
      }),
    );
    await core.kv.intents.set(`trade-id:${tradeId}`, externalId);
    await core.ledger.credit({
      key: `trade:${tradeId}:credit`,
      memberId,
      amountCents: 4_025,
      reason: "deposit",
      tradeId,
    });
    const body = (status: string) => ({
      trade: {
        id: tradeId,
        type: "deposit",
        source: "client",
        externalId,
        merchantId: "m",
        clientUserId: "c",
        clientTradeUrl: "https://steamcommunity.com/tradeoffer/new/?partner=1&token=abcdefgh",
        clientSteamID: "76561197960265729",
        status,
        game: "730",
        items: [
          { id: `${externalId}-i`, appid: 730, tradable: true, offer: { price: centsToDollars(4_025) } },
        ],
        totalPrice: centsToDollars(4_025),
        createdAt: "2026-11-21T00:00:00.000Z",
        updatedAt: "2026-11-21T00:00:00.000Z",
      },
    });
    // A late duplicate of `completed` credits nothing; the reversal takes back exactly the credit.
    expect((await postSignedCallback(b.callbackUrl, body("completed"))).status).toBe(200);
    expect(await core.ledger.balance(memberId)).toEqual({ availableCents: 4_025, heldCents: 0 });
    expect((await postSignedCallback(a.callbackUrl, body("reverted"))).status).toBe(200);
    expect(await core.ledger.balance(memberId)).toEqual({ availableCents: 0, heldCents: 0 });
    const upgraded = await core.records.byExternalId(externalId);
    expect(upgraded?.items[0]?.state?.phase).toBe("clawedBack");
  });
});
