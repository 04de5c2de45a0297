/**
 * Around any Ledger: every move that applied (and every withdrawal hold an approval placed) is
 * handed to the audit channel with the balances it left. Refused and repeated moves moved
 * nothing, so they are not reported.
 */
import type { AuditChannel } from "../core/audit-events.ts";
import type { Ledger, MoveResult } from "../core/ledger.ts";

const MOVES = ["credit", "debit", "hold", "settle", "release", "adjust"] as const;

export function auditLedger(ledger: Ledger, audit: AuditChannel): Ledger {
  const wrapped: Ledger = { ...ledger };
  for (const op of MOVES) {
    const original = ledger[op].bind(ledger) as (input: never) => Promise<MoveResult>;
    (wrapped as unknown as Record<string, unknown>)[op] = async (input: never) => {
      const r = await original(input);
      if (r.applied) audit.record({ kind: "money", entry: r.entry, after: r.balance });
      return r;
    };
  }
  wrapped.decideApproval = async (input) => {
    const r = await ledger.decideApproval(input);
    if (r.fresh && r.verdict === "approved") {
      const [entry] = await ledger.journal(input.memberId, { limit: 1 });
      if (entry?.key === input.key) {
        audit.record({ kind: "money", entry, after: r.balance });
      }
    }
    return r;
  };
  return wrapped;
}
