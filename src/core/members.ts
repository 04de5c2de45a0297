/**
 * Members: a chat user on one platform. Their id is `<platform>:<userId>`; the profile holds
 * what the bot remembers about them besides money (locale, locks, reachability).
 */
import { getAs, type KV } from "./kv.ts";
import type { MemberId } from "./ledger.ts";

export type Platform = "discord" | "telegram" | "console";

export interface MemberRef {
  platform: Platform;
  userId: string;
  /** The member's language as the platform reports it (already resolved to a supported locale). */
  locale: string;
  displayName?: string;
}

export interface MemberProfile {
  memberId: MemberId;
  locale?: string;
  /** Chosen with /language; wins over the platform's locale. */
  localeOverride?: string;
  displayName?: string;
  /** Locked by an admin: no deposits, no withdrawals. */
  locked?: { reason: string; by: string; at: string };
  /** Set automatically when a reverted deposit left the balance negative. */
  withdrawalsLocked?: { reason: string; at: string };
  /** Direct messages could not be delivered (closed DMs, bot blocked). */
  unreachable?: {
    since: string;
    reason: string;
    told?: boolean;
    /** They came back (unblocked the bot): sends resume, and their next interaction says what they missed. */
    returnedAt?: string;
  };
}

export function memberIdOf(ref: { platform: string; userId: string }): MemberId {
  return `${ref.platform}:${ref.userId}`;
}

export function parseMemberId(id: MemberId): { platform: Platform; userId: string } | null {
  const i = id.indexOf(":");
  if (i <= 0) return null;
  const platform = id.slice(0, i);
  if (platform !== "discord" && platform !== "telegram" && platform !== "console") return null;
  return { platform, userId: id.slice(i + 1) };
}

export interface Members {
  get(memberId: MemberId): Promise<MemberProfile>;
  update(memberId: MemberId, change: (p: MemberProfile) => MemberProfile | undefined): Promise<MemberProfile>;
  /** Remembers the locale and name a platform reported, cheaply (only writes on change). */
  touch(ref: MemberRef): Promise<MemberProfile>;
}

export function createMembers(kv: KV): Members {
  const key = (id: MemberId) => `member:${id}`;
  const get = async (memberId: MemberId): Promise<MemberProfile> =>
    (await getAs<MemberProfile>(kv, key(memberId))) ?? { memberId };
  const update: Members["update"] = async (memberId, change) => {
    const before = await get(memberId);
    const after = change(structuredClone(before));
    if (after === undefined) return before;
    await kv.set(key(memberId), after);
    return after;
  };
  return {
    get,
    update,
    async touch(ref) {
      const memberId = memberIdOf(ref);
      const profile = await get(memberId);
      if (profile.locale === ref.locale && profile.displayName === ref.displayName) return profile;
      return update(memberId, (p) => {
        p.locale = ref.locale;
        if (ref.displayName !== undefined) p.displayName = ref.displayName;
        return p;
      });
    },
  };
}

/** The locale to speak to a member in. */
export function localeOf(profile: MemberProfile, fallback: string): string {
  return profile.localeOverride ?? profile.locale ?? fallback;
}
