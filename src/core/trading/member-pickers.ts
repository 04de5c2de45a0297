/**
 * A member's pickers: their Steam inventory to deposit from, or a catalog item's market listings
 * to withdraw, each priced with the community fee (see entries.ts). `quotes` reloads the same
 * source with AssetPay's cache bypassed, for the picker's refresh and after PRICE_CHANGED.
 */
import type { AssetPayClient } from "../../assetpay/client.ts";
import type { GameId } from "../../assetpay/schemas.ts";
import type { Accounts } from "../accounts.ts";
import type { MemberId } from "../ledger.ts";
import type { MarketSearch } from "../market-search.ts";
import type { Members } from "../members.ts";
import type { PickerEntry, PickerSession, Pickers } from "../picker.ts";
import type { Switches } from "../switches.ts";
import { byValue, depositEntry } from "./entries.ts";
import { requireMayTrade } from "./member-guard.ts";

export interface MemberPickerDeps {
  client: AssetPayClient;
  accounts: Accounts;
  /** Where a withdrawal's listings come from (both games). */
  market: MarketSearch;
  members: Members;
  pickers: Pickers;
  switches: Switches;
  feeBps: number;
}

export interface WithdrawPickerOptions {
  catalogId: string;
  name?: string;
  game: GameId;
  pageSize: number;
}

export function createMemberPickers(deps: MemberPickerDeps) {
  const { client, accounts, pickers } = deps;

  const loadInventory = async (memberId: MemberId, game: GameId, refresh: boolean) => {
    const link = await accounts.require(memberId);
    const page = await client.inventory(accounts.identity(link), { game, refresh, limit: -1 });
    return page.items.map((item) => depositEntry(item, deps.feeBps)).sort(byValue);
  };

  const loadListings = (memberId: MemberId, game: GameId, catalogId: string) =>
    deps.market.listings(memberId, game, catalogId, "member");

  return {
    async openDeposit(memberId: MemberId, opts: { game: GameId; pageSize: number }): Promise<PickerSession> {
      await requireMayTrade(deps, memberId, "deposit");
      const entries = await loadInventory(memberId, opts.game, false);
      return pickers.create({
        owner: memberId,
        kind: "deposit",
        game: opts.game,
        entries,
        pageSize: opts.pageSize,
      });
    },

    async openWithdraw(memberId: MemberId, opts: WithdrawPickerOptions): Promise<PickerSession> {
      await requireMayTrade(deps, memberId, "withdraw");
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

    /** Fresh quotes for an open member picker. */
    quotes(s: PickerSession): Promise<PickerEntry[]> {
      return s.kind === "deposit"
        ? loadInventory(s.owner, s.game as GameId, true)
        : loadListings(s.owner, s.game as GameId, s.catalog?.id ?? "");
    },
  };
}
