/**
 * Feeds the dashboard's member indexes: wraps Members so every name a platform reports (touch)
 * or a change stores (update) lands in the name directory, and every change of reachability
 * in the unreachable set. Members itself stays unaware of the dashboard.
 */
import { type MemberProfile, type Members, memberIdOf } from "../members.ts";
import type { DashboardReads } from "./read-model.ts";

export function withMemberDirectory(members: Members, reads: DashboardReads): Members {
  const note = async (before: MemberProfile, after: MemberProfile) => {
    if (after.displayName && after.displayName !== before.displayName)
      await reads.noteName(after.memberId, after.displayName);
    if (Boolean(after.unreachable) !== Boolean(before.unreachable))
      await reads.noteUnreachable(after.memberId, after.unreachable !== undefined);
  };
  return {
    ...members,
    async touch(ref) {
      // touch runs on every interaction: one read when nothing changed, as Members' own does.
      const before = await members.get(memberIdOf(ref));
      if (before.locale === ref.locale && before.displayName === ref.displayName) return before;
      const after = await members.touch(ref);
      await note(before, after);
      return after;
    },
    async update(memberId, change) {
      const before = await members.get(memberId);
      const after = await members.update(memberId, change);
      await note(before, after);
      return after;
    },
  };
}
