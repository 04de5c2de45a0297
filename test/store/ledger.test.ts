import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ledger, LedgerEntry } from "../../src/core/ledger.ts";
import { createRedisLedger } from "../../src/store/ledger-redis.ts";
import { BACKENDS, type Backend } from "./backends.ts";

const alice = "discord:1001";
const bob = "telegram:2002";
const at = new Date("2026-03-01T10:00:00.000Z");

async function allEntries(ledger: Ledger, memberId: string): Promise<LedgerEntry[]> {
  return ledger.journal(memberId, { limit: 1000 });
}

async function expectJournalMatchesBalance(ledger: Ledger, memberId: string): Promise<void> {
  const entries = await allEntries(ledger, memberId);
  const balance = await ledger.balance(memberId);
  expect(entries.reduce((sum, e) => sum + e.availableDeltaCents, 0)).toBe(balance.availableCents);
  expect(entries.reduce((sum, e) => sum + e.heldDeltaCents, 0)).toBe(balance.heldCents);
}

describe.each(BACKENDS)("ledger (%s)", (_name, makeBackend) => {
  const backend: Backend = makeBackend();
  let ledger: Ledger;
  let peer: Ledger;

  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  const fresh = () => {
    ({ store: ledger, peer } = backend.freshLedger(() => at));
  };

  describe("moves", () => {
    it("credits available balance and journals the entry with its key, reason and references", async () => {
      fresh();
      const result = await ledger.credit({
        key: "trade:t1:item:i1:completed",
        memberId: alice,
        amountCents: 1075,
        reason: "deposit",
        tradeId: "t1",
        itemId: "i1",
        meta: { market: "cs2", price: 10.75 },
      });
      expect(result).toEqual({
        applied: true,
        balance: { availableCents: 1075, heldCents: 0 },
        entry: {
          id: 1,
          key: "trade:t1:item:i1:completed",
          memberId: alice,
          op: "credit",
          availableDeltaCents: 1075,
          heldDeltaCents: 0,
          reason: "deposit",
          tradeId: "t1",
          itemId: "i1",
          meta: { market: "cs2", price: 10.75 },
          at: at.toISOString(),
        },
      });
      expect(await ledger.balance(alice)).toEqual({ availableCents: 1075, heldCents: 0 });
      expect(await ledger.journal(alice)).toEqual([result.applied ? result.entry : undefined]);
    });

    it("moves money once when the same key is applied twice, and says so the second time", async () => {
      fresh();
      const credit = { key: "trade:t1:credit", memberId: alice, amountCents: 500, reason: "deposit" };
      await ledger.credit(credit);
      const again = await peer.credit(credit);
      expect(again).toEqual({
        applied: false,
        refused: "duplicate",
        balance: { availableCents: 500, heldCents: 0 },
      });
      expect(await ledger.hasApplied("trade:t1:credit")).toBe(true);
      expect(await allEntries(ledger, alice)).toHaveLength(1);
    });

    it("treats a key as used whatever the operation, so a replay under another op moves nothing", async () => {
      fresh();
      await ledger.credit({ key: "k", memberId: alice, amountCents: 500, reason: "deposit" });
      const debit = await ledger.debit({
        key: "k",
        memberId: alice,
        amountCents: 200,
        reason: "x",
        allowNegative: false,
      });
      expect(debit).toMatchObject({ applied: false, refused: "duplicate" });
      expect(await ledger.balance(alice)).toEqual({ availableCents: 500, heldCents: 0 });
    });

    it("refuses a debit that would go negative without consuming its key", async () => {
      fresh();
      await ledger.credit({ key: "c1", memberId: alice, amountCents: 300, reason: "deposit" });
      const refused = await ledger.debit({
        key: "d1",
        memberId: alice,
        amountCents: 301,
        reason: "purchase",
        allowNegative: false,
      });
      expect(refused).toEqual({
        applied: false,
        refused: "insufficient",
        balance: { availableCents: 300, heldCents: 0 },
      });
      expect(await ledger.hasApplied("d1")).toBe(false);
      await ledger.credit({ key: "c2", memberId: alice, amountCents: 1, reason: "deposit" });
      const retried = await ledger.debit({
        key: "d1",
        memberId: alice,
        amountCents: 301,
        reason: "purchase",
        allowNegative: false,
      });
      expect(retried).toMatchObject({ applied: true, balance: { availableCents: 0, heldCents: 0 } });
    });

    it("lets a deposit revert take back a spent credit, leaving the balance negative", async () => {
      fresh();
      await ledger.credit({ key: "trade:t1:credit", memberId: alice, amountCents: 1000, reason: "deposit" });
      await ledger.hold({ key: "trade:w1:hold", memberId: alice, amountCents: 800, reason: "withdrawal" });
      const revert = await ledger.debit({
        key: "trade:t1:reverted",
        memberId: alice,
        amountCents: 1000,
        reason: "deposit reverted",
        tradeId: "t1",
        allowNegative: true,
      });
      expect(revert).toMatchObject({ applied: true, balance: { availableCents: -800, heldCents: 800 } });
      const hold = await ledger.hold({
        key: "trade:w2:hold",
        memberId: alice,
        amountCents: 1,
        reason: "withdrawal",
      });
      expect(hold).toMatchObject({ applied: false, refused: "insufficient" });
      await expectJournalMatchesBalance(ledger, alice);
    });

    it("holds available money for a withdrawal and refuses a hold it cannot cover without consuming the key", async () => {
      fresh();
      await ledger.credit({ key: "c", memberId: alice, amountCents: 1000, reason: "deposit" });
      const held = await ledger.hold({
        key: "w1:hold",
        memberId: alice,
        amountCents: 600,
        reason: "withdrawal",
      });
      expect(held).toMatchObject({
        applied: true,
        balance: { availableCents: 400, heldCents: 600 },
        entry: { op: "hold", availableDeltaCents: -600, heldDeltaCents: 600 },
      });
      const refused = await ledger.hold({
        key: "w2:hold",
        memberId: alice,
        amountCents: 401,
        reason: "withdrawal",
      });
      expect(refused).toEqual({
        applied: false,
        refused: "insufficient",
        balance: { availableCents: 400, heldCents: 600 },
      });
      expect(await ledger.hasApplied("w2:hold")).toBe(false);
      expect(await allEntries(ledger, alice)).toHaveLength(2);
    });

    it("settles delivered items out of held and refunds failed ones to available", async () => {
      fresh();
      await ledger.credit({ key: "c", memberId: alice, amountCents: 1000, reason: "deposit" });
      await ledger.hold({
        key: "w:hold",
        memberId: alice,
        amountCents: 900,
        reason: "withdrawal",
        tradeId: "w",
      });
      const settled = await ledger.settle({
        key: "trade:w:item:a:completed",
        memberId: alice,
        amountCents: 500,
        reason: "withdrawal delivered",
        tradeId: "w",
        itemId: "a",
      });
      expect(settled).toMatchObject({ applied: true, balance: { availableCents: 100, heldCents: 400 } });
      const refunded = await ledger.release({
        key: "trade:w:item:b:failed",
        memberId: alice,
        amountCents: 400,
        reason: "withdrawal failed",
        tradeId: "w",
        itemId: "b",
      });
      expect(refunded).toMatchObject({
        applied: true,
        balance: { availableCents: 500, heldCents: 0 },
        entry: { op: "release", availableDeltaCents: 400, heldDeltaCents: -400 },
      });
      await expectJournalMatchesBalance(ledger, alice);
    });

    it("refuses to settle or release more than is held", async () => {
      fresh();
      await ledger.credit({ key: "c", memberId: alice, amountCents: 1000, reason: "deposit" });
      await ledger.hold({ key: "h", memberId: alice, amountCents: 100, reason: "withdrawal" });
      const settle = await ledger.settle({
        key: "s",
        memberId: alice,
        amountCents: 101,
        reason: "delivered",
      });
      const release = await ledger.release({ key: "r", memberId: alice, amountCents: 101, reason: "failed" });
      expect(settle).toMatchObject({ applied: false, refused: "insufficient" });
      expect(release).toMatchObject({ applied: false, refused: "insufficient" });
      expect(await ledger.balance(alice)).toEqual({ availableCents: 900, heldCents: 100 });
    });

    it("journals an admin adjustment with its actor and refuses taking below zero unless allowed", async () => {
      fresh();
      const up = await ledger.adjust({
        key: "adj:1",
        memberId: bob,
        amountCents: 250,
        reason: "goodwill",
        actor: "admin:discord:9",
      });
      expect(up).toMatchObject({
        applied: true,
        entry: { op: "adjust", actor: "admin:discord:9", availableDeltaCents: 250 },
      });
      const down = await ledger.adjust({
        key: "adj:2",
        memberId: bob,
        amountCents: -300,
        reason: "fix",
        actor: "admin:x",
      });
      expect(down).toMatchObject({ applied: false, refused: "insufficient" });
      const forced = await ledger.adjust({
        key: "adj:2",
        memberId: bob,
        amountCents: -300,
        reason: "fix",
        actor: "admin:x",
        allowNegative: true,
      });
      expect(forced).toMatchObject({ applied: true, balance: { availableCents: -50, heldCents: 0 } });
    });

    it("rejects amounts that are not positive safe integer cents before touching the store", async () => {
      fresh();
      const base = { key: "bad", memberId: alice, reason: "deposit" };
      for (const amountCents of [
        10.5,
        0,
        -5,
        Number.NaN,
        Number.MAX_SAFE_INTEGER + 1,
        Number.POSITIVE_INFINITY,
      ]) {
        await expect(ledger.credit({ ...base, amountCents })).rejects.toThrow(RangeError);
      }
      await expect(ledger.adjust({ ...base, amountCents: 0, actor: "admin:x" })).rejects.toThrow(RangeError);
      await expect(ledger.adjust({ ...base, amountCents: 1.5, actor: "admin:x" })).rejects.toThrow(
        RangeError,
      );
      await expect(
        ledger.decideApproval({ tradeId: "t", memberId: alice, amountCents: 2.5, key: "bad" }),
      ).rejects.toThrow(RangeError);
      expect(await ledger.hasApplied("bad")).toBe(false);
      expect(await ledger.verdict("t")).toBeUndefined();
      expect(await ledger.journal(alice)).toEqual([]);
    });

    it("applies a concurrently duplicated credit from two instances once", async () => {
      fresh();
      const credit = { key: "trade:t9:credit", memberId: alice, amountCents: 700, reason: "deposit" };
      const results = await Promise.all([ledger.credit(credit), peer.credit(credit), ledger.credit(credit)]);
      expect(results.filter((r) => r.applied)).toHaveLength(1);
      expect(await ledger.balance(alice)).toEqual({ availableCents: 700, heldCents: 0 });
    });
  });

  describe("withdrawal approval", () => {
    it("holds the price and approves when the balance covers it", async () => {
      fresh();
      await ledger.credit({ key: "c", memberId: alice, amountCents: 1000, reason: "deposit" });
      const decision = await ledger.decideApproval({
        tradeId: "w1",
        memberId: alice,
        amountCents: 750,
        key: "trade:w1:hold",
        meta: { externalId: "ext-1" },
      });
      expect(decision).toMatchObject({
        tradeId: "w1",
        verdict: "approved",
        fresh: true,
        memberId: alice,
        amountCents: 750,
        key: "trade:w1:hold",
        balance: { availableCents: 250, heldCents: 750 },
      });
      expect(decision.reason).toBeUndefined();
      const [hold] = await ledger.journal(alice, { limit: 1 });
      expect(hold).toMatchObject({
        op: "hold",
        tradeId: "w1",
        reason: "withdrawal",
        meta: { externalId: "ext-1" },
      });
    });

    it("answers a repeated approval with the same verdict and moves nothing", async () => {
      fresh();
      await ledger.credit({ key: "c", memberId: alice, amountCents: 1000, reason: "deposit" });
      const first = await ledger.decideApproval({
        tradeId: "w1",
        memberId: alice,
        amountCents: 600,
        key: "trade:w1:hold",
      });
      const second = await peer.decideApproval({
        tradeId: "w1",
        memberId: alice,
        amountCents: 600,
        key: "trade:w1:hold",
      });
      const odd = await ledger.decideApproval({
        tradeId: "w1",
        memberId: alice,
        amountCents: 5,
        key: "other",
      });
      expect(second).toEqual({ ...first, fresh: false });
      expect(odd).toEqual({ ...first, fresh: false });
      expect(await ledger.balance(alice)).toEqual({ availableCents: 400, heldCents: 600 });
      expect(await allEntries(ledger, alice)).toHaveLength(2);
    });

    it("rejects for insufficient balance, moves nothing, and keeps rejecting that trade after a top-up", async () => {
      fresh();
      await ledger.credit({ key: "c", memberId: alice, amountCents: 100, reason: "deposit" });
      const rejected = await ledger.decideApproval({
        tradeId: "w1",
        memberId: alice,
        amountCents: 101,
        key: "w1:hold",
      });
      expect(rejected).toMatchObject({
        verdict: "rejected",
        reason: "insufficient",
        fresh: true,
        balance: { availableCents: 100, heldCents: 0 },
      });
      expect(await ledger.hasApplied("w1:hold")).toBe(false);
      await ledger.credit({ key: "c2", memberId: alice, amountCents: 1000, reason: "deposit" });
      const again = await ledger.decideApproval({
        tradeId: "w1",
        memberId: alice,
        amountCents: 101,
        key: "w1:hold",
      });
      expect(again).toMatchObject({
        verdict: "rejected",
        fresh: false,
        balance: { availableCents: 1100, heldCents: 0 },
      });
      expect(await ledger.verdict("w1")).toMatchObject({
        tradeId: "w1",
        verdict: "rejected",
        reason: "insufficient",
      });
    });

    it("records a rejection decided elsewhere once, and an approval attempt then holds nothing", async () => {
      fresh();
      await ledger.credit({ key: "c", memberId: alice, amountCents: 1000, reason: "deposit" });
      const recorded = await ledger.recordVerdict("w1", "rejected", "member-locked", { memberId: alice });
      expect(recorded).toMatchObject({
        tradeId: "w1",
        verdict: "rejected",
        reason: "member-locked",
        fresh: true,
      });
      const later = await peer.recordVerdict("w1", "rejected", "unknown-intent");
      expect(later).toMatchObject({ reason: "member-locked", fresh: false });
      const attempt = await ledger.decideApproval({
        tradeId: "w1",
        memberId: alice,
        amountCents: 10,
        key: "w1:hold",
      });
      expect(attempt).toMatchObject({ verdict: "rejected", reason: "member-locked", fresh: false });
      expect(await ledger.balance(alice)).toEqual({ availableCents: 1000, heldCents: 0 });
    });

    it("keeps an approval when a rejection is recorded for the same trade afterwards", async () => {
      fresh();
      await ledger.credit({ key: "c", memberId: alice, amountCents: 1000, reason: "deposit" });
      await ledger.decideApproval({ tradeId: "w1", memberId: alice, amountCents: 10, key: "w1:hold" });
      const late = await ledger.recordVerdict("w1", "rejected", "unknown-intent");
      expect(late).toMatchObject({ verdict: "approved", fresh: false });
      expect(await ledger.verdict("w1")).toMatchObject({ verdict: "approved" });
    });

    it("approves only what one balance covers when several trades race from two instances", async () => {
      fresh();
      await ledger.credit({ key: "c", memberId: alice, amountCents: 1000, reason: "deposit" });
      const trades = Array.from({ length: 10 }, (_, i) => `w${i}`);
      const decisions = await Promise.all(
        trades.map((tradeId, i) =>
          (i % 2 ? peer : ledger).decideApproval({
            tradeId,
            memberId: alice,
            amountCents: 300,
            key: `${tradeId}:hold`,
          }),
        ),
      );
      expect(decisions.filter((d) => d.verdict === "approved")).toHaveLength(3);
      expect(decisions.filter((d) => d.verdict === "rejected")).toHaveLength(7);
      expect(await ledger.balance(alice)).toEqual({ availableCents: 100, heldCents: 900 });
      for (const d of decisions)
        expect(await ledger.verdict(d.tradeId)).toMatchObject({ verdict: d.verdict });
      await expectJournalMatchesBalance(ledger, alice);
    });
  });

  describe("reading", () => {
    it("lists the journal newest first and pages backwards with a cursor", async () => {
      fresh();
      for (let i = 1; i <= 5; i++) {
        await ledger.credit({ key: `c${i}`, memberId: alice, amountCents: i * 100, reason: "deposit" });
      }
      const page1 = await ledger.journal(alice, { limit: 2 });
      expect(page1.map((e) => [e.id, e.key])).toEqual([
        [5, "c5"],
        [4, "c4"],
      ]);
      const page2 = await ledger.journal(alice, { limit: 2, before: page1.at(-1)!.id });
      expect(page2.map((e) => e.key)).toEqual(["c3", "c2"]);
      const page3 = await ledger.journal(alice, { limit: 2, before: page2.at(-1)!.id });
      expect(page3.map((e) => e.key)).toEqual(["c1"]);
      expect(await ledger.journal(alice, { before: 1 })).toEqual([]);
      expect(await ledger.journal("discord:nobody")).toEqual([]);
    });

    it("reports a zero balance for an unknown member", async () => {
      fresh();
      expect(await ledger.balance("discord:nobody")).toEqual({ availableCents: 0, heldCents: 0 });
    });

    it("sums every member's money for the liabilities view and lists the members", async () => {
      fresh();
      await ledger.credit({ key: "a1", memberId: alice, amountCents: 1000, reason: "deposit" });
      await ledger.hold({ key: "a2", memberId: alice, amountCents: 400, reason: "withdrawal" });
      await peer.credit({ key: "b1", memberId: bob, amountCents: 250, reason: "deposit" });
      await ledger.debit({
        key: "b2",
        memberId: bob,
        amountCents: 300,
        reason: "revert",
        allowNegative: true,
      });
      expect(await ledger.totals()).toEqual({ availableCents: 600 - 50, heldCents: 400, members: 2 });
      expect(await peer.members()).toEqual([alice, bob]);
    });
  });
});

