/**
 * What every lifecycle step shares: the sandbox's state, the callback a transition sends, the
 * scheduling of the next step on the virtual clock, and the fields an offer gets once it is sent.
 */
import type { TradeStatus } from "../../assetpay/schemas.ts";
import type { SandboxContext } from "../context.ts";
import type { BotInfo } from "../market.ts";
import type { TradeRecord } from "../trades.ts";
import { tradeJson } from "../wire.ts";

/** Virtual seconds between lifecycle steps (README: "Lifecycle"). */
export const DELAYS = {
  depositPending: 2,
  depositActive: 3,
  depositAccept: 60,
  offerExpiry: 600,
  hold: 7 * 86_400,
  revertIntoHold: 3 * 86_400,
  rustLateRevert: 3_600,
  withdrawSource: 2,
  withdrawOffer: 10,
  withdrawAccept: 60,
  slowSellerGiveUp: 24 * 3_600,
} as const;

/** A transition the control API forces (README: "Control API"). */
export interface ForceInput {
  status: TradeStatus;
  itemId?: string;
  revertedBy?: "supplier" | "user";
  error?: string;
}

/** Stamps the trade and queues its `{"trade": Trade}` callback with the state at this moment. */
export function emit(ctx: SandboxContext, trade: TradeRecord): void {
  trade.updatedAt = ctx.clock.nowMs();
  const body = JSON.stringify({ trade: tradeJson(trade) });
  void ctx.sender.event(trade.id, trade.status, body);
}

/** Runs `step` `seconds` of virtual time from now, labelled for the trade. */
export function later(
  ctx: SandboxContext,
  trade: TradeRecord,
  seconds: number,
  label: string,
  step: () => void,
): void {
  ctx.clock.after(seconds, `${label} ${trade.id}`, step, trade.id);
}

/** Runs `step` at `atMs` unless a step with this label is already scheduled for the trade. */
export function scheduleOnce(
  ctx: SandboxContext,
  trade: TradeRecord,
  atMs: number,
  label: string,
  step: () => void,
): void {
  const scheduled = ctx.clock.pending().some((t) => t.tradeId === trade.id && t.label.startsWith(label));
  if (!scheduled) ctx.clock.schedule(atMs, `${label} ${trade.id}`, step, trade.id);
}

/** When the trade's Steam hold ends (7 days from now unless already set). */
export function holdEnd(ctx: SandboxContext, trade: TradeRecord): number {
  return trade.holdEndDate ?? ctx.clock.nowMs() + DELAYS.hold * 1000;
}

function botInfo(ctx: SandboxContext): BotInfo {
  return {
    name: ctx.rng.pick(["AssetPay Bot #12", "AssetPay Bot #27", "AssetPay Bot #41"]),
    steamId: `7656119${ctx.rng.digits(10)}`,
  };
}

/** The offer fields a trade gets once its first offer is sent (kept once set). */
export function markActive(ctx: SandboxContext, trade: TradeRecord): void {
  trade.offerID ??= ctx.rng.digits(10);
  trade.activeAt ??= ctx.clock.nowMs();
  trade.botInfo ??= botInfo(ctx);
}
