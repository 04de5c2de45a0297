/**
 * The reconciler: callbacks can be lost (an outage on our side, a dropped delivery), so on a
 * schedule it re-reads every trade on the watch list that is due, in batches of up to 100 refs
 * per lookup, and feeds each through the same settlement path as callbacks. Open trades are due
 * on every pass; completed ones stay watched, less often, until AssetPay can no longer reverse
 * them (see `settlement/watch.ts`). It also resolves trades whose creating POST ended with an
 * unknown outcome (watched by our externalId until AssetPay's trade id is known), and carries
 * out after-commit work a crash left behind. A pass runs at start, not one interval later.
 */
import type { Logger } from "pino";
import type { AssetPayClient } from "../assetpay/client.ts";
import { isApprovalRequest, type Settlement } from "./settlement.ts";
import type { TradeBook } from "./trade-book.ts";
import type { TradeRecords } from "./trade-records.ts";

export const LOOKUP_BATCH = 100;

export interface Reconciler {
  /** One pass over every due trade; resolves with what it looked at. */
  runOnce(): Promise<{ checked: number; found: number; forgotten: number }>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createReconciler(deps: {
  client: AssetPayClient;
  book: TradeBook;
  records: TradeRecords;
  settlement: Settlement;
  logger: Logger;
  /** A ref AssetPay doesn't know after this long was never created: stop asking. */
  forgetAfterMs?: number;
  /** How many due refs one pass looks at, at most. */
  maxPerPass?: number;
  now?: () => number;
}): Reconciler {
  const now = deps.now ?? Date.now;
  const forgetAfterMs = deps.forgetAfterMs ?? 30 * 60_000;
  const maxPerPass = deps.maxPerPass ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> | undefined;
  let stopped = false;

  const forgetUnknown = async (ref: string): Promise<boolean> => {
    const record = (await deps.records.byTradeId(ref)) ?? (await deps.records.byExternalId(ref));
    const age = record ? now() - Date.parse(record.createdAt) : Number.POSITIVE_INFINITY;
    if (age <= forgetAfterMs) return false;
    if (record?.phase === "started") {
      await deps.records.update(record.externalId, (r) => {
        if (r.phase !== "started") return null;
        r.phase = "failed-to-start";
        return {};
      });
    }
    await deps.book.rewatch({ ref, dueAt: null });
    return true;
  };

  const runOnce = async () => {
    await deps.settlement.drain();
    const refs = await deps.book.due(now(), maxPerPass);
    let found = 0;
    let forgotten = 0;
    for (let i = 0; i < refs.length; i += LOOKUP_BATCH) {
      const batch = refs.slice(i, i + LOOKUP_BATCH);
      const trades = await deps.client.getTrades(batch);
      const seen = new Set<string>();
      for (const trade of trades) {
        seen.add(trade.id);
        if (trade.externalId) seen.add(trade.externalId);
        found++;
        if (isApprovalRequest(trade)) continue; // still waiting on its approval callback
        const outcome = await deps.settlement.apply(trade, { via: "reconciler" });
        if (outcome === "unknown-trade") await deps.book.rewatch({ ref: trade.id, dueAt: null });
        // Nothing changed: look again when the trade's state says to (or never).
        const next = await deps.settlement.watchAfterLook(trade.id);
        if (next && next.dueAt !== now()) await deps.book.rewatch(next);
        if (trade.externalId && batch.includes(trade.externalId))
          await deps.book.rewatch({ ref: trade.externalId, dueAt: null });
      }
      for (const ref of batch) if (!seen.has(ref) && (await forgetUnknown(ref))) forgotten++;
    }
    if (refs.length > 0) deps.logger.debug({ checked: refs.length, found, forgotten }, "reconciled trades");
    return { checked: refs.length, found, forgotten };
  };

  return {
    runOnce,
    start(intervalMs) {
      stopped = false;
      const pass = async () => {
        current = runOnce().catch((err) => deps.logger.warn({ err }, "reconcile pass failed"));
        await current;
        tick();
      };
      const tick = () => {
        if (stopped) return;
        timer = setTimeout(pass, intervalMs);
        timer.unref();
      };
      void pass();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}
