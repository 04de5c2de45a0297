/**
 * The member-facing trade flows: open a picker (deposit inventory or withdraw listings), act on
 * it (page, toggle, multi-select, refresh, cancel), confirm it into an AssetPay trade, cancel a
 * slow withdrawal. Moderators' community trades live in `trading/self-trades.ts`, how an item
 * is priced in `trading/entries.ts`, how a trade is started in `trading/start-trade.ts`.
 *
 * Confirming is guarded twice: a lease lock on the session makes a double click start one trade,
 * and the session's state (`open → confirming → done`) makes a late second press a polite no-op.
 * The trade record is written before AssetPay is called, keyed by our externalId, because the
 * approval callback for a withdrawal can arrive before the POST returns.
 */
import type { Logger } from "pino";
import type { AssetPayClient } from "../assetpay/client.ts";
import { AssetPayError, isAssetPayError } from "../assetpay/errors.ts";
import { type GameId, isTerminal, type Trade } from "../assetpay/schemas.ts";
import type { Accounts } from "./accounts.ts";
import { CoreError } from "./errors.ts";
import type { Ledger, MemberId } from "./ledger.ts";
import type { Locks } from "./locks.ts";
import type { MarketSearch } from "./market-search.ts";
import type { Members } from "./members.ts";
import {
  goToPage,
  type PickerKind,
  type PickerSession,
  type Pickers,
  refreshEntries,
  selectedEntries,
  selectedTotal,
  selectOnPage,
  setQuantity,
  toggle,
} from "./picker.ts";
import type { Switches } from "./switches.ts";
import { newExternalId, type TradeRecord, type TradeRecords } from "./trade-records.ts";
import { basketItems, byValue, depositEntry } from "./trading/entries.ts";
import { createSelfTrades } from "./trading/self-trades.ts";
import { type StartedTrade, startTrade } from "./trading/start-trade.ts";

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

export type PickerAction =
  | { kind: "page"; page: number }
  | { kind: "toggle"; index: number }
  | { kind: "quantity"; index: number; amount: number }
  | { kind: "select"; ids: string[] }
  | { kind: "refresh" }
  | { kind: "cancel" };

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

const CANCEL_ERRORS: Record<string, CoreError["key"]> = {
  TRADE_CANCEL_TOO_SOON: "cancelTooSoon",
  TRADE_NOT_CANCELLABLE: "notCancellable",
  TRADE_CANCEL_UNSUPPORTED: "notCancellable",
};

