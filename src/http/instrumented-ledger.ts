/**
 * Counts ledger operations by result for /metrics, around any Ledger implementation, and the
 * moves settlement commits through the trade book (with how often a commit had to recompute).
 */
import type { Ledger, MoveResult } from "../core/ledger.ts";
import type { TradeBook } from "../core/trade-book.ts";
import type { Metrics } from "./metrics.ts";

const MOVES = ["credit", "debit", "hold", "settle", "release", "adjust"] as const;

export function instrumentLedger(ledger: Ledger, metrics: Metrics): Ledger {
  const wrapped: Ledger = { ...ledger };
  for (const op of MOVES) {
    const original = ledger[op].bind(ledger) as (input: never) => Promise<MoveResult>;
    (wrapped as unknown as Record<string, unknown>)[op] = async (input: never) => {
      const r = await original(input);
      metrics.ledgerOps.inc({ op, result: r.applied ? "applied" : r.refused });
      return r;
    };
  }
  wrapped.decideApproval = async (input) => {
    const r = await ledger.decideApproval(input);
    metrics.ledgerOps.inc({ op: "approval", result: r.fresh ? r.verdict : "repeat" });
    return r;
  };
  return wrapped;
}

export function instrumentTradeBook(book: TradeBook, metrics: Metrics): TradeBook {
  return {
    ...book,
    async commit(commit) {
      const r = await book.commit(commit);
      metrics.tradeCommits.inc({ result: r.status });
      if (r.status === "committed")
        for (const m of commit.moves ?? []) metrics.ledgerOps.inc({ op: m.op, result: "applied" });
      return r;
    },
  };
}
