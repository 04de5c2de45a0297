/**
 * What the bot remembers of every trade basket it starts, written *before* the AssetPay call:
 * the member, the items at the prices the member saw, and — per item — where its state machine
 * stands (see `settlement/transitions.ts`). The approval callback can arrive before the POST
 * returns, so a basket is found by our `externalId` first and linked to AssetPay's trade ids
 * (a basket may be split into several trades) as either side learns them.
 *
 * Every write goes through the trade book's versioned commit: a writer that read an older
 * version gets a conflict and recomputes, so no concurrent writer's change is ever lost.
 */
import { randomUUID } from "node:crypto";
import type { TradeStatus } from "../assetpay/schemas.ts";
import type { Cents } from "../base/money.ts";
import type { MemberId } from "./ledger.ts";
import type { DepositPhase, WithdrawPhase } from "./settlement/transitions.ts";
import type { TradeBook, TradeCommit } from "./trade-book.ts";

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

export function newExternalId(kind: "deposit" | "withdraw" | "sell" | "buy"): string {
  // Short enough for chat button ids, unique, comma-free (the batch lookup splits on commas).
  return `sb-${kind.slice(0, 2)}-${randomUUID().replaceAll("-", "").slice(0, 20)}`;
}

/** A change to a basket outside settlement (starting a trade, learning its id). */
export type RecordChange = Omit<TradeCommit, "externalId" | "expectedVersion" | "record" | "moves">;

export interface TradeRecords {
  /** Stores a new basket, watched by the reconciler under its externalId until linked. */
  create(record: TradeRecord): Promise<void>;
  byExternalId(externalId: string): Promise<TradeRecord | undefined>;
  byTradeId(tradeId: string): Promise<TradeRecord | undefined>;
  /** Finds the basket of an AssetPay trade: by its id, else by the externalId it carries. */
  forTrade(trade: { id: string; externalId?: string }): Promise<TradeRecord | undefined>;
  /**
   * Read, change, commit conditionally on the version read; on a conflict, again from fresh
   * state. `change` returns what else to commit, or null to leave the basket as it is.
   */
  update(
    externalId: string,
    change: (record: TradeRecord) => RecordChange | null,
  ): Promise<TradeRecord | undefined>;
  /** A member's baskets, newest first. */
  ofMember(memberId: MemberId, limit: number): Promise<TradeRecord[]>;
}

/** How often a conflicting writer re-reads before giving up (each retry is on fresher state). */
export const COMMIT_ATTEMPTS = 50;

export class CommitContention extends Error {
  constructor(externalId: string) {
    super(`basket ${externalId} kept changing under ${COMMIT_ATTEMPTS} attempts`);
    this.name = "CommitContention";
  }
}

export function createTradeRecords(book: TradeBook, now: () => number = Date.now): TradeRecords {
  const byExternalId = async (externalId: string) => (await book.get(externalId))?.record;
  const byTradeId = async (tradeId: string) => {
    const ext = await book.externalIdOf(tradeId);
    return ext === undefined ? undefined : byExternalId(ext);
  };
  return {
    async create(record) {
      const result = await book.commit({
        externalId: record.externalId,
        expectedVersion: 0,
        record,
        created: true,
        ...(record.tradeId ? { links: [record.tradeId] } : {}),
        watch: [{ ref: record.tradeId ?? record.externalId, dueAt: now() }],
      });
      if (result.status !== "committed") throw new Error(`basket ${record.externalId} exists already`);
    },
    byExternalId,
    byTradeId,
    async forTrade(trade) {
      return (
        (await byTradeId(trade.id)) ?? (trade.externalId ? await byExternalId(trade.externalId) : undefined)
      );
    },
    async update(externalId, change) {
      for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
        const stored = await book.get(externalId);
        if (!stored) return undefined;
        const record = structuredClone(stored.record);
        const extra = change(record);
        if (extra === null) return stored.record;
        const result = await book.commit({
          ...extra,
          externalId,
          expectedVersion: stored.version,
          record,
        });
        if (result.status === "committed") return record;
      }
      throw new CommitContention(externalId);
    },
    async ofMember(memberId, limit) {
      const ids = await book.memberTrades(memberId, limit);
      const records = await Promise.all(ids.map(byExternalId));
      return records.filter((r): r is TradeRecord => r !== undefined);
    },
  };
}
