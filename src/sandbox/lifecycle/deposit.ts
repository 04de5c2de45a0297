/**
 * The deposit lifecycle: initiated →(2 s) pending →(3 s) active →(60 s, the user accepts) hold
 * →(7 days) completed; Rust skips hold. Magic outcomes end it declined, canceled, failed or
 * reverted. Each step re-checks the status it expects, so a forced transition in between never
 * breaks it.
 */
import type { TradeStatus } from "../../assetpay/schemas.ts";
import { CS2 } from "../catalog.ts";
import type { SandboxContext } from "../context.ts";
import type { TradeErrorCode, TradeRecord } from "../trades.ts";
import { DELAYS, emit, type ForceInput, holdEnd, later, markActive } from "./steps.ts";

function takeItems(ctx: SandboxContext, trade: TradeRecord): void {
  if (trade.itemsTaken) return;
  for (const item of trade.items) ctx.inventories.take(trade.clientSteamID, item.id, item.amount);
  trade.itemsTaken = true;
}

/** A revert gives the items back and takes the credit back, whichever of them happened. */
function undo(ctx: SandboxContext, trade: TradeRecord): void {
  if (trade.itemsTaken) {
    for (const item of trade.items) {
      if (item.source) ctx.inventories.give(trade.clientSteamID, { ...item.source, amount: item.amount });
    }
    trade.itemsTaken = false;
  }
  if (trade.walletCredited) {
    ctx.wallet.balanceCents -= trade.totalCents;
    trade.walletCredited = false;
  }
}

/** Applies a deposit's status with its side effects on the inventory and merchant wallet. */
export function enterDeposit(
  ctx: SandboxContext,
  trade: TradeRecord,
  status: TradeStatus,
  extra: Partial<ForceInput> = {},
): void {
  trade.status = status;
  switch (status) {
    case "active":
      markActive(ctx, trade);
      break;
    case "hold":
      markActive(ctx, trade);
      takeItems(ctx, trade);
      trade.holdEndDate ??= holdEnd(ctx, trade);
      break;
    case "completed":
      markActive(ctx, trade);
      takeItems(ctx, trade);
      if (!trade.walletCredited) {
        ctx.wallet.balanceCents += trade.totalCents;
        trade.walletCredited = true;
      }
      break;
    case "reverted":
      trade.revertedBy = extra.revertedBy ?? trade.revertedBy ?? "user";
      undo(ctx, trade);
      break;
    case "failed":
      if (extra.error !== undefined) trade.error = extra.error as TradeErrorCode;
      break;
    default:
      break;
  }
}

/** Enters `status`, announces it and schedules what comes next. */
export function moveDeposit(
  ctx: SandboxContext,
  trade: TradeRecord,
  status: TradeStatus,
  extra?: Partial<ForceInput>,
): void {
  enterDeposit(ctx, trade, status, extra);
  emit(ctx, trade);
  resumeDeposit(ctx, trade);
}

/** Announces a new deposit and schedules its first step. */
export function startDeposit(ctx: SandboxContext, trade: TradeRecord): void {
  emit(ctx, trade);
  resumeDeposit(ctx, trade);
}

/** Schedules the move from `expect` to `next` in `seconds`, skipped if the trade moved meanwhile. */
function step(
  ctx: SandboxContext,
  trade: TradeRecord,
  seconds: number,
  label: string,
  [expect, next]: [TradeStatus, TradeStatus],
  extra?: Partial<ForceInput>,
): void {
  later(ctx, trade, seconds, label, () => {
    if (trade.status === expect) moveDeposit(ctx, trade, next, extra);
  });
}

/** Schedules the natural next step of a deposit from its current status. */
export function resumeDeposit(ctx: SandboxContext, trade: TradeRecord): void {
  const outcome = trade.outcome;
  switch (trade.status) {
    case "initiated":
      step(ctx, trade, DELAYS.depositPending, "deposit:pending", ["initiated", "pending"]);
      break;
    case "pending":
      if (outcome === "failed") {
        const extra = { error: "SERVICE_UNAVAILABLE" };
        step(ctx, trade, DELAYS.depositActive, "deposit:failed", ["pending", "failed"], extra);
      } else {
        step(ctx, trade, DELAYS.depositActive, "deposit:active", ["pending", "active"]);
      }
      break;
    case "active":
      resumeActive(ctx, trade);
      break;
    case "hold":
      if (outcome === "reverted") {
        const extra = { revertedBy: "user" } as const;
        step(ctx, trade, DELAYS.revertIntoHold, "deposit:reverted", ["hold", "reverted"], extra);
      } else {
        ctx.clock.schedule(
          holdEnd(ctx, trade),
          `deposit:completed ${trade.id}`,
          () => {
            if (trade.status === "hold") moveDeposit(ctx, trade, "completed");
          },
          trade.id,
        );
      }
      break;
    case "completed":
      if (outcome === "reverted" && trade.game !== CS2) {
        const extra = { revertedBy: "user" } as const;
        step(ctx, trade, DELAYS.rustLateRevert, "deposit:reverted", ["completed", "reverted"], extra);
      }
      break;
    default:
      break;
  }
}

/** The offer is out: the user accepts it, declines it, or lets it expire. */
function resumeActive(ctx: SandboxContext, trade: TradeRecord): void {
  if (trade.outcome === "declined") {
    step(ctx, trade, DELAYS.depositAccept, "deposit:declined", ["active", "declined"]);
  } else if (trade.outcome === "canceled") {
    step(ctx, trade, DELAYS.offerExpiry, "deposit:canceled", ["active", "canceled"]);
  } else {
    const accepted = trade.game === CS2 ? "hold" : "completed";
    step(ctx, trade, DELAYS.depositAccept, "deposit:accepted", ["active", accepted]);
  }
}
