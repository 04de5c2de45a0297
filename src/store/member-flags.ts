/**
 * Restrictions on a member, kept in a Keyv namespace (pass `stores.members`):
 * - `withdrawalsLocked`: set by the deposit-revert path when a debit leaves `available`
 *   negative; the ledger does not set it itself, the caller does right after such a debit.
 * - `locked`: an admin's lock of the member.
 * Each flag is its own key (`flags:<flag>:<member>`), so setting one never overwrites a
 * concurrent change of the other. Flags never expire; clearing is explicit.
 */
import type { Keyv } from "keyv";
import type { MemberId } from "../core/ledger.ts";

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

const FLAGS: readonly MemberFlag[] = ["withdrawalsLocked", "locked"];

export function createMemberFlags(kv: Keyv<unknown>, clock: () => Date = () => new Date()): MemberFlags {
  const keyOf = (flag: MemberFlag, memberId: MemberId) => `flags:${flag}:${memberId}`;
  const flags: MemberFlags = {
    async get(memberId) {
      const marks = await Promise.all(FLAGS.map((flag) => kv.get<FlagMark>(keyOf(flag, memberId))));
      const state: MemberFlagState = {};
      FLAGS.forEach((flag, i) => {
        const mark = marks[i];
        if (mark) state[flag] = mark;
      });
      return state;
    },
    async set(memberId, flag, reason, actor) {
      const mark: FlagMark = { reason, at: clock().toISOString() };
      if (actor !== undefined) mark.actor = actor;
      await kv.set(keyOf(flag, memberId), mark);
    },
    async clear(memberId, flag) {
      return kv.delete(keyOf(flag, memberId));
    },
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
