/**
 * A member cancelling their own slow withdrawal, whole or one item. AssetPay decides (its
 * 30-minute rule); its refusals become the member's localized errors. The refunds arrive by
 * callback, so nothing here touches the ledger.
 */
import type { AssetPayClient } from "../../assetpay/client.ts";
import { AssetPayError } from "../../assetpay/errors.ts";
import type { Accounts } from "../accounts.ts";
import { CoreError } from "../errors.ts";
import type { MemberId } from "../ledger.ts";
import type { TradeRecords } from "../trade-records.ts";

const CANCEL_ERRORS: Record<string, CoreError["key"]> = {
  TRADE_CANCEL_TOO_SOON: "cancelTooSoon",
  TRADE_NOT_CANCELLABLE: "notCancellable",
  TRADE_CANCEL_UNSUPPORTED: "notCancellable",
};

/** AssetPay refuses cancelling a withdrawal younger than this. */
const CANCEL_AFTER_MINUTES = 30;

/** AssetPay's "too soon", told with the minutes left until a trade started at `createdAt` may be cancelled. */
export function cancelTooSoon(createdAt: string, now: Date): CoreError {
  const ageMinutes = (now.getTime() - Date.parse(createdAt)) / 60_000;
  return new CoreError("cancelTooSoon", {
    minutes: Math.max(1, Math.ceil(CANCEL_AFTER_MINUTES - ageMinutes)),
  });
}

export function createWithdrawalCancel(deps: {
  client: AssetPayClient;
  accounts: Accounts;
  records: TradeRecords;
  now: () => Date;
}) {
  const { client, accounts, records } = deps;

  /** A member's own withdrawal, or a refusal. */
  const ownWithdrawal = async (memberId: MemberId, tradeId: string, clientOnly: boolean) => {
    const record = await records.byTradeId(tradeId);
    if (!record || record.memberId !== memberId || record.kind !== "withdraw")
      throw new CoreError("notCancellable");
    if (clientOnly && record.source !== "client") throw new CoreError("notCancellable");
    return record;
  };

  return {
    async cancelWithdrawal(memberId: MemberId, tradeId: string): Promise<number> {
      const record = await ownWithdrawal(memberId, tradeId, true);
      const link = await accounts.require(memberId);
      const result = await client.cancelWithdraw(accounts.identity(link), tradeId);
      if (result.cancelled > 0) return result.cancelled;
      if (result.items.some((i) => i.reason === "TRADE_CANCEL_TOO_SOON"))
        throw cancelTooSoon(record.createdAt, deps.now());
      throw new CoreError("notCancellable");
    },

    async cancelItem(memberId: MemberId, tradeId: string, itemId: string): Promise<void> {
      await ownWithdrawal(memberId, tradeId, false);
      const link = await accounts.require(memberId);
      try {
        await client.cancelWithdrawItem(accounts.identity(link), tradeId, itemId);
      } catch (err) {
        if (err instanceof AssetPayError && CANCEL_ERRORS[err.key]) {
          throw new CoreError(CANCEL_ERRORS[err.key] as CoreError["key"], { minutes: CANCEL_AFTER_MINUTES });
        }
        throw err;
      }
    },
  };
}
