/**
 * The in-process twin of the Redis ledger, for the demo and explicitly ephemeral runs. Each
 * operation checks, moves, marks and journals synchronously before its promise settles, so it
 * is atomic within one process exactly as the Lua scripts are within Redis. Entries and
 * verdicts are kept as JSON, as Redis keeps them, so callers see the same copies and types.
 */
import type {
  ApprovalResult,
  Balance,
  Ledger,
  LedgerEntry,
  LedgerOp,
  MoveResult,
  TradeVerdict,
} from "../core/ledger.ts";
import {
  journalWindow,
  moveMethods,
  type PlannedMove,
  parseEntry,
  planApproval,
  planMove,
  planRejection,
  planTransfer,
  refuses,
} from "./ledger-plan.ts";

export interface MemoryLedgerOptions {
  clock?: () => Date;
}

/**
 * The memory ledger's state, reachable synchronously so the memory trade book can apply a whole
 * transition (moves, verdicts) inside one critical section, as the Redis commit script does.
 */
export interface MemoryLedgerInternals {
  balanceOf(memberId: string): Balance;
  isApplied(key: string): boolean;
  /** Applies a planned move; the journal keeps its entry as JSON (parse it with `entryOf`). */
  write(move: PlannedMove): number;
  setVerdict(tradeId: string, json: string): void;
}

export type MemoryLedger = Ledger & { internals: MemoryLedgerInternals };

export function createMemoryLedger(opts: MemoryLedgerOptions = {}): MemoryLedger {
  const clock = opts.clock ?? (() => new Date());
  const balances = new Map<string, Balance>();
  const journals = new Map<string, string[]>();
  const applied = new Set<string>();
  const verdicts = new Map<string, string>();
  const totals: Balance = { availableCents: 0, heldCents: 0 };

  const balanceOf = (memberId: string): Balance => ({ ...(balances.get(memberId) ?? zero()) });

  /** Writes the move and answers its journal position; the entry is only parsed when asked for. */
  function write(move: PlannedMove): number {
    const current = balanceOf(move.memberId);
    balances.set(move.memberId, {
      availableCents: current.availableCents + move.availableDeltaCents,
      heldCents: current.heldCents + move.heldDeltaCents,
    });
    totals.availableCents += move.availableDeltaCents;
    totals.heldCents += move.heldDeltaCents;
    const journal = journals.get(move.memberId) ?? [];
    journal.push(move.entryJson);
    journals.set(move.memberId, journal);
    applied.add(move.key);
    return journal.length;
  }
  const writeEntry = (move: PlannedMove): LedgerEntry => parseEntry(move.entryJson, write(move));

  function apply(move: PlannedMove): MoveResult {
    const balance = balanceOf(move.memberId);
    if (applied.has(move.key)) return { applied: false, balance, refused: "duplicate" };
    if (refuses(balance, move)) return { applied: false, balance, refused: "insufficient" };
    const entry = writeEntry(move);
    return { applied: true, balance: balanceOf(move.memberId), entry };
  }

  const move =
    (op: LedgerOp) =>
    async (input: Parameters<Ledger["credit"]>[0]): Promise<MoveResult> =>
      apply(planMove(op, input, clock().toISOString()));

  return {
    internals: {
      balanceOf,
      isApplied: (key) => applied.has(key),
      write,
      setVerdict: (tradeId, json) => void verdicts.set(tradeId, json),
    },
    ...moveMethods(move),

    async decideApproval(input): Promise<ApprovalResult> {
      const plan = planApproval(input, clock().toISOString());
      const existing = verdicts.get(input.tradeId);
      if (existing !== undefined) {
        return {
          ...(JSON.parse(existing) as TradeVerdict),
          fresh: false,
          balance: balanceOf(input.memberId),
        };
      }
      let chosen = plan.approvedJson;
      if (!applied.has(plan.hold.key)) {
        if (refuses(balanceOf(input.memberId), plan.hold)) chosen = plan.rejectedJson;
        else write(plan.hold);
      }
      verdicts.set(input.tradeId, chosen);
      return { ...(JSON.parse(chosen) as TradeVerdict), fresh: true, balance: balanceOf(input.memberId) };
    },

    async recordVerdict(tradeId, _verdict, reason, extra) {
      const json = planRejection(tradeId, reason, clock().toISOString(), extra);
      const existing = verdicts.get(tradeId);
      if (existing !== undefined) return { ...(JSON.parse(existing) as TradeVerdict), fresh: false };
      verdicts.set(tradeId, json);
      return { ...(JSON.parse(json) as TradeVerdict), fresh: true };
    },

    async verdict(tradeId) {
      const json = verdicts.get(tradeId);
      return json === undefined ? undefined : (JSON.parse(json) as TradeVerdict);
    },

    async balance(memberId) {
      return balanceOf(memberId);
    },

    async journal(memberId, query) {
      const { limit, before } = journalWindow(query);
      const journal = journals.get(memberId) ?? [];
      const end = Math.min(journal.length, before - 1);
      const out: LedgerEntry[] = [];
      for (let id = end; id >= 1 && out.length < limit; id--) out.push(parseEntry(journal[id - 1]!, id));
      return out;
    },

    async hasApplied(key) {
      return applied.has(key);
    },

    async totals() {
      return { ...totals, members: journals.size };
    },

    async members() {
      return [...journals.keys()].sort();
    },

    async transfer(input) {
      const plan = planTransfer(input, clock().toISOString());
      if (applied.has(plan.key)) return { applied: false, refused: "duplicate" };
      const from = balanceOf(plan.fromId);
      if (from.heldCents !== 0) return { applied: false, refused: "held" };
      if (from.availableCents !== plan.amountCents) return { applied: false, refused: "changed" };
      applied.add(plan.key);
      if (plan.amountCents === 0) return { applied: true, entries: [] };
      const out = { key: plan.key, memberId: plan.fromId, availableDeltaCents: -plan.amountCents };
      const into = { key: plan.key, memberId: plan.toId, availableDeltaCents: plan.amountCents };
      return {
        applied: true,
        entries: [
          writeEntry({ ...out, heldDeltaCents: 0, allowNegative: true, entryJson: plan.outJson }),
          writeEntry({ ...into, heldDeltaCents: 0, allowNegative: true, entryJson: plan.inJson }),
        ],
      };
    },
  };
}

function zero(): Balance {
  return { availableCents: 0, heldCents: 0 };
}
