/**
 * Linking: a member (platform + user id) to one Steam account, by trade URL. The URL is checked
 * against the documented pattern, its SteamID64 derived from `partner`, and AssetPay's
 * check-tradeurl asked whether the account can trade at all, so a member learns about a private
 * inventory or a trade hold when linking, not halfway through a deposit.
 */
import type { AssetPayClient } from "../assetpay/client.ts";
import type { ClientIdentity } from "../assetpay/token-cache.ts";
import { CoreError } from "./errors.ts";
import { getAs, type KV } from "./kv.ts";
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
}

export interface Accounts {
  link(memberId: MemberId, tradeUrl: string): Promise<SteamLink>;
  unlink(memberId: MemberId): Promise<SteamLink | undefined>;
  get(memberId: MemberId): Promise<SteamLink | undefined>;
  /** The member's link, or a `notLinked` refusal. */
  require(memberId: MemberId): Promise<SteamLink>;
  /** Who holds a Steam account on a platform. */
  ownerOf(platform: string, steamId: string): Promise<MemberId | undefined>;
  /** Admin: give a Steam account (with its URL) to another member of the same platform. */
  move(input: { steamId: string; to: MemberId; tradeUrl: string; actor: string }): Promise<SteamLink>;
  identity(link: SteamLink): ClientIdentity;
}

export function createAccounts(deps: { kv: KV; client: AssetPayClient; now?: () => Date }): Accounts {
  const { kv, client } = deps;
  const now = deps.now ?? (() => new Date());
  const memberKey = (m: MemberId) => `link:${m}`;
  const steamKey = (platform: string, steamId: string) => `steam:${platform}:${steamId}`;
  const platformOf = (m: MemberId) => parseMemberId(m)?.platform ?? "unknown";

  const get = (m: MemberId) => getAs<SteamLink>(kv, memberKey(m));

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

  const save = async (link: SteamLink, previous?: SteamLink) => {
    const platform = platformOf(link.memberId);
    if (previous && previous.steamId !== link.steamId) await kv.delete(steamKey(platform, previous.steamId));
    await kv.set(memberKey(link.memberId), link);
    await kv.set(steamKey(platform, link.steamId), link.memberId);
  };

  return {
    get,
    async require(memberId) {
      const link = await get(memberId);
      if (!link) throw new CoreError("notLinked");
      return link;
    },
    async ownerOf(platform, steamId) {
      return getAs<MemberId>(kv, steamKey(platform, steamId));
    },
    async link(memberId, input) {
      const parsed = parseTradeUrl(input);
      if (!parsed) throw new CoreError("invalidTradeUrl");
      const owner = await getAs<MemberId>(kv, steamKey(platformOf(memberId), parsed.steamId));
      if (owner !== undefined && owner !== memberId) throw new CoreError("steamAccountTaken");
      const previous = await get(memberId);
      if (previous && previous.tradeUrl === parsed.url)
        throw new CoreError("alreadyLinked", { steamId: parsed.steamId });
      await check(parsed.url, parsed.steamId);
      const link: SteamLink = {
        memberId,
        steamId: parsed.steamId,
        tradeUrl: parsed.url,
        linkedAt: now().toISOString(),
      };
      await save(link, previous);
      return link;
    },
    async unlink(memberId) {
      const link = await get(memberId);
      if (!link) throw new CoreError("notLinked");
      await kv.delete(memberKey(memberId));
      await kv.delete(steamKey(platformOf(memberId), link.steamId));
      return link;
    },
    async move({ steamId, to, tradeUrl, actor }) {
      const parsed = parseTradeUrl(tradeUrl);
      if (!parsed || parsed.steamId !== steamId) throw new CoreError("invalidTradeUrl");
      const platform = platformOf(to);
      const from = await getAs<MemberId>(kv, steamKey(platform, steamId));
      if (from !== undefined && from !== to) await kv.delete(memberKey(from));
      const link: SteamLink = {
        memberId: to,
        steamId,
        tradeUrl: parsed.url,
        linkedAt: now().toISOString(),
        movedBy: actor,
      };
      await save(link, await get(to));
      return link;
    },
    identity(link) {
      return { memberId: link.memberId, steamId: link.steamId, tradeUrl: link.tradeUrl };
    },
  };
}