describe("ledger on Redis specifically", () => {
  const backend: Backend = BACKENDS[1]![1]();
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("keeps balances and verdicts for the next process that opens the same prefix", async () => {
    const { store, prefix } = backend.freshLedger();
    await store.credit({ key: "c", memberId: alice, amountCents: 999, reason: "deposit" });
    await store.decideApproval({ tradeId: "w", memberId: alice, amountCents: 99, key: "w:hold" });
    const reopened = createRedisLedger({ client: backend.client()!, prefix });
    expect(await reopened.balance(alice)).toEqual({ availableCents: 900, heldCents: 99 });
    expect(await reopened.verdict("w")).toMatchObject({ verdict: "approved" });
    expect(await reopened.hasApplied("w:hold")).toBe(true);
  });

  it("reloads its scripts when Redis has forgotten them", async () => {
    const { store } = backend.freshLedger();
    await store.credit({ key: "c1", memberId: alice, amountCents: 1, reason: "deposit" });
    await backend.client()!.scriptFlush();
    const after = await store.credit({ key: "c2", memberId: alice, amountCents: 2, reason: "deposit" });
    expect(after).toMatchObject({ applied: true, balance: { availableCents: 3, heldCents: 0 } });
  });

  it("lays out balances, journal and verdicts under its prefix", async () => {
    const { store, prefix } = backend.freshLedger();
    await store.credit({ key: "c", memberId: alice, amountCents: 5, reason: "deposit" });
    await store.recordVerdict("w", "rejected", "unknown-intent");
    const client = backend.client()!;
    expect(await client.hGetAll(`${prefix}bal:${alice}`)).toEqual({ a: "5" });
    expect(await client.lLen(`${prefix}jrnl:${alice}`)).toBe(1);
    expect(await client.hGet(`${prefix}applied`, "c")).toBe(`${alice}#1`);
    expect(JSON.parse((await client.get(`${prefix}verdict:w`))!)).toMatchObject({ verdict: "rejected" });
    expect(await client.pTTL(`${prefix}applied`)).toBe(-1);
  });
});
