/**
 * Forced transitions (control API): a trade, or one withdraw item, jumps into any status, its
 * side effects applied as if it got there on its own, and its callback goes out. Whatever was
 * scheduled for the trade is dropped and the lifecycle resumes from the new status.
 */
import { TRADE_ERRORS } from "../../assetpay/schemas.ts";
import type { SandboxContext } from "../context.ts";
import { ApiError, validationError } from "../errors.ts";
import { encodeItemId } from "../inventory.ts";
import { isInFlight, TERMINAL, type TradeErrorCode, type TradeItem, type TradeRecord } from "../trades.ts";
import { moveDeposit } from "./deposit.ts";
import { emit, type ForceInput } from "./steps.ts";
import { resumeWithdraw } from "./withdraw.ts";
import { isItemError, setItem, settle } from "./withdraw-items.ts";

const TRADE_ERROR_SET: ReadonlySet<string> = new Set(TRADE_ERRORS);

export function force(ctx: SandboxContext, trade: TradeRecord, input: ForceInput): void {
  if (input.error !== undefined && !TRADE_ERROR_SET.has(input.error)) {
    throw validationError({ error: `must be one of: ${TRADE_ERRORS.join(", ")}` }, 400);
  }
  if (trade.type === "deposit") {
    if (input.itemId !== undefined) {
      throw validationError({ itemId: "deposit items have no status of their own" }, 400);
    }
    ctx.clock.cancelTrade(trade.id);
    moveDeposit(ctx, trade, input.status, input);
    return;
  }
  // Resolved before anything changes: an unknown item leaves the trade's schedule alone.
  const targets = targetsOf(trade, input);
  ctx.clock.cancelTrade(trade.id);
  forceWithdraw(ctx, trade, input, targets);
}

/** The named item, or every item still in flight (and delivered ones, for a revert). */
function targetsOf(trade: TradeRecord, input: ForceInput): TradeItem[] {
  if (input.itemId !== undefined) {
    const item = trade.items.find((i) => i.id === input.itemId || i.externalId === input.itemId);
    if (!item) throw new ApiError("ITEM_NOT_FOUND");
    return [item];
  }
  return trade.items.filter(
    (i) =>
      !TERMINAL.includes(i.status ?? "initiated") ||
      (input.status === "reverted" && i.status === "completed"),
  );
}

/** Forcing past the approval gate counts as the merchant's approval (a forced failure does not). */
function passApproval(ctx: SandboxContext, trade: TradeRecord, input: ForceInput): void {
  if (trade.approval !== "awaiting" || input.status === "initiated") return;
  if (isInFlight(input.status) || input.status === "completed") {
    trade.approval = "approved";
    ctx.wallet.balanceCents -= trade.totalCents;
  } else {
    trade.approval = "rejected";
  }
}

function forceWithdraw(
  ctx: SandboxContext,
  trade: TradeRecord,
  input: ForceInput,
  targets: TradeItem[],
): void {
  passApproval(ctx, trade, input);
  if (input.revertedBy !== undefined) trade.revertedBy = input.revertedBy;
  const itemError = input.error !== undefined && isItemError(input.error) ? input.error : undefined;
  if (input.error !== undefined && (input.itemId === undefined || itemError === undefined)) {
    trade.error = input.error as TradeErrorCode;
  }
  for (const item of targets) {
    if (input.status === "reverted" && item.status === "completed" && item.assetId) {
      ctx.inventories.take(trade.clientSteamID, encodeItemId(item.appid, item.assetId), 1);
    }
    setItem(ctx, trade, item, input.status, itemError);
  }
  settle(trade);
  emit(ctx, trade);
  resumeWithdraw(ctx, trade);
}
