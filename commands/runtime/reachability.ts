/**
 * The last touch on every answer: a member marked unreachable who interacts is back. They are
 * told once what happened (DMs failing, or — after unblocking the bot — that what they missed is
 * in /inbox) and the mark is lifted, so notices are sent to them again; a DM that fails again
 * marks them again.
 */
import { parseMemberId } from "../../src/core/members.ts";
import { text, type View } from "../../src/ui/view.ts";
import type { CommandContext } from "../types.ts";

export async function withReachabilityNotice(ctx: CommandContext, view: View): Promise<View> {
  const { members, outbox, i18n } = ctx.core;
  const away = (await members.get(ctx.memberId)).unreachable;
  if (!away) return view;
  await members.update(ctx.memberId, (p) => {
    delete p.unreachable;
    return p;
  });
  let note: string | undefined;
  if (away.returnedAt) {
    const recipient = parseMemberId(ctx.memberId);
    const missed = recipient ? await outbox.inbox(recipient, { limit: 1 }) : [];
    if (missed.length > 0) note = i18n.t(ctx.locale, "inbox.missedWhileAway");
  } else if (!away.told) {
    note = i18n.t(ctx.locale, "inbox.dmClosed");
  }
  return note === undefined ? view : { ...view, blocks: [...view.blocks, text(note)] };
}
