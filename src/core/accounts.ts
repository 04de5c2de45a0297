/**
 * Linking: a member (platform + user id) to one Steam account, by trade URL. The URL is checked
 * against the documented pattern, its SteamID64 derived from `partner`, and AssetPay's
 * check-tradeurl asked whether the account can trade at all, so a member learns about a private
 * inventory or a trade hold when linking, not halfway through a deposit.
 *
 * Ownership is two compare-and-swap keys, one per direction, so no interleaving of two links
 * (two members with one trade URL, one member with two URLs, a link racing an admin's move) can
 * leave an account with two owners or a member with two accounts:
 * - `steam:<platform>:<steamId>` → the member who owns the account (claimed only when absent);
 * - `holds:<memberId>` → the account the member holds (swapped only from what was read).
 * The trade URL and dates live in `linkrec:<memberId>:<steamId>`, written before the member's
 * `holds` swap, so whichever link wins, its record is already there.
 */
import type { AssetPayClient } from "../assetpay/client.ts";
import type { ClientIdentity } from "../assetpay/token-cache.ts";
import { CoreError } from "./errors.ts";
import { type AtomicKV, getAs, type KV } from "./kv.ts";
import type { MemberId } from "./ledger.ts";
import { parseMemberId } from "./members.ts";
import { parseTradeUrl } from "./steam.ts";

export interface SteamLink {
  memberId: MemberId;
  steamId: string;
  tradeUrl: string;
  linkedAt: string;
  /** Set when an admin moved the account to this member. */
  movedBy?: string;
  /** When the member proved the account is theirs by signing in through Steam. */
  provenAt?: string;
}

export interface Accounts {
  /**
   * `proven`: the member signed in as this account through Steam. A proven link takes the
   * account over from a member who linked it without proof (a squatter); never from a proven one.
   */
  link(memberId: MemberId, tradeUrl: string, opts?: { proven?: boolean }): Promise<SteamLink>;
  unlink(memberId: MemberId): Promise<SteamLink | undefined>;
  get(memberId: MemberId): Promise<SteamLink | undefined>;
  /** The member's link, or a `notLinked` refusal. */
  require(memberId: MemberId): Promise<SteamLink>;
  /** Who holds a Steam account on a platform. */
  ownerOf(platform: string, steamId: string): Promise<MemberId | undefined>;
  /** Admin: give a Steam account (with its URL) to another member of the same platform. */
  move(input: { steamId: string; to: MemberId; tradeUrl: string; actor: string }): Promise<SteamLink>;
  identity(link: SteamLink): ClientIdentity;
  /**
   * A moderator's lock follows the Steam account, on every platform: a locked account cannot be
   * linked by anyone (a second chat identity of the locked member included) until it is unlocked.
   */
  lockSteam(steamId: string, mark: SteamLock): Promise<void>;
  unlockSteam(steamId: string): Promise<void>;
  steamLock(steamId: string): Promise<SteamLock | undefined>;
}

export interface SteamLock {
  reason: string;
  by: string;
  at: string;
  /** The member locked with it. */
  memberId: MemberId;
}

export const accountKeys = {
  owner: (platform: string, steamId: string) => `steam:${platform}:${steamId}`,
  holds: (memberId: MemberId) => `holds:${memberId}`,
  record: (memberId: MemberId, steamId: string) => `linkrec:${memberId}:${steamId}`,
  lock: (steamId: string) => `steamlock:${steamId}`,
};

