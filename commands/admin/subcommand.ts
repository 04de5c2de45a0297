/**
 * One /admin subcommand: its definition as data (what both platforms register) beside its
 * handler, and the pieces several of them share (the member option, the reason, the actor).
 */
import { CoreError } from "../../src/core/errors.ts";
import type { MemberId } from "../../src/core/ledger.ts";
import { memberIdOf } from "../../src/core/members.ts";
import { memberName, rememberName } from "../member-names.ts";
import type { Args, CommandContext, CommandOption, Reply, Subcommand } from "../types.ts";

export interface AdminSubcommand {
  definition: Subcommand;
  run(ctx: CommandContext, args: Args): Promise<Reply>;
  autocomplete?(
    ctx: CommandContext,
    option: string,
    value: string,
    filled: Args,
  ): Promise<{ name: string; value: string }[]>;
}

export const memberOption: CommandOption = {
  name: "member",
  type: "user",
  descriptionKey: "commands.admin.options.member",
  required: true,
};

export const reasonOption: CommandOption = {
  name: "reason",
  type: "string",
  descriptionKey: "commands.admin.options.reason",
  required: true,
  maxLength: 200,
};

/** Who the audit trail says did it. */
export const actorOf = (ctx: CommandContext) => `admin:${ctx.memberId}`;

/** The member the `member` option names, on the platform the admin is on. */
export function targetOf(ctx: CommandContext, args: Args): MemberId {
  const id = String(args.member ?? "").trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new CoreError("unknownMember");
  return memberIdOf({ platform: ctx.caps.platform, userId: id });
}

/** The target and the name to say it by; Discord resolves the picked member to a name, remembered here. */
export async function namedTargetOf(
  ctx: CommandContext,
  args: Args,
): Promise<{ id: MemberId; name: string }> {
  const id = targetOf(ctx, args);
  await rememberName(ctx.core, id, args.memberName);
  return { id, name: await memberName(ctx.core, ctx.locale, id) };
}
