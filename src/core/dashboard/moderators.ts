/**
 * Who may use the dashboard, asked again on every request. Moderators listed by id in the config
 * are checked against the current lists, so removing an id (and redeploying) ends their sessions
 * at once. Moderators by Discord role (or the demo's console user) are known only from the chat
 * command they ran: `/admin dashboard` records a grant that lasts one session, so a demoted role
 * holder loses access when that session would have ended at the latest.
 */
import { getAs, type KV } from "../kv.ts";
import type { MemberId } from "../ledger.ts";
import { parseMemberId } from "../members.ts";

export interface ModeratorLists {
  discord: readonly string[];
  telegram: readonly string[];
}

export interface Moderators {
  isModerator(memberId: MemberId): Promise<boolean>;
  /** Records that the chat platform vouched for this member just now. */
  vouch(memberId: MemberId): Promise<void>;
  listed(memberId: MemberId): boolean;
}

export function createModerators(deps: {
  lists: () => ModeratorLists;
  kv: KV;
  grantMs: number;
  now: () => number;
}): Moderators {
  const key = (m: MemberId) => `dashboard-grant:${m}`;
  const listed = (memberId: MemberId) => {
    const parsed = parseMemberId(memberId);
    if (!parsed || parsed.platform === "console") return false;
    return deps.lists()[parsed.platform].includes(parsed.userId);
  };
  return {
    listed,
    async isModerator(memberId) {
      if (listed(memberId)) return true;
      const until = await getAs<number>(deps.kv, key(memberId));
      return until !== undefined && deps.now() < until;
    },
    async vouch(memberId) {
      if (listed(memberId)) return;
      await deps.kv.set(key(memberId), deps.now() + deps.grantMs, deps.grantMs + 60_000);
    },
  };
}
