/** The SandboxCore methods over one sandbox's state: inspection, forcing and resetting. */
import type { RequestListener } from "node:http";
import { centsToDollars, dollarsToCents } from "../base/money.ts";
import type { SandboxContext } from "./context.ts";
import { resetState } from "./context-setup.ts";
import { ApiError } from "./errors.ts";
import { type FaultSpec, FaultSpecSchema, type Faults } from "./faults.ts";
import type { Lifecycle } from "./lifecycle.ts";
import { movePrice } from "./prices.ts";
import type { FaultControls, SandboxCore, SandboxState } from "./sandbox-core.ts";
import type { TimeControl } from "./time-control.ts";
import { type TradeJson, tradeJson } from "./wire.ts";

function faultControls(faults: Faults): FaultControls {
  return {
    set: (spec) => faults.set(FaultSpecSchema.parse(spec) as FaultSpec),
    clear: () => faults.clear(),
    config: () => faults.config(),
    stats: () => faults.stats(),
  };
}

function tradeViews(ctx: SandboxContext): SandboxCore["trades"] {
  return {
    get: (ref) => {
      const t = ctx.trades.byRef(ref);
      return t ? tradeJson(t) : undefined;
    },
    list: () =>
      ctx.trades
        .all()
        .sort((a, b) => a.seq - b.seq)
        .map(tradeJson),
  };
}

function stateOf(ctx: SandboxContext, trades: TradeJson[]): SandboxState {
  const { clock, sender, faults } = ctx;
  return {
    now: clock.iso(),
    merchant: {
      id: ctx.config.merchantId,
      balance: centsToDollars(ctx.wallet.balanceCents),
      callbackUrl: sender.url() ?? null,
    },
    trades,
    scheduled: clock.pending().map((t) => ({
      at: new Date(t.at).toISOString(),
      label: t.label,
      ...(t.tradeId !== undefined ? { tradeId: t.tradeId } : {}),
    })),
    faults: { config: faults.config(), stats: faults.stats() },
    heldDeliveries: sender.heldTradeIds(),
  };
}

function setCollateral(ctx: SandboxContext, steamId: string, usd: { provider?: number; merchant?: number }) {
  const current = ctx.collateral.get(steamId) ?? {};
  if (usd.provider !== undefined) current.providerCents = dollarsToCents(usd.provider);
  if (usd.merchant !== undefined) current.merchantCents = dollarsToCents(usd.merchant);
  ctx.collateral.set(steamId, current);
}

async function reset(ctx: SandboxContext, time: TimeControl): Promise<void> {
  ctx.clock.reset(ctx.config.startMs);
  ctx.sender.reset();
  ctx.faults.reset();
  await time.settle();
  resetState(ctx);
}

export interface CoreParts {
  ctx: SandboxContext;
  lifecycle: Lifecycle;
  time: TimeControl;
  handle: RequestListener;
}

export function createCore({ ctx, lifecycle, time, handle }: CoreParts): SandboxCore {
  const { clock, sender } = ctx;
  const trades = tradeViews(ctx);
  return {
    merchantId: ctx.config.merchantId,
    apiKey: ctx.config.apiKey,
    clock: { now: () => clock.now(), advance: time.advance },
    get callbackUrl() {
      return sender.url();
    },
    async setCallbackUrl(url, setOpts = {}) {
      if (url === null) {
        sender.setUrl(undefined);
        return true;
      }
      const ping = await sender.ping(url);
      if (ping.ok || setOpts.force) sender.setUrl(url);
      return ping.ok;
    },
    trades,
    get deliveries() {
      return sender.deliveries();
    },
    get requestLog() {
      return ctx.requestLog.map((e) => ({ ...e }));
    },
    faults: faultControls(ctx.faults),
    transition(ref, input) {
      const trade = ctx.trades.byRef(ref);
      if (!trade) throw new ApiError("TRADE_NOT_FOUND");
      lifecycle.force(trade, input);
      return tradeJson(trade);
    },
    setPrice: (move) => movePrice(ctx, move),
    setCollateral: (steamId, usd) => setCollateral(ctx, steamId, usd),
    get balance() {
      return centsToDollars(ctx.wallet.balanceCents);
    },
    setBalance(usd) {
      ctx.wallet.balanceCents = dollarsToCents(usd);
    },
    state: () => stateOf(ctx, trades.list()),
    idle: time.settle,
    releaseHeld: async () => {
      await sender.releaseHeld();
      await time.settle();
    },
    reset: () => reset(ctx, time),
    handle,
    async shutdown() {
      time.stop();
      clock.reset(clock.nowMs());
      await sender.close();
    },
  };
}
