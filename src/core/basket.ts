/**
 * A trade basket as the bot remembers it: what a member confirmed in one picker (keyed by our
 * `externalId`), the prices they saw, and — per item — where its settlement state machine stands.
 * Plain data: stored by the trade book, read by settlement, views and the dashboard.
 */
import type { TradeStatus } from "../assetpay/schemas.ts";
import type { Cents } from "../base/money.ts";
import type { MemberId } from "./ledger.ts";
import type { DepositPhase, WithdrawPhase } from "./settlement/transitions.ts";

export interface RecordItem {
  /** Inventory item id (deposit) or listing id (withdraw): the id AssetPay echoes on trade items. */
  id: string;
  name: string;
  /** What the member saw and confirmed, fee included. */
  memberPriceCents: Cents;
  /** AssetPay's price for it when quoted. */
  quotedPriceCents: Cents;
  amount: number;
  wear?: string;
  /** Where the item's state machine stands; absent means `open`. */
  state?: ItemState;
}

export interface ItemState {
  phase: DepositPhase | WithdrawPhase;
  /** Deposit: what the member has been credited for this item so far (net of claw-backs). */
  creditedCents?: Cents;
  /** The AssetPay trade that last moved it (for a withdrawal item: the one that holds it). */
  tradeId?: string;
}

/** What the basket knows of one AssetPay trade it was split into (usually just one). */
export interface TradeProgress {
  /** Furthest status seen (by rank: a late, stale status never moves it back). */
  status: TradeStatus;
  /** Item ids this trade carries. */
  items: string[];
  /** Notice keys already produced for this trade: each notice is produced once. */
  notified: string[];
  /** The approval answer given for it (withdrawals). */
  verdict?: "approved" | "rejected";
  /** Why it was rejected (`insufficient`, `member-locked`…). */
  reason?: string;
  /** Until when (epoch ms) the reconciler keeps looking for a reversal after it completed. */
  watchUntil?: number;
}

export interface TradeRecord {
  externalId: string;
  tradeId?: string;
  kind: "deposit" | "withdraw";
  source: "client" | "self";
  memberId: MemberId;
  game: string;
  items: RecordItem[];
  /** Sum of member prices × amounts. */
  totalCents: Cents;
  instant: boolean;
  createdAt: string;
  /** Last status seen from AssetPay. */
  status?: TradeStatus;
  offerId?: string;
  /** `started`: POST in flight; `open`: trade exists; `failed-to-start`: AssetPay refused it. */
  phase: "started" | "open" | "failed-to-start" | "closed";
  /** Per AssetPay trade id of this basket. */
  trades?: Record<string, TradeProgress>;
  /** The previous layout's per-trade counters; read once to upgrade a basket, never written. */
  effects?: Record<string, TradeEffects>;
  /** Who started a self-trade (admin actor), for the audit. */
  actor?: string;
  /** Self-trade buys approved by the bot (no member verdict exists for them). */
  selfApproved?: string[];
  /** For a self-trade giveaway: the member receiving it. */
  recipientId?: MemberId;
  /** The chat identity that started it (an identity of `memberId`'s wallet): its notices go there by default. */
  startedBy?: MemberId;
}

export interface TradeEffects {
  /** Deposit: credited so far (pre-credit + completion). */
  creditedCents: Cents;
  preCreditedCents: Cents;
  /** Withdraw: settled out of `held` (delivered) and refunded back to `available`. */
  settledCents: Cents;
  refundedCents: Cents;
  closed: boolean;
}
