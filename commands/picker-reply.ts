/**
 * A picker page for the member who opened it: their balance beside a withdrawal's total, a
 * giveaway's recipient by name, and the hint for how this platform picks (Discord's select
 * menu, toggle buttons elsewhere).
 */
import type { PickerSession } from "../src/core/picker.ts";
import type { View } from "../src/ui/view.ts";
import { type PickerViewOptions, pickerView } from "../src/ui/views/picker-view.ts";
import { memberName } from "./member-names.ts";
import type { CommandContext } from "./types.ts";

export async function pickerReply(ctx: CommandContext, s: PickerSession): Promise<View> {
  const opts: PickerViewOptions = { selectMenu: ctx.caps.platform === "discord" };
  if (s.self) {
    // A community self-trade is paid by the merchant wallet: the admin's own balance is beside the point.
    if (s.self.kind === "giveaway")
      opts.recipientName = await memberName(ctx.core, ctx.locale, s.self.recipient);
  } else if (s.kind === "withdraw") {
    opts.balanceCents = (await ctx.core.ledger.balance(ctx.memberId)).availableCents;
  }
  return pickerView(ctx.core.i18n, ctx.locale, s, opts);
}
