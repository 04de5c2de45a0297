/**
 * Finding a member from what a moderator has at hand: a member id (`telegram:42`), a bare chat
 * user id, a SteamID64, or the start of a display name.
 */
import type { Accounts } from "../accounts.ts";
import type { Ledger, MemberId } from "../ledger.ts";
import type { Members } from "../members.ts";
import { parseMemberId } from "../members.ts";
import type { DashboardReads } from "./read-model.ts";

const PLATFORMS = ["discord", "telegram", "console"] as const;
const STEAM_ID = /^7656\d{13}$/;
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export async function searchMembers(
  deps: { ledger: Ledger; members: Members; accounts: Accounts; reads: DashboardReads },
  query: string,
  limit = 20,
): Promise<MemberId[]> {
  const q = query.trim().slice(0, 100);
  if (q === "") return [];
  const found = new Set<MemberId>();
  const known = async (m: MemberId) =>
    (await deps.reads.journalLength(m)) > 0 ||
    (await deps.accounts.get(m)) !== undefined ||
    (await deps.members.get(m)).displayName !== undefined;

  if (parseMemberId(q) && (await known(q))) found.add(q);
  if (STEAM_ID.test(q)) {
    for (const platform of PLATFORMS) {
      const owner = await deps.accounts.ownerOf(platform, q);
      if (owner) found.add(owner);
    }
  }
  if (USER_ID.test(q)) {
    for (const platform of PLATFORMS) {
      const m = `${platform}:${q}`;
      if (!found.has(m) && (await known(m))) found.add(m);
    }
  }
  for (const m of await deps.reads.searchNames(q, limit)) found.add(m);
  return [...found].slice(0, limit);
}
