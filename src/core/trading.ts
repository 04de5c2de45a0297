/**
 * The member-facing trade flows: open a picker (deposit inventory or withdraw listings), act on
 * it (page, toggle, multi-select, refresh, cancel), confirm it into an AssetPay trade.
 *
 * Confirming is guarded twice: a lease lock on the session makes a double click start one trade,
 * and the session's state (`open → confirming → done`) makes a late second press a polite no-op.
 * The trade record is written before AssetPay is called, keyed by our externalId, because the
 * approval callback for a withdrawal can arrive before the POST returns.
 */
import type { Logger } from "pino";
import type { AssetPayClient } from "../assetpay/client.ts";
import { AssetPayError, isAssetPayError, tradeCreated } from "../assetpay/errors.ts";
import type { GameId, Item, Trade } from "../assetpay/schemas.ts";
import type { Locks } from "../store/locks.ts";
import type { TradeIndex } from "../store/trade-index.ts";
import type { Accounts } from "./accounts.ts";
import { CoreError } from "./errors.ts";
import type { Ledger, MemberId } from "./ledger.ts";
import type { Members } from "./members.ts";
import { applyBps } from "./money.ts";
import {
  goToPage,
  type PickerEntry,
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
import { parseTradeUrl } from "./steam.ts";
import type { Switches } from "./switches.ts";
import { newExternalId, type TradeRecord, type TradeRecords } from "./trade-records.ts";

export interface TradingDeps {
  client: AssetPayClient;
  accounts: Accounts;
  members: Members;
  pickers: Pickers;
  records: TradeRecords;
  index: TradeIndex;
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

export interface ConfirmResult {
  session: PickerSession;
  record: TradeRecord;
  /** The trade AssetPay created; absent when the outcome is still being checked. */
  trade?: Trade;
  /** The POST's outcome is unknown: the reconciler will find out, the member is told so. */
  pending?: boolean;
}

export interface Trading {
  openDeposit(memberId: MemberId, opts: { game: GameId; pageSize: number }): Promise<PickerSession>;
  searchMarket(memberId: MemberId, query: string): Promise<{ id: string; name: string }[]>;
  openWithdraw(
    memberId: MemberId,
    opts: { catalogId?: string; marketHashName?: string; name?: string; game: GameId; pageSize: number },
  ): Promise<PickerSession>;
  act(memberId: MemberId, sessionId: string, action: PickerAction): Promise<PickerSession>;
  confirm(memberId: MemberId, sessionId: string): Promise<ConfirmResult>;
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
}

const CANCEL_ERRORS: Record<string, CoreError["key"]> = {
  TRADE_CANCEL_TOO_SOON: "cancelTooSoon",
  TRADE_NOT_CANCELLABLE: "notCancellable",
  TRADE_CANCEL_UNSUPPORTED: "notCancellable",
};

export function createTrading(deps: TradingDeps): Trading {
  const { client, accounts, members, pickers, records, index, locks, ledger, switches, logger } = deps;
  const now = deps.now ?? (() => new Date());

  const guard = async (memberId: MemberId, kind: PickerKind) => {
    if (await switches.isPaused(kind === "deposit" ? "deposits" : "withdrawals")) {
      throw new CoreError(kind === "deposit" ? "depositsPaused" : "withdrawalsPaused");
    }
    const profile = await members.get(memberId);
    if (profile.locked) throw new CoreError("memberLocked");
    if (kind === "withdraw" && profile.withdrawalsLocked) throw new CoreError("withdrawalsLockedNegative");
  };

  const depositEntry = (item: Item): PickerEntry => {
    const quoted = item.priceCents ?? 0;
    const entry: PickerEntry = {
      id: item.id,
      name: item.name,
      priceCents: applyBps(quoted, -deps.feeBps),
      quotedCents: quoted,
      amount: item.amount || 1,
      selectable: item.tradable && item.accepted !== false && quoted > 0,
    };
    if (item.wear !== undefined) entry.wear = item.wear;
    if (item.exterior !== undefined) entry.exterior = item.exterior;
    if (item.phase !== undefined) entry.phase = item.phase;
    if (item.stickers?.length) entry.stickers = item.stickers;
    return entry;
  };

  const listingEntry = (item: Item): PickerEntry => {
    const quoted = item.priceCents ?? 0;
    const entry: PickerEntry = {
      id: item.id,
      name: item.name,
      priceCents: applyBps(quoted, deps.feeBps),
      quotedCents: quoted,
      amount: 1,
      selectable: quoted > 0,
    };
    if (item.wear !== undefined) entry.wear = item.wear;
    if (item.exterior !== undefined) entry.exterior = item.exterior;
    if (item.phase !== undefined) entry.phase = item.phase;
    if (item.delivery !== undefined) entry.delivery = item.delivery;
    if (item.stickers?.length) entry.stickers = item.stickers;
    return entry;
  };

  const byValue = (a: PickerEntry, b: PickerEntry) =>
    Number(b.selectable) - Number(a.selectable) ||
    b.priceCents - a.priceCents ||
    a.name.localeCompare(b.name);

  const loadInventory = async (memberId: MemberId, game: GameId, refresh: boolean) => {
    const link = await accounts.require(memberId);
    const page = await client.inventory(accounts.identity(link), { game, refresh, limit: -1 });
    return page.items.map(depositEntry).sort(byValue);
  };

  const loadListings = async (memberId: MemberId, catalog: { id?: string; marketHashName?: string }) => {
    const link = await accounts.require(memberId);
    const query =
      catalog.id !== undefined ? { itemId: catalog.id } : { marketHashName: catalog.marketHashName ?? "" };
    const items = await client.marketItem(accounts.identity(link), { ...query, perPage: 100 });
    return items
      .map(listingEntry)
      .sort((a, b) => a.priceCents - b.priceCents || a.name.localeCompare(b.name));
  };

  // Self-trades are priced at AssetPay's own prices: no community fee on the community's trades.
  const liquidationEntries = async (
    tradeUrl: string,
    game: GameId,
    refresh: boolean,
  ): Promise<PickerEntry[]> => {
    const page = await client.secureInventory(tradeUrl, { game, refresh, limit: -1 });
    return page.items
      .map((item) => ({ ...depositEntry(item), priceCents: item.priceCents ?? 0 }))
      .sort(byValue);
  };

  const giveawayEntries = async (recipient: MemberId, catalogId: string): Promise<PickerEntry[]> => {
    const link = await accounts.require(recipient).catch(() => {
      throw new CoreError("unknownMember");
    });
    const listings = await client.marketItem(accounts.identity(link), { itemId: catalogId, perPage: 100 });
    return listings
      .map((item) => ({ ...listingEntry(item), priceCents: item.priceCents ?? 0 }))
      .sort((a, b) => a.priceCents - b.priceCents || a.name.localeCompare(b.name));
  };

  const selfEntries = (s: PickerSession): Promise<PickerEntry[]> =>
    s.self?.kind === "liquidate"
      ? liquidationEntries(s.self.tradeUrl, s.game as GameId, true)
      : giveawayEntries(s.self?.recipient ?? s.owner, s.catalog?.id ?? "");

  const refreshQuotes = async (s: PickerSession) => {
    const entries = s.self
      ? await selfEntries(s)
      : s.kind === "deposit"
        ? await loadInventory(s.owner, s.game as GameId, true)
        : await loadListings(s.owner, { id: s.catalog?.id ?? "" });
    refreshEntries(s, entries);
  };

  /**
   * The one way a trade is started: the record (keyed by our externalId) is written and indexed
   * before AssetPay is called — its approval callback may arrive before the POST returns — then
   * linked to AssetPay's trade id, or marked as never started when AssetPay refused it.
   */
  const startTrade = async (
    s: PickerSession,
    record: TradeRecord,
    call: (externalId: string) => Promise<Trade>,
  ): Promise<ConfirmResult> => {
    const { externalId } = record;
    await records.create(record);
    // Until AssetPay answers, the reconciler can resolve the trade by our externalId.
    await index.add(externalId);
    s.externalId = externalId;
    let trade: Trade;
    try {
      trade = await call(externalId);
    } catch (err) {
      if (isAssetPayError(err) && tradeCreated(err) === "unknown") {
        logger.warn({ externalId, key: err.key }, "trade outcome unknown; the reconciler will resolve it");
        return { session: s, record, pending: true };
      }
      const fresh = await records.byExternalId(externalId);
      if (fresh && fresh.phase === "started") {
        fresh.phase = "failed-to-start";
        await records.save(fresh);
      }
      await index.remove(externalId);
      throw err;
    }
    // The approval callback may already have linked and updated the record: reload it.
    const saved = (await records.byExternalId(externalId)) ?? record;
    saved.tradeId = trade.id;
    if (saved.phase === "started") saved.phase = "open";
    saved.status ??= trade.status;
    await records.save(saved);
    await records.link(saved, trade.id);
    for (const sibling of trade.relatedTrades ?? []) {
      await records.link(saved, sibling.id);
      await index.add(sibling.id);
    }
    await index.add(trade.id);
    await index.remove(externalId);
    s.tradeId = trade.id;
    return { session: s, record: saved, trade };
  };

  /** A community self-trade: paid from (or credited to) the merchant wallet, never a member balance. */
  const startSelf = async (
    s: PickerSession,
    adminId: MemberId,
    chosen: PickerEntry[],
  ): Promise<ConfirmResult> => {
    const target = s.self;
    if (!target) throw new CoreError("internal");
    const externalId = newExternalId(target.kind === "giveaway" ? "buy" : "sell");
    const record: TradeRecord = {
      externalId,
      kind: target.kind === "giveaway" ? "withdraw" : "deposit",
      source: "self",
      memberId: adminId,
      actor: adminId,
      ...(target.kind === "giveaway" ? { recipientId: target.recipient } : {}),
      game: s.game,
      items: chosen.map((e) => ({
        id: e.id,
        name: e.name,
        memberPriceCents: e.priceCents,
        quotedPriceCents: e.quotedCents,
        amount: e.amount,
      })),
      totalCents: selectedTotal(s),
      instant: target.kind === "liquidate",
      createdAt: now().toISOString(),
      phase: "started",
      effects: {},
    };
    return startTrade(s, record, (externalId) =>
      target.kind === "giveaway"
        ? client.buy({
            tradeUrl: target.tradeUrl,
            items: chosen.map((e) => ({ itemId: e.id, priceCents: e.quotedCents })),
            game: s.game as GameId,
            externalId,
            ...(deps.autoCancelMinutes !== undefined ? { autoCancel: deps.autoCancelMinutes } : {}),
          })
        : client.sell({
            tradeUrl: target.tradeUrl,
            items: chosen.map((e) => ({
              itemId: e.id,
              priceCents: e.quotedCents,
              ...(e.amount > 1 ? { amount: e.amount } : {}),
            })),
            game: s.game as GameId,
            externalId,
            // Explicitly: the contract's default is false, the docs' true.
            isInstant: true,
          }),
    );
  };

  /** Starts the AssetPay trade for a confirmed picker. */
  const start = async (s: PickerSession, memberId: MemberId): Promise<ConfirmResult> => {
    const chosen = selectedEntries(s);
    if (chosen.length === 0) throw new CoreError("nothingSelected");
    if (s.self) return startSelf(s, memberId, chosen);
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
    const externalId = newExternalId(s.kind);
    const record: TradeRecord = {
      externalId,
      kind: s.kind,
      source: "client",
      memberId,
      game: s.game,
      items: chosen.map((e) => ({
        id: e.id,
        name: e.name,
        memberPriceCents: e.priceCents,
        quotedPriceCents: e.quotedCents,
        amount: e.amount,
        ...(e.wear !== undefined ? { wear: e.wear } : {}),
      })),
      totalCents: total,
      instant: s.kind === "deposit" && deps.instantCredit,
      createdAt: now().toISOString(),
      phase: "started",
      effects: {},
    };
    return startTrade(s, record, (externalId) =>
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

  return {
    async openDeposit(memberId, { game, pageSize }) {
      await guard(memberId, "deposit");
      const entries = await loadInventory(memberId, game, false);
      return pickers.create({ owner: memberId, kind: "deposit", game, entries, pageSize });
    },

    async searchMarket(memberId, query) {
      const link = await accounts.require(memberId);
      const q = query.trim().slice(0, 100);
      if (q.length === 0) return [];
      const found = await client.suggestions(accounts.identity(link), q);
      return found.map((s) => ({ id: s.id, name: s.marketHashName }));
    },

    async openWithdraw(memberId, opts) {
      await guard(memberId, "withdraw");
      const entries = await loadListings(memberId, {
        ...(opts.catalogId !== undefined ? { id: opts.catalogId } : {}),
        ...(opts.marketHashName !== undefined ? { marketHashName: opts.marketHashName } : {}),
      });
      const name = opts.name ?? opts.marketHashName ?? entries[0]?.name ?? "";
      return pickers.create({
        owner: memberId,
        kind: "withdraw",
        game: opts.game,
        entries,
        pageSize: opts.pageSize,
        catalog: { id: opts.catalogId ?? "", name },
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

    async confirm(memberId, sessionId) {
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
          const result = await start(s, memberId);
          s.state = "done";
          await pickers.save(s);
          return result;
        } catch (err) {
          s.state = "open";
          if (isAssetPayError(err) && err.key === "PRICE_CHANGED") {
            // Fresh quotes, same selection where still offered; the member confirms again.
            await refreshQuotes(s);
            await pickers.save(s);
            throw err;
          }
          await pickers.save(s);
          throw err;
        }
      } finally {
        await release();
      }
    },

    async openGiveaway(adminId, opts) {
      const recipient = await accounts.require(opts.recipient).catch(() => {
        throw new CoreError("unknownMember");
      });
      const entries = await giveawayEntries(opts.recipient, opts.catalogId);
      return pickers.create({
        owner: adminId,
        kind: "withdraw",
        game: opts.game,
        entries,
        pageSize: opts.pageSize,
        catalog: { id: opts.catalogId, name: opts.name ?? entries[0]?.name ?? "" },
        self: { kind: "giveaway", recipient: opts.recipient, tradeUrl: recipient.tradeUrl },
      });
    },

    async openLiquidation(adminId, opts) {
      const parsed = parseTradeUrl(opts.tradeUrl);
      if (!parsed) throw new CoreError("invalidTradeUrl");
      return pickers.create({
        owner: adminId,
        kind: "deposit",
        game: opts.game,
        entries: await liquidationEntries(parsed.url, opts.game, false),
        pageSize: opts.pageSize,
        self: { kind: "liquidate", tradeUrl: parsed.url },
      });
    },

    async cancelSelfItem(adminId, tradeRef, itemId) {
      const record = (await records.byTradeId(tradeRef)) ?? (await records.byExternalId(tradeRef));
      if (record && (record.source !== "self" || record.kind !== "withdraw"))
        throw new CoreError("notCancellable");
      void adminId;
      // AssetPay decides (30 minutes, CS2, not terminal, ours); its refusal keys are explained as they are.
      await client.cancelBuyItem(record?.tradeId ?? tradeRef, itemId);
    },

    async cancelWithdrawal(memberId, tradeId) {
      const record = await records.byTradeId(tradeId);
      if (
        !record ||
        record.memberId !== memberId ||
        record.kind !== "withdraw" ||
        record.source !== "client"
      ) {
        throw new CoreError("notCancellable");
      }
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
      const record = await records.byTradeId(tradeId);
      if (!record || record.memberId !== memberId || record.kind !== "withdraw")
        throw new CoreError("notCancellable");
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
