/** /admin lock: stop a member's trades and their Steam account's links, with the reason. */
import { message } from "../../src/ui/view.ts";
import { view } from "../types.ts";
import { type AdminSubcommand, actorOf, memberOption, namedTargetOf, reasonOption } from "./subcommand.ts";

export const lock: AdminSubcommand = {
  definition: {
    name: "lock",
    descriptionKey: "commands.admin.subcommands.lock",
    options: [memberOption, reasonOption],
  },
  async run(ctx, args) {
    const { id, name } = await namedTargetOf(ctx, args);
    await ctx.core.admin.lock(id, String(args.reason ?? ""), actorOf(ctx));
    return view(
      message("success", ctx.core.i18n.t(ctx.locale, "admin.locked", { member: name }), { ephemeral: true }),
    );
  },
};
