/**
 * Random histories of ledger operations (with keys reused across operations, replays of
 * earlier commands, and approvals racing on two instances) checked against a tiny reference
 * model and against the invariants the money depends on.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Balance, Ledger, LedgerEntry, MoveResult } from "../../src/core/ledger.ts";
import { BACKENDS, type Backend } from "./backends.ts";

const MEMBERS = ["discord:1", "discord:2", "telegram:3"];
const TRADES = ["t0", "t1", "t2", "t3"];
type MoveOp = "credit" | "debit" | "hold" | "settle" | "release" | "adjust";

type Cmd =
  | {
      kind: "move";
      op: MoveOp;
      member: number;
      key: number;
      amount: number;
      allowNegative: boolean;
      peer: boolean;
    }
  | { kind: "approve"; member: number; trade: number; amount: number; peer: boolean }
  | { kind: "reject"; trade: number }
  | { kind: "replay"; index: number };

const amount = fc.integer({ min: 1, max: 500 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("move" as const),
      op: fc.constantFrom<MoveOp>("credit", "credit", "debit", "hold", "settle", "release", "adjust"),
      member: fc.nat(MEMBERS.length - 1),
      key: fc.nat(11),
      amount,
      allowNegative: fc.boolean(),
      peer: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("approve" as const),
      member: fc.nat(MEMBERS.length - 1),
      trade: fc.nat(TRADES.length - 1),
      amount,
      peer: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("reject" as const), trade: fc.nat(TRADES.length - 1) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replay" as const), index: fc.nat(40) }) },
);

/** The rules in their plainest form: what should happen, step by step. */
class Model {
  readonly balances = new Map<string, Balance>();
  readonly applied = new Set<string>();
  readonly verdicts = new Map<string, "approved" | "rejected">();

  bal(m: string): Balance {
    return { ...(this.balances.get(m) ?? { availableCents: 0, heldCents: 0 }) };
  }

  move(
    key: string,
    m: string,
    dA: number,
    dH: number,
    allowNegative: boolean,
  ): "applied" | "duplicate" | "insufficient" {
    if (this.applied.has(key)) return "duplicate";
    const b = this.bal(m);
    if ((dA < 0 && !allowNegative && b.availableCents + dA < 0) || (dH < 0 && b.heldCents + dH < 0)) {
      return "insufficient";
    }
    this.balances.set(m, { availableCents: b.availableCents + dA, heldCents: b.heldCents + dH });
    this.applied.add(key);
    return "applied";
  }
}

const DELTAS: Record<MoveOp, (x: number) => [number, number]> = {
  credit: (x) => [x, 0],
  debit: (x) => [-x, 0],
  hold: (x) => [-x, x],
  settle: (x) => [0, -x],
  release: (x) => [x, -x],
  adjust: (x) => [x, 0],
};

function outcome(r: MoveResult): string {
  return r.applied ? "applied" : r.refused;
}

async function run(ledger: Ledger, peer: Ledger, cmds: Cmd[]): Promise<void> {
  const model = new Model();
  const history: Cmd[] = [];
  for (const original of cmds) {
    const c = original.kind === "replay" ? history[original.index % Math.max(history.length, 1)] : original;
    if (!c || c.kind === "replay") continue;
    history.push(c);
    if (c.kind === "move") {
      const memberId = MEMBERS[c.member]!;
      const key = `k${c.key}`;
      // Adjustments are signed: odd keys take money away.
      const signed = c.op === "adjust" && c.key % 2 === 1 ? -c.amount : c.amount;
      const [dA, dH] = DELTAS[c.op](signed);
      const allowNegative = (c.op === "debit" || c.op === "adjust") && c.allowNegative;
      const input = { key, memberId, amountCents: signed, reason: c.op, actor: "admin:test", allowNegative };
      const target = c.peer ? peer : ledger;
      const result = await target[c.op](input);
      expect(outcome(result)).toBe(model.move(key, memberId, dA, dH, allowNegative));
      expect(result.balance).toEqual(model.bal(memberId));
      expect(result.balance.heldCents).toBeGreaterThanOrEqual(0);
    } else if (c.kind === "approve") {
      const memberId = MEMBERS[c.member]!;
      const tradeId = TRADES[c.trade]!;
      const key = `approve:${tradeId}`;
      const target = c.peer ? peer : ledger;
      const result = await target.decideApproval({ tradeId, memberId, amountCents: c.amount, key });
      const known = model.verdicts.get(tradeId);
      if (known) {
        expect(result).toMatchObject({ verdict: known, fresh: false });
      } else {
        const verdict =
          model.move(key, memberId, -c.amount, c.amount, false) === "insufficient" ? "rejected" : "approved";
        model.verdicts.set(tradeId, verdict);
        expect(result).toMatchObject({ verdict, fresh: true });
      }
      expect(result.balance).toEqual(model.bal(memberId));
    } else {
      const tradeId = TRADES[c.trade]!;
      const result = await ledger.recordVerdict(tradeId, "rejected", "unknown-intent");
      const known = model.verdicts.get(tradeId);
      expect(result).toMatchObject({ verdict: known ?? "rejected", fresh: known === undefined });
      if (!known) model.verdicts.set(tradeId, "rejected");
    }
  }
  await checkInvariants(ledger, model);
}

