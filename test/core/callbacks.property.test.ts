/**
 * Random interleavings of duplicated, reordered and repeated callbacks for many trades, sent
 * to two listeners sharing one Redis (and to one listener on the memory store), must leave the
 * ledger exactly as the trades' outcomes say: nothing applied twice, balances equal to their
 * journals, no hold without an approval, every terminal trade settled or refunded once.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { TradeStatus } from "../../src/assetpay/schemas.ts";
import { centsToDollars } from "../../src/core/money.ts";
import { postSignedCallback, startTestApp, type TestApp, testConfig } from "../support/app-harness.ts";

type Path = "A" | "B" | "C" | "D" | "E" | "W1" | "W2" | "W3" | "W4";

const DEPOSIT_PATHS: Record<string, TradeStatus[]> = {
  A: ["initiated", "pending", "active", "hold", "completed"],
  B: ["initiated", "pending", "active", "declined"],
  C: ["initiated", "pending", "active", "hold", "completed", "reverted"],
  D: ["initiated", "active", "hold", "reverted"],
  E: ["initiated", "failed"],
};

interface TradeSpec {
  id: string;
  externalId: string;
  path: Path;
  member: string;
  prices: number[];
}

function snapshots(spec: TradeSpec): { status: TradeStatus; items: TradeStatus[] }[] {
  const n = spec.prices.length;
  const all = (s: TradeStatus) => Array.from({ length: n }, () => s);
  switch (spec.path) {
    case "W1":
      return ["pending", "active", "hold", "completed"].map((s) => ({
        status: s as TradeStatus,
        items: all(s as TradeStatus),
      }));
    case "W2":
      return [
        { status: "pending", items: all("pending") },
        { status: "active", items: ["failed", ...all("active").slice(1)] },
        { status: "completed", items: ["failed", ...all("completed").slice(1)] },
      ];
    case "W3":
      return [
        { status: "pending", items: all("pending") },
        { status: "failed", items: all("failed") },
      ];
    case "W4":
      return [{ status: "failed", items: all("failed") }];
    default:
      return (DEPOSIT_PATHS[spec.path] ?? []).map((s) => ({ status: s, items: [] }));
  }
}

function wire(spec: TradeSpec, snap: { status: TradeStatus; items: TradeStatus[] }) {
  const deposit = !spec.path.startsWith("W");
  const total = spec.prices.reduce((a, b) => a + b, 0);
  const pre = Math.floor(total * 0.6);
  const trade: Record<string, unknown> = {
    id: spec.id,
    type: deposit ? "deposit" : "withdraw",
    source: "client",
    externalId: spec.externalId,
    merchantId: "m",
    clientUserId: "c",
    clientTradeUrl: "https://steamcommunity.com/tradeoffer/new/?partner=1&token=abcdefgh",
    clientSteamID: "76561197960265729",
    status: snap.status,
    game: "730",
    items: spec.prices.map((p, i) => ({
      id: `${spec.id}-item-${i}`,
      appid: 730,
      tradable: true,
      offer: { price: centsToDollars(p) },
      ...(deposit ? {} : { status: snap.items[i] }),
    })),
    totalPrice: centsToDollars(total),
    createdAt: "2026-11-21T00:00:00.000Z",
    updatedAt: "2026-11-21T00:00:00.000Z",
  };
  if (deposit) {
    trade.isInstant = true;
    trade.preCredit = centsToDollars(pre);
    trade.pendingCredit = centsToDollars(total - pre);
  }
  if (snap.status === "failed" && spec.path === "W4") trade.error = "MERCHANT_REJECTED";
  return { trade };
}

function expectedDelta(spec: TradeSpec): number {
  const total = spec.prices.reduce((a, b) => a + b, 0);
  switch (spec.path) {
    case "A":
      return total;
    case "W1":
      return -total;
    case "W2":
      return (spec.prices[0] ?? 0) - total;
    default:
      return 0;
  }
}

const specArb = fc.record({
  path: fc.constantFrom<Path>("A", "B", "C", "D", "E", "W1", "W2", "W3", "W4"),
  prices: fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 3 }),
});

const scenarioArb = fc.record({
  trades: fc.array(specArb, { minLength: 1, maxLength: 5 }),
  order: fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
  duplicates: fc.array(fc.record({ at: fc.nat(), sameId: fc.boolean() }), { maxLength: 12 }),
  targets: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

async function runScenario(listeners: TestApp[], scenario: Scenario) {
  const core = listeners[0]!.app.core;
  const run = randomUUID().slice(0, 8);
  const rich = `console:rich-${run}`;
  const poor = `console:poor-${run}`;
  await core.admin.adjust({
    actor: "test",
    memberId: rich,
    amountCents: 10_000_000,
    reason: "seed balance",
    requestId: run,
  });

  const specs: TradeSpec[] = scenario.trades.map((t, i) => ({
    ...t,
    id: randomUUID(),
    externalId: `sb-x-${run}-${i}`,
    member: t.path === "W4" ? poor : rich,
  }));
  for (const s of specs) {
    const deposit = !s.path.startsWith("W");
    await core.records.create({
      externalId: s.externalId,
      kind: deposit ? "deposit" : "withdraw",
      source: "client",
      memberId: s.member,
      game: "730",
      items: s.prices.map((p, i) => ({
        id: `${s.id}-item-${i}`,
        name: `Item ${i}`,
        memberPriceCents: p,
        quotedPriceCents: p,
        amount: 1,
      })),
      totalCents: s.prices.reduce((a, b) => a + b, 0),
      instant: deposit,
      createdAt: new Date().toISOString(),
      phase: "open",
      effects: {},
    });
  }

  // Approvals first: AssetPay moves a withdrawal nowhere before its approval is answered.
  // Each is asked of both listeners at once, like retried attempts racing.
  for (const s of specs.filter((x) => x.path.startsWith("W"))) {
    const body = wire(s, { status: "initiated", items: s.prices.map(() => "initiated") });
    const answers = await Promise.all(listeners.map((l) => postSignedCallback(l.callbackUrl, body)));
    const statuses = new Set(answers.map((a) => a.status));
    expect(statuses.size, "both attempts get the same verdict").toBe(1);
    expect([...statuses][0]).toBe(s.path === "W4" ? 402 : 200);
  }

  const events: { body: unknown; deliveryId: string }[] = [];
  for (const s of specs) {
    for (const snap of snapshots(s)) events.push({ body: wire(s, snap), deliveryId: randomUUID() });
  }
  for (const d of scenario.duplicates) {
    const e = events[d.at % events.length];
    if (e) events.push({ body: e.body, deliveryId: d.sameId ? e.deliveryId : randomUUID() });
  }
  const keyed = events.map((e, i) => ({ e, k: scenario.order[i % scenario.order.length] ?? 0, i }));
  keyed.sort((a, b) => a.k - b.k || a.i - b.i);
  for (let i = 0; i < keyed.length; i += 4) {
    const batch = keyed.slice(i, i + 4);
    const results = await Promise.all(
      batch.map(({ e }, j) => {
        const target =
          listeners[scenario.targets[(i + j) % scenario.targets.length] ? listeners.length - 1 : 0]!;
        return postSignedCallback(target.callbackUrl, e.body, { deliveryId: e.deliveryId });
      }),
    );
    for (const r of results) expect([200]).toContain(r.status);
  }

  // Invariants.
  for (const member of [rich, poor]) {
    const bal = await core.ledger.balance(member);
    const journal = await core.ledger.journal(member, { limit: 1000 });
    const sum = journal.reduce((a, e) => a + e.availableDeltaCents + e.heldDeltaCents, 0);
    expect(bal.availableCents + bal.heldCents, "balance equals its journal").toBe(sum);
    expect(new Set(journal.map((e) => e.key)).size, "no key applied twice").toBe(journal.length);
    for (const e of journal.filter((x) => x.op === "hold")) {
      expect((await core.ledger.verdict(e.tradeId ?? ""))?.verdict, "hold only with an approval").toBe(
        "approved",
      );
    }
    for (const s of specs.filter((x) => x.member === member)) {
      const entries = journal.filter((e) => e.tradeId === s.id);
      const available = entries.reduce((a, e) => a + e.availableDeltaCents, 0);
      const held = entries.reduce((a, e) => a + e.heldDeltaCents, 0);
      expect({ trade: s.path, available, held }).toEqual({
        trade: s.path,
        available: expectedDelta(s),
        held: 0,
      });
      if (s.path.startsWith("W") && s.path !== "W4") {
        const finals = entries.filter((e) => e.op === "settle" || e.op === "release");
        expect(finals.length, "each item settled or refunded exactly once").toBe(s.prices.length);
      }
    }
  }
  expect((await core.ledger.balance(poor)).heldCents).toBe(0);
}

describe("callback interleavings (property)", () => {
  describe("two listeners sharing one Redis", () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      const prefix = `t:${randomUUID().slice(0, 8)}:`;
      const config = testConfig({ ASSETPAY_INSTANT_CREDIT: "true" });
      a = await startTestApp(config, { redisUrl: inject("redisUrl"), prefix });
      b = await startTestApp(testConfig({ ASSETPAY_INSTANT_CREDIT: "true" }), {
        redisUrl: inject("redisUrl"),
        prefix,
      });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
    });
    it("never moves money twice and settles every terminal trade exactly once", async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, (s) => runScenario([a, b], s)),
        { numRuns: 25 },
      );
    }, 120_000);
  });

  describe("one listener on the memory store", () => {
    let a: TestApp;
    beforeAll(async () => {
      a = await startTestApp(testConfig({ ASSETPAY_INSTANT_CREDIT: "true" }));
    });
    afterAll(async () => {
      await a?.close();
    });
    it("never moves money twice and settles every terminal trade exactly once", async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, (s) => runScenario([a], s)),
        { numRuns: 40 },
      );
    }, 120_000);
  });
});
