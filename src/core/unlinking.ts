/**
 * Unlinking a Steam account, with the rules that keep it from shedding anything: a locked member
 * keeps the account they were locked with (unlinking and relinking it elsewhere would drop the
 * lock), and nobody unlinks while a trade of theirs is still in flight, since AssetPay may still
 * deliver or revert it to that account.
 */
import type { Accounts, SteamLink } from "./accounts.ts";
import { CoreError } from "./errors.ts";
import type { MemberId } from "./ledger.ts";
import type { Members } from "./members.ts";
import { isInFlight, type TradeRecords } from "./trade-records.ts";

export type UnlinkOutcome = { kind: "unlinked"; link: SteamLink } | { kind: "tradesInFlight" };

export interface Unlinking {
  /** Removes the member's link, or says a trade is in flight; `unlinkLocked`, `notLinked` refusals. */
  unlink(memberId: MemberId): Promise<UnlinkOutcome>;
}

/** How far back a member's trades are read for one still in flight (newest first). */
const TRADES_CHECKED = 1000;

export function createUnlinking(deps: {
  accounts: Pick<Accounts, "unlink">;
  members: Pick<Members, "get">;
  records: Pick<TradeRecords, "ofMember">;
}): Unlinking {
  const { accounts, members, records } = deps;
  return {
    async unlink(memberId) {
      if ((await members.get(memberId)).locked) throw new CoreError("unlinkLocked");
      // Every trade, not only the latest few: an old one may still be in flight behind newer ones.
      const trades = await records.ofMember(memberId, TRADES_CHECKED);
      if (trades.some(isInFlight)) return { kind: "tradesInFlight" };
      const removed = await accounts.unlink(memberId);
      if (!removed) throw new CoreError("notLinked");
      return { kind: "unlinked", link: removed };
    },
  };
}
