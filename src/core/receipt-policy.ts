/**
 * Which trade notices move a receipt card, and which still need their own DM once the card
 * moved. Steps that ask something of the member (an offer to accept) or end the trade keep their
 * DM, so the member is told where they look; the steps in between only move the card.
 */
import type { Notice, NoticeKind } from "./notifications.ts";

const CARD_KINDS: ReadonlySet<NoticeKind> = new Set([
  "deposit.offer",
  "deposit.hold",
  "deposit.credited",
  "deposit.failed",
  "deposit.reverted",
  "withdraw.rejected",
  "withdraw.approved",
  "withdraw.offer",
  "withdraw.hold",
  "withdraw.completed",
  "withdraw.failed",
  "withdraw.itemRefunded",
]);

const CARD_ONLY: ReadonlySet<NoticeKind> = new Set(["deposit.hold", "withdraw.approved", "withdraw.hold"]);

/** The notice is a step of a member's own deposit or withdrawal, shown on its receipt card. */
export function movesCard(n: Notice): boolean {
  return CARD_KINDS.has(n.kind);
}

/** Once the card shows it, the notice needs no DM of its own. */
export function cardIsEnough(n: Notice): boolean {
  return CARD_ONLY.has(n.kind);
}
