/**
 * Restrictions on a member, kept in a Keyv namespace (pass `stores.members`):
 * - `withdrawalsLocked`: set by the deposit-revert path when a debit leaves `available`
 *   negative; the ledger does not set it itself, the caller does right after such a debit.
 * - `locked`: an admin's lock of the member.
 * A view over the same keys `Members` keeps (one key per profile field), for code that only
 * deals in these two flags: setting one never overwrites a concurrent change of the other or of
 * any other profile field. Flags never expire; clearing is explicit.
 */
import type { Keyv } from "keyv";
import type { MemberId } from "../core/ledger.ts";
import { createMembers } from "../core/members.ts";

export type MemberFlag = "withdrawalsLocked" | "locked";

export interface FlagMark {
  reason: string;
  actor?: string;
  /** ISO 8601. */
  at: string;
}

export type MemberFlagState = Partial<Record<MemberFlag, FlagMark>>;

export interface MemberFlags {
  get(memberId: MemberId): Promise<MemberFlagState>;
  set(memberId: MemberId, flag: MemberFlag, reason: string, actor?: string): Promise<void>;
  clear(memberId: MemberId, flag: MemberFlag): Promise<boolean>;
  /** Shorthand for the revert path: `set(memberId, "withdrawalsLocked", reason, actor)`. */
  lockWithdrawals(memberId: MemberId, reason: string, actor?: string): Promise<void>;
  /** True when either flag forbids a withdrawal. */
  withdrawalsBlocked(memberId: MemberId): Promise<boolean>;
}

const markOf = (stored: { reason: string; at: string; by?: string }): FlagMark =>
  stored.by === undefined
    ? { reason: stored.reason, at: stored.at }
    : { reason: stored.reason, actor: stored.by, at: stored.at };

export function createMemberFlags(kv: Keyv<unknown>, clock: () => Date = () => new Date()): MemberFlags {
  const members = createMembers(kv);
  const flags: MemberFlags = {
    async get(memberId) {
      const profile = await members.get(memberId);
      const state: MemberFlagState = {};
      if (profile.withdrawalsLocked) state.withdrawalsLocked = markOf(profile.withdrawalsLocked);
      if (profile.locked) state.locked = markOf(profile.locked);
      return state;
    },
    async set(memberId, flag, reason, actor) {
      const at = clock().toISOString();
      if (flag === "locked") await members.setFlag(memberId, "locked", { reason, by: actor ?? "system", at });
      else
        await members.setFlag(
          memberId,
          flag,
          actor === undefined ? { reason, at } : { reason, at, by: actor },
        );
    },
    clear: (memberId, flag) => members.clearFlag(memberId, flag),
    async lockWithdrawals(memberId, reason, actor) {
      await flags.set(memberId, "withdrawalsLocked", reason, actor);
    },
    async withdrawalsBlocked(memberId) {
      const state = await flags.get(memberId);
      return state.withdrawalsLocked !== undefined || state.locked !== undefined;
    },
  };
  return flags;
}
