/** /admin liquidate: sell skins from a Steam account into the community wallet (a picker, like /deposit). */
import { gameIdOf, gameOption } from "../deposit.ts";
import { pickerReply } from "../picker-reply.ts";
import { view } from "../types.ts";
import type { AdminSubcommand } from "./subcommand.ts";

export const liquidate: AdminSubcommand = {
  definition: {
    name: "liquidate",
    descriptionKey: "commands.admin.subcommands.liquidate",
    options: [
      {
        name: "trade_url",
        type: "string",
        descriptionKey: "commands.admin.options.tradeurl",
        required: true,
        maxLength: 200,
      },
      gameOption("commands.deposit.options.game"),
    ],
  },
  async run(ctx, args) {
    const session = await ctx.core.trading.openLiquidation(ctx.memberId, {
      tradeUrl: String(args.trade_url ?? ""),
      game: gameIdOf(args.game),
      pageSize: ctx.caps.pickerPageSize,
    });
    return view(await pickerReply(ctx, session));
  },
};
