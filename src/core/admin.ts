/**
 * Moderator operations: look a member up, adjust a balance with a reason (journaled with the
 * actor), pause deposits or withdrawals, lock or unlock a member. Who counts as an admin is
 * decided by the platform adapter (roles, configured ids); every operation here records it.
 */
import { randomUUID } from "node:crypto";
import type { WalletBalance } from "../assetpay/client.ts";
import type { Cents } from "../base/money.ts";
import type { Accounts, SteamLink } from "./accounts.ts";
import { CoreError } from "./errors.ts";
import type { Identities } from "./identities.ts";
import type { Balance, Ledger, LedgerEntry, LedgerTotals, MemberId } from "./ledger.ts";
import type { MemberProfile, Members } from "./members.ts";
import type { Switches, SwitchName, SwitchState } from "./switches.ts";
import type { TradeRecord, TradeRecords } from "./trade-records.ts";

export interface MemberReport {
  memberId: MemberId;
  profile: MemberProfile;
  link?: SteamLink;
  balance: Balance;
  journal: LedgerEntry[];
  trades: TradeRecord[];
}

export interface Admin {
  lookup(memberId: MemberId): Promise<MemberReport>;
  /**
   * `requestId` makes the adjustment idempotent per admin action (an interaction id), so a
   * retried or double-submitted command adjusts once.
   */
  adjust(input: {
    actor: string;
    memberId: MemberId;
    amountCents: Cents;
    reason: string;
    requestId?: string;
  }): Promise<{
    applied: boolean;
    balance: Balance;
  }>;
  setPaused(name: SwitchName, paused: boolean, actor: string): Promise<SwitchState>;
  switches(): Promise<Record<SwitchName, SwitchState>>;
  lock(memberId: MemberId, reason: string, actor: string): Promise<MemberProfile>;
  unlock(memberId: MemberId, actor: string): Promise<MemberProfile>;
  liabilities(): Promise<LedgerTotals>;
  /** The merchant wallet (what giveaways are paid from), or undefined when AssetPay can't say now. */
  wallet(): Promise<WalletBalance | undefined>;
}

export function createAdmin(deps: {
  ledger: Ledger;
  members: Members;
  accounts: Accounts;
  records: TradeRecords;
  switches: Switches;
  /** Resolves a chat identity to the wallet it joined, so a lock or lookup reaches the whole person. */
  identities?: Pick<Identities, "resolve">;
  /** AssetPay's merchant wallet balance; a failure is logged by the caller and answered undefined. */
  merchantWallet?: () => Promise<WalletBalance | undefined>;
  now?: () => Date;
}): Admin {
  const { ledger, members, accounts, records, switches } = deps;
  const wallet = (memberId: MemberId) => deps.identities?.resolve(memberId) ?? Promise.resolve(memberId);
  const now = deps.now ?? (() => new Date());
  return {
    async lookup(chatId) {
      const memberId = await wallet(chatId);
      const [profile, link, balance, journal, trades] = await Promise.all([
        members.get(memberId),
        accounts.get(memberId),
        ledger.balance(memberId),
        ledger.journal(memberId, { limit: 10 }),
        records.ofMember(memberId, 10),
      ]);
      return { memberId, profile, ...(link ? { link } : {}), balance, journal, trades };
    },
    async adjust({ actor, memberId: chatId, amountCents, reason, requestId }) {
      const memberId = await wallet(chatId);
      if (!Number.isSafeInteger(amountCents) || amountCents === 0) throw new CoreError("amountInvalid");
      const why = reason.trim();
      if (why.length < 3) throw new CoreError("reasonRequired");
      const r = await ledger.adjust({
        key: `admin:${actor}:${requestId ?? randomUUID()}`,
        memberId,
        amountCents,
        reason: why.slice(0, 200),
        actor,
        allowNegative: false,
      });
      if (!r.applied && r.refused === "insufficient") {
        throw new CoreError("insufficientBalance", {
          needed: -amountCents,
          available: r.balance.availableCents,
        });
      }
      return { applied: r.applied, balance: r.balance };
    },
    setPaused(name, paused, actor) {
      return switches.set(name, paused, actor);
    },
    switches() {
      return switches.all();
    },
    async lock(chatId, reason, actor) {
      const memberId = await wallet(chatId);
      // The flag's own key, written blind: no read-modify-write another writer could undo.
      const locked = { reason: reason.trim() || "locked by an admin", by: actor, at: now().toISOString() };
      await members.setFlag(memberId, "locked", locked);
      // The lock also holds the member's Steam account, so it cannot be relinked from elsewhere.
      const link = await accounts.get(memberId);
      if (link) await accounts.lockSteam(link.steamId, { ...locked, memberId });
      return members.get(memberId);
    },
    async unlock(chatId, _actor) {
      const memberId = await wallet(chatId);
      // Unlocking also lifts the automatic withdrawal lock a negative balance set.
      await Promise.all([
        members.clearFlag(memberId, "locked"),
        members.clearFlag(memberId, "withdrawalsLocked"),
      ]);
      const link = await accounts.get(memberId);
      if (link && (await accounts.steamLock(link.steamId))?.memberId === memberId)
        await accounts.unlockSteam(link.steamId);
      return members.get(memberId);
    },
    wallet() {
      return deps.merchantWallet ? deps.merchantWallet() : Promise.resolve(undefined);
    },
    liabilities() {
      return ledger.totals();
    },
  };
}
