/** /admin lookup: one member's profile, link, balance, journal and trades, names resolved. */
import { lookupView } from "../../src/ui/views/admin-views.ts";
import { memberNames } from "../member-names.ts";
import { view } from "../types.ts";
import { type AdminSubcommand, memberOption, namedTargetOf } from "./subcommand.ts";

export const lookup: AdminSubcommand = {
  definition: {
    name: "lookup",
    descriptionKey: "commands.admin.subcommands.lookup",
    options: [memberOption],
  },
  async run(ctx, args) {
    const { id } = await namedTargetOf(ctx, args);
    const report = await ctx.core.admin.lookup(id);
    const names = await memberNames(ctx.core, ctx.locale, [id, ...report.journal.map((e) => e.actor)]);
    return view(lookupView(ctx.core.i18n, ctx.locale, report, names));
  },
};
