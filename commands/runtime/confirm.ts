/**
 * The press that spends: a picker's Confirm starts its trade and answers with the receipt. A
 * refusal that trying again from the picker can fix keeps the picker on screen with the reason.
 */
import { CoreError, isCoreError, upstreamErrorKey } from "../../src/core/errors.ts";
import { memberIdOf } from "../../src/core/members.ts";
import type { ActionRef } from "../../src/ui/action-id.ts";
import { text, type View } from "../../src/ui/view.ts";
import { errorText } from "../../src/ui/views/error-view.ts";
import { receiptView } from "../../src/ui/views/trade-views.ts";
import { memberName } from "../member-names.ts";
import { pickerReply } from "../picker-reply.ts";
import type { CommandContext } from "../types.ts";
import { withReachabilityNotice } from "./reachability.ts";

/**
 * Why a refused confirm keeps the picker on screen, for the cases where trying again from it
 * helps (new prices, not enough balance, a community wallet to top up), or undefined when the
 * refusal is shown apart.
 */
async function stayInPicker(
  ctx: CommandContext,
  sessionId: string,
  err: unknown,
): Promise<string | undefined> {
  const { i18n } = ctx.core;
  if (upstreamErrorKey(err) === "PRICE_CHANGED" || (isCoreError(err) && err.key === "insufficientBalance")) {
    return errorText(i18n, ctx.locale, err);
  }
  // AssetPay's words are for members ("your balance is safe"); the admin whose giveaway the
  // merchant wallet cannot pay needs to see the wallet itself.
  if (upstreamErrorKey(err) === "MERCHANT_BALANCE_LOW") {
    if (!(await ctx.core.trading.load(ctx.memberId, sessionId)).self) return undefined;
    const wallet = await ctx.core.admin.wallet();
    if (!wallet) return undefined;
    return i18n.t(ctx.locale, "admin.walletLow", { balance: i18n.money(ctx.locale, wallet.balanceCents) });
  }
  return undefined;
}

/** Starts the picker's trade and answers with its receipt (and the trade's id, when it started). */
export async function confirmPicker(
  ctx: CommandContext,
  ref: ActionRef,
): Promise<{ view: View; tradeId?: string }> {
  const { core } = ctx;
  const { trading } = core;
  // A community self-trade moves the merchant wallet: the rights that opened the picker (up to
  // its TTL ago) may be gone, so they are checked again now, at the press that spends.
  if (!ctx.isAdmin && (await trading.load(ctx.memberId, ref.session)).self) throw new CoreError("notAdmin");
  try {
    const result = await trading.confirm(ctx.memberId, ref.session, memberIdOf(ctx.member));
    const recipient = result.record.recipientId;
    const names = recipient ? { recipientName: await memberName(core, ctx.locale, recipient) } : {};
    const view = await withReachabilityNotice(ctx, receiptView(core.i18n, ctx.locale, result, names));
    return result.trade && !result.pending ? { view, tradeId: result.trade.id } : { view };
  } catch (err) {
    const warning = await stayInPicker(ctx, ref.session, err);
    if (warning === undefined) throw err;
    const v = await pickerReply(ctx, await trading.load(ctx.memberId, ref.session));
    return { view: { ...v, tone: "warning", blocks: [text({ text: warning, bold: true }), ...v.blocks] } };
  }
}
