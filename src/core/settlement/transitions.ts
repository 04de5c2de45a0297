/**
 * The per-item state machines of settlement, in one place. Every basket item (a deposited
 * inventory item, a bought listing) carries one of these states; an AssetPay status for the
 * trade that carries it moves the item along an edge below, and the edge says which single
 * ledger move goes with it. Anything not listed is ignored: a stale, repeated or out-of-order
 * status moves nothing, because the state it would leave is no longer the item's state.
 *
 * Deposit item (the member gives a skin, the member's balance is credited):
 *
 *   open ──hold (instant, pre-credit)──▶ precredited ──completed──▶ credited ──reverted──▶ clawedBack
 *    │  └─────────────────completed──────────────────▶ credited
 *    │                                  precredited ──failed/canceled/declined/reverted──▶ clawedBack
 *    └──failed/canceled/declined/reverted──▶ failed
 *
 *   open → precredited   credit the item's share of AssetPay's pre-credit
 *   → credited           credit the rest of the item's price (price − what was pre-credited)
 *   → clawedBack         debit everything credited for the item (may go negative)
 *
 * Withdrawal item (the member buys a listing with their balance):
 *
 *   open ──approved──▶ held ──completed──▶ settled ──reverted──▶ refundedAfterReversal
 *                       └──failed/canceled/declined/reverted──▶ refunded
 *
 *   open → held          hold the price (available → held), at the approval callback
 *   held → settled       the item was delivered: the held price leaves
 *   held → refunded      never delivered: the held price returns to available
 *   settled → refundedAfterReversal   Steam took the delivered item back: credit the price back
 *
 * Why this is safe: a transition's ledger move and the item's new state are committed together,
 * conditional on the basket's version they were computed from (see `trade-book.ts`); and each
 * move's idempotency key names the basket, the item and the edge, so an item can take each edge
 * once, whichever AssetPay trade id (a split basket's sibling, a repeated id) reports it.
 */
import type { TradeStatus } from "../../assetpay/schemas.ts";

export type DepositPhase = "open" | "precredited" | "credited" | "clawedBack" | "failed";
export type WithdrawPhase = "open" | "held" | "settled" | "refunded" | "refundedAfterReversal";

/** The AssetPay outcomes an item can reach, as the state machines see them. */
export type ItemEvent = "hold" | "completed" | "failed" | "reverted";

export function eventOf(status: TradeStatus): ItemEvent | undefined {
  switch (status) {
    case "hold":
      return "hold";
    case "completed":
      return "completed";
    case "failed":
    case "canceled":
    case "declined":
      return "failed";
    case "reverted":
      return "reverted";
    default:
      return undefined;
  }
}

export type DepositEdge =
  | { to: "precredited"; move: "precredit" }
  | { to: "credited"; move: "credit" }
  | { to: "clawedBack"; move: "clawback" }
  | { to: "failed"; move: null };

/** The deposit table: from state, on event → edge. `hold` pre-credits only when asked to. */
export const DEPOSIT_EDGES: Record<DepositPhase, Partial<Record<ItemEvent, DepositEdge>>> = {
  open: {
    hold: { to: "precredited", move: "precredit" },
    completed: { to: "credited", move: "credit" },
    failed: { to: "failed", move: null },
    reverted: { to: "failed", move: null },
  },
  precredited: {
    completed: { to: "credited", move: "credit" },
    failed: { to: "clawedBack", move: "clawback" },
    reverted: { to: "clawedBack", move: "clawback" },
  },
  credited: {
    reverted: { to: "clawedBack", move: "clawback" },
  },
  clawedBack: {},
  failed: {},
};

export type WithdrawEdge =
  | { to: "settled"; move: "settle" }
  | { to: "refunded"; move: "release" }
  | { to: "refundedAfterReversal"; move: "refund" };

/** The withdrawal table after approval (`open → held` happens only at the approval callback). */
export const WITHDRAW_EDGES: Record<WithdrawPhase, Partial<Record<ItemEvent, WithdrawEdge>>> = {
  open: {},
  held: {
    completed: { to: "settled", move: "settle" },
    failed: { to: "refunded", move: "release" },
    reverted: { to: "refunded", move: "release" },
  },
  settled: {
    reverted: { to: "refundedAfterReversal", move: "refund" },
  },
  refunded: {},
  refundedAfterReversal: {},
};

/** States after which AssetPay may still report something that moves money (a reversal). */
export const REVERSIBLE: ReadonlySet<string> = new Set(["credited", "settled"]);
/** States nothing can move out of. */
export const FINAL: ReadonlySet<string> = new Set([
  "clawedBack",
  "failed",
  "refunded",
  "refundedAfterReversal",
]);
