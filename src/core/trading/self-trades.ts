/**
 * Moderators trading on the community's account: a giveaway buys a market listing with the
 * merchant wallet and delivers it to a member; a liquidation sells skins from any trade URL
 * (a storage account) into the wallet. Priced at AssetPay's own prices (no community fee), and
 * never touching a member's balance.
 */
import type { AssetPayClient } from "../../assetpay/client.ts";
import { isAssetPayError } from "../../assetpay/errors.ts";
import type { GameId } from "../../assetpay/schemas.ts";
import type { Accounts } from "../accounts.ts";
import { CoreError, isCoreError } from "../errors.ts";
import type { MemberId } from "../ledger.ts";
import type { MarketSearch } from "../market-search.ts";
import { type PickerEntry, type PickerSession, type Pickers, selectedTotal } from "../picker.ts";
import { parseTradeUrl } from "../steam.ts";
import { newExternalId, type TradeRecord, type TradeRecords } from "../trade-records.ts";
import { basketItems, byValue, depositEntry, depositItems, listingItems } from "./entries.ts";
import type { StartedTrade, StartTrade } from "./start-trade.ts";
import { cancelTooSoon } from "./withdrawal-cancel.ts";

export interface SelfTradeDeps {
  client: AssetPayClient;
  accounts: Accounts;
  market: MarketSearch;
  pickers: Pickers;
  records: TradeRecords;
  autoCancelMinutes?: number;
  now: () => Date;
  start: StartTrade;
}

export function createSelfTrades(deps: SelfTradeDeps) {
  const { client, accounts, market, pickers, records } = deps;

  const liquidationEntries = async (tradeUrl: string, game: GameId, refresh: boolean) => {
    const page = await client.secureInventory(tradeUrl, { game, refresh, limit: -1 });
    return page.items
      .map((item) => ({ ...depositEntry(item, 0), priceCents: item.priceCents ?? 0 }))
      .sort(byValue);
  };

  // A recipient without a Steam link is "unknown member" to the admin; anything else (the store
  // failing) stays what it is.
  const recipientLink = (recipient: MemberId) =>
    accounts.require(recipient).catch((err: unknown) => {
      throw isCoreError(err) && err.key === "notLinked" ? new CoreError("unknownMember") : err;
    });

  /** The listings at AssetPay's own prices, looked up with the recipient's token. */
  const giveawayEntries = async (recipient: MemberId, game: GameId, catalogId: string) => {
    await recipientLink(recipient);
    return market.listings(recipient, game, catalogId, "community");
  };

  return {
    /** Fresh quotes for an open self-trade picker. */
    entries(s: PickerSession): Promise<PickerEntry[]> {
      return s.self?.kind === "liquidate"
        ? liquidationEntries(s.self.tradeUrl, s.game as GameId, true)
        : giveawayEntries(s.self?.recipient ?? s.owner, s.game as GameId, s.catalog?.id ?? "");
    },

    async openGiveaway(
      adminId: MemberId,
      opts: { recipient: MemberId; catalogId: string; name?: string; game: GameId; pageSize: number },
    ): Promise<PickerSession> {
      const recipient = await recipientLink(opts.recipient);
      const entries = await giveawayEntries(opts.recipient, opts.game, opts.catalogId);
      return pickers.create({
        owner: adminId,
        kind: "withdraw",
        game: opts.game,
        entries,
        pageSize: opts.pageSize,
        catalog: { id: opts.catalogId, name: opts.name || entries[0]?.name || "" },
        self: { kind: "giveaway", recipient: opts.recipient, tradeUrl: recipient.tradeUrl },
      });
    },

    async openLiquidation(
      adminId: MemberId,
      opts: { tradeUrl: string; game: GameId; pageSize: number },
    ): Promise<PickerSession> {
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

    /** Starts the community trade a confirmed self-trade picker describes. */
    start(
      s: PickerSession,
      adminId: MemberId,
      chosen: PickerEntry[],
      startedBy?: MemberId,
    ): Promise<StartedTrade> {
      const target = s.self;
      if (!target) throw new CoreError("internal");
      const giveaway = target.kind === "giveaway";
      const record: TradeRecord = {
        externalId: newExternalId(giveaway ? "buy" : "sell"),
        kind: giveaway ? "withdraw" : "deposit",
        source: "self",
        memberId: adminId,
        actor: adminId,
        ...(giveaway ? { recipientId: target.recipient } : {}),
        ...(startedBy !== undefined ? { startedBy } : {}),
        game: s.game,
        items: basketItems(chosen),
        totalCents: selectedTotal(s),
        instant: !giveaway,
        createdAt: deps.now().toISOString(),
        phase: "started",
      };
      return deps.start(s, record, (externalId) =>
        giveaway
          ? client.buy({
              tradeUrl: target.tradeUrl,
              items: listingItems(chosen),
              game: s.game as GameId,
              externalId,
              ...(deps.autoCancelMinutes !== undefined ? { autoCancel: deps.autoCancelMinutes } : {}),
            })
          : client.sell({
              tradeUrl: target.tradeUrl,
              items: depositItems(chosen),
              game: s.game as GameId,
              externalId,
              // Explicitly: the contract's default is false, the docs' true.
              isInstant: true,
            }),
      );
    },

    /** Cancels an undelivered giveaway item (AssetPay's refusals pass through as they are). */
    async cancelItem(tradeRef: string, itemId: string): Promise<void> {
      const record = (await records.byTradeId(tradeRef)) ?? (await records.byExternalId(tradeRef));
      if (record && (record.source !== "self" || record.kind !== "withdraw"))
        throw new CoreError("notCancellable");
      try {
        await client.cancelBuyItem(record?.tradeId ?? tradeRef, itemId);
      } catch (err) {
        // AssetPay's 30-minute rule, told with the minutes left (on the injected clock).
        if (record && isAssetPayError(err) && err.key === "TRADE_CANCEL_TOO_SOON")
          throw cancelTooSoon(record.createdAt, deps.now());
        throw err;
      }
    },
  };
}