export function createTrading(deps: TradingDeps): Trading {
  const { client, accounts, members, pickers, records, locks, ledger, switches, logger } = deps;
  const now = deps.now ?? (() => new Date());
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
    ...(deps.autoCancelMinutes !== undefined ? { autoCancelMinutes: deps.autoCancelMinutes } : {}),
  });

  const guard = async (memberId: MemberId, kind: PickerKind) => {
    if (await switches.isPaused(kind === "deposit" ? "deposits" : "withdrawals")) {
      throw new CoreError(kind === "deposit" ? "depositsPaused" : "withdrawalsPaused");
    }
    const profile = await members.get(memberId);
    if (profile.locked) throw new CoreError("memberLocked");
    if (kind === "withdraw" && profile.withdrawalsLocked) throw new CoreError("withdrawalsLockedNegative");
  };

  const loadInventory = async (memberId: MemberId, game: GameId, refresh: boolean) => {
    const link = await accounts.require(memberId);
    const page = await client.inventory(accounts.identity(link), { game, refresh, limit: -1 });
    return page.items.map((item) => depositEntry(item, deps.feeBps)).sort(byValue);
  };

  const loadListings = (memberId: MemberId, game: GameId, catalogId: string) =>
    deps.market.listings(memberId, game, catalogId, "member");

  const refreshQuotes = async (s: PickerSession) => {
    const entries = s.self
      ? await self.entries(s)
      : s.kind === "deposit"
        ? await loadInventory(s.owner, s.game as GameId, true)
        : await loadListings(s.owner, s.game as GameId, s.catalog?.id ?? "");
    refreshEntries(s, entries);
  };

  /** Starts the AssetPay trade for a member's confirmed picker. */
  const start = async (
    s: PickerSession,
    memberId: MemberId,
    startedBy?: MemberId,
  ): Promise<ConfirmResult> => {
    const chosen = selectedEntries(s);
    if (chosen.length === 0) throw new CoreError("nothingSelected");
    if (s.self) return self.start(s, memberId, chosen, startedBy);
    await guard(memberId, s.kind);
    const link = await accounts.require(memberId);
    const identity = accounts.identity(link);
    const total = selectedTotal(s);
    if (s.kind === "withdraw") {
      // A friendly early answer; the approval callback does the authoritative atomic hold.
      const balance = await ledger.balance(memberId);
      if (balance.availableCents < total) {
        throw new CoreError("insufficientBalance", { needed: total, available: balance.availableCents });
      }
    }
    const record: TradeRecord = {
      externalId: newExternalId(s.kind),
      kind: s.kind,
      source: "client",
      memberId,
      game: s.game,
      items: basketItems(chosen),
      totalCents: total,
      instant: s.kind === "deposit" && deps.instantCredit,
      createdAt: now().toISOString(),
      phase: "started",
      ...(startedBy !== undefined ? { startedBy } : {}),
    };
    return begin(s, record, (externalId) =>
      s.kind === "deposit"
        ? client.deposit(identity, {
            items: chosen.map((e) => ({
              itemId: e.id,
              priceCents: e.quotedCents,
              ...(e.amount > 1 ? { amount: e.amount } : {}),
            })),
            game: s.game as GameId,
            externalId,
            isInstant: record.instant,
          })
        : client.withdraw(identity, {
            items: chosen.map((e) => ({ itemId: e.id, priceCents: e.quotedCents })),
            game: s.game as GameId,
            externalId,
            ...(deps.autoCancelMinutes !== undefined ? { autoCancel: deps.autoCancelMinutes } : {}),
          }),
    );
  };

  /** A member's own client withdrawal, or a refusal. */
  const ownWithdrawal = async (memberId: MemberId, tradeId: string, clientOnly: boolean) => {
    const record = await records.byTradeId(tradeId);
    if (!record || record.memberId !== memberId || record.kind !== "withdraw")
      throw new CoreError("notCancellable");
    if (clientOnly && record.source !== "client") throw new CoreError("notCancellable");
    return record;
  };

  return {
    async openDeposit(memberId, { game, pageSize }) {
      await guard(memberId, "deposit");
      const entries = await loadInventory(memberId, game, false);
      return pickers.create({ owner: memberId, kind: "deposit", game, entries, pageSize });
    },

    async openWithdraw(memberId, opts) {
      await guard(memberId, "withdraw");
      const entries = await loadListings(memberId, opts.game, opts.catalogId);
      const name = opts.name || entries[0]?.name || "";
      return pickers.create({
        owner: memberId,
        kind: "withdraw",
        game: opts.game,
        entries,
        pageSize: opts.pageSize,
        catalog: { id: opts.catalogId, name },
      });
    },

    load(memberId, sessionId) {
      return pickers.load(sessionId, memberId);
    },

    async act(memberId, sessionId, action) {
      const s = await pickers.load(sessionId, memberId);
      if (s.state === "done" || s.state === "confirming") throw new CoreError("alreadyConfirmed");
      if (s.state === "cancelled") throw new CoreError("pickerExpired");
      delete s.notice;
      switch (action.kind) {
        case "page":
          goToPage(s, action.page);
          break;
        case "toggle":
          toggle(s, action.index);
          break;
        case "quantity":
          setQuantity(s, action.index, action.amount);
          break;
        case "select":
          selectOnPage(s, action.ids);
          break;
        case "refresh":
          await refreshQuotes(s);
          break;
        case "cancel":
          s.state = "cancelled";
          break;
      }
      await pickers.save(s);
      return s;
    },

    async confirm(memberId, sessionId, startedBy) {
      // The lock turns a double click into one trade quickly; the session's state is what
      // refuses a late second press (`confirming`/`done`).
      const release = await locks.tryAcquire(`confirm:${sessionId}`, 150_000);
      if (!release) throw new CoreError("tradeInProgress");
      try {
        const s = await pickers.load(sessionId, memberId);
        if (s.state === "done" || s.state === "confirming") throw new CoreError("alreadyConfirmed");
        if (s.state === "cancelled") throw new CoreError("pickerExpired");
        s.state = "confirming";
        delete s.notice;
        await pickers.save(s);
        try {
          const result = await start(s, memberId, startedBy);
          s.state = "done";
          await pickers.save(s);
          return result;
        } catch (err) {
          s.state = "open";
          // PRICE_CHANGED: fresh quotes, same selection where still offered; the member confirms again.
          if (isAssetPayError(err) && err.key === "PRICE_CHANGED") await refreshQuotes(s);
          await pickers.save(s);
          throw err;
        }
      } finally {
        await release();
      }
    },

    async withLiveStatus(recent) {
      const live = recent.filter((r) => r.tradeId && (!r.status || !isTerminal(r.status)));
      if (live.length === 0) return recent;
      try {
        const fresh = await client.getTrades(live.map((r) => r.tradeId as string));
        for (const t of fresh) {
          const r = recent.find((x) => x.tradeId === t.id);
          if (r) r.status = t.status;
        }
      } catch (err) {
        logger.debug({ err }, "live trade lookup failed");
      }
      return recent;
    },

    openGiveaway: (adminId, opts) => self.openGiveaway(adminId, opts),
    openLiquidation: (adminId, opts) => self.openLiquidation(adminId, opts),
    cancelSelfItem: (_adminId, tradeRef, itemId) => self.cancelItem(tradeRef, itemId),

    async cancelWithdrawal(memberId, tradeId) {
      const record = await ownWithdrawal(memberId, tradeId, true);
      const link = await accounts.require(memberId);
      const result = await client.cancelWithdraw(accounts.identity(link), tradeId);
      if (result.cancelled > 0) return result.cancelled;
      if (result.items.some((i) => i.reason === "TRADE_CANCEL_TOO_SOON")) {
        const ageMinutes = (now().getTime() - Date.parse(record.createdAt)) / 60_000;
        throw new CoreError("cancelTooSoon", { minutes: Math.max(1, Math.ceil(30 - ageMinutes)) });
      }
      throw new CoreError("notCancellable");
    },

    async cancelItem(memberId, tradeId, itemId) {
      await ownWithdrawal(memberId, tradeId, false);
      const link = await accounts.require(memberId);
      try {
        await client.cancelWithdrawItem(accounts.identity(link), tradeId, itemId);
      } catch (err) {
        if (err instanceof AssetPayError && CANCEL_ERRORS[err.key]) {
          throw new CoreError(CANCEL_ERRORS[err.key] as CoreError["key"], { minutes: 30 });
        }
        throw err;
      }
    },
  };
}
