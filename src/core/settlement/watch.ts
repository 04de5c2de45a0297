/**
 * How long the reconciler keeps looking at a trade: every pass while AssetPay may still move
 * it; after it completed, now and then until the reversal window closes (Steam can take a
 * delivered or deposited item back, and that callback may be lost); never once nothing can
 * change any more.
 */
import { isTerminal } from "../../assetpay/schemas.ts";
import type { WatchChange } from "../trade-book.ts";
import type { TradeRecord } from "../trade-records.ts";
import type { SettlementPolicy } from "./draft.ts";
import { REVERSIBLE } from "./transitions.ts";

/** The next look at `tradeId`; sets the basket's `watchUntil` the first time it is due. */
export function nextWatch(record: TradeRecord, tradeId: string, policy: SettlementPolicy): WatchChange {
  const progress = record.trades?.[tradeId];
  const now = policy.now();
  if (!progress || !isTerminal(progress.status)) return { ref: tradeId, dueAt: now };
  const carried = progress.items.length > 0 ? progress.items : record.items.map((i) => i.id);
  const reversible =
    record.source === "client" &&
    progress.status !== "reverted" &&
    record.items.some((i) => carried.includes(i.id) && REVERSIBLE.has(i.state?.phase ?? "open"));
  if (!reversible) return { ref: tradeId, dueAt: null };
  progress.watchUntil ??= now + policy.reversalWatchMs;
  if (progress.watchUntil <= now) return { ref: tradeId, dueAt: null };
  return { ref: tradeId, dueAt: Math.min(now + policy.reversalRecheckMs, progress.watchUntil) };
}
