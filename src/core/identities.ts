/**
 * One person, several chat identities (Discord and Telegram): one wallet. The first identity's
 * id (`discord:123`) stays the wallet's id everywhere (balance, journal, trades, lock, Steam
 * link); each other identity is an alias of it, resolved where a chat identity becomes a
 * MemberId (commands/runtime's context, the admin operations). Nothing else needs to know.
 *
 * Joining moves what the joining identity already holds into the wallet with the ledger's
 * `transfer` (one atomic step, one journal entry on each side), and is refused while that
 * identity has a trade in flight (its settlement would land in the old wallet). The alias is
 * written first, set-if-absent, so a join interrupted halfway is finished by running it again.
 * Splitting an alias off again is a moderator's action; the money stays in the wallet.
 */
import { randomInt } from "node:crypto";
import { CoreError } from "./errors.ts";
import type { AtomicKV, KV } from "./kv.ts";
import type { Ledger, MemberId } from "./ledger.ts";
import type { Members } from "./members.ts";
import { isInFlight, type TradeRecords } from "./trade-records.ts";

export interface Identities {
  /** The wallet a chat identity acts for: the wallet it joined, or itself. */
  resolve(chatId: MemberId): Promise<MemberId>;
  /** Makes `chatId` an identity of `walletId`'s wallet; answers the wallet and the cents moved. */
  join(
    chatId: MemberId,
    walletId: MemberId,
    actor: string,
  ): Promise<{ wallet: MemberId; movedCents: number }>;
  /** Moderator: `chatId` is its own member again (with an empty wallet of its own). */
  split(chatId: MemberId): Promise<boolean>;
  /**
   * Remembers which identity of a shared wallet the person used last (`wallet` is what
   * `resolve(chatId)` answered); a wallet nobody joined writes nothing.
   */
  noteUse(chatId: MemberId, wallet: MemberId): Promise<void>;
  /** Where a notice for `walletId` goes: the identity its person used last, else the wallet's own. */
  recipientFor(walletId: MemberId): Promise<MemberId>;
  /** Every chat identity still using `walletId`'s wallet, the wallet's own first (one per platform). */
  identitiesOf(walletId: MemberId): Promise<MemberId[]>;
  /**
   * True when this chat identity is a wallet no other identity has joined (most members): one
   * read instead of resolving and listing, for the notice router's common case.
   */
  standsAlone(chatId: MemberId): Promise<boolean>;
  /** The person chose `chatId` (an identity of `wallet`) for all their notices; `undefined`: where each trade started. */
  chooseForNotices(chatId: MemberId | undefined, wallet: MemberId): Promise<void>;
  /** The identity chosen with `chooseForNotices`, while it still uses this wallet. */
  chosenForNotices(walletId: MemberId): Promise<MemberId | undefined>;
  /** A one-time code, valid 10 minutes, that joins the identity entering it to this wallet. */
  issueCode(walletId: MemberId): Promise<string>;
  /** The wallet a code was issued for; the code is spent. */
  redeemCode(code: string): Promise<MemberId>;
}

const CODE_TTL_MS = 10 * 60_000;
const PLATFORMS = ["discord", "telegram", "console"] as const;
// No 0/O or 1/I: the code is read on one screen and typed on another.
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/**
 * A locked member (or one whose withdrawals a negative balance locked) cannot shed the lock by
 * joining another wallet. `join` refuses it; a command asks first too, so that a refused join
 * spends no code or sign-in.
 */
export async function assertFreeToJoin(members: Pick<Members, "get">, chatId: MemberId): Promise<void> {
  const profile = await members.get(chatId);
  if (profile.locked) throw new CoreError("memberLocked");
  if (profile.withdrawalsLocked) throw new CoreError("withdrawalsLockedNegative");
}

