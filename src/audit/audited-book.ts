/**
 * Around the trade book: every settlement move a commit applied is handed to the audit channel
 * with the balances it left, as the audited ledger does for direct moves. A commit that
 * conflicted or was refused moved nothing and is not reported.
 */
import type { AuditChannel } from "../core/audit-events.ts";
import { type LedgerEntry, moveDeltas } from "../core/ledger.ts";
import type { TradeBook } from "../core/trade-book.ts";

export function auditTradeBook(
  book: TradeBook,
  audit: AuditChannel,
  now: () => number = Date.now,
): TradeBook {
  return {
    ...book,
    async commit(commit) {
      const r = await book.commit(commit);
      // Nothing committed, or nobody to tell (the usual case without an audit channel): no events.
      if (r.status !== "committed" || !audit.listening()) return r;
      const moves = commit.moves ?? [];
      // The commit returns the balance after all its moves; walk back to each move's own "after".
      let available = r.balance.availableCents;
      let held = r.balance.heldCents;
      const events = [...moves].reverse().map((m) => {
        const [dA, dH] = moveDeltas(m.op, m.input.amountCents);
        const after = { availableCents: available, heldCents: held };
        available -= dA;
        held -= dH;
        const entry: LedgerEntry = {
          id: 0,
          key: m.input.key,
          memberId: m.input.memberId,
          op: m.op,
          availableDeltaCents: dA,
          heldDeltaCents: dH,
          reason: m.input.reason,
          at: new Date(now()).toISOString(),
          ...(m.input.tradeId !== undefined ? { tradeId: m.input.tradeId } : {}),
          ...(m.input.itemId !== undefined ? { itemId: m.input.itemId } : {}),
        };
        return { entry, after };
      });
      for (const e of events.reverse()) audit.record({ kind: "money", ...e });
      return r;
    },
  };
}
