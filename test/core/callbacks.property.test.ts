/**
 * Random interleavings of duplicated, reordered and repeated callbacks for many trades, sent
 * to two listeners sharing one Redis (and to one listener on the memory store), must leave the
 * ledger exactly as the trades' outcomes say: nothing applied twice, balances equal to their
 * journals, no hold without an approval, every terminal trade settled or refunded once.
 *
 * The model includes withdrawals reverted after delivery (refunded once), baskets split into
 * two trades (each item credited once), a second trade id repeating a basket's items (credits
 * nothing more), and instances stalled between reading a basket and committing, while the
 * other events of their batch go through.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { TradeStatus } from "../../src/assetpay/schemas.ts";
import { centsToDollars } from "../../src/base/money.ts";
import { postSignedCallback, startTestApp, type TestApp, testConfig } from "../support/app-harness.ts";
import { stallNextCommit } from "../support/stall.ts";

type Path = "A" | "B" | "C" | "D" | "E" | "S" | "R" | "W1" | "W2" | "W3" | "W4" | "W5";

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
  /** The AssetPay trades the basket's items travel in: one, or two for S and R. */
  parts: { id: string; items: number[] }[];
}

type Snap = { status: TradeStatus; items: TradeStatus[] };

function partsOf(path: Path, id: string, n: number): TradeSpec["parts"] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (path === "S" && n > 1) {
    const k = Math.ceil(n / 2);
    return [
      { id, items: all.slice(0, k) },
      { id: randomUUID(), items: all.slice(k) },
    ];
  }
  if (path === "R")
    return [
      { id, items: all },
      { id: randomUUID(), items: all },
    ];
  return [{ id, items: all }];
}

function snapshots(spec: TradeSpec, part: number): Snap[] {
  if (spec.path === "R" && part === 1) return [{ status: "completed", items: [] }];
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
    case "W5":
      return [
        ...["pending", "active", "hold", "completed"].map((s) => ({
          status: s as TradeStatus,
          items: all(s as TradeStatus),
        })),
        { status: "reverted", items: all("reverted") },
      ];
    default:
      return (DEPOSIT_PATHS[spec.path === "S" || spec.path === "R" ? "A" : spec.path] ?? []).map((s) => ({
        status: s,
        items: [],
      }));
  }
}

function wire(spec: TradeSpec, snap: Snap, part = 0) {
  const deposit = !spec.path.startsWith("W");
  const carried = spec.parts[part]?.items ?? [];
  const total = carried.reduce((a, i) => a + (spec.prices[i] ?? 0), 0);
  const pre = Math.floor(total * 0.6);
  const trade: Record<string, unknown> = {
    id: spec.parts[part]?.id ?? spec.id,
    type: deposit ? "deposit" : "withdraw",
    source: "client",
    externalId: spec.externalId,
    merchantId: "m",
    clientUserId: "c",
    clientTradeUrl: "https://steamcommunity.com/tradeoffer/new/?partner=1&token=abcdefgh",
    clientSteamID: "76561197960265729",
    status: snap.status,
    game: "730",
    items: carried.map((i) => ({
      id: `${spec.id}-item-${i}`,
      appid: 730,
      tradable: true,
      offer: { price: centsToDollars(spec.prices[i] ?? 0) },
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
    case "S":
    case "R":
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
  path: fc.constantFrom<Path>("A", "B", "C", "D", "E", "S", "R", "W1", "W2", "W3", "W4", "W5"),
  prices: fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 3 }),
});

const scenarioArb = fc.record({
  trades: fc.array(specArb, { minLength: 1, maxLength: 5 }),
  order: fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
  duplicates: fc.array(fc.record({ at: fc.nat(), sameId: fc.boolean() }), { maxLength: 12 }),
  targets: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
  /** Batches (by index) whose first event's instance stalls before committing. */
  stalls: fc.array(fc.nat(20), { maxLength: 6 }),
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

  const specs: TradeSpec[] = scenario.trades.map((t, i) => {
    const id = randomUUID();
    return {
      ...t,
      id,
      externalId: `sb-x-${run}-${i}`,
      member: t.path === "W4" ? poor : rich,
      parts: partsOf(t.path, id, t.prices.length),
    };
  });
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
    s.parts.forEach((_, part) => {
      for (const snap of snapshots(s, part))
        events.push({ body: wire(s, snap, part), deliveryId: randomUUID() });
    });
  }
  for (const d of scenario.duplicates) {
    const e = events[d.at % events.length];
    if (e) events.push({ body: e.body, deliveryId: d.sameId ? e.deliveryId : randomUUID() });
  }
  const keyed = events.map((e, i) => ({ e, k: scenario.order[i % scenario.order.length] ?? 0, i }));
  keyed.sort((a, b) => a.k - b.k || a.i - b.i);
  const targetOf = (k: number) =>
    listeners[scenario.targets[k % scenario.targets.length] ? listeners.length - 1 : 0]!;
  const post = ({ e }: (typeof keyed)[number], k: number) =>
    postSignedCallback(targetOf(k).callbackUrl, e.body, { deliveryId: e.deliveryId });
  for (let i = 0; i < keyed.length; i += 4) {
    const batch = keyed.slice(i, i + 4);
    const results: Promise<{ status: number }>[] = [];
    if (scenario.stalls.includes(i / 4) && batch.length > 1) {
      // The first event's instance reads, then stalls before its commit while the rest go through.
      const stall = stallNextCommit(targetOf(i).app);
      const stalled = post(batch[0]!, i);
      const reached = await Promise.race([stall.reached.then(() => true), stalled.then(() => false)]);
      if (!reached) stall.release(); // nothing to commit: no stall
      results.push(...batch.slice(1).map((x, j) => post(x, i + 1 + j)));
      await Promise.all(results);
      stall.release();
      results.push(stalled);
    } else {
      results.push(...batch.map((x, j) => post(x, i + j)));
    }
    for (const r of await Promise.all(results)) expect([200]).toContain(r.status);
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
      const ids = new Set(s.parts.map((p) => p.id));
      const entries = journal.filter((e) => ids.has(e.tradeId ?? ""));
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
      if (s.path === "W5") {
        // Delivered then reverted: refunded once, after the delivery or (reordered) instead of it.
        const refunds = entries.filter((e) => e.reason === "withdrawal-reverted" || e.op === "release");
        expect(refunds.length, "each reverted item refunded exactly once").toBe(s.prices.length);
      }
      if (!s.path.startsWith("W")) {
        s.prices.forEach((price, i) => {
          const net = entries
            .filter((e) => e.itemId === `${s.id}-item-${i}`)
            .reduce((a, e) => a + e.availableDeltaCents, 0);
          expect(net, "no item credited beyond its price").toBeLessThanOrEqual(price);
        });
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
