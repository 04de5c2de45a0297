/**
 * The baskets the bot starts (see `basket.ts`), written *before* the AssetPay call. The
 * approval callback can arrive before the POST returns, so a basket is found by our
 * `externalId` first and linked to AssetPay's trade ids (a basket may be split into several
 * trades) as either side learns them.
 *
 * Every write goes through the trade book's versioned commit: a writer that read an older
 * version gets a conflict and recomputes, so no concurrent writer's change is ever lost.
 */
import { randomUUID } from "node:crypto";
import type { TradeRecord } from "./basket.ts";
import type { MemberId } from "./ledger.ts";
import type { TradeBook, TradeCommit } from "./trade-book.ts";

export type { ItemState, RecordItem, TradeEffects, TradeProgress, TradeRecord } from "./basket.ts";

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

/** A trade AssetPay may still move: anything not closed and not refused at its start. */
export function isInFlight(record: Pick<TradeRecord, "phase">): boolean {
  return record.phase !== "closed" && record.phase !== "failed-to-start";
}
