/**
 * /join: one wallet for one person on Discord and Telegram. Without a code it shows a one-time
 * code for this wallet; entered with /join <code> on the other platform, it makes that chat
 * identity use this wallet (its own balance moves in). Proving the same Steam account through
 * Steam sign-in on both platforms joins them too, without a code (see commands/link.ts).
 */
import { assertFreeToJoin as assertMemberFreeToJoin } from "../src/core/identities.ts";
import type { MemberId } from "../src/core/ledger.ts";
import { memberIdOf } from "../src/core/members.ts";
import { text, type View } from "../src/ui/view.ts";
import { joinCodeView, joinedView } from "../src/ui/views/signin-views.ts";
import { noticeStatusText } from "./notify.ts";
import { type CommandContext, type CommandDefinition, view } from "./types.ts";

/** A join's answer also says where trade notices will go now that there are two platforms. */
export async function withNoticeStatus(ctx: CommandContext, v: View, wallet: MemberId): Promise<View> {
  const status = await noticeStatusText(ctx.core, ctx.locale, memberIdOf(ctx.member), wallet);
  return { ...v, blocks: [...v.blocks, text(status)] };
}

/** The core's join rule, asked before a code or a sign-in is spent on a join it would refuse. */
export function assertFreeToJoin(ctx: CommandContext): Promise<void> {
  return assertMemberFreeToJoin(ctx.core.members, ctx.memberId);
}

export const join: CommandDefinition = {
  name: "join",
  descriptionKey: "commands.join.description",
  options: [{ name: "code", type: "string", descriptionKey: "commands.join.options.code", maxLength: 20 }],
  privateOnly: true,
  async run(ctx, args) {
    const { identities, i18n } = ctx.core;
    const code = typeof args.code === "string" ? args.code.trim() : "";
    if (code === "") return view(joinCodeView(i18n, ctx.locale, await identities.issueCode(ctx.memberId)));
    await assertFreeToJoin(ctx);
    const wallet = await identities.redeemCode(code);
    // The chat identity itself, not the wallet it may already act for.
    const chatId = memberIdOf(ctx.member);
    const joined = await identities.join(chatId, wallet, chatId);
    return view(await withNoticeStatus(ctx, joinedView(i18n, ctx.locale, joined.movedCents), joined.wallet));
  },
};
