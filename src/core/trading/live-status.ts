/**
 * Baskets shown with AssetPay's current status: stored statuses lag behind callbacks that are
 * still on their way, so the ones still moving are looked up in one batch. A failed lookup keeps
 * the last known status — a listing must not fail because AssetPay is slow.
 */
import type { Logger } from "pino";
import type { AssetPayClient } from "../../assetpay/client.ts";
import { isTerminal } from "../../assetpay/schemas.ts";
import type { TradeRecord } from "../trade-records.ts";

export async function withLiveStatus(
  deps: { client: AssetPayClient; logger: Logger },
  recent: TradeRecord[],
): Promise<TradeRecord[]> {
  const live = recent.filter((r) => r.tradeId && (!r.status || !isTerminal(r.status)));
  if (live.length === 0) return recent;
  try {
    const fresh = await deps.client.getTrades(live.map((r) => r.tradeId as string));
    for (const t of fresh) {
      const r = recent.find((x) => x.tradeId === t.id);
      if (r) r.status = t.status;
    }
  } catch (err) {
    deps.logger.debug({ err }, "live trade lookup failed");
  }
  return recent;
}
