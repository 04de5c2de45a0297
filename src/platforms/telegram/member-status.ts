/**
 * A member blocking (or unblocking) the bot in the private chat: marked at once, instead of
 * learning it from the next failed DM; notices then wait in /inbox until they come back.
 */
import type { Context } from "grammy";
import type { Core } from "../../app.ts";
import { memberIdOf } from "../../core/members.ts";

export function createMemberStatusHandler(core: Core): (ctx: Context) => Promise<void> {
  return async (ctx) => {
    const change = ctx.myChatMember;
    if (change?.chat.type !== "private") return;
    const memberId = memberIdOf({ platform: "telegram", userId: String(change.from.id) });
    const status = change.new_chat_member.status;
    await core.members.update(memberId, (p) => {
      if (status === "kicked") p.unreachable = { since: new Date().toISOString(), reason: "bot blocked" };
      // Back: DMs may go out again, but the mark stays until their next interaction has told
      // them what they missed while they were away.
      else if (status === "member" && p.unreachable) p.unreachable.returnedAt = new Date().toISOString();
      else return undefined;
      return p;
    });
  };
}
