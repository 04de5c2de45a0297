/**
 * Price moves for the control API: make a quote stale on purpose. A target is a listing, an
 * inventory item, or a catalog item (its deposit offer, its listings, or both); without a target
 * a percentage moves every price.
 */
import { applyBps, type Cents, dollarsToCents } from "../base/money.ts";
import type { SandboxContext } from "./context.ts";
import { ApiError } from "./errors.ts";

export interface PriceMove {
  /** An inventory item id, a listing id or a catalog id. */
  itemId?: string;
  marketHashName?: string;
  /** New price in USD. */
  price?: number;
  /** Relative move in percent (5 = +5 %, -10 = -10 %). Without a target: every price. */
  percent?: number;
  /** For a catalog item or a drift: the deposit offer, the listings, or both. */
  side?: "deposit" | "withdraw" | "both";
  phase?: string;
}

export function movePrice(ctx: SandboxContext, move: PriceMove): number {
  const { catalog } = ctx;
  const bps = move.percent !== undefined ? Math.round(move.percent * 100) : undefined;
  const target = (current: Cents): Cents => {
    if (move.price !== undefined) return dollarsToCents(move.price);
    if (bps !== undefined) return Math.max(1, applyBps(current, bps));
    throw new ApiError("VALIDATION_FAILED", {
      fields: { price: "price or percent is required" },
      status: 400,
    });
  };
  if (move.itemId === undefined && move.marketHashName === undefined) {
    if (bps === undefined) {
      throw new ApiError("VALIDATION_FAILED", {
        fields: { itemId: "a target or a percent is required" },
        status: 400,
      });
    }
    const side = move.side ?? "both";
    if (side !== "withdraw") catalog.driftDeposits(bps);
    if (side !== "deposit") ctx.market.drift(bps);
    return catalog.entries.length;
  }
  if (move.itemId !== undefined) {
    const listing = ctx.market.get(move.itemId);
    if (listing) {
      ctx.market.setPrice(listing, target(listing.priceCents));
      return 1;
    }
    const owned = ctx.inventories.locate(move.itemId);
    if (owned) {
      ctx.inventories.setItemPrice(move.itemId, target(ctx.inventories.offerCents(owned.item)));
      return 1;
    }
  }
  const entry =
    (move.itemId !== undefined ? catalog.byId(move.itemId) : undefined) ??
    (move.marketHashName !== undefined ? catalog.byName(move.marketHashName) : undefined);
  if (!entry)
    throw new ApiError("NOT_FOUND", { message: "No listing, inventory item or catalog item by that id" });
  const side = move.side ?? "deposit";
  let updated = 0;
  if (side !== "withdraw") {
    catalog.setDepositCents(entry, target(catalog.depositCents(entry, move.phase)), move.phase);
    updated++;
  }
  if (side !== "deposit") {
    for (const l of ctx.market.ofEntry(entry)) {
      if (move.phase === undefined || l.phase === move.phase) {
        ctx.market.setPrice(l, target(l.priceCents));
        updated++;
      }
    }
  }
  return updated;
}
