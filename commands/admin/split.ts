/** /admin split: undoes a join; the chat identity is its own member again, the money stays in the wallet. */
import { message } from "../../src/ui/view.ts";
import { view } from "../types.ts";
import { type AdminSubcommand, memberOption, targetOf } from "./subcommand.ts";

export const split: AdminSubcommand = {
  definition: { name: "split", descriptionKey: "commands.admin.subcommands.split", options: [memberOption] },
  async run(ctx, args) {
    const id = targetOf(ctx, args);
    const wallet = await ctx.core.identities.resolve(id);
    const split = await ctx.core.identities.split(id);
    const key = split ? "admin.split" : "admin.notJoined";
    return view(
      message(split ? "success" : "warning", ctx.core.i18n.t(ctx.locale, key, { member: id, wallet }), {
        ephemeral: true,
      }),
    );
  },
};
