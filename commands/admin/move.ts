/** /admin move: one Steam account belongs to one member per platform; only an admin may hand it over. */
import { CoreError } from "../../src/core/errors.ts";
import { parseTradeUrl } from "../../src/core/steam.ts";
import { message } from "../../src/ui/view.ts";
import { view } from "../types.ts";
import { type AdminSubcommand, actorOf, memberOption, namedTargetOf } from "./subcommand.ts";

export const move: AdminSubcommand = {
  definition: {
    name: "move",
    descriptionKey: "commands.admin.subcommands.move",
    options: [
      memberOption,
      {
        name: "trade_url",
        type: "string",
        descriptionKey: "commands.link.options.tradeurl",
        required: true,
        maxLength: 200,
      },
    ],
  },
  async run(ctx, args) {
    const { id: to, name } = await namedTargetOf(ctx, args);
    const url = String(args.trade_url ?? "");
    const parsed = parseTradeUrl(url);
    if (!parsed) throw new CoreError("invalidTradeUrl");
    const moved = await ctx.core.accounts.move({
      steamId: parsed.steamId,
      to,
      tradeUrl: url,
      actor: actorOf(ctx),
    });
    return view(
      message(
        "success",
        ctx.core.i18n.t(ctx.locale, "admin.moved", { steamId: moved.steamId, member: name }),
        {
          ephemeral: true,
        },
      ),
    );
  },
};
