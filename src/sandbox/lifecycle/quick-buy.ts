/**
 * Filling a quick withdrawal at sourcing: each row (one unit at the ceiling price) takes the
 * cheapest listing at or under the ceiling; the difference goes back to the merchant wallet.
 */
import type { SandboxContext } from "../context.ts";
import type { Listing } from "../market.ts";
import type { TradeItem, TradeRecord } from "../trades.ts";
import { setItem } from "./withdraw-items.ts";

/** The listings that can fill the quick buy, cheapest first; undefined for an unknown item. */
function candidates(ctx: SandboxContext, trade: TradeRecord): Listing[] | undefined {
  const quick = trade.quick;
  const entry = quick && ctx.catalog.byId(quick.catalogId);
  if (!quick || !entry) return undefined;
  return ctx.market
    .ofEntry(entry)
    .filter(
      (l) =>
        l.delivery === quick.delivery &&
        (quick.phase === undefined || l.phase === quick.phase) &&
        l.priceCents <= quick.maxCents,
    )
    .sort((a, b) => a.priceCents - b.priceCents);
}

function fillRow(ctx: SandboxContext, trade: TradeRecord, row: TradeItem, listing: Listing): void {
  ctx.market.reserve(listing, trade.id);
  // The ceiling was locked; the cheaper fill is charged and the difference goes back.
  ctx.wallet.balanceCents += (row.priceCents - listing.priceCents) * row.amount;
  row.priceCents = listing.priceCents;
  row.listing = listing;
  row.traits = listing;
  row.delivery = listing.delivery;
  row.internal = listing.delivery === "instant";
  if (listing.botInfo) row.botInfo = listing.botInfo;
}

/** Fills `rows` with listings; a row left without one fails `NO_LISTING_AT_PRICE`. */
export function fillQuickBuy(ctx: SandboxContext, trade: TradeRecord, rows: TradeItem[]): void {
  const listings = candidates(ctx, trade);
  if (!listings) return;
  for (const row of rows) {
    const listing = listings.shift();
    if (listing) fillRow(ctx, trade, row, listing);
    else setItem(ctx, trade, row, "failed", "NO_LISTING_AT_PRICE");
  }
  trade.totalCents = trade.items.reduce((sum, i) => sum + i.priceCents * i.amount, 0);
}
