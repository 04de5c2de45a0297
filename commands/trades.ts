/** /trades: the member's recent trades, with a Cancel button on each slow withdrawal. */
import type { ActionRef } from "../src/ui/action-id.ts";
import { message, type View } from "../src/ui/view.ts";
import { CANCEL_BUTTONS, tradesView } from "../src/ui/views/account-views.ts";
import { type CommandContext, type CommandDefinition, view } from "./types.ts";

export const trades: CommandDefinition = {
  name: "trades",
  descriptionKey: "commands.trades.description",
  options: [],
  privateOnly: true,
  async run(ctx) {
    const { records, trading } = ctx.core;
    const recent = await trading.withLiveStatus(await records.ofMember(ctx.memberId, 10));
    // Withdrawals whose items are still being sourced can be cancelled (AssetPay's 30-minute rule).
    const cancellable = recent.filter(
      (r) => r.kind === "withdraw" && r.source === "client" && r.tradeId && r.status === "pending",
    );
    if (cancellable.length === 0) return view(tradesView(ctx.core.i18n, ctx.locale, recent));
    const session = await ctx.core.choices.offerCancels(
      ctx.memberId,
      cancellable.slice(0, CANCEL_BUTTONS).map((r) => r.tradeId as string),
    );
    const { autoCancelMinutes } = ctx.core.config.assetpay;
    return view(
      tradesView(ctx.core.i18n, ctx.locale, recent, {
        session,
        records: cancellable,
        ...(autoCancelMinutes !== undefined ? { autoCancelMinutes } : {}),
      }),
    );
  },
};

/** A Cancel press on a /trades message: the withdrawal it offered, if it is still the member's. */
export async function cancelFromTrades(ctx: CommandContext, ref: ActionRef): Promise<View> {
  const tradeId = await ctx.core.choices.cancelTarget(ctx.memberId, ref.session, Number(ref.arg));
  await ctx.core.trading.cancelWithdrawal(ctx.memberId, tradeId);
  return message("success", ctx.core.i18n.t(ctx.locale, "withdraw.cancelRequested"), { ephemeral: true });
}