export function createIdentities(deps: {
  kv: KV;
  claims: AtomicKV;
  ledger: Ledger;
  records: TradeRecords;
  members: Pick<Members, "get">;
}): Identities {
  const { kv, claims, ledger, records, members } = deps;
  const aliasKey = (chatId: MemberId) => `alias:${chatId}`;
  const hostKey = (walletId: MemberId) => `hosts-aliases:${walletId}`;
  const codeKey = (code: string) => `join-code:${code}`;
  const lastUsedKey = (walletId: MemberId) => `last-used:${walletId}`;
  const chosenKey = (walletId: MemberId) => `notices-to:${walletId}`;
  // One alias per platform is remembered: the notice fallback needs "the other platform".
  const platformOf = (id: MemberId) => id.slice(0, Math.max(0, id.indexOf(":")));
  const onPlatformKey = (platform: string, walletId: MemberId) => `identity-on:${platform}:${walletId}`;
  const stillJoined = async (id: unknown, walletId: MemberId) =>
    typeof id === "string" && (id === walletId || (await resolve(id)) === walletId);

  const resolve = async (chatId: MemberId) => (await claims.get(aliasKey(chatId))) ?? chatId;

  /** Moves everything `from` has available into `to`, re-reading if it changed meanwhile. */
  const moveBalance = async (from: MemberId, to: MemberId, actor: string): Promise<number> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { availableCents } = await ledger.balance(from);
      const r = await ledger.transfer({
        key: `wallet-join:${from}:${to}`,
        fromId: from,
        toId: to,
        amountCents: availableCents,
        reason: "wallet-join",
        actor,
      });
      if (r.applied || r.refused === "duplicate") return r.applied ? availableCents : 0;
      if (r.refused === "held") throw new CoreError("tradeInProgress");
    }
    throw new CoreError("linkChanged");
  };

  return {
    resolve,
    async join(chatId, walletId, actor) {
      const wallet = await resolve(walletId);
      if (wallet === chatId) return { wallet, movedCents: 0 };
      await assertFreeToJoin(members, chatId);
      if ((await kv.get(hostKey(chatId))) !== undefined) throw new CoreError("joinHostsOthers");
      const trades = await records.ofMember(chatId, 1000);
      if (trades.some(isInFlight)) throw new CoreError("tradeInProgress");
      const current = await claims.get(aliasKey(chatId));
      if (current !== undefined && current !== wallet) throw new CoreError("linkChanged");
      if (current === undefined && !(await claims.compareAndSwap(aliasKey(chatId), undefined, wallet)))
        throw new CoreError("linkChanged");
      await kv.set(hostKey(wallet), true);
      const movedCents = await moveBalance(chatId, wallet, actor);
      // The person is here now: notices follow them until they use another identity.
      await kv.set(lastUsedKey(wallet), chatId);
      await kv.set(onPlatformKey(platformOf(chatId), wallet), chatId);
      return { wallet, movedCents };
    },
    async noteUse(chatId, wallet) {
      if (wallet === chatId && (await kv.get(hostKey(wallet))) === undefined) return;
      if ((await kv.get(lastUsedKey(wallet))) !== chatId) await kv.set(lastUsedKey(wallet), chatId);
      // Aliases joined before identities were remembered per platform are learnt on their next use.
      const onPlatform = onPlatformKey(platformOf(chatId), wallet);
      if (chatId !== wallet && (await kv.get(onPlatform)) !== chatId) await kv.set(onPlatform, chatId);
    },
    async standsAlone(chatId) {
      // An alias has its claim; a wallet that ever hosted one is marked at the join (the mark
      // outlives a split, which only costs that wallet the full lookup).
      const [alias, hosts] = await Promise.all([claims.get(aliasKey(chatId)), kv.get(hostKey(chatId))]);
      return alias === undefined && (hosts === undefined || hosts === null);
    },
    async identitiesOf(walletId) {
      const others = await Promise.all(
        PLATFORMS.map(async (p) => {
          const id = await kv.get(onPlatformKey(p, walletId));
          return id !== walletId && (await stillJoined(id, walletId)) ? (id as MemberId) : undefined;
        }),
      );
      return [walletId, ...others.filter((id): id is MemberId => id !== undefined)];
    },
    async chooseForNotices(chatId, wallet) {
      if (chatId === undefined) await kv.delete(chosenKey(wallet));
      else await kv.set(chosenKey(wallet), chatId);
    },
    async chosenForNotices(walletId) {
      const chosen = await kv.get(chosenKey(walletId));
      return (await stillJoined(chosen, walletId)) ? (chosen as MemberId) : undefined;
    },
    async recipientFor(walletId) {
      const last = await kv.get(lastUsedKey(walletId));
      // Only an identity still joined to this wallet (a split one is a stranger again).
      if (typeof last !== "string" || last === walletId) return walletId;
      return (await resolve(last)) === walletId ? last : walletId;
    },
    async split(chatId) {
      const wallet = await claims.get(aliasKey(chatId));
      if (wallet === undefined) return false;
      return claims.compareAndSwap(aliasKey(chatId), wallet, undefined);
    },
    async issueCode(walletId) {
      const wallet = await resolve(walletId);
      const code = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
      await kv.set(codeKey(code), wallet, CODE_TTL_MS);
      return code;
    },
    async redeemCode(code) {
      const normalized = code
        .trim()
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, "");
      const wallet = await kv.get(codeKey(normalized));
      // Single use: whoever deletes the code first gets it.
      if (typeof wallet !== "string" || (await kv.delete(codeKey(normalized))) !== true)
        throw new CoreError("joinCodeInvalid");
      return wallet;
    },
  };
}
