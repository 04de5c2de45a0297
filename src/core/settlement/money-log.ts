/**
 * One info line per ledger move a committed transition made: what operators read to follow the
 * money (member, trade, basket, item, amount), in words rather than reason codes.
 */
import type { Logger } from "pino";
import type { Draft } from "./draft.ts";

const MONEY_WORDS: Record<string, string> = {
  "deposit-precredit": "deposit pre-credited",
  deposit: "deposit credited",
  "deposit-reverted": "deposit reverted",
  "deposit-failed-after-credit": "deposit failed after credit",
  "withdrawal-hold": "withdrawal held",
  withdrawal: "withdrawal settled",
  "withdrawal-reverted": "withdrawal reverted and refunded",
};

export function logMoney(logger: Logger, d: Draft): void {
  for (const m of d.moves) {
    const reason = m.input.reason.startsWith("withdrawal-refund")
      ? "withdrawal refunded"
      : MONEY_WORDS[m.input.reason];
    logger.info(
      {
        memberId: m.input.memberId,
        tradeId: m.input.tradeId,
        externalId: d.record.externalId,
        itemId: m.input.itemId,
        op: m.op,
        amountCents: m.input.amountCents,
      },
      reason ?? m.input.reason,
    );
  }
}
