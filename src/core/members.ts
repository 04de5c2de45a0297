/**
 * Members: a chat user on one platform. Their id is `<platform>:<userId>`; the profile holds
 * what the bot remembers about them besides money (locale, locks, reachability). Each field of
 * the profile is its own key: the profile is rewritten by every interaction, the outbox worker,
 * settlement and admins at once, and one JSON value rewritten by all of them would let a stale
 * writer drop a lock that guards money.
 */
import { getMany, type KV } from "./kv.ts";
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
  withdrawalsLocked?: { reason: string; at: string; by?: string };
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

/** The profile fields; each is stored under its own key, so writers of different fields never collide. */
export const PROFILE_FIELDS = [
  "locale",
  "localeOverride",
  "displayName",
  "locked",
  "withdrawalsLocked",
  "unreachable",
] as const satisfies readonly Exclude<keyof MemberProfile, "memberId">[];

export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** The flags that guard money or delivery: set and cleared one at a time, never by rewriting a profile. */
export type MemberFlag = "locked" | "withdrawalsLocked" | "unreachable";

export interface Members {
  /** The profile, assembled from its fields' keys. */
  get(memberId: MemberId): Promise<MemberProfile>;
  /**
   * Read, change, then write back only the fields the change touched (each to its own key), so a
   * concurrent write of another field (an admin's lock while the worker marks the member
   * unreachable) is never lost. Two writers of the same field: the last one wins.
   */
  update(memberId: MemberId, change: (p: MemberProfile) => MemberProfile | undefined): Promise<MemberProfile>;
  /** Just the display name (one key): what a notice needs, without assembling the profile. */
  nameOf(memberId: MemberId): Promise<string | undefined>;
  /** Remembers the locale and name a platform reported, cheaply (only writes on change). */
  touch(ref: MemberRef): Promise<MemberProfile>;
  /** Writes one flag without reading anything. */
  setFlag<F extends MemberFlag>(
    memberId: MemberId,
    flag: F,
    value: NonNullable<MemberProfile[F]>,
  ): Promise<void>;
  clearFlag(memberId: MemberId, flag: MemberFlag): Promise<boolean>;
}

/** The key of one profile field; the legacy whole-profile key was `member:<id>`. */
export const profileFieldKey = (field: ProfileField, memberId: MemberId): string =>
  `profile:${field}:${memberId}`;

export function createMembers(kv: KV): Members {
  const get = async (memberId: MemberId): Promise<MemberProfile> => {
    const values = await getMany(
      kv,
      PROFILE_FIELDS.map((f) => profileFieldKey(f, memberId)),
    );
    const profile: Record<string, unknown> = { memberId };
    PROFILE_FIELDS.forEach((field, i) => {
      const value = values[i];
      if (value !== undefined && value !== null) profile[field] = value;
    });
    return profile as unknown as MemberProfile;
  };
  const update: Members["update"] = async (memberId, change) => {
    const before = await get(memberId);
    const after = change(structuredClone(before));
    if (after === undefined) return before;
    const writes: Promise<unknown>[] = [];
    for (const field of PROFILE_FIELDS) {
      const next = after[field];
      if (JSON.stringify(next) === JSON.stringify(before[field])) continue;
      const key = profileFieldKey(field, memberId);
      writes.push(next === undefined ? kv.delete(key) : kv.set(key, next));
    }
    await Promise.all(writes);
    return { ...after, memberId };
  };
  return {
    get,
    update,
    async nameOf(memberId) {
      const name = await kv.get(profileFieldKey("displayName", memberId));
      return typeof name === "string" ? name : undefined;
    },
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
    async setFlag(memberId, flag, value) {
      await kv.set(profileFieldKey(flag, memberId), value);
    },
    async clearFlag(memberId, flag) {
      return (await kv.delete(profileFieldKey(flag, memberId))) === true;
    },
  };
}

/** The locale to speak to a member in. */
export function localeOf(profile: MemberProfile, fallback: string): string {
  return profile.localeOverride ?? profile.locale ?? fallback;
}
