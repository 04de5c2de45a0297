/** /admin unlock: lift a member's lock. */
import { message } from "../../src/ui/view.ts";
import { view } from "../types.ts";
import { type AdminSubcommand, actorOf, memberOption, namedTargetOf } from "./subcommand.ts";

export const unlock: AdminSubcommand = {
  definition: {
    name: "unlock",
    descriptionKey: "commands.admin.subcommands.unlock",
    options: [memberOption],
  },
  async run(ctx, args) {
    const { id, name } = await namedTargetOf(ctx, args);
    await ctx.core.admin.unlock(id, actorOf(ctx));
    return view(
      message("success", ctx.core.i18n.t(ctx.locale, "admin.unlocked", { member: name }), {
        ephemeral: true,
      }),
    );
  },
};
