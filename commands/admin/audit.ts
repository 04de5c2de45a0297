/** /admin audit: the community wallet's log (giveaways, liquidations), paged, names resolved. */
import { CoreError } from "../../src/core/errors.ts";
import type { ActionRef } from "../../src/ui/action-id.ts";
import type { View } from "../../src/ui/view.ts";
import { communityAuditView } from "../../src/ui/views/admin-views.ts";
import { memberNames } from "../member-names.ts";
import { type CommandContext, view } from "../types.ts";
import type { AdminSubcommand } from "./subcommand.ts";

/** Everything the community log keeps: paged in the view, one row per trade. */
const AUDIT_EVENTS = 500;

/** One page of the community audit, names resolved (who started each trade, who received it). */
export async function auditPage(ctx: CommandContext, page: number): Promise<View> {
  const events = await ctx.core.community.recent(AUDIT_EVENTS);
  const names = await memberNames(
    ctx.core,
    ctx.locale,
    events.flatMap((e) => [e.actor, e.recipient]),
  );
  return communityAuditView(ctx.core.i18n, ctx.locale, events, { page, names });
}

/** The audit's page buttons: admins only, checked at the press. */
export async function auditPageAction(ctx: CommandContext, ref: ActionRef): Promise<View> {
  if (!ctx.isAdmin) throw new CoreError("notAdmin");
  return auditPage(ctx, Number(ref.arg ?? 0));
}

export const audit: AdminSubcommand = {
  definition: { name: "audit", descriptionKey: "commands.admin.subcommands.audit", options: [] },
  async run(ctx) {
    return view(await auditPage(ctx, 0));
  },
};
