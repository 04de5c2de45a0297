/**
 * The withdraw lifecycle: initiated → approval callback (real time) →(2 s) pending (sourced,
 * items named) →(10 s) active (offer sent) →(60 s) hold (assetId) →(7 days) completed; Rust skips
 * hold. Items move individually: a slow seller keeps an item pending, a failed purchase fails
 * only that item, cancel and auto-cancel revert pending items. Each step picks the items still in
 * the status it expects, so a forced transition in between never breaks it.
 */
import type { ApprovalVerdict } from "../callbacks/records.ts";
import { CS2 } from "../catalog.ts";
import type { SandboxContext } from "../context.ts";
import { profileForTradeUrl } from "../magic.ts";
import type { TradeItem, TradeRecord } from "../trades.ts";
import { tradeJson } from "../wire.ts";
import { fillQuickBuy } from "./quick-buy.ts";
import { DELAYS, holdEnd, later, scheduleOnce } from "./steps.ts";
import { change, itemErrorFor, itemsIn, moveItems, setItem } from "./withdraw-items.ts";

/** Buys the approved trade's items from their sellers: `pending`, or failed per item. */
function source(ctx: SandboxContext, trade: TradeRecord): void {
  const rows = itemsIn(trade, "initiated");
  if (trade.approval !== "approved" || rows.length === 0) return;
  const cause = profileForTradeUrl(trade.clientTradeUrl).withdrawFailure;
  if (cause !== undefined) {
    trade.error = cause;
    moveItems(ctx, trade, rows, "failed", itemErrorFor(cause));
    return;
  }
  if (trade.quick) fillQuickBuy(ctx, trade, rows);
  change(ctx, trade, rows, (item) => {
    if (item.status !== "initiated") return;
    if (item.listing) ctx.market.sell(item.listing);
    if (item.outcome === "fail") {
      setItem(ctx, trade, item, "failed", item.failWith ?? "LISTING_UNAVAILABLE");
      return;
    }
    setItem(ctx, trade, item, "pending");
    if (item.outcome === "slow") {
      later(ctx, trade, DELAYS.slowSellerGiveUp, "withdraw:give-up", () => giveUp(ctx, trade, item));
    }
  });
  resumeWithdraw(ctx, trade);
}

function giveUp(ctx: SandboxContext, trade: TradeRecord, item: TradeItem): void {
  if (item.status === "pending") moveItems(ctx, trade, [item], "failed", "LISTING_UNAVAILABLE");
}

function sendOffers(ctx: SandboxContext, trade: TradeRecord): void {
  const ready = itemsIn(trade, "pending").filter((i) => i.outcome !== "slow");
  if (moveItems(ctx, trade, ready, "active")) resumeWithdraw(ctx, trade);
}

function acceptOffers(ctx: SandboxContext, trade: TradeRecord): void {
  const offered = itemsIn(trade, "active");
  const changed = change(ctx, trade, offered, (item) => {
    if (item.outcome === "declined") setItem(ctx, trade, item, "declined", "OFFER_NOT_ACCEPTED");
    else setItem(ctx, trade, item, trade.game === CS2 ? "hold" : "completed");
  });
  if (changed) resumeWithdraw(ctx, trade);
}

function finishHold(ctx: SandboxContext, trade: TradeRecord): void {
  const held = itemsIn(trade, "hold").filter((i) => i.outcome !== "reverted");
  moveItems(ctx, trade, held, "completed");
}

function supplierRevert(ctx: SandboxContext, trade: TradeRecord): void {
  const held = itemsIn(trade, "hold").filter((i) => i.outcome === "reverted");
  if (held.length) trade.revertedBy = "supplier";
  moveItems(ctx, trade, held, "reverted");
}

/** Schedules the natural next steps of a withdrawal from its items' statuses. */
export function resumeWithdraw(ctx: SandboxContext, trade: TradeRecord): void {
  if (trade.approval === "approved" && itemsIn(trade, "initiated").length) {
    later(ctx, trade, DELAYS.withdrawSource, "withdraw:source", () => source(ctx, trade));
  }
  if (itemsIn(trade, "pending").some((i) => i.outcome !== "slow")) {
    later(ctx, trade, DELAYS.withdrawOffer, "withdraw:offer", () => sendOffers(ctx, trade));
  }
  if (itemsIn(trade, "active").length) {
    later(ctx, trade, DELAYS.withdrawAccept, "withdraw:accept", () => acceptOffers(ctx, trade));
  }
  const held = itemsIn(trade, "hold");
  if (held.length) {
    scheduleOnce(ctx, trade, holdEnd(ctx, trade), "withdraw:complete", () => finishHold(ctx, trade));
    if (held.some((i) => i.outcome === "reverted")) {
      later(ctx, trade, DELAYS.revertIntoHold, "withdraw:supplier-revert", () => supplierRevert(ctx, trade));
    }
  }
  if (trade.autoCancelAt !== undefined && itemsIn(trade, "pending").length) {
    const at = Math.max(trade.autoCancelAt, ctx.clock.nowMs());
    const autoCancel = () => moveItems(ctx, trade, itemsIn(trade, "pending"), "reverted");
    scheduleOnce(ctx, trade, at, "withdraw:auto-cancel", autoCancel);
  }
}

function onApproval(ctx: SandboxContext, trade: TradeRecord, verdict: ApprovalVerdict): void {
  // Ignore a verdict for a trade forced meanwhile, or one from before a reset.
  if (trade.approval !== "awaiting" || trade.status !== "initiated" || ctx.trades.get(trade.id) !== trade)
    return;
  if (verdict === "approved") {
    trade.approval = "approved";
    ctx.wallet.balanceCents -= trade.totalCents;
    resumeWithdraw(ctx, trade);
    return;
  }
  trade.approval = "rejected";
  trade.error = verdict === "rejected" ? "MERCHANT_REJECTED" : "APPROVAL_TIMEOUT";
  moveItems(ctx, trade, trade.items, "failed");
}

/** Sends the approval callback; the outcome continues (or fails) the trade on its own. */
export function startWithdraw(ctx: SandboxContext, trade: TradeRecord): void {
  trade.approval = "awaiting";
  const body = JSON.stringify({ trade: tradeJson(trade) });
  ctx.sender.approval(trade.id, body).then(
    (result) => {
      ctx.logger.info({ tradeId: trade.id, verdict: result.verdict }, "sandbox withdrawal approval");
      onApproval(ctx, trade, result.verdict);
    },
    () => undefined,
  );
}

/** Cancels a still-pending withdraw item: `reverted` with refund, asynchronously. */
export function requestCancel(ctx: SandboxContext, trade: TradeRecord, item: TradeItem): void {
  item.cancelRequested = true;
  const revert = () => {
    if (item.status === "pending") moveItems(ctx, trade, [item], "reverted");
  };
  ctx.clock.after(0, `withdraw:cancel ${trade.id}`, revert, trade.id);
  ctx.clock.kick();
}
