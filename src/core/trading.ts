/**
 * The trade flows behind the chat commands, composed from one file per idea under `trading/`:
 * a member's pickers (`member-pickers.ts`) and the trade their confirm starts
 * (`member-trade.ts`), acting on and confirming any picker (`picker-flow.ts`), cancelling a
 * slow withdrawal (`withdrawal-cancel.ts`), moderators' community trades (`self-trades.ts`),
 * how an item is priced (`entries.ts`) and how every trade is started (`start-trade.ts`).
 *
 * The trade record is written before AssetPay is called, keyed by our externalId, because the
 * approval callback for a withdrawal can arrive before the POST returns (see start-trade.ts).
 */
import type { Logger } from "pino";
import type { AssetPayClient } from "../assetpay/client.ts";
import type { GameId, Trade } from "../assetpay/schemas.ts";
import type { Accounts } from "./accounts.ts";
import type { Ledger, MemberId } from "./ledger.ts";
import type { Locks } from "./locks.ts";
import type { MarketSearch } from "./market-search.ts";
import type { Members } from "./members.ts";
import type { PickerSession, Pickers } from "./picker.ts";
import type { Switches } from "./switches.ts";
import type { TradeRecord, TradeRecords } from "./trade-records.ts";
import { withLiveStatus } from "./trading/live-status.ts";
import { createMemberPickers } from "./trading/member-pickers.ts";
import { startMemberTrade } from "./trading/member-trade.ts";
import { createPickerFlow, type PickerAction } from "./trading/picker-flow.ts";
import { createSelfTrades } from "./trading/self-trades.ts";
import { type StartedTrade, startTrade } from "./trading/start-trade.ts";
import { createWithdrawalCancel } from "./trading/withdrawal-cancel.ts";

export type { PickerAction } from "./trading/picker-flow.ts";

export interface TradingDeps {
  client: AssetPayClient;
  accounts: Accounts;
  /** Where a withdrawal's listings come from (both games). */
  market: MarketSearch;
  members: Members;
  pickers: Pickers;
  records: TradeRecords;
  locks: Locks;
  ledger: Ledger;
  switches: Switches;
  logger: Logger;
  feeBps: number;
  instantCredit: boolean;
  autoCancelMinutes?: number;
  now?: () => Date;
}

export type ConfirmResult = StartedTrade;

export interface Trading {
  openDeposit(memberId: MemberId, opts: { game: GameId; pageSize: number }): Promise<PickerSession>;
  openWithdraw(
    memberId: MemberId,
    opts: { catalogId: string; name?: string; game: GameId; pageSize: number },
  ): Promise<PickerSession>;
  act(memberId: MemberId, sessionId: string, action: PickerAction): Promise<PickerSession>;
  /** `startedBy`: the chat identity that pressed confirm (its notices go there by default). */
  confirm(memberId: MemberId, sessionId: string, startedBy?: MemberId): Promise<ConfirmResult>;
  /** Cancel one undelivered withdrawal item (AssetPay's 30-minute rule applies). */
  cancelItem(memberId: MemberId, tradeId: string, itemId: string): Promise<void>;
  /**
   * Cancel every still-undelivered item of a member's withdrawal. Resolves with how many AssetPay
   * accepted; the refunds arrive by callback. Refused (too soon, nothing cancellable) as CoreError.
   */
  cancelWithdrawal(memberId: MemberId, tradeId: string): Promise<number>;
  /** Admin: a listing picker whose confirm buys with the merchant wallet and delivers to `recipient`. */
  openGiveaway(
    adminId: MemberId,
    opts: { recipient: MemberId; catalogId: string; name?: string; game: GameId; pageSize: number },
  ): Promise<PickerSession>;
  /** Admin: an inventory picker over any trade URL whose confirm sells to AssetPay for wallet credit. */
  openLiquidation(
    adminId: MemberId,
    opts: { tradeUrl: string; game: GameId; pageSize: number },
  ): Promise<PickerSession>;
  /** Admin: cancel an undelivered giveaway item (merchant route; AssetPay's refusals pass through). */
  cancelSelfItem(adminId: MemberId, tradeRef: string, itemId: string): Promise<void>;
  load(memberId: MemberId, sessionId: string): Promise<PickerSession>;
  /** The baskets with AssetPay's current status for those still moving (a failed lookup keeps the last known). */
  withLiveStatus(records: TradeRecord[]): Promise<TradeRecord[]>;
}

export function createTrading(deps: TradingDeps): Trading {
  const { client, accounts, pickers, records, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const autoCancel =
    deps.autoCancelMinutes !== undefined ? { autoCancelMinutes: deps.autoCancelMinutes } : {};
  const begin = (s: PickerSession, record: TradeRecord, call: (externalId: string) => Promise<Trade>) =>
    startTrade({ records, logger, now }, s, record, call);
  const self = createSelfTrades({
    client,
    accounts,
    market: deps.market,
    pickers,
    records,
    now,
    start: begin,
    ...autoCancel,
  });
  const member = createMemberPickers(deps);
  const memberTrade = { ...deps, now, start: begin };
  const flow = createPickerFlow({
    pickers,
    locks: deps.locks,
    quotes: (s) => (s.self ? self.entries(s) : member.quotes(s)),
    start: (s, memberId, chosen, startedBy) =>
      s.self
        ? self.start(s, memberId, chosen, startedBy)
        : startMemberTrade(memberTrade, s, memberId, chosen, startedBy),
  });
  const cancels = createWithdrawalCancel({ client, accounts, records, now });

  return {
    openDeposit: member.openDeposit,
    openWithdraw: member.openWithdraw,

    load(memberId, sessionId) {
      return pickers.load(sessionId, memberId);
    },

    act: flow.act,
    confirm: flow.confirm,
    withLiveStatus: (recent) => withLiveStatus({ client, logger }, recent),

    openGiveaway: (adminId, opts) => self.openGiveaway(adminId, opts),
    openLiquidation: (adminId, opts) => self.openLiquidation(adminId, opts),
    cancelSelfItem: (_adminId, tradeRef, itemId) => self.cancelItem(tradeRef, itemId),

    cancelWithdrawal: cancels.cancelWithdrawal,
    cancelItem: cancels.cancelItem,
  };
}
