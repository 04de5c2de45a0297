/** Pieces shared by the deposit and withdraw routes when they create trade records. */
import type { ErrorKey } from "../assetpay/error-codes.ts";
import type { ClientData } from "../assetpay/token.ts";
import type { SandboxContext } from "./context.ts";
import { ApiError, retryAfterHeaders } from "./errors.ts";
import { createRng, seedFrom } from "./prng.ts";
import type { TradeRecord } from "./trades.ts";

/** AssetPay's stable id for a merchant's end user, derived from the SteamID. */
export function clientUserIdFor(ctx: SandboxContext, steamId: string): string {
  return createRng(seedFrom("client-user", ctx.config.merchantId, steamId)).uuid();
}

/** A trade record before it is stored: what tradeBase gives, with the route's fields. */
export type TradeBase = Omit<TradeRecord, "seq" | "id" | "status" | "createdAt" | "updatedAt">;

/** Who a trade is for, as the deposit and withdraw routes know them. */
export interface TradeParty {
  source: "client" | "self";
  steamId: string;
  tradeUrl: string;
  clientId?: string;
  /** The token's client data (deposits use it for the collateral model). */
  clientData?: ClientData;
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
  return new ApiError(key, retryAfterHeaders(retryAfter));
}

/** One user's creation lock: `deposit:<steamId>` or `withdraw:<steamId>`, and what a second try meets. */
export interface CreationLock {
  key: string;
  busy: "DEPOSIT_IN_PROGRESS" | "WITHDRAW_IN_PROGRESS";
  /** Further refusals, checked once the lock is known free and before it is taken. */
  check?: () => void;
}

/**
 * Runs `create` holding the user's creation lock and the claim on `externalId`. Both are let go
 * when it ends, either way: a created trade keeps its externalId taken by being stored.
 */
export async function whileCreating<T>(
  ctx: SandboxContext,
  lock: CreationLock,
  externalId: string | undefined,
  create: () => Promise<T>,
): Promise<T> {
  if (ctx.locks.has(lock.key)) throw new ApiError(lock.busy, retryAfterHeaders(1));
  lock.check?.();
  ctx.locks.add(lock.key);
  let claimed: string | undefined;
  try {
    if (externalId !== undefined && !ctx.trades.claimExternalId(externalId)) {
      throw new ApiError("EXTERNAL_ID_EXISTS");
    }
    claimed = externalId;
    return await create();
  } finally {
    ctx.locks.delete(lock.key);
    if (claimed !== undefined) ctx.trades.releaseExternalId(claimed);
  }
}