export function createAccounts(deps: {
  kv: KV;
  /** Compare-and-swap over the same namespace as `kv`. */
  claims: AtomicKV;
  client: AssetPayClient;
  now?: () => Date;
}): Accounts {
  const { kv, claims, client } = deps;
  const now = deps.now ?? (() => new Date());
  const platformOf = (m: MemberId) => parseMemberId(m)?.platform ?? "unknown";
  const ownerKey = (m: MemberId, steamId: string) => accountKeys.owner(platformOf(m), steamId);

  const get = async (m: MemberId): Promise<SteamLink | undefined> => {
    const steamId = await claims.get(accountKeys.holds(m));
    return steamId === undefined ? undefined : getAs<SteamLink>(kv, accountKeys.record(m, steamId));
  };

  /** Asks AssetPay whether the account can trade; turns each non-normal state into a reason. */
  const check = async (tradeUrl: string, steamId: string) => {
    const result = await client.checkTradeUrl(tradeUrl, { forceRefresh: true });
    if (result.steamid !== undefined && result.steamid !== steamId) throw new CoreError("invalidTradeUrl");
    if (result.state !== 1) throw new CoreError("tradeUrlState", { state: result.state });
    if (result.canTrade === false) {
      const days = result.reason?.escrowDays ?? 0;
      if (days > 0) throw new CoreError("tradeUrlEscrow", { days });
      throw new CoreError("tradeUrlState", { state: 9 });
    }
  };

  /**
   * Makes `link` the member's account: record first, then the swap of `holds` from what the
   * member held (`held`), then the release of the account given up. False when another link of
   * this member won in between.
   */
  const hold = async (link: SteamLink, held: string | undefined): Promise<boolean> => {
    await kv.set(accountKeys.record(link.memberId, link.steamId), link);
    if (
      held !== link.steamId &&
      !(await claims.compareAndSwap(accountKeys.holds(link.memberId), held, link.steamId))
    )
      return false;
    if (held !== undefined && held !== link.steamId) {
      await claims.compareAndSwap(ownerKey(link.memberId, held), link.memberId, undefined);
      await kv.delete(accountKeys.record(link.memberId, held));
    }
    return true;
  };

  /** Takes an account away from a member who no longer owns it (moved or taken over). */
  const drop = async (from: MemberId, steamId: string) => {
    await claims.compareAndSwap(accountKeys.holds(from), steamId, undefined);
    await kv.delete(accountKeys.record(from, steamId));
  };

  return {
    get,
    async require(memberId) {
      const link = await get(memberId);
      if (!link) throw new CoreError("notLinked");
      return link;
    },
    async ownerOf(platform, steamId) {
      return claims.get(accountKeys.owner(platform, steamId));
    },
    async link(memberId, input, opts = {}) {
      const parsed = parseTradeUrl(input);
      if (!parsed) throw new CoreError("invalidTradeUrl");
      const locked = await getAs<SteamLock>(kv, accountKeys.lock(parsed.steamId));
      if (locked && locked.memberId !== memberId) throw new CoreError("steamAccountLocked");
      const key = ownerKey(memberId, parsed.steamId);
      const owner = await claims.get(key);
      const squatter =
        opts.proven && owner !== undefined && owner !== memberId && !(await get(owner))?.provenAt;
      if (owner !== undefined && owner !== memberId && !squatter) throw new CoreError("steamAccountTaken");
      const held = await claims.get(accountKeys.holds(memberId));
      const previous =
        held === undefined ? undefined : await getAs<SteamLink>(kv, accountKeys.record(memberId, held));
      if (previous && previous.tradeUrl === parsed.url && (previous.provenAt || !opts.proven))
        throw new CoreError("alreadyLinked", { steamId: parsed.steamId });
      await check(parsed.url, parsed.steamId);
      // Set-if-absent (or taken from the unproven owner read above): of two members linking one
      // account at once, exactly one gets past this swap.
      const from = owner === memberId ? memberId : owner;
      if (from !== memberId && !(await claims.compareAndSwap(key, from, memberId)))
        throw new CoreError("steamAccountTaken");
      if (squatter && owner !== undefined) await drop(owner, parsed.steamId);
      const at = now().toISOString();
      const link: SteamLink = { memberId, steamId: parsed.steamId, tradeUrl: parsed.url, linkedAt: at };
      if (opts.proven) link.provenAt = at;
      if (await hold(link, held)) return link;
      if (from !== memberId) await claims.compareAndSwap(key, memberId, undefined);
      throw new CoreError("linkChanged");
    },
    async unlink(memberId) {
      const link = await get(memberId);
      if (!link) throw new CoreError("notLinked");
      if (!(await claims.compareAndSwap(accountKeys.holds(memberId), link.steamId, undefined)))
        throw new CoreError("linkChanged");
      await claims.compareAndSwap(ownerKey(memberId, link.steamId), memberId, undefined);
      await kv.delete(accountKeys.record(memberId, link.steamId));
      return link;
    },
    async move({ steamId, to, tradeUrl, actor }) {
      const parsed = parseTradeUrl(tradeUrl);
      if (!parsed || parsed.steamId !== steamId) throw new CoreError("invalidTradeUrl");
      const key = ownerKey(to, steamId);
      const from = await claims.get(key);
      if (from !== to && !(await claims.compareAndSwap(key, from, to))) throw new CoreError("linkChanged");
      if (from !== undefined && from !== to) await drop(from, steamId);
      const link: SteamLink = {
        memberId: to,
        steamId,
        tradeUrl: parsed.url,
        linkedAt: now().toISOString(),
        movedBy: actor,
      };
      if (await hold(link, await claims.get(accountKeys.holds(to)))) return link;
      throw new CoreError("linkChanged");
    },
    identity(link) {
      return { memberId: link.memberId, steamId: link.steamId, tradeUrl: link.tradeUrl };
    },
    async lockSteam(steamId, mark) {
      await kv.set(accountKeys.lock(steamId), mark);
    },
    async unlockSteam(steamId) {
      await kv.delete(accountKeys.lock(steamId));
    },
    steamLock: (steamId) => getAs<SteamLock>(kv, accountKeys.lock(steamId)),
  };
}
