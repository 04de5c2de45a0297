/**
 * The reconciler: callbacks can be lost (an outage on our side, a dropped delivery), so on a
 * schedule it re-reads every trade the bot still considers in flight, in batches of up to 100
 * refs per lookup, and feeds each through the same idempotent settlement path as callbacks.
 * It also resolves trades whose creating POST ended with an unknown outcome (indexed by our
 * externalId until AssetPay's trade id is known).
 */
import type { Logger } from "pino";
import type { AssetPayClient } from "../assetpay/client.ts";
import type { TradeIndex } from "../store/trade-index.ts";
import { isApprovalRequest, type Settlement } from "./settlement.ts";
import type { TradeRecords } from "./trade-records.ts";

export const LOOKUP_BATCH = 100;

export interface Reconciler {
  /** One pass over every in-flight trade; resolves with how many trades it looked at. */
  runOnce(): Promise<{ checked: number; found: number; forgotten: number }>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createReconciler(deps: {
  client: AssetPayClient;
  index: TradeIndex;
  records: TradeRecords;
  settlement: Settlement;
  logger: Logger;
  /** A ref AssetPay doesn't know after this long was never created: stop asking. */
  forgetAfterMs?: number;
  now?: () => number;
}): Reconciler {
  const now = deps.now ?? Date.now;
  const forgetAfterMs = deps.forgetAfterMs ?? 30 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> | undefined;
  let stopped = false;

  const runOnce = async () => {
    const refs = await deps.index.list();
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
        if (outcome === "unknown-trade") await deps.index.remove(trade.id);
        if (trade.externalId && batch.includes(trade.externalId)) await deps.index.remove(trade.externalId);
      }
      for (const ref of batch) {
        if (seen.has(ref)) continue;
        const record = (await deps.records.byTradeId(ref)) ?? (await deps.records.byExternalId(ref));
        const age = record ? now() - Date.parse(record.createdAt) : Number.POSITIVE_INFINITY;
        if (age > forgetAfterMs) {
          if (record && record.phase === "started") {
            record.phase = "failed-to-start";
            await deps.records.save(record);
          }
          await deps.index.remove(ref);
          forgotten++;
        }
      }
    }
    if (refs.length > 0)
      deps.logger.debug({ checked: refs.length, found, forgotten }, "reconciled in-flight trades");
    return { checked: refs.length, found, forgotten };
  };

  return {
    runOnce,
    start(intervalMs) {
      stopped = false;
      const tick = () => {
        if (stopped) return;
        timer = setTimeout(async () => {
          current = runOnce().catch((err) => deps.logger.warn({ err }, "reconcile pass failed"));
          await current;
          tick();
        }, intervalMs);
        timer.unref();
      };
      tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}
