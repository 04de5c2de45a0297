/**
 * Whether a member may trade in a direction right now: the community's pause switch for that
 * direction, a locked account, and (withdrawals only) the lock a negative balance sets. Checked
 * when a picker opens and again at confirm, because either may change while the picker is open.
 */
import { CoreError } from "../errors.ts";
import type { MemberId } from "../ledger.ts";
import type { Members } from "../members.ts";
import type { PickerKind } from "../picker.ts";
import type { Switches } from "../switches.ts";

export async function requireMayTrade(
  deps: { switches: Switches; members: Members },
  memberId: MemberId,
  kind: PickerKind,
): Promise<void> {
  if (await deps.switches.isPaused(kind === "deposit" ? "deposits" : "withdrawals")) {
    throw new CoreError(kind === "deposit" ? "depositsPaused" : "withdrawalsPaused");
  }
  const profile = await deps.members.get(memberId);
  if (profile.locked) throw new CoreError("memberLocked");
  if (kind === "withdraw" && profile.withdrawalsLocked) throw new CoreError("withdrawalsLockedNegative");
}
