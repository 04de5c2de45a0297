/**
 * /admin cancel: only an undelivered giveaway item of ours goes to AssetPay; anything else is
 * refused here in words, and AssetPay's 30-minute rule is told with the minutes left.
 */
import { message } from "../../src/ui/view.ts";
import { type CommandContext, type Reply, view } from "../types.ts";
import type { AdminSubcommand } from "./subcommand.ts";

async function cancelGiveawayItem(ctx: CommandContext, tradeRef: string, itemId: string): Promise<Reply> {
  const { records, i18n } = ctx.core;
  const record = (await records.byTradeId(tradeRef)) ?? (await records.byExternalId(tradeRef));
  if (record?.source !== "self" || record.kind !== "withdraw") {
    return view(
      message("warning", i18n.t(ctx.locale, "community.notAGiveaway", { trade: tradeRef }), {
        ephemeral: true,
      }),
    );
  }
  // AssetPay's 30-minute rule comes back from the core as a refusal with the minutes left.
  await ctx.core.trading.cancelSelfItem(ctx.memberId, tradeRef, itemId);
  return view(message("success", i18n.t(ctx.locale, "community.cancelRequested"), { ephemeral: true }));
}

export const cancel: AdminSubcommand = {
  definition: {
    name: "cancel",
    descriptionKey: "commands.admin.subcommands.cancel",
    options: [
      {
        name: "trade",
        type: "string",
        descriptionKey: "commands.admin.options.trade",
        required: true,
        maxLength: 128,
      },
      {
        name: "item",
        type: "string",
        descriptionKey: "commands.admin.options.itemid",
        required: true,
        maxLength: 128,
      },
    ],
  },
  run: (ctx, args) =>
    cancelGiveawayItem(ctx, String(args.trade ?? "").trim(), String(args.item ?? "").trim()),
};
