/**
 * Trade lifecycles on the virtual clock (lifecycle/): every transition updates the record and
 * queues a signed `{"trade": Trade}` callback with the state at that moment. Deposits move as a
 * whole (lifecycle/deposit.ts), withdrawals item by item (lifecycle/withdraw.ts); the control API
 * forces transitions (lifecycle/force.ts).
 */
import type { SandboxContext } from "./context.ts";
import { startDeposit } from "./lifecycle/deposit.ts";
import { force } from "./lifecycle/force.ts";
import type { ForceInput } from "./lifecycle/steps.ts";
import { requestCancel, startWithdraw } from "./lifecycle/withdraw.ts";
import type { TradeItem, TradeRecord } from "./trades.ts";

export type { ForceInput };

export interface Lifecycle {
  startDeposit(trade: TradeRecord): void;
  /** Sends the approval callback; the outcome continues (or fails) the trade on its own. */
  startWithdraw(trade: TradeRecord): void;
  /** Cancels a still-pending withdraw item: `reverted` with refund, asynchronously. */
  requestCancel(trade: TradeRecord, item: TradeItem): void;
  /** Control API: puts a trade (or one withdraw item) into `status` and sends its callback. */
  force(trade: TradeRecord, input: ForceInput): void;
}

export function createLifecycle(ctx: SandboxContext): Lifecycle {
  return {
    startDeposit: (trade) => startDeposit(ctx, trade),
    startWithdraw: (trade) => startWithdraw(ctx, trade),
    requestCancel: (trade, item) => requestCancel(ctx, trade, item),
    force: (trade, input) => force(ctx, trade, input),
  };
}
