/**
 * A withdrawal's items move one by one; the trade's status follows from theirs (trades.ts). This
 * is how one item enters a status — with its refund to the merchant wallet or its delivery to
 * the user's inventory — and how a batch of item changes becomes one callback.
 */
import { ITEM_ERRORS, type TradeStatus } from "../../assetpay/schemas.ts";
import type { SandboxContext } from "../context.ts";
import {
  aggregateStatus,
  type ItemError,
  type TradeErrorCode,
  type TradeItem,
  type TradeRecord,
} from "../trades.ts";
import { emit, holdEnd, markActive } from "./steps.ts";

const ITEM_ERROR_SET: ReadonlySet<string> = new Set(ITEM_ERRORS);

export function isItemError(code: string): code is ItemError {
  return ITEM_ERROR_SET.has(code);
}

/** The per-item error that goes with a shared withdraw failure cause. */
export function itemErrorFor(cause: TradeErrorCode): ItemError {
  if (isItemError(cause)) return cause;
  if (cause === "USER_NOT_FOUND") return "TRADE_URL_INVALID";
  if (cause === "SERVICE_UNAVAILABLE") return "MARKET_UNAVAILABLE";
  return "BUYER_TRADE_RESTRICTED";
}

function refund(ctx: SandboxContext, trade: TradeRecord, item: TradeItem): void {
  if (trade.approval !== "approved" || item.refunded) return;
  ctx.wallet.balanceCents += item.priceCents * item.amount;
  item.refunded = true;
}

function deliver(ctx: SandboxContext, trade: TradeRecord, item: TradeItem): void {
  item.assetId ??= ctx.rng.digits(11);
  if (item.status === "completed" && item.traits) {
    ctx.inventories.mint(trade.clientSteamID, item.traits, item.assetId);
  }
}

/** Puts one withdraw item into `status`, with its refund or delivery. */
export function setItem(
  ctx: SandboxContext,
  trade: TradeRecord,
  item: TradeItem,
  status: TradeStatus,
  error?: ItemError,
): void {
  const before = item.status;
  item.status = status;
  if (error !== undefined) item.error = error;
  switch (status) {
    case "pending":
      item.revealed = true;
      break;
    case "active":
      item.revealed = true;
      markActive(ctx, trade);
      break;
    case "hold":
      item.revealed = true;
      markActive(ctx, trade);
      deliver(ctx, trade, item);
      trade.holdEndDate ??= holdEnd(ctx, trade);
      break;
    case "completed":
      item.revealed = true;
      markActive(ctx, trade);
      if (before !== "completed") deliver(ctx, trade, item);
      break;
    case "failed":
    case "declined":
    case "canceled":
    case "reverted":
      refund(ctx, trade, item);
      if (item.listing && item.listing.state === "reserved") ctx.market.release(item.listing);
      break;
    default:
      break;
  }
}

/** The trade's status from its items; a failure all items share becomes the trade's error. */
export function settle(trade: TradeRecord): void {
  trade.status = aggregateStatus(trade.items);
  if (trade.error === undefined && trade.status === "failed") {
    const errors = new Set(trade.items.map((i) => i.error));
    const only = [...errors][0];
    if (errors.size === 1 && only !== undefined) trade.error = only;
  }
}

/** Applies `apply` to each of `items`, then settles and announces the trade; false if none. */
export function change(
  ctx: SandboxContext,
  trade: TradeRecord,
  items: TradeItem[],
  apply: (item: TradeItem) => void,
): boolean {
  if (items.length === 0) return false;
  for (const item of items) apply(item);
  settle(trade);
  emit(ctx, trade);
  return true;
}

/** Moves each of `items` into `status` (see change). */
export function moveItems(
  ctx: SandboxContext,
  trade: TradeRecord,
  items: TradeItem[],
  status: TradeStatus,
  error?: ItemError,
): boolean {
  return change(ctx, trade, items, (item) => setItem(ctx, trade, item, status, error));
}

export function itemsIn(trade: TradeRecord, status: TradeStatus): TradeItem[] {
  return trade.items.filter((i) => i.status === status);
}
