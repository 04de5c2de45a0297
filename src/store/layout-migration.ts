/**
 * One-time moves of data written by earlier versions to the layout this version reads, run at
 * start before anything is served:
 * - member profiles, one JSON value per member (`member:<id>`), to one key per field
 *   (`profile:<field>:<id>`); a field that already has its own key keeps it (it is newer);
 * - Steam links, one record per member (`link:<id>`), to the member's `holds:<id>` and the
 *   record under `linkrec:<id>:<steamId>` (the account's owner key is unchanged).
 * A moved value has no legacy key left, so a second run (or a second instance) finds nothing.
 * Only Redis needs it: the memory store starts empty with every process.
 */
import type { Keyv } from "keyv";
import { accountKeys, type SteamLink } from "../core/accounts.ts";
import type { AtomicKV } from "../core/kv.ts";
import { type MemberProfile, PROFILE_FIELDS, profileFieldKey } from "../core/members.ts";
import type { RedisClient } from "./redis.ts";

export async function migrateLayout(input: {
  redis: RedisClient;
  prefix: string;
  members: Keyv<unknown>;
  links: Keyv<unknown>;
  claims: AtomicKV;
}): Promise<{ profiles: number; links: number }> {
  const profiles = await migrateMemberProfiles(input);
  const links = await migrateLinks(input);
  return { profiles, links };
}

async function* legacyKeys(redis: RedisClient, pattern: string): AsyncGenerator<string> {
  for await (const keys of redis.scanIterator({ MATCH: pattern, COUNT: 200 })) yield* keys;
}

export async function migrateLinks(input: {
  redis: RedisClient;
  prefix: string;
  links: Keyv<unknown>;
  claims: AtomicKV;
}): Promise<number> {
  const { redis, prefix, links, claims } = input;
  const start = `${prefix}kv:links:link:`;
  let moved = 0;
  for await (const fullKey of legacyKeys(redis, `${start}*`)) {
    const memberId = fullKey.slice(start.length);
    const legacy = await links.get<SteamLink>(`link:${memberId}`);
    if (legacy) {
      await links.set(accountKeys.record(memberId, legacy.steamId), legacy);
      await claims.compareAndSwap(accountKeys.holds(memberId), undefined, legacy.steamId);
    }
    await links.delete(`link:${memberId}`);
    moved++;
  }
  return moved;
}

export async function migrateMemberProfiles(input: {
  redis: RedisClient;
  prefix: string;
  members: Keyv<unknown>;
}): Promise<number> {
  const { redis, prefix, members } = input;
  const namespace = `${prefix}kv:members:`;
  let moved = 0;
  for await (const fullKey of legacyKeys(redis, `${namespace}member:*`)) {
    const memberId = fullKey.slice(`${namespace}member:`.length);
    const legacy = await members.get<MemberProfile>(`member:${memberId}`);
    if (legacy) await moveFields(members, memberId, legacy);
    await members.delete(`member:${memberId}`);
    moved++;
  }
  return moved;
}

async function moveFields(members: Keyv<unknown>, memberId: string, legacy: MemberProfile): Promise<void> {
  for (const field of PROFILE_FIELDS) {
    const value = legacy[field];
    if (value === undefined) continue;
    const key = profileFieldKey(field, memberId);
    if ((await members.get(key)) === undefined) await members.set(key, value);
  }
}
