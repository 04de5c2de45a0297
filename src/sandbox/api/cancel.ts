/**
 * Cancelling undelivered withdraw items (client routes and the merchant's /secure/buy ones).
 * A cancel is accepted only for a CS2 marketplace item of the caller's own withdrawal that is
 * at least 30 minutes old, not terminal and not yet offered. The answer only confirms the
 * request; the item turns `reverted` (with refund) asynchronously, through a callback.
 */
import type { ErrorKey } from "../../assetpay/error-codes.ts";
import { CS2 } from "../catalog.ts";
import { ApiError } from "../errors.ts";
import type { RouteRequest } from "../router.ts";
import { TERMINAL, type TradeItem, type TradeRecord } from "../trades.ts";
import { type ApiDeps, requireClient } from "./deps.ts";

const CANCEL_AFTER_MS = 30 * 60 * 1000;

function ownedWithdrawal(deps: ApiDeps, req: RouteRequest, scope: "client" | "self"): TradeRecord {
  const trade = deps.ctx.trades.byRef(req.params.tradeId ?? "");
  if (!trade) throw new ApiError("TRADE_NOT_FOUND");
  const mine =
    scope === "self"
      ? trade.source === "self"
      : trade.source === "client" && trade.clientSteamID === requireClient(req).steamId;
  if (!mine) throw new ApiError("FORBIDDEN");
  if (trade.type !== "withdraw") {
    throw new ApiError("TRADE_NOT_CANCELLABLE", { message: "Only withdrawals can be cancelled" });
  }
  return trade;
}

/** Why this item cannot be cancelled now, or undefined when it can. */
function refusal(deps: ApiDeps, trade: TradeRecord, item: TradeItem): ErrorKey | undefined {
  if (trade.game !== CS2 || item.internal) return "TRADE_CANCEL_UNSUPPORTED";
  const status = item.status ?? "initiated";
  if (TERMINAL.includes(status) || status === "active" || status === "hold") return "TRADE_NOT_CANCELLABLE";
  if (deps.ctx.clock.nowMs() - item.createdAt < CANCEL_AFTER_MS) return "TRADE_CANCEL_TOO_SOON";
  // Still awaiting the merchant's approval: nothing bought yet, nothing to cancel at the supplier.
  if (status === "initiated") return "TRADE_NOT_CANCELLABLE";
  return undefined;
}

export function cancelItemRoute(deps: ApiDeps, scope: "client" | "self") {
  return (req: RouteRequest) => {
    const trade = ownedWithdrawal(deps, req, scope);
    const ref = req.params.itemId ?? "";
    const item = trade.items.find((i) => i.id === ref || i.externalId === ref);
    if (!item) throw new ApiError("ITEM_NOT_FOUND");
    // A repeated cancel while the first is still settling is answered the same way.
    const settling = item.cancelRequested && item.status === "pending";
    if (!settling) {
      const key = refusal(deps, trade, item);
      if (key !== undefined) throw new ApiError(key);
      deps.lifecycle.requestCancel(trade, item);
    }
    const data: { tradeId: string; itemId: string; externalId?: string; status: "cancelled" } = {
      tradeId: trade.id,
      itemId: item.id,
      status: "cancelled",
    };
    if (item.externalId !== undefined) data.externalId = item.externalId;
    return data;
  };
}

export function cancelAllRoute(deps: ApiDeps, scope: "client" | "self") {
  return (req: RouteRequest) => {
    const trade = ownedWithdrawal(deps, req, scope);
    const results: {
      itemId: string;
      externalId?: string;
      status: "cancelled" | "failed";
      reason?: string;
    }[] = [];
    for (const item of trade.items) {
      if (TERMINAL.includes(item.status ?? "initiated")) continue;
      const settling = item.cancelRequested && item.status === "pending";
      const key = settling ? undefined : refusal(deps, trade, item);
      const row: (typeof results)[number] = {
        itemId: item.id,
        status: key === undefined ? "cancelled" : "failed",
      };
      if (item.externalId !== undefined) row.externalId = item.externalId;
      if (key !== undefined) row.reason = key;
      else if (!settling) deps.lifecycle.requestCancel(trade, item);
      results.push(row);
    }
    const cancelled = results.filter((r) => r.status === "cancelled").length;
    return {
      tradeId: trade.id,
      requested: results.length,
      cancelled,
      failed: results.length - cancelled,
      items: results,
    };
  };
}