async function checkInvariants(ledger: Ledger, model: Model): Promise<void> {
  const entries: LedgerEntry[] = [];
  let sumA = 0;
  let sumH = 0;
  for (const memberId of MEMBERS) {
    const journal = await ledger.journal(memberId, { limit: 1000 });
    const balance = await ledger.balance(memberId);
    // available + held is exactly what the journal says moved, and ids count up without gaps.
    expect(journal.reduce((s, e) => s + e.availableDeltaCents, 0)).toBe(balance.availableCents);
    expect(journal.reduce((s, e) => s + e.heldDeltaCents, 0)).toBe(balance.heldCents);
    expect(journal.map((e) => e.id)).toEqual(journal.map((_, i) => journal.length - i));
    expect(balance).toEqual(model.bal(memberId));
    expect(balance.heldCents).toBeGreaterThanOrEqual(0);
    sumA += balance.availableCents;
    sumH += balance.heldCents;
    entries.push(...journal);
  }
  // No key was ever applied twice, and every applied key is known as applied.
  const keys = entries.map((e) => e.key);
  expect(new Set(keys).size).toBe(keys.length);
  expect(new Set(keys)).toEqual(model.applied);
  for (const key of keys) expect(await ledger.hasApplied(key)).toBe(true);
  // A hold made by an approval always has its approved verdict, and each approval held exactly once.
  for (const tradeId of TRADES) {
    const holds = entries.filter((e) => e.key === `approve:${tradeId}`);
    const verdict = await ledger.verdict(tradeId);
    if (holds.length > 0) expect(verdict?.verdict).toBe("approved");
    if (verdict?.verdict === "approved") expect(holds).toHaveLength(1);
  }
  expect(await ledger.totals()).toEqual({
    availableCents: sumA,
    heldCents: sumH,
    members: new Set(entries.map((e) => e.memberId)).size,
  });
}

describe.each(BACKENDS)("ledger properties (%s)", (name, makeBackend) => {
  const backend: Backend = makeBackend();
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("never applies a key twice, keeps held non-negative, and journals exactly what moved", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 40 }), async (cmds) => {
        const { store, peer } = backend.freshLedger();
        await run(store, peer, cmds);
      }),
      { numRuns: name === "redis" ? 50 : 200 },
    );
  });

  it("approves racing withdrawals only as far as the balance goes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2000 }),
        fc.array(fc.integer({ min: 1, max: 800 }), { minLength: 2, maxLength: 8 }),
        async (funds, prices) => {
          const { store, peer } = backend.freshLedger();
          const memberId = MEMBERS[0]!;
          if (funds > 0)
            await store.credit({ key: "funds", memberId, amountCents: funds, reason: "deposit" });
          const decisions = await Promise.all(
            prices.map((amountCents, i) =>
              (i % 2 ? peer : store).decideApproval({
                tradeId: `w${i}`,
                memberId,
                amountCents,
                key: `w${i}:hold`,
              }),
            ),
          );
          const approved = decisions
            .filter((d) => d.verdict === "approved")
            .reduce((s, d) => s + (d.amountCents ?? 0), 0);
          expect(approved).toBeLessThanOrEqual(funds);
          expect(await store.balance(memberId)).toEqual({
            availableCents: funds - approved,
            heldCents: approved,
          });
          // Every rejection was justified: what was left when it was decided could not cover it.
          for (const d of decisions) {
            if (d.verdict === "rejected") expect(d.amountCents).toBeGreaterThan(funds - approved);
          }
        },
      ),
      { numRuns: name === "redis" ? 30 : 100 },
    );
  });
});
