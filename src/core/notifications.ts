/**
 * Member notifications as data. The settlement step enqueues these into the persisted outbox;
 * the outbox worker renders each in the member's locale at send time and hands it to the
 * notifier of the member's platform.
 */

import type { Cents } from "../base/money.ts";
import type { MemberId } from "./ledger.ts";

export type NoticeKind =
  | "deposit.offer" // Steam offer is in the member's inbox
  | "deposit.hold" // accepted; in Steam's trade hold until a date (maybe pre-credited)
  | "deposit.credited" // completed; credited
  | "deposit.failed" // failed / declined / canceled, nothing credited
  | "deposit.reverted" // Steam reversal; what was credited is taken back
  | "withdraw.rejected" // approval refused (balance, lock)
  | "withdraw.approved" // balance held, AssetPay is buying
  | "withdraw.offer" // Steam offer sent to the member
  | "withdraw.hold"
  | "withdraw.completed"
  | "withdraw.failed"
  | "withdraw.itemRefunded"
  | "admin.negativeBalance"
  | "admin.withdrawalReverted" // Steam took a delivered withdrawal item back; the member was refunded
  | "gift.offer" // a giveaway's Steam offer is in the recipient's inbox
  | "gift.received"
  | "community.trade"; // an admin's self-trade moved (for the admin who started it)

export interface Notice {
  kind: NoticeKind;
  tradeId: string;
  game: string;
  /** Amount this notice is about (credited, debited, refunded, held). */
  amountCents?: Cents;
  /** Deposit pre-credit: what follows when the hold ends. */
  pendingCents?: Cents;
  /** The member's available balance right after the effect, when one was applied. */
  balanceCents?: Cents;
  offerId?: string;
  holdEndDate?: string;
  /** A trade/item error key from AssetPay (`OFFER_NOT_ACCEPTED`…) or a rejection reason. */
  reason?: string;
  status?: string;
  items?: string[];
  /** Community self-trades: giveaway or liquidation. */
  community?: "giveaway" | "liquidation";
  /** For admin alerts: the member concerned. */
  memberId?: MemberId;
  /** Their display name, added when the alert is queued, so moderators read a name. */
  memberName?: string;
}

export interface Recipient {
  platform: string;
  userId: string;
}

/** The outbox as the core sees it: an idempotent enqueue. */
export interface NoticeQueue {
  enqueue(input: {
    key: string;
    recipient: Recipient;
    payload: Notice;
    /** The recipient is the chat identity the trade was started from: routing keeps it by default. */
    fromTrade?: boolean;
  }): Promise<{ enqueued: boolean }>;
}
