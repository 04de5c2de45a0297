/**
 * The one way a trade is started: the basket (keyed by our externalId) is written and watched
 * before AssetPay is called — its approval callback may arrive before the POST returns — then
 * linked to AssetPay's trade ids, or marked as never started when AssetPay refused it. A POST
 * whose outcome is unknown is left to the reconciler, which finds the trade by externalId.
 */
import type { Logger } from "pino";
import { isAssetPayError, tradeCreated } from "../../assetpay/errors.ts";
import type { Trade } from "../../assetpay/schemas.ts";
import type { PickerSession } from "../picker.ts";
import type { TradeRecord, TradeRecords } from "../trade-records.ts";

export interface StartedTrade {
  session: PickerSession;
  record: TradeRecord;
  /** The trade AssetPay created; absent when the outcome is still being checked. */
  trade?: Trade;
  /** The POST's outcome is unknown: the reconciler will find out, the member is told so. */
  pending?: boolean;
}

/** How a flow starts its trade: the basket, then the AssetPay call that creates it (see startTrade). */
export type StartTrade = (
  s: PickerSession,
  record: TradeRecord,
  call: (externalId: string) => Promise<Trade>,
) => Promise<StartedTrade>;

export async function startTrade(
  deps: { records: TradeRecords; logger: Logger; now: () => Date },
  s: PickerSession,
  record: TradeRecord,
  call: (externalId: string) => Promise<Trade>,
): Promise<StartedTrade> {
  const { records, logger } = deps;
  const { externalId } = record;
  await records.create(record);
  s.externalId = externalId;
  let trade: Trade;
  try {
    trade = await call(externalId);
  } catch (err) {
    if (isAssetPayError(err) && tradeCreated(err) === "unknown") {
      logger.warn({ externalId, key: err.key }, "trade outcome unknown; the reconciler will resolve it");
      return { session: s, record, pending: true };
    }
    await records.update(externalId, (r) => {
      if (r.phase !== "started") return null;
      r.phase = "failed-to-start";
      return { watch: [{ ref: externalId, dueAt: null }] };
    });
    throw err;
  }
  logger.info(
    {
      memberId: record.memberId,
      tradeId: trade.id,
      externalId,
      kind: record.kind,
      source: record.source,
      amountCents: record.totalCents,
    },
    "trade created",
  );
  const ids = [trade.id, ...(trade.relatedTrades ?? []).map((t) => t.id)];
  // The approval callback may already have linked and moved the basket: change only what this
  // step knows, on whatever version is current.
  const saved =
    (await records.update(externalId, (r) => {
      r.tradeId ??= trade.id;
      if (r.phase === "started") r.phase = "open";
      r.status ??= trade.status;
      const at = deps.now().getTime();
      return {
        links: ids,
        watch: [{ ref: externalId, dueAt: null }, ...ids.map((ref) => ({ ref, dueAt: at }))],
      };
    })) ?? record;
  s.tradeId = trade.id;
  return { session: s, record: saved, trade };
}
