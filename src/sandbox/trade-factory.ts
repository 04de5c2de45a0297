/** Pieces shared by the deposit and withdraw routes when they create trade records. */
import type { ErrorKey } from "../assetpay/error-codes.ts";
import type { SandboxContext } from "./context.ts";
import { ApiError } from "./errors.ts";
import { createRng, seedFrom } from "./prng.ts";
import type { TradeRecord } from "./trades.ts";

/** AssetPay's stable id for a merchant's end user, derived from the SteamID. */
export function clientUserIdFor(ctx: SandboxContext, steamId: string): string {
  return createRng(seedFrom("client-user", ctx.config.merchantId, steamId)).uuid();
}

type TradeBase = Omit<TradeRecord, "seq" | "id" | "status" | "createdAt" | "updatedAt">;

/** Who a trade is for, as the deposit and withdraw routes know them. */
export interface TradeParty {
  source: "client" | "self";
  steamId: string;
  tradeUrl: string;
  clientId?: string;
}

/** The fields every new trade record starts with, whichever route creates it. */
export function tradeBase<T extends "deposit" | "withdraw">(
  ctx: SandboxContext,
  type: T,
  who: TradeParty,
  fields: { game: TradeRecord["game"]; items: TradeRecord["items"]; totalCents: number; externalId?: string },
) {
  return {
    type,
    source: who.source,
    merchantId: ctx.config.merchantId,
    clientUserId: clientUserIdFor(ctx, who.steamId),
    clientTradeUrl: who.tradeUrl,
    clientSteamID: who.steamId,
    game: fields.game,
    items: fields.items,
    totalCents: fields.totalCents,
    ...(fields.externalId !== undefined ? { externalId: fields.externalId } : {}),
    ...(who.clientId !== undefined ? { externalClientUserId: who.clientId } : {}),
  };
}

/**
 * A refusal raised after AssetPay already stored the trade (e.g. NO_BOTS_AVAILABLE): the record
 * stays, failed and without callbacks, so its externalId is consumed and a lookup finds it.
 */
export function recordRefusedTrade(
  ctx: SandboxContext,
  base: TradeBase,
  key: ErrorKey,
  retryAfter?: number,
): ApiError {
  const now = ctx.clock.nowMs();
  ctx.trades.add({
    ...base,
    id: ctx.rng.uuid(),
    status: "failed",
    error: "SERVICE_UNAVAILABLE",
    items: base.items.map((i) => (base.type === "withdraw" ? { ...i, status: "failed" as const } : i)),
    createdAt: now,
    updatedAt: now,
  });
  for (const item of base.items) {
    if (item.listing?.state === "reserved") ctx.market.release(item.listing);
  }
  return new ApiError(
    key,
    retryAfter === undefined ? {} : { headers: { "retry-after": String(retryAfter) } },
  );
}
